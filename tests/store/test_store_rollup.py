"""The dyad × day rollup answers exactly what the raw scan answers, and only while fresh."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dyadwatch.model import Actor
from dyadwatch.store import EventFilter, Store, StoredEvent
from dyadwatch.store._rollup import covers, fresh

COUNTRIES = ("USA", "PAK", "IND", "CHN")
CODES = (("042", 1.9, 1), ("057", 8.0, 2), ("111", -2.0, 3), ("190", -10.0, 4), ("010", None, 1))


def _events(n: int, seed: int, tag: str) -> list[StoredEvent]:
    """Events among four countries over three years: some undated, some unscored."""
    rng = random.Random(seed)
    found = []
    for i in range(n):
        a, b = rng.sample(COUNTRIES, 2)
        cameo, goldstein, quad = rng.choice(CODES)
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        found.append(
            StoredEvent(
                f"icews:{tag}{i}",
                rng.choice(("icews", "gdelt2")),
                None if i % 50 == 0 else day,
                Actor(a, a + "GOV", a, "GOV"),
                Actor(b, b, b),
                cameo,
                goldstein,
                quad,
                f"{tag}{i}",
                num_mentions=1 + i % 3,
            )
        )
    return found


FILTERS = [
    EventFilter(("USA", "PAK"), level="country"),
    EventFilter(("PAK", "USA"), level="country", direction="a_to_b"),
    EventFilter(("USA", "IND"), level="country", direction="b_to_a", provenance="icews"),
    EventFilter(("CHN", "IND"), dt.date(2019, 3, 17), dt.date(2020, 11, 2), level="country"),
    EventFilter(since=dt.date(2021, 6, 1)),
]


def _all(store: Store) -> dict[tuple[int, str], pd.DataFrame]:
    return {
        (i, unit): store.dyad_periods(where, unit=unit)
        for i, where in enumerate(FILTERS)
        for unit in ("day", "week", "month", "year")
    }


def test_store_rollup_gives_the_raw_scans_series(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.duckdb") as store:
        store.add_stored_events(_events(3000, 1, "a"))
        raw = _all(store)  # a small store builds no rollup by itself
        assert fresh(store._con) == (False, 3000)
        assert store.refresh_rollup() > 100
        assert fresh(store._con) == (True, 3000)
        for key, frame in _all(store).items():
            pd.testing.assert_frame_equal(frame, raw[key], check_dtype=False, obj=str(key))
            assert not frame.empty


def test_store_rollup_is_read_while_fresh_and_dropped_after_a_write_around_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.duckdb"
    where = EventFilter(("USA", "PAK"), level="country")
    with Store.open(path) as store:
        store.add_stored_events(_events(2000, 2, "a"))
        store.refresh_rollup()
        total = int(store.dyad_periods(where)["events"].sum())
    with duckdb.connect(str(path)) as con:  # behind the store's back: no generation bump
        con.execute("UPDATE dyad_days SET events = events + 1000")
        con.execute("UPDATE dyad_pairs SET events = list_transform(events, lambda x: x + 1000)")
    with Store.open(path, read_only=True) as store:
        assert int(store.dyad_periods(where)["events"].sum()) > total + 1000  # the rollup
    with duckdb.connect(str(path)) as con:  # an event deleted around the store
        con.execute("DELETE FROM events WHERE id = (SELECT min(id) FROM events)")
    with Store.open(path) as store:
        assert fresh(store._con)[0] is False  # the count no longer matches
        store.add_stored_events(_events(10, 3, "b"))  # a stale rollup stays stale
        assert fresh(store._con)[0] is False
        with store.reader() as reader:  # a reader cannot rebuild: the raw scan
            after = int(reader.dyad_periods(where)["events"].sum())
        assert total - 1 <= after <= total + 10


def test_store_rollup_covers_country_filters_only() -> None:
    assert covers(EventFilter(("USA", "PAK"), level="country", provenance="icews"))
    assert covers(EventFilter(since=dt.date(2020, 1, 1), limit=5))
    assert not covers(EventFilter(("USA", "PAK")))  # level any: codes or countries
    assert not covers(EventFilter(("USAGOV", "PAK"), level="country"))
    assert not covers(EventFilter(("USA", "PAK"), level="code"))
    assert not covers(EventFilter(("USA", "PAK"), level="country", root="19"))


def test_store_rollup_refresh_refuses_a_read_only_store(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    Store.open(path).close()
    with Store.open(path, read_only=True) as store, pytest.raises(Exception) as caught:
        store.refresh_rollup()
    assert getattr(caught.value, "code", None) == "DW301"
