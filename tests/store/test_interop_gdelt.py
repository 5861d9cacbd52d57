"""GDELT event rows ↔ StoredEvent: the mapping, bad rows, and byte-equal round trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from _interop_support import FIXTURES, data_lines, shared_file, split

from dyadwatch.model import Actor
from dyadwatch.store.interop import gdelt_row, read_gdelt_events, write_gdelt
from dyadwatch.store.interop._columns import GDELT1_EVENT_COLUMNS, GDELT2_EVENT_COLUMNS
from dyadwatch.store.records import StoredEvent


def exported(events: list[StoredEvent]) -> list[str]:
    out = io.StringIO()
    for event in events:
        write_gdelt([event], out, version=2 if event.provenance == "gdelt2" else 1)
    return out.getvalue().splitlines()


def test_interop_gdelt_columns_follow_the_codebooks() -> None:
    assert len(GDELT1_EVENT_COLUMNS) == 58 and len(GDELT2_EVENT_COLUMNS) == 61
    assert GDELT2_EVENT_COLUMNS[0] == "GLOBALEVENTID" and GDELT2_EVENT_COLUMNS[-1] == "SOURCEURL"
    assert "ActionGeo_ADM2Code" in GDELT2_EVENT_COLUMNS
    assert "ActionGeo_ADM2Code" not in GDELT1_EVENT_COLUMNS


def test_interop_gdelt_maps_modelled_columns() -> None:
    events, errors = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    assert errors == []
    strike = events[0]
    assert strike.id == "gdelt2:900000001" and strike.provenance == "gdelt2"
    assert strike.date == dt.date(2019, 2, 26)
    assert strike.source == Actor("INDIA", "INDMIL", "IND", "MIL", "INDIA")
    assert strike.target is not None and strike.target.code == "PAK"
    assert (strike.cameo, strike.goldstein, strike.quad) == ("190", -10.0, 4)
    assert (strike.num_mentions, strike.num_sources, strike.num_articles) == (12, 3, 10)
    assert strike.avg_tone == -6.25
    assert strike.source_url == "https://news.example.org/2019/02/26/strike"
    place = strike.location
    assert place is not None
    assert (place.country, place.adm1, place.lat, place.lon) == ("PAK", "PK03", 34.5486, 73.3511)
    assert place.precision == "city"
    assert strike.extra["ActionGeo_ADM2Code"] == "PK03123"
    assert strike.extra["Actor1Geo_FullName"] == "India"
    assert "Actor1Code" not in strike.extra and "" not in strike.extra.values()


def test_interop_gdelt_missing_actor_and_place_stay_in_extra() -> None:
    events, _ = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    reply = events[1]
    assert reply.source is None and reply.location is None
    assert reply.extra["ActionGeo_Type"] == "0" and reply.extra["ActionGeo_Lat"] == "0"


def test_interop_gdelt_fips_places_become_iso3() -> None:
    events, _ = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    washington, spratly = events[2].location, events[3].location
    assert washington is not None and washington.country == "USA"
    assert spratly is not None and spratly.country is None  # no ISO country
    assert events[3].extra["raw:ActionGeo_CountryCode"] == "PG"


def test_interop_gdelt_mixed_1_0_rows_and_short_backfile_rows() -> None:
    events, errors = split(read_gdelt_events(FIXTURES / "gdelt1_events.tsv"))
    assert errors == [] and {e.provenance for e in events} == {"gdelt1"}
    assert events[0].source_url is None and events[0].extra["gdelt:fields"] == "57"
    assert events[1].source_url is not None
    assert events[2].location is not None and events[2].location.precision == "country"


@pytest.mark.parametrize("name", ["gdelt2_events.tsv", "gdelt1_events.tsv"])
def test_interop_gdelt_fixture_round_trip_is_byte_equal(name: str) -> None:
    path = FIXTURES / name
    events, _ = split(read_gdelt_events(path))
    assert exported(events) == data_lines(path)


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", ["events.csv", "eventsT.csv", "events1.csv", "20141124.export.CSV"]
)
def test_interop_gdelt_real_sample_round_trip_is_byte_equal(name: str) -> None:
    path = shared_file("gdelt", name)
    events, errors = split(read_gdelt_events(path))
    assert errors == [] and len(events) == 100
    assert exported(events) == data_lines(path)


def test_interop_gdelt_bad_rows_are_reported_and_the_rest_read() -> None:
    path = FIXTURES / "gdelt_bad.tsv"
    events, errors = split(read_gdelt_events(path))
    assert [e.external_id for e in events] == ["900000001", "900000002"]
    assert [(e.code, e.line) for e in errors] == [("DW112", n) for n in (2, 3, 4, 5, 6)]
    assert all(e.path == str(path) for e in errors)
    messages = [e.message for e in errors]
    assert "not a calendar date" in messages[0]
    assert "EventCode '04x1'" in messages[1]
    assert "got 3" in messages[2]
    assert "GoldsteinScale 'six'" in messages[3]
    assert "not UTF-8" in messages[4]


def test_interop_gdelt_edited_values_are_not_hidden_by_raw_text() -> None:
    events, _ = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    reply = events[1]
    assert reply.extra["raw:GoldsteinScale"] == "-2"
    row = dict(zip(GDELT2_EVENT_COLUMNS, gdelt_row(reply), strict=True))
    assert row["GoldsteinScale"] == "-2"
    edited = dataclasses.replace(reply, goldstein=-3.0)
    row = dict(zip(GDELT2_EVENT_COLUMNS, gdelt_row(edited), strict=True))
    assert row["GoldsteinScale"] == "-3.0"


def test_interop_gdelt_unreadable_file_is_dw108(tmp_path: Path) -> None:
    from dyadwatch.errors import InputError

    with pytest.raises(InputError) as caught:
        list(read_gdelt_events(tmp_path / "missing.csv"))
    assert caught.value.code == "DW108"
