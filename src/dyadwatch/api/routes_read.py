"""Read-only endpoints: events, one event, documents, top dyads, map points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from dyadwatch._version import __version__
from dyadwatch.api._deps import hub_of, reader
from dyadwatch.api._queries import (
    MentionQuery,
    decode_cursor,
    document_with_mentions,
    explained_event,
    map_points,
    page_json,
    readside_request,
    to_jsonable,
)
from dyadwatch.api._render import json_body, live_page_json
from dyadwatch.api._scope import ScopeDep
from dyadwatch.api.models import (
    DocumentOut,
    ErrorBody,
    EventDetail,
    Health,
    MapPoints,
    MentionPage,
    TopDyad,
)
from dyadwatch.errors import ApiError, Errors
from dyadwatch.ontology.plover import PLOVER_TYPES
from dyadwatch.store import Store

__all__ = ["ACTOR", "HEALTH", "ID", "check_plover", "mention_query", "model_json", "router"]

ACTOR = r"^[A-Za-z0-9]{3,30}$"
ID = r"^[A-Za-z0-9:_.\-]{1,200}$"
HEALTH = f'{{"status":"ok","version":"{__version__}"}}'.encode()
"""The body of ``GET /health``: made once, it never changes under a running server."""
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (404, 422, 500)
}

router = APIRouter(tags=["read"], responses=_ERRORS)

StoreDep = Annotated[Store, Depends(reader)]


def check_plover(value: str | None) -> str | None:
    """A PLOVER type in upper case, or DW605."""
    if value is None:
        return None
    upper = value.upper()
    if upper not in PLOVER_TYPES:
        raise ApiError(Errors.DW605, detail=f"plover: expected one of {', '.join(PLOVER_TYPES)}")
    return upper


async def mention_query(
    scope: ScopeDep,
    dyad: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z0-9]{3,30},[A-Za-z0-9]{3,30}$", description="A,B either way"),
    ] = None,
    actor: Annotated[str | None, Query(pattern=ACTOR, description="code or country")] = None,
    code: Annotated[str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO prefix")] = None,
    root: Annotated[str | None, Query(pattern=r"^\d{2}$", description="CAMEO root")] = None,
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3,12}$")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    place: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    negated: bool | None = None,
    hypothetical: bool | None = None,
    reported: bool | None = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    order: Literal["asc", "desc"] = "desc",
    after: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z0-9_\-]{1,1000}$",
            description="the `next` of the previous page: the page after it (keyset paging)",
        ),
    ] = None,
) -> MentionQuery:
    """The query parameters of ``GET /events``, validated (a bad cursor is DW605).

    ``async``: it does no I/O, and FastAPI runs a plain ``def`` dependency on a
    worker thread, a hop that cost more than the validation under load.
    """
    pair = tuple(dyad.split(",")) if dyad else None
    return MentionQuery(
        dyad=(pair[0], pair[1]) if pair else None,
        actor=actor, code=code, root=root, plover=check_plover(plover),
        since=since, until=until, country=country, place=place,
        negated=negated, hypothetical=hypothetical, reported=reported,
        limit=limit, offset=offset, order=order,
        after=decode_cursor(after, order) if after is not None else None,
        **scope,  # type: ignore[arg-type]
    )  # fmt: skip


QueryDep = Annotated[MentionQuery, Depends(mention_query)]


def model_json(model: type[BaseModel], content: Mapping[str, Any]) -> Response:
    """``content`` validated and written as JSON by ``model``, in the endpoint's worker
    thread: returned as a ``Response``, FastAPI skips its own validation of the
    ``response_model``, which for a sync endpoint is one more hop to the thread pool.
    The model, and so the JSON and the OpenAPI schema, are the same."""
    return Response(json_body(model, content), media_type="application/json")


@router.get("/health", response_model=Health)
async def health() -> Response:
    """The server answers: a liveness check that touches no store (``async``: no worker
    thread). Also the floor of a request on this server stack (docs/PERFORMANCE.md)."""
    return Response(HEALTH, media_type="application/json")


@router.get("/events", response_model=MentionPage)
def list_events(store: StoreDep, query: QueryDep) -> Response:
    """Event mentions matching the filters, newest first unless ``order=asc``. A full
    page carries ``next``: ask again with ``after=<next>`` (and the same filters) for
    the page after it, at the cost of a first page however deep. The common filters
    are answered from the store's read side when it is current (docs/STORE.md)."""
    request = readside_request(query)
    read = store.readside_page(request) if request is not None else None
    if read is not None:
        return Response(page_json(read, query), media_type="application/json")
    return Response(live_page_json(store, query), media_type="application/json")


@router.get("/events/{event_id}", response_model=EventDetail)
def get_event(store: StoreDep, event_id: Annotated[str, Path(pattern=ID)]) -> Response:
    """One deduplicated event and why it was coded: its confidence, date basis, the rule
    that proposed it and the scorer's next-best type, then every mention that reports it
    (sentence, evidence spans, its own confidence, rule, incident mentions and
    alternatives)."""
    side = store.readside
    body = side.event(event_id) if side is not None else None
    if body is not None:  # the read side's bytes are the live path's (docs/STORE.md)
        return Response(body, media_type="application/json")
    event, mentions = explained_event(store, event_id)
    if event is None and not mentions:
        raise ApiError(Errors.DW604, what=f"event {event_id!r}")
    return model_json(EventDetail, {"event": event, "mentions": mentions})


@router.get("/documents/{doc_id}", response_model=DocumentOut)
def get_document(store: StoreDep, doc_id: Annotated[str, Path(pattern=ID)]) -> Response:
    """One stored document: its full text, metadata and coded mentions."""
    side = store.readside
    body = side.document(doc_id) if side is not None else None
    if body is not None:
        return Response(body, media_type="application/json")
    document = document_with_mentions(store, doc_id)
    if document is None:
        raise ApiError(Errors.DW604, what=f"document {doc_id!r}")
    return model_json(DocumentOut, document)


@router.get("/dyads/top", response_model=list[TopDyad])
def top_dyads(
    store: StoreDep, scope: ScopeDep, n: Annotated[int, Query(ge=1, le=100)] = 10
) -> list[Any]:
    """The busiest undirected country pairs."""
    frame = store.top_dyads(n, **scope)
    return [
        {**row, "goldstein_mean": None if row["goldstein_mean"] != row["goldstein_mean"]
         else row["goldstein_mean"]}
        for row in frame.to_dict(orient="records")
    ]  # fmt: skip


@router.get("/map/points", response_model=MapPoints)
def get_map_points(
    request: Request,
    store: StoreDep,
    scope: ScopeDep,
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3,12}$")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 5000,
) -> dict[str, Any]:
    """Located events for the map, optionally of one PLOVER type."""
    chosen = check_plover(plover)
    # The store's distinct CAMEO codes scan every event: kept until the next write.
    codes = hub_of(request).summary("cameo_codes", Store.cameo_codes) if chosen else None
    points = map_points(
        store, plover=chosen, since=since, until=until, limit=limit, cameo_codes=codes, **scope
    )
    return {"points": points}


@router.get("/watch/status")
def watch_status_route(store: StoreDep) -> dict[str, Any]:
    """The feed watcher's state: feeds, last fetches and errors, cycles, alerts."""
    from dyadwatch.watch.status import watch_status

    found: dict[str, Any] = to_jsonable(watch_status(store))
    return found
