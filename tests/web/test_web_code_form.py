"""The dashboard's code form meets the same coding bounds as ``POST /code`` (in-process)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi import FastAPI

from dyadwatch.api._timeouts import CodingSlots
from dyadwatch.coder.engine import Coder
from dyadwatch.store import Store
from dyadwatch.web import create_app

BOUND = 0.3
"""The coding limit under test, in seconds: far below the 30 s request limit."""
SLACK = 2.0
HANG = 20.0
FORM = {"content-type": "application/x-www-form-urlencoded"}
PASTED = "Pakistan <b>attacked</b> India."


class StubCoder:
    """Codes nothing; hangs until released when ``slow``."""

    def __init__(self, *, slow: bool) -> None:
        self.slow = slow
        self.release = threading.Event()

    def code_text(self, text: str, date: dt.date | None = None) -> list[Any]:
        if self.slow:
            self.release.wait(HANG)
        return []


def _app(tmp_path: Path, coder: StubCoder, slots: int = 2, queue: int = 64) -> FastAPI:
    path = tmp_path / "web.duckdb"
    Store.open(path).close()
    return create_app(
        path,
        coder_factory=lambda: cast(Coder, coder),
        code_timeout=BOUND,
        coding_slots=slots,
        coding_queue=queue,
    )


@pytest.fixture
def slow() -> Iterator[StubCoder]:
    coder = StubCoder(slow=True)
    yield coder
    coder.release.set()


def _post_form(app: FastAPI, text: str = PASTED) -> tuple[httpx.Response, float]:
    async def send() -> tuple[httpx.Response, float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            start = time.monotonic()
            body = urllib.parse.urlencode({"text": text, "date": "2019-02-27"})
            response = await client.post("/ui/code", content=body, headers=FORM)
            return response, time.monotonic() - start

    return asyncio.run(send())


def test_web_code_form_slow_coding_is_a_dw610_page_within_the_bound(
    tmp_path: Path, slow: StubCoder
) -> None:
    app = _app(tmp_path, slow)
    try:
        response, elapsed = _post_form(app)
    finally:
        slow.release.set()
        app.state.hub.close()
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "DW610" in response.text
    assert f"The request took longer than the limit of {BOUND:g} s" in response.text
    assert BOUND <= elapsed < BOUND + SLACK
    # The form comes back with the pasted text, escaped, ready to retry.
    assert "Pakistan &lt;b&gt;attacked&lt;/b&gt; India." in response.text
    assert "<b>attacked" not in response.text


def test_web_code_form_busy_slots_are_refused_at_once(tmp_path: Path, slow: StubCoder) -> None:
    app = _app(tmp_path, slow, slots=1, queue=0)  # no queue: the refusal path
    slots: CodingSlots = app.state.hub.slots
    try:
        first, _ = _post_form(app)  # times out; its work keeps the only slot
        assert "DW610" in first.text and slots.busy == 1
        refused, elapsed = _post_form(app)
        slow.release.set()
        deadline = time.monotonic() + 10
        while slots.busy and time.monotonic() < deadline:
            time.sleep(0.02)
        slow.slow = False
        again, _ = _post_form(app)
    finally:
        slow.release.set()
        app.state.hub.close()
    assert refused.status_code == 503
    assert "DW611" in refused.text and "All 1 coding slots are busy" in refused.text
    assert refused.headers["retry-after"] == "2"
    assert elapsed < 1.0
    assert again.status_code == 200 and "0 events" in again.text


def test_web_code_form_fast_coding_is_unchanged(tmp_path: Path) -> None:
    app = _app(tmp_path, StubCoder(slow=False))
    try:
        response, _ = _post_form(app)
    finally:
        app.state.hub.close()
    assert response.status_code == 200
    assert "0 events" in response.text and 'class="error"' not in response.text


def test_web_code_form_empty_text_is_still_dw605(tmp_path: Path) -> None:
    app = _app(tmp_path, StubCoder(slow=False))
    try:
        response, _ = _post_form(app, text="   ")
    finally:
        app.state.hub.close()
    assert response.status_code == 422
    assert "DW605" in response.text
