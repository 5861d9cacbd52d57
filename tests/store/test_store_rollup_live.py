"""The dyad × day rollup stays current through every write: after each one it holds
what a rebuild from the events table would, and series read it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from _interop_support import FIXTURES, split
from test_dedup import report
from test_store_rollup import _events

from dyadwatch.errors import StoreError
from dyadwatch.model import Actor
from dyadwatch.store import EventFilter, Store
from dyadwatch.store._rollup import (
    GENERATION_KEY,
    VERSION_KEY,
    Tracking,
    covers,
    fill_pairs,
    fresh,
    track,
    unpack,
)
from dyadwatch.store._stored import STORED_COLUMNS, STORED_TYPES, stored_row
from dyadwatch.store.interop import import_gdelt, read_gdelt_mentions

COUNTRY = EventFilter(("USA", "PAK"), level="country")
ANY = EventFilter(("USA", "PAK"))
_ROWS = "SELECT * FROM dyad_days ORDER BY ALL"
_PAIRS = "SELECT * FROM dyad_pairs ORDER BY pair"


def _rebuilt(store: Store) -> list[tuple[object, ...]]:
    """The rollup a rebuild writes now, read in a transaction rolled back after."""
    return _rebuilt_both(store)[0]


def _rebuilt_both(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The rollup and the pairs' rows a rebuild writes now (rolled back after)."""
    con = store._con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM dyad_days")
        con.execute(
            "INSERT INTO dyad_days SELECT source_country, target_country, provenance, date,"
            " count(*), count(*) FILTER (WHERE quad = 1), count(*) FILTER (WHERE quad = 2),"
            " count(*) FILTER (WHERE quad = 3), count(*) FILTER (WHERE quad = 4),"
            " coalesce(sum(goldstein), 0), count(goldstein),"
            " coalesce(sum(goldstein * goldstein), 0), sum(num_mentions)"
            " FROM events WHERE date IS NOT NULL GROUP BY ALL"
        )
        fill_pairs(con)
        return con.execute(_ROWS).fetchall(), con.execute(_PAIRS).fetchall()
    finally:
        con.execute("ROLLBACK")


_PAIR_LISTS = (
    "SELECT pair, date, events, verbal_coop, material_coop, verbal_conflict, material_conflict,"
    " goldstein_sum, goldstein_n, goldstein_sq, num_mentions FROM dyad_pairs WHERE pair LIKE '%|%'"
)


def _check_current(store: Store) -> None:
    assert fresh(store._con)[0]
    kept = store._con.execute(_ROWS).fetchall()
    pairs = store._con.execute(_PAIRS).fetchall()
    rebuilt, rebuilt_pairs = _rebuilt_both(store)
    assert len(kept) == len(rebuilt)
    for mine, theirs in zip(kept, rebuilt, strict=True):
        assert mine[:5] == theirs[:5] and mine[6:] == pytest.approx(theirs[6:])
        assert mine[5] == pytest.approx(theirs[5])
    # Each pair's row: the same days, provenances and counts; sums up to rounding.
    assert [row[:8] for row in pairs] == [row[:8] for row in rebuilt_pairs]
    assert len(pairs) > 0
    for mine, theirs in zip(pairs, rebuilt_pairs, strict=True):
        for column in range(8, len(mine)):
            assert list(mine[column]) == pytest.approx(list(theirs[column]))
    _check_packed(store)


def _check_packed(store: Store) -> None:
    """Each per-period row of ``dyad_pairs`` has one blob holding exactly its dates
    and sums (the days' rows have none)."""
    lists = store._con.execute(_PAIR_LISTS).fetchnumpy()
    bodies = dict(store._con.execute("SELECT pair, body FROM dyad_packed").fetchall())
    assert sorted(bodies) == sorted(str(key) for key in lists["pair"])
    for i, key in enumerate(lists["pair"]):
        unpacked = unpack([bodies[str(key)]])
        for name, values in unpacked.items():
            assert np.array_equal(values, np.asarray(lists[name][i])), (key, name)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "live.duckdb") as opened:
        opened.add_stored_events(_events(600, 7, "a"))
        opened.refresh_rollup()
        yield opened


def test_store_rollup_live_follows_imports(store: Store) -> None:
    store.add_stored_events(_events(50, 8, "b") + _events(20, 7, "a"))  # 20 already stored
    _check_current(store)
    more = [stored_row(e) for e in _events(40, 9, "c")]
    columns = {
        name: pa.array([row[i] for row in more + more[:3]], type=STORED_TYPES.get(name))
        for i, name in enumerate(STORED_COLUMNS)
    }
    assert store.add_stored_table(pa.table(columns)) == 40  # three ids repeated
    _check_current(store)
    import_gdelt(store, [FIXTURES / "gdelt2_events.tsv"])
    mentions, _ = split(read_gdelt_mentions(FIXTURES / "gdelt2_mentions.tsv"))
    assert store.add_gdelt_mentions(mentions) > 0  # recounts the imported events
    _check_current(store)


def test_store_rollup_live_follows_coding_merges_and_splits(store: Store) -> None:
    usa, pak = Actor("Americans", "USA", "USA"), Actor("Pakistanis", "PAK", "PAK")
    day = dt.date(2020, 5, 4)
    first = report("One.", source=usa, target=pak, day=day, url="https://a.example/1")
    second = report("Two.", source=usa, target=pak, day=day, url="https://b.example/2")
    store.add_documents([first])
    _check_current(store)
    store.add_documents([second])  # merges into the first: its mention count changes
    _check_current(store)
    (event,) = store.stored_events(provenance="dyadwatch")
    store.unmerge(event.id, [second[1][0].id])  # a relink: every coded event rewritten
    _check_current(store)
    _assert_series_as_raw(store)


def test_store_rollup_live_series_equals_the_raw_scan(store: Store) -> None:
    rng = random.Random(3)
    for n in range(3):
        store.add_stored_events(_events(rng.randrange(5, 30), 10 + n, f"w{n}"))
        _assert_series_as_raw(store)


def _assert_series_as_raw(store: Store) -> None:
    """The country series (read from the rollup) equals the raw scan's (a side at any
    level matches codes too, which the rollup does not hold; here codes and countries
    pick the same events)."""
    assert covers(COUNTRY) and not covers(ANY) and fresh(store._con)[0]
    for unit in ("day", "week", "month"):
        from_rollup = store.dyad_periods(COUNTRY, unit=unit)
        raw = store.dyad_periods(ANY, unit=unit)
        assert from_rollup["events"].sum() > 0
        pd.testing.assert_frame_equal(from_rollup, raw, check_dtype=False)
    _assert_arrays_as_raw(store)


_VARIED = [
    {},
    {"direction": "a_to_b"},
    {"direction": "b_to_a", "provenance": "icews"},
    {"since": dt.date(2019, 7, 3), "until": dt.date(2021, 2, 9)},
    {"provenance": "gdelt2", "since": dt.date(2020, 1, 1)},
]


def _assert_arrays_as_raw(store: Store) -> None:
    """The numpy periods a country series reads (``dyad_pairs``, grouped in numpy) equal
    the events table's, for every unit, direction, provenance and date bound."""
    for unit in ("day", "week", "month", "year"):
        for more in _VARIED:
            country = EventFilter(("USA", "PAK"), level="country", **more)  # type: ignore[arg-type]
            raw = store.dyad_periods(EventFilter(("USA", "PAK"), **more), unit=unit)  # type: ignore[arg-type]
            found = store.dyad_period_arrays(country, unit=unit)
            assert list(found) == list(raw.columns)
            for name, values in found.items():
                expected = raw[name].to_numpy()
                if name == "period":
                    assert (values == expected).all() and values.dtype == expected.dtype
                else:
                    assert values.dtype.kind == expected.dtype.kind, name
                    assert values.tolist() == pytest.approx(expected.tolist()), (unit, more)


def test_store_rollup_live_rollback_leaves_it_as_it_was(store: Store) -> None:
    before = store._con.execute(_ROWS).fetchall()
    rows = [stored_row(e) for e in _events(5, 11, "x")]
    columns = {
        name: pa.array([row[i] for row in rows], type=STORED_TYPES.get(name))
        for i, name in enumerate(STORED_COLUMNS)
    }
    columns["date"] = pa.array(["not a day"] * 5)  # fails inside the transaction
    with pytest.raises(StoreError) as caught:
        store.add_stored_table(pa.table(columns))
    assert caught.value.code == "DW301"
    assert store._con.execute(_ROWS).fetchall() == before
    assert fresh(store._con)[0]
    store.add_stored_events(_events(5, 11, "x"))  # the next write keeps it current
    _check_current(store)


def test_store_rollup_live_track_reads_the_layout_from_meta(store: Store) -> None:
    """A write learns at its start, from ``meta``, whether its fold rewrites
    ``dyad_pairs`` rows; a stale rollup is not tracked."""
    con = store._con
    for change, expected in (
        ("", Tracking(pairs=True, packed=True)),
        (f"UPDATE meta SET value = '2' WHERE key = '{VERSION_KEY}'", Tracking(pairs=True)),
        (f"UPDATE meta SET value = '1' WHERE key = '{VERSION_KEY}'", Tracking(pairs=False)),
        (f"UPDATE meta SET value = value || '0' WHERE key = '{GENERATION_KEY}'", None),
    ):
        con.execute("BEGIN TRANSACTION")
        try:
            if change:
                con.execute(change)
            assert track(con) == expected
        finally:
            con.execute("ROLLBACK")
    _check_current(store)
