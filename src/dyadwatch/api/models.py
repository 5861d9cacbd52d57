"""Pydantic models of the HTTP API: what each endpoint accepts and returns.

Mentions keep the field names of the output contract (README, "Output
contract"), plus ``event_id``: the deduplicated event a mention is linked to.
The mention and stored-event models are made from the store's column
declaration (:mod:`dyadwatch.store.columns`): a column added there shows up
here, nested as its path nests (``source_code`` is ``source.code``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, create_model

from dyadwatch.store.columns import EVENTS, MENTIONS, Column, Table

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
    "Health",
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


_JSON_TYPES: dict[str, Any] = {
    "VARCHAR": str,
    "DATE": str,  # ISO 8601
    "TIMESTAMP": str,
    "INTEGER": int,
    "BIGINT": int,
    "DOUBLE": float,
    "BOOLEAN": bool,
    "JSON": dict[str, Any] | list[Any],  # a record, or a list of records (mentions)
    "VARCHAR[]": list[str],
}
"""The JSON type of a column's value in a response."""

_PART_MODELS = {
    "source": "ActorOut",
    "target": "ActorOut",
    "plover": "PloverOut",
    "modality": "ModalityOut",
    "killed": "RangeOut",
    "injured": "RangeOut",
}
"""Names of the models of nested parts; parts of one name share their model."""

_HIDDEN_EVENT_FIELDS = frozenset({"external_id", "avg_tone", "extra"})
"""Stored-event columns the API does not show (format details of imports)."""

Fields = dict[str, Any]


def _leaf(column: Column, *, key: bool) -> tuple[Any, Any]:
    """A nested part's field: its first column is required, the others may be null
    (flags default to false)."""
    kind = _JSON_TYPES[column.type]
    if column.type == "BOOLEAN":
        return bool, False
    if key:
        return kind, ...
    return kind | None, None


def _part(name: str, columns: list[Column], models: dict[str, type[_Out]]) -> tuple[Any, Any]:
    """The field of a nested part: a list for index paths (date ranges), else a model."""
    if all(c.where[-1].isdigit() for c in columns):
        kind = _JSON_TYPES[columns[0].type]
        return list[kind] | None, None  # type: ignore[valid-type]
    model_name = _PART_MODELS.get(name, f"{name.title()}Out")
    if model_name not in models:
        leaves: dict[str, Any] = {c.where[-1]: _leaf(c, key=i == 0) for i, c in enumerate(columns)}
        models[model_name] = create_model(model_name, __base__=_Out, **leaves)
    model = models[model_name]
    if all(c.required for c in columns):
        return model, ...
    return model | None, None


def _fields(table: Table, models: dict[str, type[_Out]], hidden: frozenset[str]) -> Fields:
    """Response fields of ``table``'s record, nested as its column paths nest."""
    parts: dict[str, list[Column]] = {}
    for column in table.columns:
        top = column.where[0]
        if column.role == "field" or (column.role == "derived" and len(column.where) == 1):
            parts.setdefault(top, []).append(column)
    fields: Fields = {}
    for name, columns in parts.items():
        if name in hidden:
            continue
        if len(columns) > 1 or len(columns[0].where) > 1:
            fields[name] = _part(name, columns, models)
        else:
            kind = _JSON_TYPES[columns[0].type]
            fields[name] = (kind, ...) if columns[0].required else (kind | None, None)
    return fields


_MODELS: dict[str, type[_Out]] = {}
_MENTION_FIELDS = _fields(MENTIONS, _MODELS, frozenset())
_EVENT_FIELDS = _fields(EVENTS, _MODELS, _HIDDEN_EVENT_FIELDS)

if TYPE_CHECKING:  # made at run time, from the declaration; mypy sees their base
    ActorOut: TypeAlias = _Out
    PloverOut: TypeAlias = _Out
    ModalityOut: TypeAlias = _Out
    RangeOut: TypeAlias = _Out
    MentionOut: TypeAlias = _Out
    StoredEventOut: TypeAlias = _Out
else:
    ActorOut = _MODELS["ActorOut"]
    PloverOut = _MODELS["PloverOut"]
    ModalityOut = _MODELS["ModalityOut"]
    RangeOut = _MODELS["RangeOut"]
    MentionOut = create_model(
        "MentionOut",
        __base__=_Out,
        __doc__="One coded event mention: a sentence, who did what to whom, and the evidence.",
        event_id=(str | None, None),
        **_MENTION_FIELDS,
    )
    """The output contract of a mention (fields from the ``event_mentions`` columns)
    and ``event_id``, the deduplicated event it is linked to."""
    StoredEventOut = create_model(
        "StoredEventOut",
        __base__=_Out,
        __doc__="One deduplicated happening, however many reports mention it.",
        **_EVENT_FIELDS,
        plover_type=(str | None, None),
        confidence=(float | None, None),
        date_basis=(str | None, None),
        rule=(str | None, None),
        next_type=(str | None, None),
        next_type_probability=(float | None, None),
    )
    """A stored event (fields from the ``events`` columns), its PLOVER type and why it
    is believed: ``confidence`` (its best mention's), ``date_basis`` (that of the
    mention whose date it carries), ``rule``, ``next_type`` and
    ``next_type_probability`` (its most confident mention's); null for imports."""


class Health(_Out):
    status: str = Field(description='always "ok": the server answers')
    version: str


class MentionPage(_Out):
    total: int = Field(description="mentions matching the filters, before limit and offset")
    limit: int
    offset: int
    next: str | None = Field(
        default=None,
        description="a full page's cursor: pass it as `after` (same filters) for the next page",
    )
    events: list[MentionOut]


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


_LEAST = "leave out events whose confidence is below this (0 to 1): precision over recall"


class CodeRequest(BaseModel):
    """Text to code without storing it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article; at most 100 kB of UTF-8")
    date: dt.date | None = Field(default=None, description="publication date, YYYY-MM-DD")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0, description=_LEAST)


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
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0, description=_LEAST)


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
