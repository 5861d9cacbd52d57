"""ICEWS .tab rows ↔ StoredEvent: countries, sectors, NA cells, bad rows, round trips."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from _interop_support import FIXTURES, data_lines, shared_file, split

from dyadwatch.errors import DictionaryError, InputError
from dyadwatch.store.interop import read_icews_events, write_icews
from dyadwatch.store.interop._tables import country_names, parse_table


def test_interop_icews_maps_actors_to_iso3_and_cameo_sectors() -> None:
    events, errors = split(read_icews_events(FIXTURES / "icews_events.tab"))
    assert errors == []
    first = events[0]
    assert first.id == "icews:50000001" and first.date == dt.date(2018, 6, 1)
    assert first.source is not None and first.target is not None
    assert (first.source.country, first.source.sector, first.source.code) == (
        "TUR",
        "GOV",
        "TURGOV",
    )
    assert first.source.name == "Defense / Security Ministry (Turkey)"
    assert (first.target.country, first.target.sector) == ("RUS", "CVL")
    assert (first.cameo, first.goldstein, first.quad) == ("012", -0.4, 1)
    assert first.extra["Story ID"] == "48000001"
    assert first.extra["Source Sectors"] == "Defense / Security Ministry,Government"
    assert first.location is not None
    assert (first.location.name, first.location.country, first.location.adm1) == (
        "Ankara", "TUR", "Ankara",
    )  # fmt: skip


def test_interop_icews_police_and_province_only_place() -> None:
    events, _ = split(read_icews_events(FIXTURES / "icews_events.tab"))
    police = events[1]
    assert police.source is not None and police.source.code == "KENCOP"
    assert police.location is not None and police.location.precision == "adm1"


def test_interop_icews_na_country_and_unmapped_sectors_give_no_code() -> None:
    events, _ = split(read_icews_events(FIXTURES / "icews_events.tab"))
    un = events[2]
    assert un.source is not None and (un.source.country, un.source.sector) == (None, None)
    assert un.source.code == ""
    assert un.target is not None and un.target.country == "VAT"  # alias table: "Holy See"
    assert un.location is None


def test_interop_icews_fixture_round_trip_is_byte_equal() -> None:
    path = FIXTURES / "icews_events.tab"
    events, _ = split(read_icews_events(path))
    out = io.StringIO()
    write_icews(events, out)
    assert out.getvalue().splitlines() == data_lines(path)


@pytest.mark.shared
def test_interop_icews_real_sample_round_trip_is_byte_equal() -> None:
    path = shared_file("icews", "events.2018.sample.tab")
    events, errors = split(read_icews_events(path))
    assert errors == [] and len(events) == 3705
    assert all(
        e.source is None or e.source.country is None or len(e.source.country) == 3 for e in events
    )
    out = io.StringIO()
    write_icews(events, out)
    assert out.getvalue().splitlines() == data_lines(path)


def test_interop_icews_bad_rows_are_reported_and_the_rest_read() -> None:
    path = FIXTURES / "icews_bad.tab"
    events, errors = split(read_icews_events(path))
    assert [e.external_id for e in events] == ["50000001"]
    assert [(e.code, e.line) for e in errors] == [("DW112", 3), ("DW112", 4)]
    assert "Event Date '2018-13-02'" in errors[0].message
    assert "got 3" in errors[1].message


def test_interop_icews_file_without_header_is_dw113(tmp_path: Path) -> None:
    path = tmp_path / "noheader.tab"
    path.write_text("\n".join(data_lines(FIXTURES / "icews_events.tab")[1:]) + "\n")
    with pytest.raises(InputError) as caught:
        list(read_icews_events(path))
    assert caught.value.code == "DW113" and caught.value.line == 1


def test_interop_icews_country_names_resolve_both_ways() -> None:
    names = country_names()
    assert names.iso3("Turkey") == "TUR" and names.iso3("Japan") == "JPN"
    assert names.iso3("Atlantis") is None
    assert names.name("RUS") == "Russian Federation" and names.name("JPN") == "Japan"


def test_interop_tables_bad_row_names_file_and_line() -> None:
    text = "# comment\nname\tiso3\nTurkey\tTUR\nNowhere\tXX\n"
    with pytest.raises(DictionaryError) as caught:
        parse_table(
            text,
            path="t.tsv",
            header=("name", "iso3"),
            check=lambda k, v: None if len(v) == 3 else f"invalid ISO-3 code {v!r}",
        )
    assert caught.value.code == "DW207" and caught.value.line == 4
    assert "t.tsv:4" in str(caught.value)
