"""Typed, frozen records that flow through the pipeline.

Document → Sentence → ActorMention / Trigger → Event. Stages pass these, never
bare dicts; ``Event.to_dict`` renders the JSON output contract that the CLI,
the store and outside tools rely on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = [
    "Actor",
    "Coding",
    "DateBasis",
    "DatePrecision",
    "Document",
    "Event",
    "Evidence",
    "IncidentMention",
    "Location",
    "Modality",
    "PlaceBasis",
    "PloverCode",
    "Range",
    "Sentence",
    "Size",
    "Span",
    "content_hash",
]

Span = tuple[int, int]
"""Character offsets ``[start, end)`` into the event's sentence text."""

DatePrecision = Literal["day", "month", "year"]
DateBasis = Literal["text", "anchored", "publication"]
"""Where an event's date comes from: its own words, another expression of the
document (a running reference time, "the next day"), or the publication date."""

PlaceBasis = Literal["text", "incident", "document", "victim", "context"]
"""Where an event's place comes from: its own sentence, another sentence telling
the same incident, the place the document is about (its most specific place),
or the country of the victims."""


def content_hash(text: str) -> str:
    """Stable identity of a text: what makes ingest idempotent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One news article or brief, as read from a file, a JSONL line or a feed.

    ``id`` is the user's own id when the input gives one (a JSONL ``id``, a
    file's path), otherwise a hash of the text: it is what events carry as
    ``doc_id``, so that they join back to the corpus.
    """

    id: str
    text: str
    date: dt.date | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    origin: str | None = None
    """Where it came from: ``path`` or ``path:line``."""

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        date: dt.date | None = None,
        url: str | None = None,
        title: str | None = None,
        publisher: str | None = None,
        origin: str | None = None,
        doc_id: str | None = None,
    ) -> Document:
        """A document with id ``doc_id``, or else the hash of its text (and URL, when given)."""
        if doc_id is None:
            doc_id = content_hash((url or "") + "\x00" + text)[:16]
        return cls(doc_id, text, date, url, title, publisher, origin)


@dataclass(frozen=True, slots=True)
class Sentence:
    doc_id: str
    index: int
    text: str
    start_char: int
    """Offset of the sentence in its document."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A coded actor: the CAMEO code and its parts, with the text that named it."""

    text: str
    code: str
    country: str | None = None
    sector: str | None = None
    name: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "text": self.text,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "name": self.name,
        }


@dataclass(frozen=True, slots=True)
class Modality:
    negated: bool = False
    hypothetical: bool = False
    reported: bool = False

    def to_dict(self) -> dict[str, bool]:
        return {
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "reported": self.reported,
        }


@dataclass(frozen=True, slots=True)
class PloverCode:
    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "mode": self.mode, "context": list(self.context)}


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str | None = None
    adm1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: Literal["country", "adm1", "city"] = "city"
    geonames_id: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "country": self.country,
            "adm1": self.adm1,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "geonames_id": self.geonames_id,
        }


@dataclass(frozen=True, slots=True)
class Range:
    min: int
    max: int

    def to_dict(self) -> dict[str, int]:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class Size:
    killed: Range | None = None
    injured: Range | None = None
    arrested: Range | None = None
    civilians: Range | None = None
    children: Range | None = None

    def to_dict(self) -> dict[str, object]:
        def part(r: Range | None) -> dict[str, int] | None:
            return r.to_dict() if r else None

        return {
            "killed": part(self.killed),
            "injured": part(self.injured),
            "arrested": part(self.arrested),
            "civilians": part(self.civilians),
            "children": part(self.children),
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    trigger: Span
    source: Span | None = None
    target: Span | None = None

    def to_dict(self) -> dict[str, list[int] | None]:
        def part(s: Span | None) -> list[int] | None:
            return list(s) if s else None

        return {
            "trigger": list(self.trigger),
            "source": part(self.source),
            "target": part(self.target),
        }


@dataclass(frozen=True, slots=True)
class IncidentMention:
    """Where a document tells an incident: a sentence and the trigger word in it."""

    sentence_index: int
    trigger: Span

    def to_dict(self) -> dict[str, object]:
        return {"sentence_index": self.sentence_index, "trigger": list(self.trigger)}


@dataclass(frozen=True, slots=True)
class Coding:
    """A competing reading of an incident that was not kept as its own event:
    another trigger's or another target's (source, target, code)."""

    sentence_index: int
    trigger: Span
    source: str
    target: str | None
    cameo: str

    def to_dict(self) -> dict[str, object]:
        return {
            "sentence_index": self.sentence_index,
            "trigger": list(self.trigger),
            "source": self.source,
            "target": self.target,
            "cameo": self.cameo,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, with the evidence that says so."""

    id: str
    doc_id: str
    sentence_index: int
    sentence: str
    source: Actor
    target: Actor | None
    cameo: str
    goldstein: float | None
    """None only for a code outside CAMEO (a user dictionary's own scheme)."""
    quad: int | None
    plover: PloverCode | None
    evidence: Evidence
    modality: Modality = field(default_factory=Modality)
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_range: tuple[dt.date, dt.date] | None = None
    """Bounds ``[from, to]`` when the text only bounds the date ("last week")."""
    date_basis: DateBasis | None = None
    """None only when ``date`` is None."""
    location: Location | None = None
    size: Size | None = None
    confidence: float = 1.0
    """With the learned scorer: the calibrated probability that type and pair are
    right (docs/MODEL.md); without it, a heuristic score."""
    rule: str | None = None
    """What proposed the event: the lexicon rule's ``file:line``, or ``pair:`` and
    that rule when the scorer moved the event to another (source, target) pair."""
    next_type: str | None = None
    """The learned scorer's next-best PLOVER type (None when it did not score the event)."""
    next_type_probability: float | None = None
    """The scorer's probability of ``next_type``."""
    doc_url: str | None = None
    """The URL of the document, when it has one (a JSONL ``url``, a fetched page)."""
    mentions: tuple[IncidentMention, ...] = ()
    """Every place in the document that tells this incident (its own trigger
    first); empty when the event was not resolved as an incident."""
    alternatives: tuple[Coding, ...] = ()
    """Other codings of the same incident, folded into this event."""
    place_basis: PlaceBasis | None = None
    """Where ``location`` comes from; None only when ``location`` is None."""

    @property
    def cameo_root(self) -> str:
        return self.cameo[:2]

    def with_doc_url(self, url: str | None) -> Event:
        """This event with its document's URL, unless it already has one or there is none."""
        return self if self.doc_url or not url else replace(self, doc_url=url)

    def to_dict(self) -> dict[str, object]:
        """The JSON output contract (see README, 'Output contract')."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "doc_url": self.doc_url,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_range": [d.isoformat() for d in self.date_range] if self.date_range else None,
            "date_basis": self.date_basis,
            "source": self.source.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "goldstein": self.goldstein,
            "quad": self.quad,
            "plover": self.plover.to_dict() if self.plover else None,
            "modality": self.modality.to_dict(),
            "location": self.location.to_dict() if self.location else None,
            "place_basis": self.place_basis,
            "size": self.size.to_dict() if self.size else None,
            "evidence": self.evidence.to_dict(),
            "confidence": self.confidence,
            "rule": self.rule,
            "next_type": self.next_type,
            "next_type_probability": self.next_type_probability,
            "mentions": [m.to_dict() for m in self.mentions],
            "alternatives": [a.to_dict() for a in self.alternatives],
        }
