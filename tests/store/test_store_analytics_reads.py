"""The reads the analytics make, as Store methods: the store owns their SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from dyadwatch.errors import StoreError
from dyadwatch.store import EventFilter, Store
from scored_store import event_id, scored_store

YEAR = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


@pytest.fixture(scope="module")
def four() -> Iterator[Store]:
    with scored_store() as store:
        yield store


def test_store_analytics_reads_pair_totals_fold_both_directions(four: Store) -> None:
    (row,) = four.pair_totals(*YEAR).to_dict("records")
    assert (row["a"], row["b"], row["events"]) == ("PAK", "USA", 4)
    assert (row["coop"], row["conflict"]) == (2, 2)
    assert row["goldstein_mean"] == pytest.approx((1.9 * 2 - 10.0 * 2) / 4)
    sure = four.pair_totals(*YEAR, EventFilter(min_confidence=0.7)).to_dict("records")
    assert [(r["events"], r["coop"], r["conflict"]) for r in sure] == [(2, 1, 1)]
    assert four.pair_totals(*YEAR, EventFilter(provenance="gdelt2")).empty
    assert four.pair_totals(dt.date(2021, 3, 1), dt.date(2021, 3, 31))["events"].tolist() == [1]


def test_store_analytics_reads_pair_totals_rejects_a_bad_level(four: Store) -> None:
    with pytest.raises(StoreError) as caught:
        four.pair_totals(*YEAR, level="region")
    assert caught.value.code == "DW303"


def test_store_analytics_reads_cited_and_extreme_events(four: Store) -> None:
    ids = [event_id("sure-publication"), "dyadwatch:nowhere", event_id("sure-text")]
    cited = four.cited_events(ids)
    assert sorted(cited["id"]) == sorted([event_id("sure-publication"), event_id("sure-text")])
    assert set(cited["cameo"]) == {"042", "190"}
    dyad = EventFilter(dyad=("USA", "PAK"), level="country")
    lowest = four.extreme_events(dyad, *YEAR, lowest=True, n=1)
    assert lowest[0] in {event_id("weak-publication"), event_id("sure-publication")}
    highest = four.extreme_events(dyad, YEAR[0], dt.date(2021, 2, 1), lowest=False)
    assert highest == [event_id("sure-text")], "the end of the span is excluded"
    trusted = EventFilter(dyad=("USA", "PAK"), level="country", date_basis="text,anchored")
    found = four.extreme_events(trusted, *YEAR, lowest=True, n=5)
    assert sorted(found) == sorted([event_id("sure-text"), event_id("mid-anchored")])


def test_store_analytics_reads_extreme_events_of_many_spans_in_one_read(four: Store) -> None:
    dyad = EventFilter(dyad=("USA", "PAK"), level="country")
    spans = [
        (YEAR[0], YEAR[1] + dt.timedelta(days=1), True),
        (YEAR[0], dt.date(2021, 2, 1), False),
        (dt.date(2030, 1, 1), dt.date(2030, 2, 1), True),  # no events: an empty list
        (YEAR[0], YEAR[1], False),
    ]
    for n in (1, 2, 5):
        found = four.extreme_events_of(dyad, spans, n=n)
        each = [four.extreme_events(dyad, s, e, lowest=low, n=n) for s, e, low in spans]
        assert found == each
        assert found[2] == [] and len(found[0]) == min(n, 4)
    assert four.extreme_events_of(dyad, []) == []


def test_store_analytics_reads_event_sentences_as_mentions_of(four: Store) -> None:
    ids = [str(row[0]) for row in four.select("SELECT id FROM events ORDER BY id")]
    said = four.event_sentences([*ids, "dyadwatch:nowhere", ids[0]])
    assert "dyadwatch:nowhere" not in said
    assert len(said) == len(ids) > 1
    for event in ids:
        assert said[event] == [m["sentence"] for m in four.mentions_of(event)]
    assert four.event_sentences([]) == {}
    assert four.event_sentences(["dyadwatch:nowhere"]) == {}
    assert four.cited_events([]).empty
