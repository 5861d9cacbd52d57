"""Reads behind the endpoints: filtered mentions, one event, one document, map points.

Every filter runs in DuckDB as a bound parameter (the Store's
:class:`~dyadwatch.store._query.MentionFilter`, DW303 on bad values); pages and
single rows are read by key or with LIMIT, never by reading every match.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Unpack

import pandas as pd

from dyadwatch.analytics._sql import Scope
from dyadwatch.api.models import StoredEventOut
from dyadwatch.errors import ApiError, Errors, OntologyError, StoreError
from dyadwatch.model import Document, Event
from dyadwatch.ontology.plover import load_plover
from dyadwatch.store import EventFilter, MentionFilter, MentionKey, Store, StoredEvent
from dyadwatch.store._readside import PageRead, PageRequest
from dyadwatch.store.records import EventScore

__all__ = [
    "MentionPageRead",
    "MentionQuery",
    "decode_cursor",
    "document_body",
    "document_with_mentions",
    "encode_cursor",
    "explained_event",
    "find_mentions",
    "map_points",
    "mention_body",
    "mention_filter",
    "mention_page",
    "page_json",
    "plain_cell",
    "plover_type",
    "readside_request",
    "stored_event_out",
    "to_jsonable",
]

_EXPLANATION = frozenset(
    {"plover_type", "confidence", "date_basis", "rule", "next_type", "next_type_probability"}
)
"""Fields of ``StoredEventOut`` that are not columns of the ``events`` table."""
_NOT_ON_READSIDE = (
    "actor", "code", "plover", "country", "place", "negated", "hypothetical", "reported",
    "min_confidence", "date_basis",
)  # fmt: skip
"""Filters of ``GET /events`` the read side does not hold: DuckDB answers those."""


@dataclass(frozen=True, slots=True)
class MentionQuery:
    """Filters of ``GET /events``; values are validated by the endpoint and the Store."""

    dyad: tuple[str, str] | None = None
    actor: str | None = None
    code: str | None = None
    root: str | None = None
    plover: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    place: str | None = None
    negated: bool | None = None
    hypothetical: bool | None = None
    reported: bool | None = None
    limit: int = 100
    offset: int = 0
    order: Literal["asc", "desc"] = "desc"
    min_confidence: float | None = None
    date_basis: frozenset[str] | None = None
    after: MentionKey | None = None


@dataclass(frozen=True, slots=True)
class MentionPageRead:
    """A page of ``GET /events``: the total matching, the mentions (contract-shaped),
    and the cursor of the page after it (None when this page is not full)."""

    total: int
    events: list[dict[str, Any]]
    next: str | None


def find_mentions(store: Store, query: MentionQuery) -> tuple[int, list[dict[str, Any]]]:
    """The total matching and the requested page of mentions, contract-shaped
    (:func:`mention_page` without the cursor)."""
    found = mention_page(store, query)
    return found.total, found.events


def mention_page(store: Store, query: MentionQuery) -> MentionPageRead:
    """The total matching, the requested page of mentions and the next page's cursor.

    DuckDB filters, orders and pages (:meth:`Store.mention_page`); the total
    is counted only when the page does not already tell it (a short page
    ends the matches, unless it started past a cursor).
    """
    match = mention_filter(query)
    descending = query.order == "desc"
    page = store.mention_page(
        match, descending=descending, limit=query.limit, offset=query.offset, after=query.after
    )
    if query.after is None and len(page) < query.limit and (page or query.offset == 0):
        total = query.offset + len(page)
    else:
        total = store.count_mentions(match)
    last = page[-1][0] if page and len(page) == query.limit else None
    cursor = None
    if last is not None:
        key = MentionKey(last.date, last.doc_id, last.sentence_index, last.id)
        cursor = encode_cursor(key, query.order)
    return MentionPageRead(
        total, [mention_body(event, event_id) for event, event_id in page], cursor
    )


def encode_cursor(key: MentionKey, order: Literal["asc", "desc"]) -> str:
    """The opaque ``after`` of the page that follows ``key`` in ``order``: URL-safe
    base64 of a JSON list, so it travels in a query string as it is."""
    date = key.date.isoformat() if key.date else None
    text = json.dumps([order, date, key.doc_id, key.sentence_index, key.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, order: Literal["asc", "desc"]) -> MentionKey:
    """The key an ``after`` cursor carries; DW605 for one this API did not make for
    ``order`` (damaged, or from a page of the other order)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made, date, doc_id, sentence_index, mention_id = json.loads(raw)
        key = MentionKey(
            dt.date.fromisoformat(date) if date is not None else None,
            doc_id, sentence_index, mention_id,
        )  # fmt: skip
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, StoreError) as error:
        raise ApiError(Errors.DW605, detail="after: not a cursor of this API") from error
    if made != order:
        raise ApiError(Errors.DW605, detail=f"after: a cursor of order={made}, not {order}")
    return key


def mention_filter(query: MentionQuery) -> MentionFilter:
    """The store's filter for ``query`` (DW303 on values the store refuses)."""
    where = EventFilter.of(
        dyad=query.dyad, since=query.since, until=query.until, root=query.root,
        min_confidence=query.min_confidence, date_basis=query.date_basis,
    )  # fmt: skip
    return MentionFilter(
        where, actor=query.actor, code=query.code, plover=query.plover,
        country=query.country, place=query.place, negated=query.negated,
        hypothetical=query.hypothetical, reported=query.reported,
    )  # fmt: skip


def _records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    for row in frame.to_dict(orient="records"):
        yield {str(key): plain_cell(value) for key, value in row.items()}


def plain_cell(value: object) -> Any:
    """A DataFrame cell as plain Python: NaN, NaT and NA become None, timestamps dates,
    numpy scalars Python ones."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        return value.tolist()
    return value


def mention_body(event: Event, event_id: str | None) -> dict[str, Any]:
    """The JSON of ``MentionOut``: a mention and the event it is linked to."""
    return {**event.to_dict(), "event_id": event_id}


def plover_type(cameo: str) -> str | None:
    """The PLOVER type of a CAMEO code, None when PLOVER drops or lacks it."""
    try:
        code = load_plover().map(cameo)
    except OntologyError:
        return None
    return code.type if code else None


def stored_event_out(event: StoredEvent, score: EventScore | None = None) -> dict[str, Any]:
    """A stored event as the JSON of ``StoredEventOut``: its fields, read off the event,
    and why it is believed (``score``, from :meth:`Store.event_scores`; null without)."""
    out = {
        name: to_jsonable(getattr(event, name))
        for name in StoredEventOut.model_fields
        if name not in _EXPLANATION
    }
    out["plover_type"] = plover_type(event.cameo)
    out.update(score.to_dict() if score else dict.fromkeys(_EXPLANATION - {"plover_type"}))
    return out


def explained_event(store: Store, event_id: str) -> tuple[dict[str, Any] | None, list[Any]]:
    """The event view: ``event_id`` as ``StoredEventOut`` (None when only its mentions
    are stored) and its mentions, each with its own explanation."""
    event, score, found = store.explained_event(event_id)
    mentions = [mention.to_dict() for mention in found]
    if event is None:
        return None, mentions
    return stored_event_out(event, score), mentions


def document_with_mentions(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A stored document with its mentions, or None (one parameterised read)."""
    read = store.document_with_mentions(doc_id)
    if read is None:
        return None
    return document_body(*read)


def document_body(found: Document, mentions: list[tuple[Event, str | None]]) -> dict[str, Any]:
    """The JSON of ``DocumentOut``: a document's fields and its mentions."""
    document: dict[str, Any] = {
        field.name: getattr(found, field.name) for field in dataclasses.fields(found)
    }
    document["date"] = found.date.isoformat() if found.date else None
    document["mentions"] = [mention_body(e, event_id) for e, event_id in mentions]
    return document


def readside_request(query: MentionQuery) -> PageRequest | None:
    """The read side's page for ``query``, None when a filter it does not hold is set
    (then DuckDB answers): dyad, dates, CAMEO root, order, limit, offset and cursor.
    DW303 for values the store refuses."""
    mention_filter(query)  # refuses what the store refuses (DW303), as the live path does
    if any(getattr(query, name) is not None for name in _NOT_ON_READSIDE):
        return None
    after = query.after
    return PageRequest(
        dyad=query.dyad, since=query.since, until=query.until, root=query.root,
        descending=query.order == "desc", limit=query.limit, offset=query.offset,
        after=(after.date, after.doc_id, after.sentence_index, after.id) if after else None,
    )  # fmt: skip


def page_json(read: PageRead, query: MentionQuery) -> bytes:
    """The JSON of ``MentionPage`` around the read side's bodies (field order as the model)."""
    cursor = None
    if read.last is not None:
        cursor = encode_cursor(MentionKey(*read.last), query.order)
    head = (
        f'{{"total":{read.total},"limit":{query.limit},"offset":{query.offset},'
        f'"next":{json.dumps(cursor)},"events":['
    )
    return head.encode() + b",".join(read.bodies) + b"]}"


def map_points(
    store: Store,
    *,
    plover: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 5000,
    cameo_codes: Sequence[str] | None = None,
    **scope: Unpack[Scope],
) -> list[dict[str, Any]]:
    """Located stored events, oldest first, at most ``limit``; one query.

    A PLOVER type becomes the list of the store's CAMEO codes of that type
    (``cameo_codes``: the store's distinct codes, read when not given).
    """
    codes = None
    if plover is not None:
        known = store.cameo_codes() if cameo_codes is None else cameo_codes
        codes = [code for code in known if plover_type(code) == plover]
    where = EventFilter.of(since=since, until=until, **scope)
    found = store.located_events(where, cameo=codes, limit=limit)
    return [point for point in map(_point, found) if point is not None]


def _point(event: StoredEvent) -> dict[str, Any] | None:
    place = event.location
    if place is None or place.lat is None or place.lon is None:
        return None
    return {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "lat": place.lat,
        "lon": place.lon,
        "place": place.name,
        "country": place.country,
        "cameo": event.cameo,
        "plover_type": plover_type(event.cameo),
        "killed_max": event.killed.max if event.killed else None,
        "source": event.source.code if event.source else None,
        "target": event.target.code if event.target else None,
    }


def to_jsonable(value: object) -> Any:
    """An analytics result as JSON: frames become lists of rows, dataclasses dicts."""
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(row) for row in _records(value)]
    if isinstance(value, pd.Series):
        return to_jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields}
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if _is_graph(value):
        return _graph(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, Iterable):
        return [to_jsonable(item) for item in value]
    return _scalar(value)


def _scalar(value: object) -> Any:
    plain = plain_cell(value)
    if isinstance(plain, float) and math.isinf(plain):
        return None
    if isinstance(plain, dt.date):
        return plain.isoformat()
    if isinstance(plain, int | float | str | bool) or plain is None:
        return plain
    return str(plain)


def _is_graph(value: object) -> bool:
    return hasattr(value, "edges") and hasattr(value, "nodes") and callable(value.edges)


def _graph(graph: Any) -> dict[str, Any]:
    edges = [
        {"source": str(a), "target": str(b), **to_jsonable(dict(data))}
        for a, b, data in graph.edges(data=True)
    ]
    return {"nodes": [str(node) for node in graph.nodes], "edges": edges}
