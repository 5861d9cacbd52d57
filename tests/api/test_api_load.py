"""A short load test: many concurrent reads while documents are written, through the
app in-process. Every answer is 200 (or a documented 503), reads see the writes,
and afterwards no cursor or thread is left behind."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from api_support import TOKEN, ApiClient
from fastapi import FastAPI

from dyadwatch.api._hub import SUMMARY_MAX_AGE
from dyadwatch.coder.engine import Coder
from dyadwatch.web import create_app

READERS = 24
SECONDS = 3.0
"""The reads run at least this long, and until the writes are done."""
WRITES = 3
WRITE_EVERY = 0.1
CAP = 60.0
"""Seconds after which the test stops waiting, whatever the machine's load."""
_BUSY = {"DW610", "DW611"}
"""The only errors a server under load may answer (503, documented in docs/API.md)."""


def _reads(event_id: str, doc_id: str) -> list[str]:
    return [
        "/events?limit=50",
        "/events?dyad=PAK,IND&limit=5&order=asc",
        "/events?actor=PAK&root=19&limit=20",
        f"/events/{event_id}",
        "/events/gdelt2:777",
        f"/documents/{doc_id}",
        "/map/points?limit=100",
        "/dyads/top?n=5",
        "/dyads/PAK/IND/series?freq=M",
        "/ui/",
        "/ui/events?dyad=PAK,IND",
    ]


async def _read_loop(
    client: httpx.AsyncClient,
    paths: list[str],
    start: int,
    until: float,
    writes_done: asyncio.Event,
    seen: Counter[str],
) -> None:
    n = start
    cap = time.monotonic() + CAP
    while (time.monotonic() < until or not writes_done.is_set()) and time.monotonic() < cap:
        path = paths[n % len(paths)]
        n += 1
        response = await client.get(path)
        # A cached answer through the in-process transport never waits on anything,
        # so without this one reader would hold the event loop (a socket yields).
        await asyncio.sleep(0)
        if response.status_code == 200:
            seen["200"] += 1
        elif response.status_code == 503 and response.json()["error"]["code"] in _BUSY:
            seen["503"] += 1
        else:
            seen[f"{response.status_code} {path}"] += 1


async def _write_loop(client: httpx.AsyncClient, done: asyncio.Event, written: list[str]) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        for n in range(WRITES):
            text = f"Pakistan attacked India in load round {n}."
            response = await client.post("/documents", json={"text": text}, headers=headers)
            assert response.status_code == 200, response.text
            written.append(response.json()["doc_id"])
            await asyncio.sleep(WRITE_EVERY)
    finally:
        done.set()


async def _load(app: FastAPI, paths: list[str]) -> tuple[Counter[str], list[str]]:
    seen: Counter[str] = Counter()
    written: list[str] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for path in paths:  # first calls import modules and compile templates: not load
            assert (await client.get(path)).status_code == 200, path
        until = time.monotonic() + SECONDS
        done = asyncio.Event()
        await asyncio.gather(
            _write_loop(client, done, written),
            *(_read_loop(client, paths, i, until, done, seen) for i in range(READERS)),
        )
    return seen, written


def _ids(app: FastAPI) -> tuple[str, str]:
    hub = app.state.hub
    found = hub.readers.select(
        "SELECT l.event_id, m.doc_id FROM event_links l"
        " JOIN event_mentions m ON m.id = l.mention_id ORDER BY l.event_id LIMIT 1"
    )
    return str(found[0][0]), str(found[0][1])


@pytest.mark.slow
def test_api_load_reads_under_writes_answer_and_leak_nothing(
    store_path: Path, small_coder: Coder
) -> None:
    threads_before = {t.ident for t in threading.enumerate()}
    app = create_app(store_path, token=TOKEN, coder_factory=lambda: small_coder)
    hub = app.state.hub
    counts_before = hub.readers.table_counts()
    paths = _reads(*_ids(app))

    seen, written = asyncio.run(_load(app, paths))

    assert seen["200"] > 2 * READERS, seen  # the load did run
    assert set(seen) <= {"200", "503"}, seen  # no error but the documented busy ones
    assert len(written) == WRITES  # every write went in while the reads ran
    counts = hub.readers.table_counts()
    assert counts["documents"] == counts_before["documents"] + len(set(written))
    # The overview's kept summaries follow the writes.
    # The dashboard's whole-store counts may lag a write by the summaries' max age.
    deadline = time.monotonic() + SUMMARY_MAX_AGE + 5
    while True:
        page = ApiClient(app).get("/ui/")
        assert page.status_code == 200
        if f"{counts['documents']} documents" in page.text or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert f"{counts['documents']} documents" in page.text

    cursors = hub.readers._con  # the per-thread cursors behind the shared reader
    assert 0 < cursors.open_cursors <= 40  # at most one per worker thread
    hub.close()
    assert cursors.open_cursors == 0
    _wait_for_threads(threads_before)


def _wait_for_threads(before: set[int | None], seconds: float = 15.0) -> None:
    """Worker threads of the finished event loops end; none of ours is left running."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
        if not left:
            return
        time.sleep(0.1)
    raise AssertionError(f"threads left running: {[t.name for t in left]}")
