"""The events behind an analytic statement, with the sentences that report them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.store import EventFilter, Store

__all__ = ["Citation", "cite", "top_events"]


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
    if not event_ids:
        return ()
    found = store.cited_events(event_ids)
    rows = {str(r["id"]): r for r in found.to_dict("records")}
    return tuple(_citation(store, i, rows[i]) for i in event_ids if i in rows)


def _citation(store: Store, event_id: str, row: dict[Hashable, Any]) -> Citation:
    sentences = dict.fromkeys(str(m["sentence"]) for m in store.mentions_of(event_id))
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


def _date(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
