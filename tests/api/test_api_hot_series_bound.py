"""The hot series path computes at most ``series_threads`` series at once; the
other requests wait on the event loop and are all answered."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from dyadwatch.api import _hot
from dyadwatch.api._hot import HotReads
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ConfigError
from dyadwatch.web import create_app


class _Hub:
    readers = object()


async def _refuse(scope: Any, receive: Any, send: Any) -> None:
    """The routes: never reached by a series request this layer answers."""
    raise AssertionError(f"the route was asked for {scope['path']}")


class _Counting:
    """A series body that records how many ran at once. Each waits (up to 5 s) for
    ``bound`` bodies to be running, so a slow thread start on a loaded machine
    cannot hide a bound that is too loose or make a right one read low."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self.changed = threading.Condition()
        self.running = 0
        self.most = 0

    def __call__(self, store: object, request: tuple[str, str, str]) -> bytes:
        with self.changed:
            self.running += 1
            self.most = max(self.most, self.running)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.running >= self.bound, timeout=5)
        time.sleep(0.01)  # a loose bound would let more in meanwhile
        with self.changed:
            self.running -= 1
        return b'{"pair": "%s"}' % "-".join(request).encode()


async def _burst(layer: HotReads, n: int) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=layer)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        paths = [f"/dyads/USA/PAK/series?freq={'DWMY'[i % 4]}" for i in range(n)]
        return list(await asyncio.gather(*(client.get(path) for path in paths)))


@pytest.mark.parametrize("bound", [1, 2, 3])
def test_api_hot_series_at_most_series_threads_at_once(
    monkeypatch: pytest.MonkeyPatch, bound: int
) -> None:
    body = _Counting(bound)
    monkeypatch.setattr(_hot, "_series", body)
    layer = HotReads(_refuse, _Hub(), series_threads=bound)  # type: ignore[arg-type]
    answers = asyncio.run(_burst(layer, 12))
    assert [a.status_code for a in answers] == [200] * 12
    assert {a.json()["pair"] for a in answers} == {f"USA-PAK-{f}" for f in "DWMY"}
    assert body.most == bound


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_api_hot_series_threads_bad_value_is_dw001(
    store_path: Path, small_coder: Coder, bad: Any
) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(store_path, coder_factory=lambda: small_coder, series_threads=bad)
    assert caught.value.code == "DW001"
    assert "series_threads" in str(caught.value)
