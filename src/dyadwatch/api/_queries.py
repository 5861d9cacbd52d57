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
from typing import Any, Literal

import pandas as pd

from dyadwatch.errors import OntologyError
from dyadwatch.model import Actor
from dyadwatch.ontology.plover import load_plover
from dyadwatch.store import Store, StoredEvent

__all__ = [
    "MentionQuery",
    "document_with_mentions",
    "find_event",
    "find_mentions",
    "map_points",
    "mention_from_row",
    "plover_type",
    "stored_event_out",
    "to_jsonable",
]

_ACTOR_SIDES = ("source_code", "source_country", "target_code", "target_country")
_DOCUMENT_COLUMNS = ("id", "text", "date", "url", "title", "publisher", "origin")
_DOCUMENT = f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM documents WHERE id = $id"
_DOCUMENT_MENTIONS = (
    "SELECT m.*, l.event_id FROM event_mentions m LEFT JOIN event_links l"
    " ON l.mention_id = m.id WHERE m.doc_id = $id ORDER BY m.sentence_index, m.id"
)
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


def find_mentions(store: Store, query: MentionQuery) -> tuple[int, list[dict[str, Any]]]:
    """The total matching and the requested page of mentions, contract-shaped."""
    frame = store.events_frame(
        dyad=query.dyad, since=query.since, until=query.until, root=query.root
    )
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
    date = row.get("date")
    plover = row.get("plover_type")
    return {
        "id": row["id"],
        "event_id": row.get("event_id"),
        "doc_id": row["doc_id"],
        "doc_url": row.get("doc_url"),
        "sentence_index": int(row["sentence_index"]),
        "sentence": row["sentence"],
        "date": date.isoformat() if isinstance(date, dt.date) else None,
        "date_precision": row.get("date_precision"),
        "date_range": _range(row.get("date_from"), row.get("date_to")),
        "source": _actor_of(row, "source"),
        "target": _actor_of(row, "target"),
        "cameo": row["cameo"],
        "cameo_root": row["cameo_root"],
        "goldstein": row.get("goldstein"),
        "quad": None if row.get("quad") is None else int(row["quad"]),
        "plover": None
        if plover is None
        else {
            "type": plover,
            "mode": row.get("plover_mode"),
            "context": list(row.get("plover_context") or ()),
        },
        "modality": {flag: bool(row.get(flag)) for flag in ("negated", "hypothetical", "reported")},
        "location": _json(row.get("location")),
        "size": _json(row.get("size")),
        "evidence": _json(row.get("evidence")) or {"trigger": None},
        "confidence": row.get("confidence"),
    }


def _range(start: object, end: object) -> list[str] | None:
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return [start.isoformat(), end.isoformat()]
    return None


def _actor_of(row: Mapping[str, Any], side: str) -> dict[str, Any] | None:
    if row.get(f"{side}_code") is None:
        return None
    return {
        part: row.get(f"{side}_{part}") for part in ("text", "code", "country", "sector", "name")
    }


def _json(value: object) -> Any:
    if isinstance(value, str):
        return json.loads(value)
    return value


def plover_type(cameo: str) -> str | None:
    """The PLOVER type of a CAMEO code, None when PLOVER drops or lacks it."""
    try:
        code = load_plover().map(cameo)
    except OntologyError:
        return None
    return code.type if code else None


def stored_event_out(event: StoredEvent) -> dict[str, Any]:
    """A stored event as the JSON of ``StoredEventOut``."""
    return {
        "id": event.id,
        "provenance": event.provenance,
        "date": event.date.isoformat() if event.date else None,
        "source": _actor(event.source),
        "target": _actor(event.target),
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "quad": event.quad,
        "plover_type": plover_type(event.cameo),
        "location": event.location.to_dict() if event.location else None,
        "num_mentions": event.num_mentions,
        "num_sources": event.num_sources,
        "num_articles": event.num_articles,
        "source_url": event.source_url,
        "killed": event.killed.to_dict() if event.killed else None,
        "injured": event.injured.to_dict() if event.injured else None,
    }


def _actor(actor: Actor | None) -> dict[str, Any] | None:
    return dataclasses.asdict(actor) if actor else None


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
    rows = store.select(_DOCUMENT, {"id": doc_id})
    if not rows:
        return None
    document = dict(zip(_DOCUMENT_COLUMNS, rows[0], strict=True))
    date = document["date"]
    document["date"] = date.isoformat() if isinstance(date, dt.date) else None
    frame = store.frame(_DOCUMENT_MENTIONS, {"id": doc_id})
    document["mentions"] = [mention_from_row(r) for r in _records(frame)]
    return document


def map_points(
    store: Store,
    *,
    plover: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 5000,
) -> list[dict[str, Any]]:
    """Located stored events (newest scanned last), at most ``limit``."""
    points: list[dict[str, Any]] = []
    for count, event in enumerate(store.stored_events(since=since, until=until)):
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
