"""The framework's share of a hot read: CPU per request of each layer, in this process.

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/profile_framework.py --store /tmp/kv/s10m.duckdb

For ``/events`` (dyad, year, root), ``/events/{id}``, ``/documents/{id}`` and
``/health`` (``bench_api``'s varied requests, response cache off, raw ASGI calls,
no sockets) it prints the CPU per request of the whole app (all threads, and the
event loop's thread alone), then of its parts timed apart: FastAPI's resolution
and validation of the route's parameters and dependencies (``solve_dependencies``
on the declared route), one hop to a worker thread (``anyio.to_thread``, as a
``def`` route takes), a ``Response`` built and sent, and the read itself
(the route's read-side function called directly). Best of three runs of
``--repeat`` requests each (``time.process_time``: same-process CPU, so a shared
machine slows it less than wall-clock figures). Run it with an older tree first on
``PYTHONPATH`` to time that tree's app (the parts need this tree's functions).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi.dependencies.utils import solve_dependencies
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from bench_api import _chosen, endpoints
from dyadwatch.store import Store
from dyadwatch.web import create_app

_NAMES = ("`/events` dyad, year", "`/events/{id}`", "`/documents/{id}`", "`/health`")


def _scope(path: str) -> dict[str, Any]:
    parts = urlsplit(path)
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": parts.path, "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(), "root_path": "", "state": {},
        "headers": [(b"host", b"bench")], "client": ("127.0.0.1", 1), "server": ("bench", 80),
    }  # fmt: skip


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: Any) -> None:
    return None


async def _best(
    paths: Sequence[str], call: Callable[[str], Awaitable[object]], repeat: int
) -> tuple[float, float]:
    """CPU ms per call (all threads, this thread), best of three runs."""
    for path in paths[:20]:
        await call(path)
    runs = []
    for _ in range(3):
        started, own = time.process_time(), time.thread_time()
        for i in range(repeat):
            await call(paths[i % len(paths)])
        runs.append(((time.process_time() - started), (time.thread_time() - own)))
    total, loop = min(runs)
    return total / repeat * 1000, loop / repeat * 1000


def _route(app: Any, path: str) -> tuple[Any, dict[str, Any]]:
    from dyadwatch.api.routes_read import router

    for route in router.routes:
        match, child = route.matches({**_scope(path), "app": app})
        if match == Match.FULL:
            return route, child
    raise LookupError(path)


def _read(path: str) -> Callable[[Store, str], Awaitable[object]] | None:
    """The route's read-side work for ``path`` (None for ``/health``, or for a tree
    older than these functions)."""
    try:
        from dyadwatch.api._hot import _page_query
        from dyadwatch.api.routes_read import (
            readside_document_json,
            readside_event_json,
            readside_page_json,
        )
    except ImportError:
        return None

    async def page(store: Store, path: str) -> object:
        query = await _page_query(urlsplit(path).query.encode())
        assert query is not None
        return readside_page_json(store, query)

    async def event(store: Store, path: str) -> object:
        return readside_event_json(store, path.rsplit("/", 1)[1])

    async def document(store: Store, path: str) -> object:
        return readside_document_json(store, path.rsplit("/", 1)[1])

    if path.startswith("/events?"):
        return page
    if path.startswith("/events/"):
        return event
    return document if path.startswith("/documents/") else None


async def profile(app: Any, paths: Sequence[str], repeat: int) -> list[tuple[str, float]]:
    """(part, CPU ms per request) of ``paths``' endpoint."""

    async def whole(path: str) -> None:
        await app(_scope(path), _receive, _send)

    route, _ = _route(app, paths[0])

    async def dependencies(path: str) -> None:
        scope = {**_scope(path), "app": app, **_route(app, path)[1]}
        async with contextlib.AsyncExitStack() as stack:
            for kind in ("inner", "middleware", "function"):
                scope[f"fastapi_{kind}_astack"] = stack
            await solve_dependencies(
                request=Request(scope), dependant=route.dependant,
                async_exit_stack=stack, embed_body_fields=False,
            )  # fmt: skip

    async def hop(path: str) -> None:
        await anyio.to_thread.run_sync(lambda: None)

    async def response(path: str) -> None:
        await Response(b"{}", media_type="application/json")(_scope(path), _receive, _send)

    total, loop = await _best(paths, whole, repeat)
    found = [("whole app, all threads", total), ("whole app, event loop thread", loop)]
    found.append(
        ("FastAPI parameters and dependencies", (await _best(paths, dependencies, repeat))[0])
    )
    found.append(("hop to a worker thread", (await _best(paths, hop, repeat))[0]))
    found.append(("Response built and sent", (await _best(paths, response, repeat))[0]))
    read = _read(paths[0])
    if read is not None:
        readers = app.state.hub.readers

        async def direct(path: str) -> None:
            await read(readers, path)

        found.append(("the read (read side, JSON)", (await _best(paths, direct, repeat))[0]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=600)
    args = parser.parse_args(argv)
    with Store.open(args.store, read_only=True) as store:
        measured = _chosen(endpoints(store), list(_NAMES))
    app = create_app(args.store, response_cache_bytes=0)
    try:
        for endpoint in measured:
            paths = [request.path for request in endpoint.requests]
            parts = asyncio.run(profile(app, paths, args.repeat))
            sys.stdout.write(f"{endpoint.name}\n")
            for name, ms in parts:
                sys.stdout.write(f"  {name}: {ms:.3f} ms CPU\n")
    finally:
        app.state.hub.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
