"""``serve``'s HTTP parser: httptools with h11's bound on a request's head when it is
installed (``cli/_httptools.py``), h11 otherwise."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import serve_in_thread

from dyadwatch.cli.serve import http_options


def test_serve_http_options_fall_back_to_h11_without_httptools(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "dyadwatch.cli._httptools", None)  # import fails
    assert http_options() == {"http": "h11", "h11_max_incomplete_event_size": 16_384}


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def port() -> Iterator[int]:
    """A uvicorn server with ``http_options()`` (httptools) on a free loopback port."""
    pytest.importorskip("httptools")
    options = http_options()
    assert options["http"] is not None and options["http"] != "h11"
    with serve_in_thread(_ok, log_level="critical", **options) as free:
        yield free


def _status(port: int, head: bytes, body: bytes = b"", pieces: int = 1) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        step = -(-len(head) // pieces)
        try:
            for start in range(0, len(head), step):
                connection.sendall(head[start : start + step])
                time.sleep(0.01)
            connection.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the rest was sent
        return connection.recv(4096).split(b"\r\n", 1)[0]


def test_serve_httptools_refuses_a_head_over_the_bound(port: int) -> None:
    small = b"GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + b"p" * 1000 + b"\r\n\r\n"
    assert _status(port, small) == b"HTTP/1.1 200 OK"
    big = b"GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + b"p" * 40_000 + b"\r\n\r\n"
    assert _status(port, big) == b"HTTP/1.1 400 Bad Request"
    assert _status(port, big, pieces=8) == b"HTTP/1.1 400 Bad Request"
    # A large body is not part of the head.
    body = b"b" * 200_000
    post = f"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    assert _status(port, post, body) == b"HTTP/1.1 200 OK"
