"""Where one request's time goes, per read endpoint, through the ASGI app in this process.

Usage::

    .venv/bin/python bench/profile_api.py --store /tmp/dwapi/s10m.duckdb --repeat 40

For each endpoint of ``bench_api`` (its varied requests, one at a time, no
sockets) it times the whole request through the app (``total``: routing,
dependencies, the thread-pool hop, the handler, middleware, the response), and
then the handler's own parts called directly in this thread: DuckDB
(``execute`` and ``fetch`` of every statement, through a timing wrapper of the
connection), turning rows into contract-shaped dicts (``rows→dict``: the
store's codecs and ``_queries``), and validating and writing the JSON
(``json``: the response model's ``model_json``). ``framework`` is ``total``
minus the three. Medians in ms; the response cache is off, so every request
does its work. It also prints the CPU time of this process per request, which
is the server's cost without a load generator sharing the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_api import Endpoint, endpoints
from dyadwatch.store import Store

__all__ = ["TimedConnection", "main"]


class _TimedResult:
    def __init__(self, inner: Any, clock: list[float]) -> None:
        self._inner = inner
        self._clock = clock

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        if not name.startswith("fetch") and name not in ("df", "arrow"):
            return found

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return found(*args, **kwargs)
            finally:
                self._clock[0] += time.perf_counter() - started

        return timed


class TimedConnection:
    """A DuckDB connection whose ``execute`` and fetches add their seconds to ``clock[0]``."""

    def __init__(self, inner: Any, clock: list[float]) -> None:
        self._inner = inner
        self._clock = clock

    def execute(self, query: str, parameters: object = None) -> Any:
        started = time.perf_counter()
        try:
            return _TimedResult(self._inner.execute(query, parameters), self._clock)
        finally:
            self._clock[0] += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


async def _asgi_get(app: Any, path: str) -> int:
    """One GET through ``app``: its status (the body is read and dropped)."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(),
        "query_string": query.encode(), "root_path": "", "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {},
    }  # fmt: skip
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(scope, receive, send)
    return status


def _handler_parts(store: Store, clock: list[float]) -> dict[str, Callable[[str], Any]]:
    """For the endpoints whose handler is a store read plus JSON: the read (by path)
    and the model that writes its JSON."""
    from fastapi import Request

    from dyadwatch.api import _queries as q
    from dyadwatch.api import models
    from dyadwatch.api.routes_read import mention_query

    def events(path: str) -> tuple[Any, Any]:
        params = dict(p.split("=", 1) for p in path.partition("?")[2].split("&"))
        a, b = params["dyad"].split(",")
        import datetime as dt

        query = asyncio.run(
            mention_query(
                scope={},
                dyad=f"{a},{b}",
                root=params.get("root"),
                since=dt.date.fromisoformat(params["since"]) if "since" in params else None,
                until=dt.date.fromisoformat(params["until"]) if "until" in params else None,
                limit=int(params.get("limit", 100)),
                offset=int(params.get("offset", 0)),
            )
        )
        total, found = q.find_mentions(store, query)
        page = {"total": total, "limit": query.limit, "offset": query.offset, "events": found}
        return page, models.MentionPage

    def event(path: str) -> tuple[Any, Any]:
        found, mentions = q.explained_event(store, path.rsplit("/", 1)[1])
        return {"event": found, "mentions": mentions}, models.EventDetail

    def document(path: str) -> tuple[Any, Any]:
        return q.document_with_mentions(store, path.rsplit("/", 1)[1]), models.DocumentOut

    del Request
    return {"`/events` dyad, y": events, "`/events` dyad, o": events, "`/events/{id}`": event,
            "`/documents/{id}`": document}  # fmt: skip


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def profile(path: Path, repeat: int) -> str:
    from dyadwatch.web import create_app

    with Store.open(path, read_only=True) as store:
        measured = endpoints(store)
    app = create_app(path, response_cache_bytes=0)
    hub = app.state.hub
    clock = [0.0]
    base = Store.open(path, read_only=True)
    timed_store = Store(TimedConnection(base._con, clock), base.path, writable=False)  # type: ignore[arg-type]
    parts = _handler_parts(timed_store, clock)
    rows = []
    try:
        for endpoint in measured:
            rows.append(_one(app, endpoint, parts, clock, repeat))
            sys.stderr.write(rows[-1] + "\n")
    finally:
        hub.close()
        base.close()
    head = (
        "| endpoint | total | framework | DuckDB | rows→dict | json | CPU/request |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n"


def _one(
    app: Any, endpoint: Endpoint, parts: dict[str, Callable[[str], Any]], clock: list[float],
    repeat: int,
) -> str:  # fmt: skip
    requests = list(itertools.islice(itertools.cycle(endpoint.requests), repeat))
    asyncio.run(_asgi_get(app, requests[0].path))  # warm
    totals = []
    cpu = time.process_time()

    async def run_all() -> None:
        for request in requests:
            started = time.perf_counter()
            await _asgi_get(app, request.path)
            totals.append(time.perf_counter() - started)

    asyncio.run(run_all())
    cpu_ms = (time.process_time() - cpu) / len(requests) * 1000
    part = next((f for key, f in parts.items() if endpoint.name.startswith(key)), None)
    if part is None:
        return f"| {endpoint.name} | {_median(totals):.1f} | | | | | {cpu_ms:.1f} |"
    db, decode, json = [], [], []
    for request in requests:
        clock[0] = 0.0
        started = time.perf_counter()
        content, model = part(request.path)
        read = time.perf_counter() - started
        db.append(clock[0])
        decode.append(read - clock[0])
        started = time.perf_counter()
        if content is not None:
            model.model_validate(content).model_dump_json(by_alias=True)
        json.append(time.perf_counter() - started)
    framework = _median(totals) - _median(db) - _median(decode) - _median(json)
    return (
        f"| {endpoint.name} | {_median(totals):.1f} | {framework:.1f} | {_median(db):.1f} | "
        f"{_median(decode):.1f} | {_median(json):.1f} | {cpu_ms:.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    sys.stdout.write(profile(args.store, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
