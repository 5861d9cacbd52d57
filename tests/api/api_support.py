"""Shared by the API and browser tests: a seeded store and a synchronous ASGI client.

``ApiClient`` drives the ASGI app in-process through ``httpx.ASGITransport``;
each call runs on its own event loop so tests stay synchronous.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from dyadwatch.api._hot import HotReads
from dyadwatch.api._hub import StoreHub
from dyadwatch.coder.engine import Coder
from dyadwatch.model import Actor, Document, Location, Range
from dyadwatch.store import Store, StoredEvent
from dyadwatch.workflows import ingest_items

TOKEN = "test-token-123"
HOSTILE_TEXT = (
    "Pakistan attacked India. <script>window.__pwned = 1</script><img src=x onerror=alert(1)>"
)
TEXTS = (
    ("India attacked Pakistan.", dt.date(2019, 2, 26)),
    ("Pakistan attacked India and Afghanistan.", dt.date(2019, 2, 27)),
    ("China urged Pakistan and India to exercise restraint.", dt.date(2019, 2, 28)),
    ("Pakistan agreed to hold talks with India.", dt.date(2019, 3, 5)),
    ("The United States met Pakistan.", dt.date(2019, 4, 2)),
    (HOSTILE_TEXT, dt.date(2019, 3, 9)),
)
IMPORTED = StoredEvent(
    id="gdelt2:777",
    provenance="gdelt2",
    date=dt.date(2019, 3, 1),
    source=Actor("US drone", "USAMIL", "USA", "MIL", "United States"),
    target=Actor("militants", "PAKREB", "PAK", "REB", "Pakistan"),
    cameo="195",
    goldstein=-10.0,
    quad=4,
    external_id="777",
    location=Location("Miranshah", "PAK", None, 33.0, 70.07, "city", None),
    killed=Range(3, 5),
)


class ApiClient:
    """A synchronous face on an ASGI app, through httpx's in-process transport."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self._send(method, url, **kwargs))

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def fill_store(path: Path, coder: Coder) -> None:
    """Code ``TEXTS`` into a new store at ``path`` and add one imported, located strike."""
    documents = [
        Document.from_text(text, date=day, title=f"brief {i}", url=f"https://news.example/{i}")
        for i, (text, day) in enumerate(TEXTS)
    ]
    with Store.open(path) as store:
        report = ingest_items(coder, store, documents)
        assert report.ok and report.events >= len(TEXTS)
        store.add_stored_events([IMPORTED])


def history_events() -> list[StoredEvent]:
    """Two years of monthly USA–PAK events, nine of twelve cooperative, then two
    months with eleven of twelve conflictual (from January 2016), and a steady
    CHN–IND pair, half and half: a known low for the series, lows and ranking."""
    mixes = {("USA", "PAK"): [(9, 3)] * 24 + [(1, 11)] * 2, ("CHN", "IND"): [(6, 6)] * 26}
    events = []
    for (a, b), mix in mixes.items():
        for index, (coop, conflict) in enumerate(mix):
            first = dt.date(2016 + index // 12, index % 12 + 1, 1)
            for k in range(coop + conflict):
                n = f"h{a}{b}{index}-{k}"
                kind = ("042", 1.9, 1) if k < coop else ("190", -10.0, 4)
                day = first + dt.timedelta(days=k)
                events.append(_imported(n, day, a, b, kind))
    return events


def _imported(n: str, day: dt.date, a: str, b: str, kind: tuple[str, float, int]) -> StoredEvent:
    source, target = Actor(a, a, a, None, a), Actor(b, b, b, None, b)
    return StoredEvent(f"icews:{n}", "icews", day, source, target, *kind, external_id=n)


def summary_hub(path: Path, coder: Coder, *, max_age: float) -> StoreHub:
    """A hub whose whole-store summaries may lag a write by ``max_age`` seconds."""
    return StoreHub(path, token=TOKEN, coder_factory=lambda: coder, max_document_bytes=10_000,
                    summary_max_age=max_age)  # fmt: skip


class DocumentCount:
    """A summary that counts the store's documents and how often it was computed."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, store: Store) -> int:
        self.calls += 1
        return store.table_counts()["documents"]


@contextmanager
def serve_in_thread(app: Any, **config: Any) -> Iterator[int]:
    """Run ``app`` under a real uvicorn server on a free loopback port; yield the port.

    The server runs in a daemon thread and is stopped on exit. A server that has
    not started within 20 s fails the test rather than handing out a dead port.
    """
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    config.setdefault("log_level", "warning")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        if not server.started:
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port} within 20 s")
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def hot_layer(client: ApiClient) -> HotReads:
    """The app's :class:`HotReads` middleware (its stack is built on the first request)."""
    client.get("/health")
    layer: Any = client.app.middleware_stack
    while not isinstance(layer, HotReads):
        layer = layer.app
    return layer


class CountingApp:
    """The app behind the hot layer, counting the requests handed to it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = scope["query_string"].decode()
            self.paths.append(scope["path"] + ("?" + query if query else ""))
        await self.app(scope, receive, send)
