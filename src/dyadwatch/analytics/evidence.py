"""The events behind an analytic statement, with the sentences that report them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.store import EventFilter, Store

__all__ = ["Citation", "cite", "cite_each", "top_events", "top_events_of"]


@dataclass(frozen=True, slots=True)
class Citation:
    """One event a statement rests on: what happened, and where it was read.

    ``sentences`` are the sentences of the mentions linked to a self-coded
    event (first report first); imported events have none, only ``url``.
    """

    event_id: str
    provenance: str
    date: dt.date | None
    source: str | None
    target: str | None
    cameo: str
    goldstein: float | None
    quad: int | None
    num_mentions: int
    url: str | None
    sentences: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (the date as ISO text)."""
        return {
            "event_id": self.event_id, "provenance": self.provenance,
            "date": self.date.isoformat() if self.date else None, "source": self.source,
            "target": self.target, "cameo": self.cameo, "goldstein": self.goldstein,
            "quad": self.quad, "num_mentions": self.num_mentions, "url": self.url,
            "sentences": list(self.sentences),
        }  # fmt: skip


def cite(store: Store, event_ids: Sequence[str]) -> tuple[Citation, ...]:
    """Citations for ``event_ids``, in the given order; unknown ids are left out."""
    return cite_each(store, [event_ids])[0]


def cite_each(store: Store, groups: Sequence[Sequence[str]]) -> list[tuple[Citation, ...]]:
    """:func:`cite` of each group of ids, reading the events and their sentences
    once for all groups (the findings of one request)."""
    wanted = list(dict.fromkeys(i for ids in groups for i in ids))
    if not wanted:
        return [() for _ in groups]
    found = store.cited_events(wanted)
    rows = {str(r["id"]): r for r in found.to_dict("records")}
    sentences = store.event_sentences([i for i in wanted if i in rows])
    made = {i: _citation(i, rows[i], sentences.get(i, [])) for i in wanted if i in rows}
    return [tuple(made[i] for i in ids if i in made) for ids in groups]


def _citation(event_id: str, row: dict[Hashable, Any], said: list[str | None]) -> Citation:
    sentences = dict.fromkeys(str(sentence) for sentence in said)
    return Citation(
        event_id=event_id, provenance=str(row["provenance"]), date=_date(row["date"]),
        source=_text(row["source_code"]), target=_text(row["target_code"]),
        cameo=str(row["cameo"]), goldstein=_number(row["goldstein"]),
        quad=None if pd.isna(row["quad"]) else int(row["quad"]),
        num_mentions=int(row["num_mentions"]) if pd.notna(row["num_mentions"]) else 0,
        url=_text(row["source_url"]), sentences=tuple(sentences),
    )  # fmt: skip


def top_events(
    store: Store, where: EventFilter, start: dt.date, end: dt.date, *, lowest: bool, n: int = 3
) -> list[str]:
    """Ids of the ``n`` events in [start, end) matching ``where`` with the lowest
    (or highest) Goldstein score, most reported first among equals
    (:meth:`Store.extreme_events`)."""
    return store.extreme_events(where, start, end, lowest=lowest, n=n)


def top_events_of(
    store: Store, where: EventFilter, spans: Sequence[tuple[dt.date, dt.date, bool]], n: int = 3
) -> list[list[str]]:
    """:func:`top_events` of each ``(start, end, lowest)`` span, in one read."""
    return store.extreme_events_of(where, spans, n=n)


def _date(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
