"""PLOVER JSON, Parquet and the export of self-coded events into GDELT and ICEWS columns."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from _interop_support import FIXTURES, split

from dyadwatch.model import Actor, Location, Range
from dyadwatch.store.interop import (
    gdelt_row,
    icews_row,
    plover_record,
    read_gdelt_events,
    read_icews_events,
    read_parquet,
    write_parquet,
    write_plover,
)
from dyadwatch.store.interop._columns import GDELT2_EVENT_COLUMNS, ICEWS_COLUMNS
from dyadwatch.store.interop.mentions import (
    mention_counts,
    read_gdelt_mentions,
    with_mention_counts,
)
from dyadwatch.store.records import StoredEvent

OWN = StoredEvent(
    id="ab12cd34ef56-0-0",
    provenance="dyadwatch",
    date=dt.date(2019, 2, 26),
    source=Actor("Indian warplanes", "INDMIL", "IND", "MIL", "India"),
    target=Actor("a militant training camp", "PAKINS", "PAK", "INS"),
    cameo="195",
    goldstein=-10.0,
    quad=4,
    location=Location("Balakot", "PAK", "Khyber Pakhtunkhwa", 34.55, 73.35, "city", 1183880),
    num_mentions=3,
    num_sources=2,
    num_articles=3,
    source_url="https://news.example.org/a",
    killed=Range(0, 300),
)


def test_interop_export_self_coded_event_as_gdelt() -> None:
    row = dict(zip(GDELT2_EVENT_COLUMNS, gdelt_row(OWN), strict=True))
    assert row["GLOBALEVENTID"].isdigit() and row["GLOBALEVENTID"] == gdelt_row(OWN)[0]
    assert (row["SQLDATE"], row["MonthYear"], row["Year"]) == ("20190226", "201902", "2019")
    assert row["FractionDate"] == "2019.1534"
    assert (row["Actor1Code"], row["Actor1Name"], row["Actor1CountryCode"]) == (
        "INDMIL",
        "India",
        "IND",
    )
    assert row["Actor1Type1Code"] == "MIL" and row["Actor2Name"] == "a militant training camp"
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("195", "195", "19")
    assert (row["QuadClass"], row["GoldsteinScale"], row["NumMentions"]) == ("4", "-10.0", "3")
    assert (row["ActionGeo_Type"], row["ActionGeo_CountryCode"]) == ("4", "PK")
    assert (row["ActionGeo_Lat"], row["ActionGeo_Long"]) == ("34.55", "73.35")
    assert row["DATEADDED"] == "20190226000000" and row["SOURCEURL"] == OWN.source_url


def test_interop_export_self_coded_event_as_icews() -> None:
    row = dict(zip(ICEWS_COLUMNS, icews_row(OWN), strict=True))
    assert row["Event ID"] == OWN.id and row["Event Date"] == "2019-02-26"
    assert (row["Source Name"], row["Source Sectors"], row["Source Country"]) == (
        "India", "Military", "India",
    )  # fmt: skip
    assert row["Target Country"] == "Pakistan" and row["Target Sectors"] == "Insurgents"
    assert (row["CAMEO Code"], row["Intensity"]) == ("195", "-10")
    assert row["Event Text"] != "NA"
    assert (row["City"], row["Province"], row["Country"]) == (
        "Balakot", "Khyber Pakhtunkhwa", "Pakistan",
    )  # fmt: skip
    assert row["Story ID"] == "NA"


def test_interop_export_plover_record_fields() -> None:
    record = plover_record(OWN)
    assert record["id"] == OWN.id and record["date"] == "2019-02-26"
    assert record["actor"] == [
        {"code": "IND", "sector": "MIL", "entity_text": "Indian warplanes",
         "identifier_text": "India", "cameo_code": "INDMIL"}
    ]  # fmt: skip
    assert record["event"] == ["ASSAULT"] and record["quad_code"] == 4
    assert record["event_scale"] == -10.0
    place = record["event_loc"]
    assert isinstance(place, dict) and place["country_code"] == "PAK" and place["resolution"] == 4
    assert place["geonameid"] == 1183880
    assert record["size"] == {"dead": {"min": 0, "max": 300}}
    out = io.StringIO()
    assert write_plover([OWN, OWN], out) == 2
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [OWN.id] * 2


def test_interop_export_plover_of_imported_rows_is_json_lines() -> None:
    events, _ = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    out = io.StringIO()
    write_plover(events, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["event"] for r in records] == [["ASSAULT"], ["ACCUSE"], ["CONSULT"], ["COOPERATE"]]
    assert records[1]["actor"] == [] and records[1]["event_loc"] is None


def test_interop_parquet_round_trip_partitions_by_year_and_month(tmp_path: Path) -> None:
    gdelt, _ = split(read_gdelt_events(FIXTURES / "gdelt1_events.tsv"))
    icews, _ = split(read_icews_events(FIXTURES / "icews_events.tab"))
    events = [OWN, *gdelt, *icews]
    assert write_parquet(events, tmp_path / "out") == len(events)
    assert (tmp_path / "out" / "year=2019" / "month=2").is_dir()
    assert (tmp_path / "out" / "year=1979" / "month=1").is_dir()
    back = list(read_parquet(tmp_path / "out"))
    assert back == sorted(events, key=lambda e: (e.date or dt.date.max, e.id))


def test_interop_mentions_give_live_counts() -> None:
    mentions, errors = split(read_gdelt_mentions(FIXTURES / "gdelt2_mentions.tsv"))  # type: ignore[arg-type]
    assert errors == []
    counts = mention_counts(mentions)  # type: ignore[arg-type]
    strike = counts["900000001"]
    assert (strike.mentions, strike.sources, strike.articles) == (14, 13, 14)
    events, _ = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    updated = list(with_mention_counts(events, counts))
    assert (updated[0].num_mentions, updated[0].num_sources, updated[0].num_articles) == (
        14,
        13,
        14,
    )
    assert updated[2].num_mentions == 5  # one mention seen, GDELT's 5 kept
    assert updated[1] == events[1]


def test_interop_mentions_bad_row_is_dw112(tmp_path: Path) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("x\t1\n", encoding="utf-8")
    _, errors = split(read_gdelt_mentions(path))  # type: ignore[arg-type]
    assert [(e.code, e.line) for e in errors] == [("DW112", 1)]
