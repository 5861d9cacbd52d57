"""Time limits: a slow request is answered DW610 (503) on time; other requests are not touched."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from api_slow import HANG, SlowCoder
from api_support import TOKEN
from fastapi import FastAPI

from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ConfigError
from dyadwatch.web import create_app

BOUND = 0.3
"""The limit under test, in seconds."""
SLACK = 2.0
"""How late the answer may come on a loaded test machine: far below the handler's hang."""


def _app(
    store_path: Path, coder: SlowCoder, request_timeout: float = 30.0, code_timeout: float = 10.0
) -> FastAPI:
    return create_app(
        store_path,
        token=TOKEN,
        coder_factory=lambda: cast(Coder, coder),
        request_timeout=request_timeout,
        code_timeout=code_timeout,
    )


def _call(
    app: FastAPI, method: str, url: str, release: threading.Event, **kwargs: Any
) -> tuple[httpx.Response, float]:
    """The response and the seconds it took; the hung handler is released only after."""

    async def send() -> tuple[httpx.Response, float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            start = time.monotonic()
            try:
                response = await client.request(method, url, **kwargs)
            finally:
                release.set()
            return response, time.monotonic() - start

    try:
        return asyncio.run(send())
    finally:
        app.state.hub.close()


def _assert_dw610(response: httpx.Response, elapsed: float, bound: float) -> None:
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "DW610"
    assert f"{bound:g} s" in response.json()["error"]["message"]
    assert bound <= elapsed < bound + SLACK


def test_api_limits_slow_coding_is_dw610_within_the_code_bound(
    store_path: Path, slow_coder: SlowCoder
) -> None:
    app = _app(store_path, slow_coder, code_timeout=BOUND)
    body = {"text": "India attacked Pakistan."}
    response, elapsed = _call(app, "POST", "/code", slow_coder.release, json=body)
    _assert_dw610(response, elapsed, BOUND)
    assert slow_coder.calls == 1


def test_api_limits_code_bound_is_independent_of_the_request_bound(
    store_path: Path, slow_coder: SlowCoder
) -> None:
    app = _app(store_path, slow_coder, request_timeout=30.0, code_timeout=BOUND)
    response, elapsed = _call(app, "POST", "/code", slow_coder.release, json={"text": "x y."})
    _assert_dw610(response, elapsed, BOUND)


def test_api_limits_slow_sync_endpoint_is_answered_by_the_middleware(
    store_path: Path, slow_coder: SlowCoder
) -> None:
    # A def endpoint runs in a thread that cannot be stopped: the answer still comes on time.
    app = _app(store_path, slow_coder, request_timeout=BOUND)
    started, finished = threading.Event(), threading.Event()

    @app.get("/slow")
    def slow() -> dict[str, str]:
        started.set()
        slow_coder.release.wait(HANG)
        finished.set()
        return {"late": "yes"}

    response, elapsed = _call(app, "GET", "/slow", slow_coder.release)
    _assert_dw610(response, elapsed, BOUND)
    assert response.headers["x-content-type-options"] == "nosniff"
    # On a busy machine the bound can pass before the worker thread is even handed the
    # handler; then no thread was abandoned. One that started must run to its end.
    if started.is_set():
        assert finished.wait(5), "the abandoned thread runs to its end once released"


def test_api_limits_dashboard_timeout_is_an_html_page(
    store_path: Path, slow_coder: SlowCoder
) -> None:
    app = _app(store_path, slow_coder, request_timeout=BOUND)

    @app.get("/ui/slow-test")
    def slow() -> dict[str, str]:
        slow_coder.release.wait(HANG)
        return {}

    response, _ = _call(app, "GET", "/ui/slow-test", slow_coder.release)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "DW610" in response.text


def test_api_limits_normal_requests_are_untouched(store_path: Path, small_coder: Coder) -> None:
    app = create_app(
        store_path, token=TOKEN, coder_factory=lambda: small_coder, request_timeout=20.0
    )
    body = {"text": "Pakistan attacked India.", "date": "2019-02-27"}
    coded, _ = _call(app, "POST", "/code", threading.Event(), json=body)
    assert coded.status_code == 200
    assert coded.json()["events"]
    app = create_app(store_path, coder_factory=lambda: small_coder, request_timeout=20.0)
    events, _ = _call(app, "GET", "/events", threading.Event())
    assert events.status_code == 200
    assert events.json()["total"] > 0


def test_api_limits_coding_works_again_after_a_timeout(
    store_path: Path, slow_coder: SlowCoder
) -> None:
    app = _app(store_path, slow_coder, code_timeout=BOUND)

    async def twice() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            first = await client.post("/code", json={"text": "a b."})
            slow_coder.release.set()
            second = await client.post("/code", json={"text": "a b."})
            return first.status_code, second.status_code

    try:
        assert asyncio.run(twice()) == (503, 200)
    finally:
        app.state.hub.close()


@pytest.mark.parametrize(
    ("request_timeout", "code_timeout", "name"),
    [(0.0, 10.0, "request_timeout"), (30.0, -1.0, "code_timeout"), (float("nan"), 1.0, "request")],
)
def test_api_limits_non_positive_bound_is_dw001(
    store_path: Path, small_coder: Coder, request_timeout: float, code_timeout: float, name: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(
            store_path,
            coder_factory=lambda: small_coder,
            request_timeout=request_timeout,
            code_timeout=code_timeout,
        )
    assert caught.value.code == "DW001"
    assert name in str(caught.value)
