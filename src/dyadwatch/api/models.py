"""Pydantic models of the HTTP API: what each endpoint accepts and returns.

Mentions keep the field names of the output contract (README, "Output
contract"), plus ``event_id``: the deduplicated event a mention is linked to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActorOut",
    "AnalyticsOut",
    "CodeRequest",
    "CodeResponse",
    "DocumentOut",
    "DocumentRequest",
    "ErrorBody",
    "ErrorOut",
    "EventDetail",
    "IngestResponse",
    "MapPoint",
    "MapPoints",
    "MentionOut",
    "MentionPage",
    "ModalityOut",
    "PloverOut",
    "RangeOut",
    "StoredEventOut",
    "TopDyad",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ActorOut(_Out):
    text: str | None = None
    code: str
    country: str | None = None
    sector: str | None = None
    name: str | None = None


class PloverOut(_Out):
    type: str
    mode: str | None = None
    context: list[str] = Field(default_factory=list)


class ModalityOut(_Out):
    negated: bool = False
    hypothetical: bool = False
    reported: bool = False


class RangeOut(_Out):
    min: int
    max: int


class MentionOut(_Out):
    """One coded event mention: a sentence, who did what to whom, and the evidence spans."""

    id: str
    event_id: str | None = None
    doc_id: str
    doc_url: str | None = None
    sentence_index: int
    sentence: str
    date: str | None = None
    date_precision: str | None = None
    date_range: list[str] | None = None
    source: ActorOut | None = None
    target: ActorOut | None = None
    cameo: str
    cameo_root: str
    goldstein: float | None = None
    quad: int | None = None
    plover: PloverOut | None = None
    modality: ModalityOut
    location: dict[str, Any] | None = None
    size: dict[str, Any] | None = None
    evidence: dict[str, list[int] | None]
    confidence: float | None = None


class MentionPage(_Out):
    total: int = Field(description="mentions matching the filters, before limit and offset")
    limit: int
    offset: int
    events: list[MentionOut]


class StoredEventOut(_Out):
    """One deduplicated happening, however many reports mention it."""

    id: str
    provenance: str
    date: str | None = None
    source: ActorOut | None = None
    target: ActorOut | None = None
    cameo: str
    goldstein: float | None = None
    quad: int | None = None
    plover_type: str | None = None
    location: dict[str, Any] | None = None
    num_mentions: int
    num_sources: int
    num_articles: int
    source_url: str | None = None
    killed: RangeOut | None = None
    injured: RangeOut | None = None


class EventDetail(_Out):
    event: StoredEventOut | None
    mentions: list[MentionOut]


class DocumentOut(_Out):
    id: str
    text: str
    date: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    origin: str | None = None
    mentions: list[MentionOut]


class CodeRequest(BaseModel):
    """Text to code without storing it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article; at most 100 kB of UTF-8")
    date: dt.date | None = Field(default=None, description="publication date, YYYY-MM-DD")


class CodeResponse(_Out):
    events: list[MentionOut]


class DocumentRequest(BaseModel):
    """A document to code and store."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    date: dt.date | None = None
    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=1000)
    publisher: str | None = Field(default=None, max_length=200)


class ErrorOut(_Out):
    code: str
    message: str


class IngestResponse(_Out):
    doc_id: str
    added: bool = Field(description="false when the document was already stored")
    events: int
    errors: list[ErrorOut]


class ErrorBody(_Out):
    error: ErrorOut


class TopDyad(_Out):
    country_a: str
    country_b: str
    events: int
    goldstein_mean: float | None = None


class MapPoint(_Out):
    id: str
    date: str | None = None
    lat: float
    lon: float
    place: str | None = None
    country: str | None = None
    cameo: str
    plover_type: str | None = None
    killed_max: int | None = None
    source: str | None = None
    target: str | None = None


class MapPoints(_Out):
    points: list[MapPoint]


class AnalyticsOut(_Out):
    """The result of one analytics function, as JSON (frames become lists of rows)."""

    name: str
    result: Any
