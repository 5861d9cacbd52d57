"""Bounded load on a real server: uvicorn on 127.0.0.1 in a subprocess, a local httpx client."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
SERVE = "import sys; sys.path.insert(0, sys.argv.pop(1)); from dyadwatch.cli import main; main()"
CONCURRENT = 200
URLS = ("/events?limit=50", "/events?dyad=USA,PAK", "/dyads/top?n=5", "/map/points", "/ui/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(seeded_path: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-c", SERVE, str(SRC), "serve", "--store", str(seeded_path)]
    child = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/events?limit=0", timeout=1.0)
                break
            except httpx.TransportError:
                assert child.poll() is None, child.communicate()[1].decode()
                time.sleep(0.2)
        yield base
    finally:
        child.terminate()
        child.communicate(timeout=30)


def raw(base: str, request: str) -> bytes:
    """Send ``request`` as written (no client-side path cleaning); the whole reply."""
    host, port = base.removeprefix("http://").split(":")
    reply = b""
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request.encode())
        while chunk := conn.recv(65536):
            reply += chunk
    return reply


async def burst(base: str, count: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        return await asyncio.gather(*(client.get(URLS[n % len(URLS)]) for n in range(count)))


@pytest.mark.slow
def test_reliability_server_holds_200_concurrent_requests(server: str) -> None:
    started = time.perf_counter()
    answers = asyncio.run(burst(server, CONCURRENT))
    took = time.perf_counter() - started
    assert [a.status_code for a in answers] == [200] * CONCURRENT
    assert all(a.json()["total"] == 30 for a in answers[::5])  # /events?limit=50
    assert took < 60, took


@pytest.mark.slow
def test_reliability_server_refuses_oversize_bodies(server: str) -> None:
    big = b'{"text": "' + b"a" * 200_000 + b'"}'
    answer = httpx.post(server + "/code", content=big, timeout=30.0)
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "DW601")
    # A declared size over the cap is refused before a byte of the body is read.
    head = "POST /code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    status = raw(server, head + "Content-Length: 999999999\r\nConnection: close\r\n\r\n{")
    assert b" 413 " in status.split(b"\r\n", 1)[0], status[:200]


@pytest.mark.slow
@pytest.mark.parametrize(
    "target",
    ["/static/../../../../etc/passwd", "/static/../api/app.py", "/static/%2e%2e/%2e%2e/README.md"],
)
def test_reliability_server_raw_traversal_is_refused(server: str, target: str) -> None:
    reply = raw(server, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status = reply.split(b"\r\n", 1)[0]
    assert b" 404 " in status or b" 400 " in status, status
    assert b"root:" not in reply and b"def create_app" not in reply
