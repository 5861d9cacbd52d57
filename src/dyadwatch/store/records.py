"""The record the store keeps for a (deduplicated) event, whatever its origin.

Self-coded events become ``StoredEvent``s when their mentions are linked; GDELT
and ICEWS rows become ``StoredEvent``s on import. Format-specific fields we do
not model are kept verbatim in ``extra`` so that an import followed by an
export gives back the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from dyadwatch.model import Actor, DateBasis, Location, Range

__all__ = ["STORY_ID", "EventScore", "GdeltMention", "Provenance", "StoredEvent"]

Provenance = Literal["dyadwatch", "gdelt1", "gdelt2", "icews"]

STORY_ID = "Story ID"
"""``extra`` key of an event's story: ICEWS's own, or our first document to report it."""


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One happening, with live counts over the reports that mention it.

    ``id`` is ours; for imports it is ``f"{provenance}:{external_id}"``.
    """

    id: str
    provenance: Provenance
    date: dt.date | None
    source: Actor | None
    target: Actor | None
    cameo: str
    goldstein: float | None
    quad: int | None
    external_id: str | None = None
    location: Location | None = None
    num_mentions: int = 1
    num_sources: int = 1
    num_articles: int = 1
    avg_tone: float | None = None
    source_url: str | None = None
    killed: Range | None = None
    injured: Range | None = None
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Format fields we do not model (GDELT known-group codes, ICEWS story ids, …)."""

    @property
    def cameo_root(self) -> str:
        return self.cameo[:2]


@dataclass(frozen=True, slots=True)
class GdeltMention:
    """One row of a GDELT 2.0 mentions file: an article that mentions an event.

    ``event_id`` is GDELT's GLOBALEVENTID; the modelled cells are typed and
    ``line`` keeps the whole row (its 16 tab-separated fields) verbatim.
    """

    event_id: str
    event_time: str
    mention_time: str
    mention_type: int
    source_name: str
    identifier: str
    sentence_id: int
    confidence: int
    doc_tone: float | None
    line: str = ""


@dataclass(frozen=True, slots=True)
class EventScore:
    """Why a self-coded event is believed, read off its mentions (:meth:`Store.event_scores`).

    ``confidence``: its best mention's; ``date_basis``: that of the mention whose
    date it carries; ``rule``, ``next_type`` and ``next_type_probability``: its
    most confident mention's (what proposed it; the scorer's next-best type).
    """

    confidence: float | None
    date_basis: DateBasis | None
    rule: str | None = None
    next_type: str | None = None
    next_type_probability: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "confidence": self.confidence,
            "date_basis": self.date_basis,
            "rule": self.rule,
            "next_type": self.next_type,
            "next_type_probability": self.next_type_probability,
        }
