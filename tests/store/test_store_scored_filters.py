"""The store's confidence and date-basis filters: on mentions, on events, validated."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.errors import StoreError
from dyadwatch.store import EventFilter, Store, StoredEvent
from dyadwatch.store.interop import export_events, import_gdelt
from scored_store import event_id, scored_store


@pytest.fixture
def store() -> Iterator[Store]:
    with scored_store() as opened:
        yield opened


def _ids(events: Iterator[StoredEvent]) -> set[str]:
    return {e.id for e in events}


def test_store_scored_filters_min_confidence_on_mentions(store: Store) -> None:
    rows = store.events(min_confidence=0.6)
    assert {r["doc_id"] for r in rows} == {"sure-text", "mid-anchored", "sure-publication"}
    assert all(float(str(r["confidence"])) >= 0.6 for r in rows)
    frame = store.events_frame(min_confidence=0.85)
    assert list(frame["doc_id"]) == ["sure-text"]


def test_store_scored_filters_date_basis_on_mentions(store: Store) -> None:
    rows = store.events(date_basis="text,anchored")
    assert [r["date_basis"] for r in rows] == ["text", "anchored"]
    assert [r["doc_id"] for r in store.events(date_basis={"publication"})] == [
        "weak-publication", "sure-publication",
    ]  # fmt: skip


def test_store_scored_filters_on_deduplicated_events(store: Store) -> None:
    assert _ids(store.stored_events(min_confidence=0.7)) == {
        event_id("sure-text"), event_id("sure-publication"),
    }  # fmt: skip
    assert _ids(store.stored_events(date_basis=["publication"], min_confidence=0.5)) == {
        event_id("sure-publication")
    }
    assert len(_ids(store.stored_events())) == 4


def test_store_scored_filters_combine_with_the_others(store: Store) -> None:
    where = EventFilter(dyad=("USA", "PAK"), root="19", min_confidence=0.5)
    assert _ids(store.stored_events(where)) == {event_id("sure-publication")}
    assert [r["cameo"] for r in store.events(where)] == ["190"]


def test_store_scored_filters_series_counts_only_passing_events(store: Store) -> None:
    where = EventFilter(dyad=("USA", "PAK"), level="country", date_basis="text,anchored")
    periods = store.dyad_periods(where)
    assert [str(p)[:10] for p in periods["period"]] == ["2021-01-01", "2021-02-01"]
    folded = store.dyad_periods(where, one_a_day=True)
    assert list(folded["events"]) == [1, 1]
    assert len(store.one_a_day(min_confidence=0.7)) == 2
    assert len(store.one_a_day()) == 4


def test_store_scored_filters_event_scores_explain_each_event(store: Store) -> None:
    scores = store.event_scores([event_id("mid-anchored"), "gdelt2:1", "nope"])
    assert list(scores) == [event_id("mid-anchored")]
    score = scores[event_id("mid-anchored")]
    assert (score.confidence, score.date_basis) == (0.6, "anchored")
    assert score.rule == "triggers.yaml:042"
    assert (score.next_type, score.next_type_probability) == ("ACCUSE", 0.4)


def test_store_scored_filters_leave_imported_events_out(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "g.tsv"
    export_events(store, "gdelt", out)
    imported = Store.open()
    import_gdelt(imported, [out])
    assert len(_ids(imported.stored_events())) == 4
    assert _ids(imported.stored_events(min_confidence=0.0)) == set()
    assert _ids(imported.stored_events(date_basis="text")) == set()
    imported.close()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("min_confidence", 1.5), ("min_confidence", -0.1), ("min_confidence", math.nan),
        ("min_confidence", "high"), ("min_confidence", True),
        ("date_basis", "guess"), ("date_basis", ""), ("date_basis", ["text", "rumour"]),
        ("date_basis", 3), ("date_basis", []),
    ],
)  # fmt: skip
def test_store_scored_filters_reject_bad_values(store: Store, name: str, value: object) -> None:
    with pytest.raises(StoreError) as caught:
        store.events(**{name: value})  # type: ignore[misc]
    assert caught.value.code == "DW303"
    assert name in str(caught.value)


def test_store_scored_filters_normalise_date_basis() -> None:
    assert EventFilter(date_basis=" Text, anchored").date_basis == {"text", "anchored"}  # type: ignore[arg-type]
    assert EventFilter(min_confidence=1).min_confidence == 1.0
