"""Coding slots: slow coding cannot pile up threads; a burst waits its turn in a bounded
queue, and past the queue a full server refuses at once (DW611)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from api_slow import HANG, SlowCoder
from api_support import TOKEN
from fastapi import FastAPI

from dyadwatch.api._timeouts import CodingSlots
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ApiError, ConfigError
from dyadwatch.web import create_app

BOUND = 0.3
"""The coding limit under test, in seconds."""
FAST = 1.0
"""A refusal must come well before any coding limit: it does not wait at all."""
THREAD_PREFIX = "dyadwatch-coding"


@pytest.fixture
def slow_app(store_path: Path, slow_coder: SlowCoder) -> Iterator[FastAPI]:
    app = create_app(
        store_path,
        token=TOKEN,
        coder_factory=lambda: cast(Coder, slow_coder),
        code_timeout=BOUND,
        coding_slots=2,
        coding_queue=0,  # the refusal path; the queue has tests of its own below
    )
    yield app
    slow_coder.release.set()
    app.state.hub.close()


class QuickCoder:
    """A coder that takes a short, fixed time per text, as a one-sentence text does."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.calls = 0

    def code_text(self, text: str, date: object = None) -> list[Any]:
        self.calls += 1
        time.sleep(self.seconds)
        return []


async def _post(app: FastAPI, url: str, **kwargs: Any) -> tuple[httpx.Response, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        start = time.monotonic()
        response = await client.post(url, **kwargs)
        return response, time.monotonic() - start


def _wait_until_free(slots: CodingSlots, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while slots.busy and time.monotonic() < deadline:
        time.sleep(0.02)
    assert slots.busy == 0, "released work gives its slot back"


def _coding_threads() -> int:
    return sum(t.name.startswith(THREAD_PREFIX) for t in threading.enumerate())


def test_api_slots_full_server_refuses_at_once_then_recovers(
    slow_app: FastAPI, slow_coder: SlowCoder
) -> None:
    slots: CodingSlots = slow_app.state.hub.slots
    body = {"json": {"text": "India attacked Pakistan."}}

    async def scenario() -> list[tuple[httpx.Response, float]]:
        # Two requests time out; their work keeps both slots while the coder hangs.
        timed_out = await asyncio.gather(*(_post(slow_app, "/code", **body) for _ in range(2)))
        refused = await _post(slow_app, "/code", **body)
        return [*timed_out, refused]

    first, second, refused = asyncio.run(scenario())
    for response, _ in (first, second):
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "DW610"
    assert slots.busy == 2
    response, elapsed = refused
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "DW611"
    assert "All 2 coding slots are busy" in response.json()["error"]["message"]
    assert response.headers["retry-after"] == "2"
    assert elapsed < FAST
    assert slow_coder.calls == 1, "the second request waited for the coder, the third never ran"

    slow_coder.release.set()
    _wait_until_free(slots)
    again, _ = asyncio.run(_post(slow_app, "/code", **body))
    assert again.status_code == 200 and again.json() == {"events": []}


def test_api_slots_a_flood_never_holds_more_threads_than_slots(
    slow_app: FastAPI, slow_coder: SlowCoder
) -> None:
    before = _coding_threads()

    async def flood() -> list[tuple[httpx.Response, float]]:
        posts = (_post(slow_app, "/code", json={"text": f"text {i}."}) for i in range(12))
        return await asyncio.gather(*posts)

    answers = asyncio.run(flood())
    codes = sorted(r.json()["error"]["code"] for r, _ in answers)
    assert codes == ["DW610"] * 2 + ["DW611"] * 10
    assert _coding_threads() - before <= 2
    assert all(elapsed < BOUND + 2.0 for _, elapsed in answers)


def test_api_slots_documents_share_the_slots(slow_app: FastAPI, slow_coder: SlowCoder) -> None:
    slots: CodingSlots = slow_app.state.hub.slots
    document = {"text": "Pakistan attacked India.", "date": "2019-02-27"}
    auth = {"Authorization": f"Bearer {TOKEN}"}

    async def scenario() -> tuple[httpx.Response, float]:
        await asyncio.gather(*(_post(slow_app, "/code", json={"text": "a b."}) for _ in range(2)))
        return await _post(slow_app, "/documents", json=document, headers=auth)

    response, elapsed = asyncio.run(scenario())
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "DW611"
    assert elapsed < FAST
    slow_coder.release.set()
    _wait_until_free(slots)


def test_api_slots_failing_work_gives_its_slot_back() -> None:
    slots = CodingSlots(1)

    def broken() -> None:
        raise ValueError("boom")

    try:
        with pytest.raises(ValueError, match="boom"):
            asyncio.run(slots.run(5.0, broken))
        assert slots.busy == 0
        assert asyncio.run(slots.run(None, lambda: 41 + 1)) == 42
    finally:
        slots.close()


def test_api_slots_blocked_work_keeps_its_slot_until_it_ends() -> None:
    # A wait inside C cannot be interrupted: the slot stays taken until it returns.
    slots = CodingSlots(1)
    release = threading.Event()
    try:
        with pytest.raises(ApiError) as timed_out:
            asyncio.run(slots.run(BOUND, release.wait, HANG))
        assert timed_out.value.code == "DW610"
        assert slots.busy == 1
        with pytest.raises(ApiError) as refused:
            asyncio.run(slots.run(BOUND, lambda: None))
        assert refused.value.code == "DW611"
        release.set()
        _wait_until_free(slots)
    finally:
        release.set()
        slots.close()


def _spin(seconds: float) -> str:
    """Python work with no blocking call: what an interrupt can reach."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "finished"


def test_api_slots_interrupt_python_work_past_its_limit() -> None:
    slots = CodingSlots(1)
    try:
        started = time.monotonic()
        with pytest.raises(ApiError) as timed_out:
            asyncio.run(slots.run(BOUND, _spin, HANG))
        assert timed_out.value.code == "DW610"
        _wait_until_free(slots, seconds=5.0)  # long before HANG: the work was stopped
        assert time.monotonic() - started < HANG / 2
        assert asyncio.run(slots.run(BOUND, lambda: 41 + 1)) == 42
    finally:
        slots.close()


def test_api_slots_work_within_its_limit_is_not_interrupted() -> None:
    slots = CodingSlots(1)
    try:
        # Work of half the bound, under a limit wide enough that a busy machine's
        # scheduling (CI failed once at 0.3 s) cannot make it overrun.
        for _ in range(5):
            assert asyncio.run(slots.run(BOUND * 10, _spin, BOUND * 0.5)) == "finished"
        assert slots.busy == 0
    finally:
        slots.close()


def test_api_slots_are_closed_by_the_lifespan(store_path: Path, small_coder: Coder) -> None:
    app = create_app(store_path, coder_factory=lambda: small_coder)
    slots: CodingSlots = app.state.hub.slots

    async def serve_once() -> None:
        async with app.router.lifespan_context(app):
            assert not slots.closed

    asyncio.run(serve_once())
    assert slots.closed


@pytest.mark.parametrize("slots", [0, -1, True, 1.5])
def test_api_slots_bad_size_is_dw001(store_path: Path, small_coder: Coder, slots: Any) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(store_path, coder_factory=lambda: small_coder, coding_slots=slots)
    assert caught.value.code == "DW001"
    assert "coding_slots" in str(caught.value)


def test_api_slots_closed_slots_take_no_work() -> None:
    slots = CodingSlots(1)
    slots.close()
    with pytest.raises(RuntimeError):
        asyncio.run(slots.run(1.0, lambda: None))
    assert slots.busy == 0


def test_api_slots_a_burst_within_the_queue_is_all_answered(store_path: Path) -> None:
    quick = QuickCoder(0.02)
    app = create_app(store_path, coder_factory=lambda: cast(Coder, quick), coding_slots=2)
    before = _coding_threads()

    async def burst() -> list[tuple[httpx.Response, float]]:
        posts = (_post(app, "/code", json={"text": f"Text {i} was said."}) for i in range(40))
        return await asyncio.gather(*posts)

    try:
        answers = asyncio.run(burst())
    finally:
        app.state.hub.close()
    assert [r.status_code for r, _ in answers] == [200] * 40
    assert quick.calls == 40
    assert _coding_threads() - before <= 2


def test_api_slots_past_the_queue_refuses_at_once(store_path: Path, slow_coder: SlowCoder) -> None:
    app = create_app(
        store_path,
        coder_factory=lambda: cast(Coder, slow_coder),
        code_timeout=HANG,
        coding_slots=1,
        coding_queue=1,
    )
    slots: CodingSlots = app.state.hub.slots

    async def scenario() -> tuple[httpx.Response, float]:
        running = asyncio.ensure_future(_post(app, "/code", json={"text": "one."}))
        waiting = asyncio.ensure_future(_post(app, "/code", json={"text": "two."}))
        while slots.busy < 2:
            await asyncio.sleep(0.01)
        refused = await _post(app, "/code", json={"text": "three."})
        slow_coder.release.set()
        done = await asyncio.gather(running, waiting)
        assert [r.status_code for r, _ in done] == [200, 200], "admitted requests are served"
        return refused

    try:
        response, elapsed = asyncio.run(scenario())
    finally:
        slow_coder.release.set()
        app.state.hub.close()
    assert response.status_code == 503
    body = response.json()["error"]
    assert body["code"] == "DW611"
    assert "All 1 coding slots are busy and 1 requests wait" in body["message"]
    assert response.headers["retry-after"] == "2"
    assert elapsed < FAST
    assert slow_coder.calls == 2


def test_api_slots_a_limit_passed_in_the_queue_never_reaches_the_coder(
    store_path: Path, slow_coder: SlowCoder
) -> None:
    app = create_app(
        store_path,
        coder_factory=lambda: cast(Coder, slow_coder),
        code_timeout=BOUND,
        coding_slots=1,
        coding_queue=4,
    )
    slots: CodingSlots = app.state.hub.slots

    async def scenario() -> list[tuple[httpx.Response, float]]:
        posts = (_post(app, "/code", json={"text": f"text {i}."}) for i in range(3))
        return await asyncio.gather(*posts)

    try:
        answers = asyncio.run(scenario())
        assert [r.json()["error"]["code"] for r, _ in answers] == ["DW610"] * 3
        assert all(r.headers["retry-after"] == "2" for r, _ in answers)
        assert all(elapsed < BOUND + 2.0 for _, elapsed in answers)
        assert slow_coder.calls == 1, "the waiting requests were given up before they started"
        assert slots.busy == 1, "only the hung work still holds its slot"
        slow_coder.release.set()
        _wait_until_free(slots)
    finally:
        slow_coder.release.set()
        app.state.hub.close()


@pytest.mark.parametrize("queue", [-1, True, 2.5])
def test_api_slots_bad_queue_is_dw001(store_path: Path, small_coder: Coder, queue: Any) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(store_path, coder_factory=lambda: small_coder, coding_queue=queue)
    assert caught.value.code == "DW001"
    assert "coding_queue" in str(caught.value)
