"""``dyad_pairs``: each country pair's rollup rows, read by key. A store whose rollup
predates it gets it when opened for writing; a reader that trusts its writer sees
every write; alliances read the rollup and answer as the events table does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from test_store_rollup import _events

from dyadwatch.errors import StoreError
from dyadwatch.store import EventFilter, Store, _rollup
from dyadwatch.store._rollup import PACKED_VERSION

COUNTRY = EventFilter(("USA", "PAK"), level="country")
_PAIRS = "SELECT * FROM dyad_pairs ORDER BY pair"
_GENERATION = "SELECT value FROM meta WHERE key = 'events_generation'"


def _built(path: Path) -> None:
    with Store.open(path) as store:
        store.add_stored_events(_events(800, 21, "a"))
        store.refresh_rollup()
        assert store.rollup_layout() == "packed"


def _downgraded(path: Path) -> None:
    """The file as a store of the rollup's version 1 left it: no ``dyad_pairs``."""
    with duckdb.connect(str(path)) as con:
        con.execute("DROP TABLE dyad_packed")
        con.execute("DROP TABLE dyad_pairs")
        con.execute(f"UPDATE meta SET value = '1' WHERE key = '{_rollup.VERSION_KEY}'")


def test_store_rollup_pairs_added_to_an_older_rollup_on_a_writable_open(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    _built(path)
    with Store.open(path, read_only=True) as store:
        pairs = store.select(_PAIRS)
        expected = store.dyad_periods(COUNTRY, unit="week")
    _downgraded(path)
    with Store.open(path, read_only=True) as store:  # a reader cannot add it: dyad_days
        assert store.rollup_layout() == "days"
        pd.testing.assert_frame_equal(store.dyad_periods(COUNTRY, unit="week"), expected)
    with Store.open(path) as store:
        generation = store.select(_GENERATION)
        assert store.migration_version("rollup") == 1
        assert store.prepare_rollup()  # what `serve` does before handing out readers
        assert store.migration_version("rollup") == PACKED_VERSION
        # No event changed: a read side stamped at this generation stays current.
        assert store.select(_GENERATION) == generation
        assert store.rollup_layout() == "packed"
        assert store.select(_PAIRS) == pairs
        pd.testing.assert_frame_equal(store.dyad_periods(COUNTRY, unit="week"), expected)


def test_store_rollup_pairs_stale_rollup_rebuilt_with_its_pairs(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    _built(path)
    with duckdb.connect(str(path)) as con:  # behind the store's back: stale, pairs emptied
        con.execute("DELETE FROM dyad_pairs")
        con.execute("DELETE FROM events WHERE id = (SELECT min(id) FROM events)")
    with Store.open(path) as store:
        assert store.rollup_layout() == "events"  # too small to rebuild by itself
        raw = store.dyad_periods(COUNTRY, unit="month")
        store.refresh_rollup()
        assert store.rollup_layout() == "packed"
        # four countries, each ordered pair: its days, weeks, months and years
        assert len(store.select(_PAIRS)) == 12 * 4
        pd.testing.assert_frame_equal(
            store.dyad_periods(COUNTRY, unit="month"), raw, check_dtype=False
        )


def test_store_rollup_pairs_trusting_reader_sees_each_write(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    _built(path)
    with Store.open(path) as store:
        trusting = store.thread_reader(sole_writer=True)
        checking = store.thread_reader()
        try:
            before = trusting.dyad_period_arrays(COUNTRY, unit="year")["events"].sum()
            assert trusting.rollup_layout() == "packed"
            store.add_stored_events(_events(300, 22, "b"))
            after = trusting.dyad_period_arrays(COUNTRY, unit="year")["events"].sum()
            assert after > before
            assert after == checking.dyad_period_arrays(COUNTRY, unit="year")["events"].sum()
        finally:
            trusting.close()
            checking.close()


def test_store_rollup_pairs_bad_unit_and_dyad_keep_their_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    _built(path)
    with Store.open(path, read_only=True) as store:
        reader = store.thread_reader(sole_writer=True)
        try:
            with pytest.raises(StoreError) as caught:
                reader.dyad_period_arrays(COUNTRY, unit="fortnight")
            assert caught.value.code == "DW303"
            with pytest.raises(StoreError) as caught:
                reader.dyad_period_arrays(EventFilter(("U$A", "PAK"), level="country"))
            assert caught.value.code == "DW303"
            unknown = reader.dyad_period_arrays(EventFilter(("XYZ", "PAK"), level="country"))
            assert len(unknown["period"]) == 0 and len(unknown["events"]) == 0
        finally:
            reader.close()


_WINDOWS = [
    (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
    (dt.date(2020, 3, 17), dt.date(2021, 8, 2)),
]


@pytest.mark.parametrize("provenance", [None, "icews", "gdelt2"])
def test_store_rollup_pairs_alliance_totals_as_the_events_table(
    tmp_path: Path, provenance: str | None
) -> None:
    with Store.open(tmp_path / "a.duckdb") as store:
        store.add_stored_events(_events(1500, 23, "a"))
        scope = EventFilter(provenance=provenance)
        raw = [store.pair_totals(start, end, scope) for start, end in _WINDOWS]
        assert store.rollup_layout() == "events"
        store.refresh_rollup()
        assert store.rollup_layout() == "packed"
        for (start, end), expected in zip(_WINDOWS, raw, strict=True):
            found = store.pair_totals(start, end, scope)
            assert not found.empty
            pd.testing.assert_frame_equal(found, expected, check_dtype=False)
        # Confidence or date basis: the rollup does not hold them; the events answer.
        scored = EventFilter(provenance=provenance, min_confidence=0.5)
        assert store.pair_totals(*_WINDOWS[0], scored).empty  # imported: no confidence


def _before_packed(path: Path) -> None:
    """The file as a store of the rollup's version 2 left it: lists, no blobs."""
    with duckdb.connect(str(path)) as con:
        con.execute("DROP TABLE dyad_packed")
        con.execute(f"UPDATE meta SET value = '2' WHERE key = '{_rollup.VERSION_KEY}'")


def _all_arrays(store: Store) -> list[dict[str, np.ndarray]]:
    found = []
    for a, b in (("USA", "PAK"), ("PAK", "USA"), ("IND", "CHN"), ("USA", "USA"), ("XYZ", "PAK")):
        for direction in ("both", "a_to_b", "b_to_a"):
            for unit in ("day", "week", "month", "year"):
                for extra in ({}, {"provenance": "icews"}, {"since": dt.date(2019, 5, 3)}):
                    where = EventFilter((a, b), level="country", direction=direction, **extra)
                    found.append(store.dyad_period_arrays(where, unit=unit))
    return found


def test_store_rollup_pairs_packed_added_to_a_version_2_rollup(tmp_path: Path) -> None:
    """A rollup of lists only (version 2) gets its blobs on a writable open, without
    a new generation, and every series reads the same arrays, bit for bit, as
    from the lists."""
    path = tmp_path / "p.duckdb"
    _built(path)
    _before_packed(path)
    with Store.open(path, read_only=True) as store:  # a reader cannot add them: lists
        assert store.rollup_layout() == "pairs"
        expected = _all_arrays(store)
    with Store.open(path) as store:
        generation = store.select(_GENERATION)
        assert store.migration_version("rollup") == 2
        assert store.prepare_rollup()
        assert store.migration_version("rollup") == PACKED_VERSION
        assert store.select(_GENERATION) == generation
        assert store.rollup_layout() == "packed"
        assert store.select("SELECT count(*) FROM dyad_packed") == store.select(
            "SELECT count(*) FROM dyad_pairs WHERE pair LIKE '%|%'"
        )
        found = _all_arrays(store)
    assert len(found) == len(expected) and any(len(f["period"]) for f in found)
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.keys() == theirs.keys()
        for name in mine:
            assert mine[name].dtype == theirs[name].dtype, name
            assert np.array_equal(mine[name], theirs[name]), name


def test_store_rollup_pairs_missing_mention_count_reads_the_lists(tmp_path: Path) -> None:
    """A pair whose mention counts hold a null gets no blob (NULL body): its series
    is the query's, as from the lists."""
    path = tmp_path / "p.duckdb"
    _built(path)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "UPDATE dyad_pairs SET num_mentions ="
            " list_transform(num_mentions, lambda x: NULL::BIGINT) WHERE pair = 'USA>PAK|month'"
        )
    with Store.open(path) as store:
        with store._transaction(bump=False) as con:
            _rollup.fill_packed(con)
        assert store.select("SELECT body FROM dyad_packed WHERE pair = 'USA>PAK|month'") == [
            (None,)
        ]
        found = store.dyad_period_arrays(COUNTRY, unit="month")
        frame = store.dyad_periods(COUNTRY, unit="month")  # the SQL over the pair's lists
        assert len(found["events"]) > 0
        assert np.array_equal(found["events"], frame["events"].to_numpy())
        assert np.array_equal(found["num_mentions"], frame["num_mentions"].to_numpy(float))


def test_store_rollup_pairs_blobs_left_behind_by_an_older_writer_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer of rollup version 2 code keeps the lists current but not the blobs:
    readers then read the lists, and the next writable open repacks."""
    path = tmp_path / "p.duckdb"
    _built(path)
    with monkeypatch.context() as older, Store.open(path) as store:
        older.setattr(_rollup, "_has_packed", lambda state: False)  # what v2 code knows
        store.add_stored_events(_events(300, 22, "b"))
    with Store.open(path, read_only=True) as store:
        assert store.rollup_layout() == "pairs"  # the blobs are a write behind
        expected = _all_arrays(store)
    with Store.open(path) as store:
        assert store.rollup_layout() == "packed"
        found = _all_arrays(store)
        lists = store.select(
            "SELECT pair, events FROM dyad_pairs WHERE pair LIKE '%|%' ORDER BY pair"
        )
        bodies = dict(store.select("SELECT pair, body FROM dyad_packed"))
    assert sorted(bodies) == [key for key, _ in lists]
    for key, events in lists:
        assert list(_rollup.unpack([bodies[key]])["events"]) == list(events), key
    for mine, theirs in zip(found, expected, strict=True):
        for name in mine:
            assert np.array_equal(mine[name], theirs[name]), name
