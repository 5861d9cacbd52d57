"""Summaries over a store: roots, top dyads and a dyad's monthly Goldstein series."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.analytics import dyad_monthly_goldstein, events_per_root, top_dyads
from dyadwatch.model import Actor, Document, Event, Evidence, Modality, PloverCode
from dyadwatch.store import Store


def _event(
    doc: Document,
    n: int,
    source: str,
    target: str,
    code: str,
    goldstein: float,
    day: dt.date,
    *,
    negated: bool = False,
) -> Event:
    return Event(
        id=f"{doc.id}-{n}", doc_id=doc.id, sentence_index=n, sentence="s",
        source=Actor(source, source, source, None), target=Actor(target, target, target, None),
        cameo=code, goldstein=goldstein, quad=1, plover=PloverCode("CONSULT"),
        evidence=Evidence((0, 1)), modality=Modality(negated=negated), date=day,
        date_precision="day",
    )  # fmt: skip


@pytest.fixture
def store() -> Store:
    db = Store.open()
    doc = Document.from_text("text", date=dt.date(2018, 1, 1))
    events = [
        _event(doc, 0, "USA", "PAK", "112", -2.0, dt.date(2018, 1, 2)),
        _event(doc, 1, "PAK", "USA", "111", -2.0, dt.date(2018, 1, 20)),
        _event(doc, 2, "USA", "PAK", "040", 1.0, dt.date(2018, 3, 5)),
        _event(doc, 3, "IND", "PAK", "190", -10.0, dt.date(2018, 3, 6)),
        _event(doc, 4, "USA", "PAK", "190", -10.0, dt.date(2018, 3, 7), negated=True),
    ]
    db.add_document(doc, events)
    return db


def test_summary_events_per_root_counts_factual_events(store: Store) -> None:
    frame = events_per_root(store).set_index("root")
    assert len(frame) == 20
    assert frame.loc["11", "events"] == 2
    assert frame.loc["19", "events"] == 1  # the negated strike does not count


def test_summary_top_dyads_are_undirected(store: Store) -> None:
    frame = top_dyads(store, 5)
    assert frame.iloc[0].to_dict() == {"dyad": "PAK–USA", "events": 3, "goldstein_mean": -1.0}
    assert list(frame["dyad"]) == ["PAK–USA", "IND–PAK"]


def test_summary_monthly_series_both_directions(store: Store) -> None:
    frame = dyad_monthly_goldstein(store, "USA", "PAK")
    assert frame.to_dict("records") == [
        {"month": "2018-01", "events": 2, "goldstein_sum": -4.0, "goldstein_mean": -2.0},
        {"month": "2018-03", "events": 1, "goldstein_sum": 1.0, "goldstein_mean": 1.0},
    ]


def test_summary_empty_store_gives_empty_frames() -> None:
    empty = Store.open()
    assert top_dyads(empty).empty
    assert dyad_monthly_goldstein(empty, "USA", "PAK").empty
    assert events_per_root(empty)["events"].sum() == 0
