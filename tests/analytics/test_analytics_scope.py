"""Every analysis reads only the events its ``min_confidence`` and ``date_basis`` trust.

The history store holds fifteen calm months of confident, text-dated visits and
then two months of doubtful, publication-stamped uses of force: a low and a
shift that exist only if those doubtful events are believed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from dyadwatch.analytics import (
    alliances,
    coded_strikes,
    dyad_lows,
    dyad_series,
    dyad_shifts,
    dyads_at_low,
    ledger,
    realignments,
)
from dyadwatch.errors import StoreError
from dyadwatch.store import EventFilter, Store
from scored_store import history_store, scored_store

DOUBTFUL = ({"min_confidence": 0.5}, {"date_basis": "text,anchored"})
TENSE = (dt.date(2020, 4, 1), dt.date(2020, 5, 31))
CALM = (dt.date(2019, 1, 1), dt.date(2020, 3, 31))


@pytest.fixture(scope="module")
def history() -> Iterator[Store]:
    with history_store() as store:
        yield store


@pytest.fixture
def four() -> Iterator[Store]:
    with scored_store() as store:
        yield store


@pytest.mark.parametrize("scope", DOUBTFUL)
def test_analytics_scope_lows_and_shifts_need_the_doubtful_events(
    history: Store, scope: dict[str, object]
) -> None:
    assert len(dyad_lows(history, "USA", "PAK")) == 1
    assert dyad_lows(history, "USA", "PAK", **scope) == []  # type: ignore[arg-type]
    assert len(dyad_shifts(history, "USA", "PAK")) == 1
    assert dyad_shifts(history, "USA", "PAK", **scope) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("scope", DOUBTFUL)
def test_analytics_scope_rankings_networks_and_ledgers(
    history: Store, scope: dict[str, object]
) -> None:
    ranked = dyads_at_low(history, TENSE[0], until=TENSE[1], min_events=10)
    assert list(ranked["dyad"]) == ["PAK–USA"] and bool(ranked["at_low"].iloc[0])
    assert dyads_at_low(history, TENSE[0], until=TENSE[1], min_events=10, **scope).empty  # type: ignore[arg-type]
    assert alliances(history, *TENSE, min_events=1).graph.number_of_edges() == 1
    assert alliances(history, *TENSE, min_events=1, **scope).graph.number_of_edges() == 0  # type: ignore[arg-type]
    change = realignments(history, CALM, TENSE, min_events=1)
    assert list(change.flips["change"]) == ["cooled"]
    assert realignments(history, CALM, TENSE, min_events=1, **scope).flips.empty
    assert len(coded_strikes(history, cameo=("19",))) == 20
    assert coded_strikes(history, cameo=("19",), **scope).empty  # type: ignore[arg-type]
    assert int(ledger(history, cameo=("19",))["strikes"].sum()) == 20
    assert ledger(history, cameo=("19",), **scope).empty  # type: ignore[arg-type]


def test_analytics_scope_series_counts_trusted_events(four: Store) -> None:
    every = dyad_series(four, "USA", "PAK")
    assert list(every["events"]) == [1, 1, 1, 1]
    sure = dyad_series(four, "USA", "PAK", min_confidence=0.7)
    assert [str(p) for p in sure["period"]] == [
        "2021-01-01",
        "2021-02-01",
        "2021-03-01",
        "2021-04-01",
    ]
    assert list(sure["events"]) == [1, 0, 0, 1]
    dated = dyad_series(four, "USA", "PAK", date_basis={"text", "anchored"})
    assert list(dated["events"]) == [1, 1] and list(dated["net_coop"]) == [1.0, 1.0]


def test_analytics_scope_publication_weight_scales_stamped_events(four: Store) -> None:
    half = dyad_series(four, "USA", "PAK", publication_weight=0.5, moments=True)
    assert list(half["events"]) == [1.0, 1.0, 0.5, 0.5]
    assert list(half["material_conflict"]) == [0.0, 0.0, 0.5, 0.5]
    assert list(half["goldstein_sum"]) == [1.9, 1.9, -5.0, -5.0]
    assert list(half["goldstein_n"]) == [1.0, 1.0, 0.5, 0.5]
    assert list(half["goldstein_mean"]) == [1.9, 1.9, -10.0, -10.0]  # a mean keeps its scale
    none = dyad_series(four, "USA", "PAK", publication_weight=0.0)
    assert list(none["events"]) == list(
        dyad_series(four, "USA", "PAK", date_basis="text,anchored")["events"]
    )
    same = dyad_series(four, "USA", "PAK", publication_weight=0.5, date_basis="text")
    assert list(same["events"]) == [1]


@pytest.mark.parametrize("weight", [-0.1, 1.5, float("nan"), "half", True])
def test_analytics_scope_publication_weight_rejects_bad_values(four: Store, weight: object) -> None:
    with pytest.raises(StoreError) as caught:
        dyad_series(four, "USA", "PAK", publication_weight=weight)  # type: ignore[arg-type]
    assert caught.value.code == "DW303" and "publication_weight" in str(caught.value)


@pytest.mark.parametrize(
    "scope", [{"min_confidence": 2}, {"min_confidence": "x"}, {"date_basis": "rumour"}]
)
def test_analytics_scope_rejects_bad_values_everywhere(
    four: Store, scope: dict[str, object]
) -> None:
    calls = [
        lambda: dyad_series(four, "USA", "PAK", **scope),
        lambda: dyad_lows(four, "USA", "PAK", **scope),
        lambda: dyad_shifts(four, "USA", "PAK", **scope),
        lambda: alliances(four, *TENSE, **scope),
        lambda: dyads_at_low(four, TENSE[0], **scope),
        lambda: ledger(four, **scope),
    ]
    for call in calls:
        with pytest.raises(StoreError) as caught:
            call()
        assert caught.value.code == "DW303"


def test_analytics_scope_publication_weight_reaches_lows_shifts_and_ranking(
    history: Store,
) -> None:
    # The tense months are publication-stamped: at weight 0 they are gone, as with
    # date_basis=text,anchored; at a half they still outweigh the calm (fewer events,
    # a wider interval), so the low stands.
    assert dyad_lows(history, "USA", "PAK", publication_weight=0.0) == []
    assert dyad_shifts(history, "USA", "PAK", publication_weight=0.0) == []
    assert dyads_at_low(
        history, TENSE[0], until=TENSE[1], min_events=10, publication_weight=0.0
    ).empty
    (full,) = dyad_lows(history, "USA", "PAK")
    (half,) = dyad_lows(history, "USA", "PAK", publication_weight=0.5)
    assert half.period == full.period and half.events is not None and full.events is not None
    assert half.events < full.events
    assert half.low is not None and full.low is not None and half.low <= full.low
    ranked = dyads_at_low(history, TENSE[0], until=TENSE[1], min_events=5, publication_weight=0.5)
    whole = dyads_at_low(history, TENSE[0], until=TENSE[1], min_events=5)
    assert list(ranked["dyad"]) == ["PAK–USA"]
    assert int(ranked["events"].iloc[0]) < int(whole["events"].iloc[0])


def test_analytics_scope_store_weighs_publication_dated_events_in_one_query(four: Store) -> None:
    where = EventFilter(dyad=("USA", "PAK"), level="country")
    half = four.dyad_periods(where, publication_weight=0.5)
    assert list(half["events"]) == [1.0, 1.0, 0.5, 0.5]
    assert list(half["goldstein_n"]) == [1.0, 1.0, 0.5, 0.5]
    whole = four.dyad_periods(where)
    assert list(whole["events"]) == [1, 1, 1, 1]
    assert list(four.dyad_periods(where, publication_weight=0.0)["events"]) == [1.0, 1.0]
    with pytest.raises(StoreError) as caught:
        four.dyad_periods(where, publication_weight=0.5, one_a_day=True)
    assert caught.value.code == "DW303"


@pytest.mark.parametrize("weight", [-0.1, 1.5, float("nan")])
def test_analytics_scope_publication_weight_rejected_by_every_analysis(
    four: Store, weight: float
) -> None:
    calls = [
        lambda: dyad_lows(four, "USA", "PAK", publication_weight=weight),
        lambda: dyad_shifts(four, "USA", "PAK", publication_weight=weight),
        lambda: dyads_at_low(four, TENSE[0], publication_weight=weight),
    ]
    for call in calls:
        with pytest.raises(StoreError) as caught:
            call()
        assert caught.value.code == "DW303" and "publication_weight" in str(caught.value)
