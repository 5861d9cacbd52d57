"""The hot reads without the framework's per-request machinery: ``GET /health``,
``/events``, ``/events/{id}`` and ``/documents/{id}`` answered by a plain ASGI layer
when the read side answers them, and ``GET /dyads/{a}/{b}/series`` with at most a
``freq``, with the bytes and headers the routes send.

FastAPI resolves and validates every declared query parameter of a request
through generic code (annotations inspected per request): for ``/events``, with
its 18 parameters, that cost about as much CPU as reading the page from the
read side (docs/PERFORMANCE.md, "Session 13: the framework's share"). This
layer parses the few parameters the read side answers with checks *stricter*
than the routes' declarations (ASCII digits, plain ISO dates, no repeated or
unknown keys) and calls the routes' own functions (:func:`mention_query`,
:func:`readside_page_json`, …): a page on a worker thread, as the route does, a
point read (one key lookup) on the event loop, which saves the hop. Every
request it is not sure of goes on to the declared route untouched: anything
its parser refuses, a filter the read side does not hold, a read side that is
behind, an id it does not have, any error. So the routes stay the one place
that validates, reads DuckDB and renders errors (the same numbered errors,
the same time limit: this layer sits inside the request timeout), and this one
only ever answers what they would answer, byte for byte (tests/api/test_api_hot.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import anyio
import anyio.to_thread

from dyadwatch.api._hub import StoreHub
from dyadwatch.api._queries import MentionQuery
from dyadwatch.api.routes_analytics import series_json
from dyadwatch.api.routes_read import (
    HEALTH,
    mention_query,
    readside_document_json,
    readside_event_json,
    readside_page_json,
)
from dyadwatch.errors import DyadwatchError
from dyadwatch.store import Store

__all__ = ["SERIES_THREADS", "HotReads"]

SERIES_THREADS = 2
"""Series computed at once (the machine's two cores; the numpy and DuckDB parts
release the lock, the Python between them does not)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_ID = re.compile(r"[A-Za-z0-9:_.\-]{1,200}")
"""``routes_read.ID``, ASCII only (``re.fullmatch``)."""
_COUNT = re.compile(r"0|[1-9][0-9]{0,7}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PAGE_PARAMS: dict[str, tuple[re.Pattern[str], Callable[[str], Any]]] = {
    "dyad": (re.compile(r"[A-Za-z0-9]{3,30},[A-Za-z0-9]{3,30}"), str),
    "root": (re.compile(r"[0-9]{2}"), str),
    "since": (_DATE, dt.date.fromisoformat),
    "until": (_DATE, dt.date.fromisoformat),
    "limit": (_COUNT, int),
    "offset": (_COUNT, int),
    "order": (re.compile(r"asc|desc"), str),
    "after": (re.compile(r"[A-Za-z0-9_\-]{1,1000}"), str),
}
"""The ``GET /events`` parameters the read side answers, each with a check at least as
strict as the route's declaration and the conversion FastAPI would make."""
_BOUNDS = {"limit": 1000, "offset": 10_000_000}
_JSON = b"application/json"
_SIDE = re.compile(r"[A-Za-z0-9]{3,30}")
"""``routes_read.ACTOR``, ASCII only (``re.fullmatch``)."""
_FREQUENCIES = frozenset({"D", "W", "M", "Y"})
"""The series route's ``freq`` values (its ``Literal``)."""
_POINT_READS = (("/events/", readside_event_json), ("/documents/", readside_document_json))

T = TypeVar("T")


class HotReads:
    """ASGI middleware: the hot ``GET`` reads from the read side, the rest to ``app``."""

    def __init__(self, app: ASGIApp, hub: StoreHub, series_threads: int = SERIES_THREADS) -> None:
        self.app = app
        self.hub = hub
        self.series_threads = series_threads
        self._series_limiter: anyio.CapacityLimiter | None = None  # made on the loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = None
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            body = await self._answer(scope["path"], scope.get("query_string", b""))
        if body is None:
            await self.app(scope, receive, send)
            return
        # What starlette's Response(body, media_type="application/json") sends.
        headers = [(b"content-length", str(len(body)).encode()), (b"content-type", _JSON)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, path: str, query: bytes) -> bytes | None:
        """The body the route would send with 200, or None to let the route answer."""
        if path == "/health":
            return HEALTH if not query else None
        if path == "/events":
            found = await _page_query(query)
            if found is None:
                return None
            # On a worker thread, as the route's ``def`` runs: a page counts its
            # matches, which for a broad filter takes tens of ms (docs/PERFORMANCE.md).
            return await anyio.to_thread.run_sync(self._read, readside_page_json, found)
        if path.startswith("/dyads/") and path.endswith("/series"):
            series = _series_request(path, query)
            if series is None:
                return None
            # On a worker thread, as the route's ``def`` runs: a series costs
            # milliseconds of numpy and DuckDB, which must not stop the loop. At
            # most ``series_threads`` at once: 16 series on 16 threads spend their
            # CPU handing the interpreter lock around (docs/PERFORMANCE.md,
            # "Session 14: series bounded"); the rest wait on the loop.
            limiter = self._series_limiter
            if limiter is None:
                limiter = self._series_limiter = anyio.CapacityLimiter(self.series_threads)
            return await anyio.to_thread.run_sync(self._read, _series, series, limiter=limiter)
        for prefix, read in _POINT_READS:
            if path.startswith(prefix):
                key = path[len(prefix) :]
                if query or not _ID.fullmatch(key):
                    return None
                # On the event loop: one key lookup in SQLite (an import's answer is
                # rendered from its row, ~0.1 ms) costs less than the hop to a thread.
                return self._read(read, key)
        return None

    def _read(self, read: Callable[[Store, T], bytes | None], arg: T) -> bytes | None:
        """``read(store, arg)``, or None when it fails: the route then does the same
        work and renders its error."""
        try:
            return read(self.hub.readers, arg)
        except Exception:  # noqa: BLE001 - the route repeats it and renders the error
            return None


def _series_request(path: str, raw: bytes) -> tuple[str, str, str] | None:
    """The sides and ``freq`` of a series request this layer is sure of: two sides as
    the route's pattern allows them, and no query parameter but one ``freq`` of the
    route's choices (any other, even one the route ignores, goes to the route)."""
    parts = path.split("/")  # "", "dyads", a, b, "series"
    if len(parts) != 5 or not all(_SIDE.fullmatch(side) for side in parts[2:4]):
        return None
    freq = "M"
    if raw:
        try:
            pairs = parse_qsl(raw.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return None
        if len(pairs) != 1 or pairs[0][0] != "freq" or pairs[0][1] not in _FREQUENCIES:
            return None
        freq = pairs[0][1]
    return parts[2], parts[3], freq


def _series(store: Store, request: tuple[str, str, str]) -> bytes:
    """The series route's body at its defaults but ``freq``."""
    a, b, freq = request
    return series_json(store, a, b, freq)


async def _page_query(raw: bytes) -> MentionQuery | None:
    """The route's :class:`MentionQuery` for a query string this layer is sure of."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    pairs = parse_qsl(text, keep_blank_values=True)
    given: dict[str, Any] = {}
    for name, value in pairs:
        check = _PAGE_PARAMS.get(name)
        if check is None or name in given or not check[0].fullmatch(value):
            return None
        try:
            given[name] = check[1](value)
        except ValueError:  # a date that does not exist: the route says which
            return None
        if name in _BOUNDS and given[name] > _BOUNDS[name]:
            return None
    try:
        return await mention_query({}, **given)
    except DyadwatchError:  # a bad cursor (DW605): the route renders it
        return None
