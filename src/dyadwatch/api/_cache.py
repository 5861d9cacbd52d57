"""Answers to reads kept until the store changes: a response cache keyed by the request
and the hub's write generation, with ``ETag`` / ``If-None-Match``.

Every write of a served store passes through its :class:`~dyadwatch.api._hub.StoreHub`
(DuckDB lets one process write a file, and that process is the server), so the hub's
generation counter says exactly when a stored answer may have changed. A ``GET``
answered 200 is kept under its path and query for as long as the generation it was
computed at is the current one, in a least-recently-used table bounded in bytes. A
page built on a whole-store summary that was allowed to be a few seconds stale
(:meth:`StoreHub.summary`) is kept no longer than that summary.

``X-Cache: hit`` or ``miss`` says which happened, so a load test can report its hit
rate instead of timing one cached answer.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from dyadwatch.api._hub import StoreHub, stale_until

__all__ = ["CacheStats", "CachedReads", "ResponseCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_LARGEST_SHARE = 8
"""An answer larger than 1/8 of the cache is not kept: it would push out many small ones."""
_KEPT_HEADERS = frozenset({b"content-type"})
"""Headers of the computed answer that a hit repeats (the rest are per-connection or
added outside the cache: security headers, length)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    expires: float
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What the cache did since it was made."""

    hits: int
    misses: int
    entries: int
    bytes: int

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0


class ResponseCache:
    """A thread-safe LRU table of answers, bounded to ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, key: bytes, generation: int) -> _Entry | None:
        """The answer kept for ``key`` at ``generation`` and not expired, or None."""
        with self._lock:
            if generation != self._generation:
                # Every kept answer is of an older generation now: free them at once
                # rather than holding dead bytes until each key is asked again.
                self._entries.clear()
                self._bytes = 0
                self._generation = generation
            entry = self._entries.get(key)
            if entry is not None and (
                entry.generation != generation or entry.expires <= time.monotonic()
            ):
                self._drop(key)
                entry = None
            if entry is None:
                self._misses += 1
                return None
            self._entries.move_to_end(key)
            self._hits += 1
            return entry

    def put(self, key: bytes, entry: _Entry) -> None:
        size = len(entry.body)
        if size * _LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.body)

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._entries), self._bytes)


def _etag(generation: int, body: bytes) -> bytes:
    digest = hashlib.blake2b(body, digest_size=8).hexdigest()
    return f'"{generation}-{digest}"'.encode()


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def _has_etag(start: Message) -> bool:
    """An answer that brings its own ETag (a static file) is passed on as it is."""
    return any(bytes(name).lower() == b"etag" for name, _ in start.get("headers", ()))


def _matches(if_none_match: bytes | None, etag: bytes) -> bool:
    if if_none_match is None:
        return False
    given = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
    return etag in given or b"*" in given


class CachedReads:
    """ASGI middleware: ``GET`` answers from ``cache`` while ``hub``'s generation holds."""

    def __init__(self, app: ASGIApp, hub: StoreHub, cache: ResponseCache) -> None:
        self.app = app
        self.hub = hub
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        generation = self.hub.generation
        found = self.cache.get(key, generation)
        if found is not None:
            await _answer(send, found, _header(scope, b"if-none-match"), b"hit")
            return
        await self._compute(scope, receive, send, key, generation)

    async def _compute(
        self, scope: Scope, receive: Receive, send: Send, key: bytes, generation: int
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        marks: list[float] = []
        token = stale_until.set(marks)

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200 or _has_etag(message):
                    start = None
                    await send(message)
            elif start is None:
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._finish(scope, send, key, generation, start, chunks, marks)

        try:
            await self.app(scope, receive, capture)
        finally:
            stale_until.reset(token)

    async def _finish(
        self, scope: Scope, send: Send, key: bytes, generation: int, start: Message,
        chunks: list[bytes], marks: list[float],
    ) -> None:  # fmt: skip
        body = b"".join(chunks)
        headers = tuple(
            (bytes(name).lower(), bytes(value))
            for name, value in start.get("headers", ())
            if bytes(name).lower() in _KEPT_HEADERS
        )
        entry = _Entry(
            generation, min(marks, default=math.inf), 200, headers, body, _etag(generation, body)
        )
        # Kept only when no write began meanwhile: the answer may mix both states.
        if self.hub.generation == generation:
            self.cache.put(key, entry)
        await _answer(send, entry, _header(scope, b"if-none-match"), b"miss")


async def _answer(send: Send, entry: _Entry, if_none_match: bytes | None, how: bytes) -> None:
    base = [*entry.headers, (b"etag", entry.etag), (b"x-cache", how)]
    if _matches(if_none_match, entry.etag):
        await send({"type": "http.response.start", "status": 304, "headers": base})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [*base, (b"content-length", str(len(entry.body)).encode())]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})
