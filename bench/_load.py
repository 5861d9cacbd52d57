"""A bounded HTTP/1.1 load generator for the API bench: loopback only, capped in
requests and seconds, keep-alive connections, one asyncio task per client.

It speaks just enough HTTP (Content-Length and chunked bodies) to time a request
from its first byte sent to its last byte received, so the client costs the
shared CPU as little as possible.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["LOOPBACK", "Load", "Request", "Result", "run_load", "send_once"]

LOOPBACK = "127.0.0.1"
_MAX_BODY = 64 * 2**20


@dataclass(frozen=True, slots=True)
class Request:
    """One request to send: method, path with query, optional JSON body and headers."""

    path: str
    method: str = "GET"
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    def encode(self, host: str, port: int) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        if self.body or self.method != "GET":
            lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass(frozen=True, slots=True)
class Load:
    """What to send: requests cycled by ``clients`` connections until ``max_requests``
    answers or ``max_seconds`` pass, whichever comes first."""

    requests: Sequence[Request]
    clients: int
    max_requests: int
    max_seconds: float


@dataclass(slots=True)
class Result:
    """Latencies (seconds) of the answered requests, statuses, the server's
    ``X-Cache`` answers (hit, miss, none), and the wall time."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    cache: Counter[str] = field(default_factory=Counter)
    failures: int = 0
    seconds: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def quantile_ms(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        cuts = statistics.quantiles(self.latencies, n=1000, method="inclusive")
        return cuts[min(len(cuts) - 1, max(0, round(q * 1000) - 1))] * 1000

    @property
    def hit_rate(self) -> float | None:
        """Share of answers the server took from its response cache (None: no cache)."""
        asked = self.cache["hit"] + self.cache["miss"]
        return self.cache["hit"] / asked if asked else None

    @property
    def errors(self) -> int:
        """Answers that were not 2xx/3xx, plus connections that failed."""
        return self.failures + sum(n for status, n in self.statuses.items() if status >= 400)


async def _read_response(
    reader: asyncio.StreamReader,
) -> tuple[int, bytes, bool, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                break
        data = bytes(body)
    else:
        length = int(headers.get("content-length", "0"))
        if length > _MAX_BODY:
            raise ValueError(f"a {length}-byte answer")
        data = await reader.readexactly(length)
    return status, data, headers.get("connection", "").lower() == "close", headers


async def _client(
    port: int, load: Load, start: int, deadline: float, budget: itertools.count[int], out: Result
) -> None:
    requests = itertools.islice(itertools.cycle(load.requests), start, None)
    reader = writer = None
    try:
        for request in requests:
            if time.perf_counter() >= deadline or next(budget) >= load.max_requests:
                return
            if writer is None:
                reader, writer = await asyncio.open_connection(LOOPBACK, port)
            assert reader is not None
            started = time.perf_counter()
            try:
                writer.write(request.encode(LOOPBACK, port))
                status, _, close, headers = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                out.failures += 1
                writer.close()
                reader = writer = None
                continue
            out.latencies.append(time.perf_counter() - started)
            out.statuses[status] += 1
            out.cache[headers.get("x-cache", "none")] += 1
            if close:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def run_load(port: int, load: Load) -> Result:
    """Send ``load`` to ``127.0.0.1:port``; never anywhere else."""
    out = Result()
    budget = itertools.count()
    started = time.perf_counter()
    deadline = started + load.max_seconds
    step = max(1, len(load.requests) // max(load.clients, 1))
    await asyncio.gather(
        *(_client(port, load, i * step, deadline, budget, out) for i in range(load.clients))
    )
    out.seconds = time.perf_counter() - started
    return out


async def send_once(port: int, request: Request) -> tuple[int, bytes]:
    """One request on a connection of its own: status and body."""
    reader, writer = await asyncio.open_connection(LOOPBACK, port)
    try:
        writer.write(request.encode(LOOPBACK, port))
        status, body, _, _ = await _read_response(reader)
        return status, body
    finally:
        writer.close()
