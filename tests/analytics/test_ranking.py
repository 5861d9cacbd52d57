"""Every dyad against its own history: which relationships are at a low now."""

from __future__ import annotations

import datetime as dt

import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import dyads_at_low
from dyadwatch.errors import StoreError
from dyadwatch.store import Store, StoredEvent


def _dyad(a: str, b: str, mix: list[tuple[int, int]]) -> list[StoredEvent]:
    """``(coop, conflict)`` events a month from January 2016, days two apart."""
    events = []
    for i, (coop, conflict) in enumerate(mix):
        events += [event(a, b, month(2016, i, 1 + 2 * k), COOP) for k in range(coop)]
        events += [event(a, b, month(2016, i, 2 + 2 * k), CONFLICT) for k in range(conflict)]
    return events


def _store() -> Store:
    soured = _dyad("USA", "PAK", [(9, 3)] * 24 + [(1, 11)] * 2)
    steady = _dyad("IND", "PAK", [(6, 6)] * 26)
    warmer = _dyad("CHN", "PAK", [(4, 8)] * 24 + [(11, 1)] * 2)
    thin = _dyad("FRA", "USA", [(1, 0)] * 26)
    return store_with(soured + steady + warmer + thin)


def test_ranking_puts_the_soured_dyad_first_and_flags_only_it() -> None:
    ranked = dyads_at_low(_store(), dt.date(2018, 1, 1), until=dt.date(2018, 2, 28))
    assert list(ranked["dyad"]) == ["PAK–USA", "IND–PAK", "CHN–PAK"]
    top = ranked.iloc[0]
    assert bool(top["at_low"]) and top["events"] == 24
    assert top["net_coop"] == pytest.approx(-10 / 12)
    assert top["low"] < top["net_coop"] < top["high"] < top["baseline"]
    assert top["history_periods"] == 24
    assert not ranked["at_low"].iloc[1:].any()
    assert ranked["z"].iloc[2] > 0, "the warmer dyad sits above its history"


def test_ranking_leaves_out_dyads_without_enough_events() -> None:
    ranked = dyads_at_low(_store(), dt.date(2018, 1, 1), until=dt.date(2018, 2, 28))
    assert "FRA–USA" not in set(ranked["dyad"])
    later = dyads_at_low(_store(), dt.date(2018, 3, 1), until=dt.date(2018, 4, 30))
    assert later.empty, "nothing happened since then"


def test_ranking_bad_dates_raise_dw303() -> None:
    with pytest.raises(StoreError, match="DW303"):
        dyads_at_low(_store(), "2018-01-01")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="DW303"):
        dyads_at_low(_store(), dt.date(2018, 1, 1), until=dt.date(2017, 1, 1))


def test_ranking_since_near_year_one_has_no_history_to_reach_for() -> None:
    ranked = dyads_at_low(_store(), dt.date(3, 1, 1), until=dt.date(2018, 2, 28))
    assert ranked.empty, "no dyad has twelve months of history before the year 3"
    assert list(ranked.columns) == list(dyads_at_low(_store(), dt.date(2018, 1, 1)).columns)
