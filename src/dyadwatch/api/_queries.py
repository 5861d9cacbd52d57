"""Reads behind the endpoints: filtered mentions, one event, one document, map points.

The Store filters by dyad, dates and root in SQL (parameterised, DW303 on bad
values); the filters it does not know yet (actor, code, PLOVER type, place,
modality) are applied here to the rows it returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Unpack

import pandas as pd

from dyadwatch.analytics._sql import Scope
from dyadwatch.api.models import StoredEventOut
from dyadwatch.errors import OntologyError
from dyadwatch.model import Event
from dyadwatch.ontology.plover import load_plover
from dyadwatch.store import Store, StoredEvent
from dyadwatch.store.records import EventScore
from dyadwatch.store.rows import mention_codec

__all__ = [
    "MentionQuery",
    "document_with_mentions",
    "explained_event",
    "find_event",
    "find_mentions",
    "map_points",
    "mention_from_row",
    "plover_type",
    "stored_event_out",
    "to_jsonable",
]

_ACTOR_SIDES = ("source_code", "source_country", "target_code", "target_country")
_EXPLANATION = frozenset(
    {"plover_type", "confidence", "date_basis", "rule", "next_type", "next_type_probability"}
)
"""Fields of ``StoredEventOut`` that are not columns of the ``events`` table."""
_SCAN_LIMIT = 200_000
"""Most stored events read to find one event or the map's points."""


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


def find_mentions(store: Store, query: MentionQuery) -> tuple[int, list[dict[str, Any]]]:
    """The total matching and the requested page of mentions, contract-shaped."""
    frame = store.events_frame(
        dyad=query.dyad, since=query.since, until=query.until, root=query.root,
        min_confidence=query.min_confidence, date_basis=query.date_basis,
    )  # fmt: skip
    frame = _narrow(frame, query)
    if query.order == "desc":
        frame = frame.iloc[::-1]
    page = frame.iloc[query.offset : query.offset + query.limit]
    return len(frame), [mention_from_row(row) for row in _records(page)]


def _narrow(frame: pd.DataFrame, query: MentionQuery) -> pd.DataFrame:
    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    if query.actor is not None:
        actor = query.actor.upper()
        keep &= frame[list(_ACTOR_SIDES)].isin([actor]).any(axis=1)
    if query.code is not None:
        keep &= frame["cameo"].fillna("").str.startswith(query.code)
    if query.plover is not None:
        keep &= frame["plover_type"].eq(query.plover)
    for flag in ("negated", "hypothetical", "reported"):
        wanted = getattr(query, flag)
        if wanted is not None:
            keep &= frame[flag].fillna(False).astype(bool).eq(wanted)
    if query.country is not None or query.place is not None:
        keep &= frame["location"].map(lambda text: _place_matches(text, query))
    return frame[keep]


def _place_matches(location: object, query: MentionQuery) -> bool:
    if not isinstance(location, str):
        return False
    place = json.loads(location)
    if query.country is not None and place.get("country") != query.country.upper():
        return False
    name = str(place.get("name") or "")
    return query.place is None or query.place.casefold() in name.casefold()


def _records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    for row in frame.to_dict(orient="records"):
        yield {str(key): _plain(value) for key, value in row.items()}


def _plain(value: object) -> Any:
    """A DataFrame cell as plain Python: NaN and NaT become None, timestamps dates."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        return value.tolist()
    return value


def mention_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A flat mention row (``events_frame`` columns) in the shape of the output contract."""
    event: Event = mention_codec().record_of(row)
    return _mention(event, row.get("event_id"))


def _mention(event: Event, event_id: str | None) -> dict[str, Any]:
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
    mentions = store.mentions_of(event_id)
    event = find_event(store, event_id, mentions)
    if event is None:
        return None, mentions
    return stored_event_out(event, store.event_scores([event.id]).get(event.id)), mentions


def find_event(store: Store, event_id: str, mentions: list[dict[str, Any]]) -> StoredEvent | None:
    """The stored event ``event_id``, searched near the dates of its mentions."""
    dates = [dt.date.fromisoformat(m["date"]) for m in mentions if m.get("date")]
    margin = dt.timedelta(days=store.dedup.window_days + 1)
    since = min(dates) - margin if dates else None
    until = max(dates) + margin if dates else None
    provenance = None if mentions else event_id.partition(":")[0]
    if provenance not in (None, "dyadwatch", "gdelt1", "gdelt2", "icews"):
        return None
    found = store.stored_events(since=since, until=until, provenance=provenance)
    for count, event in enumerate(found):
        if event.id == event_id:
            return event
        if count >= _SCAN_LIMIT:
            break
    return None


def document_with_mentions(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A stored document with its mentions, or None (two parameterised reads)."""
    found = store.document(doc_id)
    if found is None:
        return None
    document: dict[str, Any] = {
        field.name: getattr(found, field.name) for field in dataclasses.fields(found)
    }
    document["date"] = found.date.isoformat() if found.date else None
    document["mentions"] = [
        _mention(e, event_id) for e, event_id in store.document_mentions(doc_id)
    ]
    return document


def map_points(
    store: Store,
    *,
    plover: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 5000,
    **scope: Unpack[Scope],
) -> list[dict[str, Any]]:
    """Located stored events (newest scanned last), at most ``limit``."""
    points: list[dict[str, Any]] = []
    for count, event in enumerate(store.stored_events(since=since, until=until, **scope)):
        if count >= _SCAN_LIMIT or len(points) >= limit:
            break
        point = _point(event)
        if point is not None and (plover is None or point["plover_type"] == plover):
            points.append(point)
    return points


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
    plain = _plain(value)
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
