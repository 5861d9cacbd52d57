"""Synthetic events with known answers, added to in-memory stores."""

from __future__ import annotations

import datetime as dt
import itertools

from dyadwatch.model import Actor, Location, Range
from dyadwatch.store import Store, StoredEvent

_IDS = itertools.count()

COOP = ("042", 1.9, 1)
"""A cooperative event: CAMEO 042 (make a visit), QuadClass 1."""
CONFLICT = ("190", -10.0, 4)
"""A conflictual event: CAMEO 190 (use conventional military force), QuadClass 4."""


def actor(code: str) -> Actor:
    return Actor(code, code, code[:3], code[3:] or None)


def event(
    source: str,
    target: str,
    day: dt.date,
    kind: tuple[str, float, int] = COOP,
    *,
    provenance: str = "gdelt2",
    killed: tuple[int, int] | None = None,
) -> StoredEvent:
    """One imported event between two actor codes (country = first three letters)."""
    n = next(_IDS)
    cameo, goldstein, quad = kind
    return StoredEvent(
        f"{provenance}:t{n}", provenance, day, actor(source), actor(target),  # type: ignore[arg-type]
        cameo, goldstein, quad, str(n),
        location=Location("Somewhere", target[:3]),
        killed=Range(*killed) if killed else None,
    )  # fmt: skip


def month(year: int, index: int, day: int = 10) -> dt.date:
    """The ``day`` of the ``index``-th month (0-based) counted from January ``year``."""
    return dt.date(year + index // 12, index % 12 + 1, day)


def store_with(events: list[StoredEvent]) -> Store:
    store = Store.open()
    store.add_stored_events(events)
    return store
