"""Casualty ledgers from coded events and user tables (New America, TBIJ), compared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _analytics_support import CONFLICT, event, store_with

from dyadwatch.analytics import coded_strikes, compare_ledgers, ledger, read_strike_table
from dyadwatch.errors import InputError, StoreError

SHARED_TABLE = (
    Path(__file__).resolve().parents[3]
    / "shared/data/drone_strikes/shahnoor_pakistan_drone_attacks_cleaned.csv"
)
STRIKE = ("195", -10.0, 4)

TBIJ = """strike_id,date,country,killed_min,killed_max,civilians,children,injured
B1,2017-03-01,PAK,3,5,1,0,2-4
B2,2017-07-09,PAK,6,9,0-2,,
B3,2018-01-02,YEM,1,1,,,
"""
TBIJ_HEADERS = "\t".join(
    ["Strike ID", "Date", "Minimum people killed", "Maximum people killed",
     "Minimum civilians reported killed", "Maximum civilians reported killed"]
) + "\nS1\t2017-05-05\t2\t4\t0\t1\n"  # fmt: skip
NEW_AMERICA = """,strikes,date,village,year,civilians-killed-low,civilians-killed-high,\
total-killed-low,total-killed-high
0,1,2017-02-01,wana,2017,0,2,4,6
1,1,2017-08-09,mir ali,2017,1,1,10,12
"""


@pytest.fixture
def tables(tmp_path: Path) -> tuple[Path, Path]:
    tbij, new_america = tmp_path / "tbij.csv", tmp_path / "na.csv"
    tbij.write_text(TBIJ, encoding="utf-8")
    new_america.write_text(NEW_AMERICA, encoding="utf-8")
    return tbij, new_america


def test_ledger_reads_tbij_ranges_and_single_figures(tables: tuple[Path, Path]) -> None:
    frame = read_strike_table(tables[0], "tbij").set_index("strike_id")
    assert frame.loc["B1", ["killed_min", "killed_max", "injured_min", "injured_max"]].tolist() == [
        3,
        5,
        2,
        4,
    ]
    assert frame.loc["B2", ["civilians_min", "civilians_max"]].tolist() == [0, 2]
    assert frame.loc["B3", "country"] == "YEM" and frame.loc["B3", "year"] == 2018
    assert frame.loc["B3", "civilians_min"] is __import__("pandas").NA
    assert frame.loc["B1", "date"] == dt.date(2017, 3, 1)


def test_ledger_reads_tbij_sheet_headers(tmp_path: Path) -> None:
    path = tmp_path / "tbij.tsv"
    path.write_text(TBIJ_HEADERS, encoding="utf-8")
    frame = read_strike_table(path, "tbij", country="pak")
    assert frame.loc[0, ["killed_min", "killed_max", "civilians_max"]].tolist() == [2, 4, 1]
    assert frame.loc[0, "country"] == "PAK"


def test_ledger_tallies_by_source_country_and_year(tables: tuple[Path, Path]) -> None:
    store = store_with([
        event("USAMIL", "PAK", dt.date(2017, 3, 1), STRIKE, killed=(2, 3)),
        event("USAMIL", "PAK", dt.date(2017, 7, 9), STRIKE, killed=(8, 8)),
        event("USAMIL", "PAK", dt.date(2017, 7, 9), CONFLICT),  # not an air strike
    ])  # fmt: skip
    tally = ledger(store, tbij=tables[0], new_america=tables[1], country="PAK")
    rows = tally.set_index(["source", "country", "year"])
    assert rows.loc[("coded", "PAK", 2017), ["strikes", "killed_min", "killed_max"]].tolist() == [
        2,
        10,
        11,
    ]
    assert rows.loc[("tbij", "PAK", 2017), ["strikes", "killed_min", "killed_max"]].tolist() == [
        2,
        9,
        14,
    ]
    assert rows.loc[("new_america", "PAK", 2017), ["killed_min", "civilians_max"]].tolist() == [
        14,
        3,
    ]
    assert set(rows.index.get_level_values("country")) == {"PAK"}  # not TBIJ's YEM row
    every = ledger(tables=[read_strike_table(tables[0], "tbij")])
    assert every.set_index(["source", "country", "year"]).loc[("tbij", "YEM", 2018), "strikes"] == 1


def test_ledger_country_keeps_only_that_country() -> None:
    store = store_with([
        event("USAMIL", "PAK", dt.date(2017, 3, 1), STRIKE, killed=(2, 3)),
        event("USAMIL", "AFG", dt.date(2017, 3, 2), STRIKE, killed=(1, 1)),
        event("USAMIL", "YEM", dt.date(2018, 1, 2), STRIKE),
    ])  # fmt: skip
    assert set(ledger(store)["country"]) == {"PAK", "AFG", "YEM"}
    assert set(ledger(store, country="pak")["country"]) == {"PAK"}
    assert ledger(store, country="IRQ").empty


def test_ledger_comparison_shows_disagreement(tables: tuple[Path, Path]) -> None:
    read = [
        read_strike_table(tables[0], "tbij"),
        read_strike_table(tables[1], "new_america", country="PAK"),
    ]
    tally = ledger(tables=read)
    wide = compare_ledgers(tally).set_index(["country", "year"])
    pak = wide.loc[("PAK", 2017)]
    assert pak["tbij_killed_max"] == 14 and pak["new_america_killed_min"] == 14
    assert pak["killed_gap"] == 0  # the ranges 9-14 and 14-18 just touch
    assert pak["strikes_spread"] == 0
    assert pak["civilians_gap"] == 1 - 3
    yemen = wide.loc[("YEM", 2018)]
    assert yemen["killed_gap"] is __import__("pandas").NA  # one source: no disagreement


def test_ledger_coded_strikes_take_civilians_from_mentions() -> None:
    store = store_with([event("USAMIL", "AFG", dt.date(2016, 1, 1), STRIKE, killed=(1, 4))])
    frame = coded_strikes(store)
    assert frame.loc[0, ["country", "killed_min", "killed_max"]].tolist() == ["AFG", 1, 4]
    assert coded_strikes(store, cameo=("19",)).shape[0] == 1
    with pytest.raises(StoreError, match=r"DW303.*cameo"):
        coded_strikes(store, cameo="195")


def test_ledger_coded_strikes_between_since_and_until_inclusive() -> None:
    days = [dt.date(2016, 1, d) for d in (9, 1, 5)]
    store = store_with([event("USAMIL", "AFG", d, STRIKE, killed=(1, 1)) for d in days])
    assert list(coded_strikes(store)["date"]) == sorted(days)  # in date order
    found = coded_strikes(store, since=dt.date(2016, 1, 5), until=dt.date(2016, 1, 9))
    assert list(found["date"]) == [dt.date(2016, 1, 5), dt.date(2016, 1, 9)]
    assert coded_strikes(store, until=dt.date(2016, 1, 4))["date"].tolist() == [days[1]]


def test_ledger_missing_column_is_dw113(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,when,killed\n1,2017-01-01,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="DW113") as caught:
        read_strike_table(path, "tbij")
    assert caught.value.path == str(path)


def test_ledger_table_without_country_needs_one(tables: tuple[Path, Path]) -> None:
    with pytest.raises(InputError, match=r"DW113.*country"):
        read_strike_table(tables[1], "new_america")


def test_ledger_bad_row_is_dw112_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(TBIJ + "B4,2018-02-30,PAK,1,2,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"DW112.*date") as caught:
        read_strike_table(path, "tbij")
    assert caught.value.line == 5
    path.write_text(TBIJ.replace("0-2", "some"), encoding="utf-8")
    with pytest.raises(InputError, match=r"DW112.*civilians") as caught:
        read_strike_table(path, "tbij")
    assert caught.value.line == 3


def test_ledger_unknown_layout_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"DW303.*layout"):
        read_strike_table(tmp_path / "x.csv", "acled")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="DW108"):
        read_strike_table(tmp_path / "missing.csv", "tbij")


def test_ledger_empty_sources_give_an_empty_tally() -> None:
    assert ledger().empty


@pytest.fixture
def shared_table() -> Path:
    if not SHARED_TABLE.is_file():
        pytest.skip("../shared is absent")
    return SHARED_TABLE


@pytest.mark.shared
def test_ledger_reads_the_real_new_america_table(shared_table: Path) -> None:
    frame = read_strike_table(shared_table, "new_america", country="PAK")
    assert len(frame) == 414
    tally = ledger(new_america=shared_table, country="PAK").set_index("year")
    assert tally.loc[2010, "strikes"] == 122
    assert tally["killed_min"].le(tally["killed_max"]).all()
