"""What one server process owns: the store, its write lock, the token, the coder and
the coding slots.

DuckDB lets one process hold a store file for writing; the server is that
process. Requests that read share :attr:`StoreHub.readers`, on which each worker
thread reads through a cursor of its own; requests that write go through
:meth:`StoreHub.writing`, one at a time. Because every write of the store passes
through this hub, it counts them (:attr:`StoreHub.generation`), and whole-store
summaries (counts, top dyads) are kept until the next write, or, while writes keep
coming, refreshed at most every :data:`SUMMARY_MAX_AGE` seconds (:meth:`StoreHub.summary`).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from dyadwatch.api._render import prepare_readside
from dyadwatch.api._timeouts import CodingSlots
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ApiError, Errors
from dyadwatch.store import Store

__all__ = ["SUMMARY_MAX_AGE", "CoderFactory", "StoreHub", "stale_until"]

T = TypeVar("T")

SUMMARY_MAX_AGE = 5.0
"""Seconds a whole-store summary may lag the writes: at 2 writes/s, recomputing the
counts and top dyads of ten million events after each one took the CPU the reads
needed (docs/PERFORMANCE.md, "API")."""

stale_until: ContextVar[list[float] | None] = ContextVar("dyadwatch_stale_until", default=None)
"""Set by the response cache around a request: :meth:`StoreHub.summary` appends the
``time.monotonic()`` moment a stale value it served is due for refresh, so an answer
built on it is kept no longer than that."""

CoderFactory = Callable[[], Coder]
"""Builds the coder on first use: loading spaCy costs seconds a read-only server never needs."""


class StoreHub:
    """The store of one server, opened read-only unless a write token is set."""

    def __init__(
        self,
        store_path: Path | str,
        *,
        token: str | None,
        coder_factory: CoderFactory,
        max_document_bytes: int,
        code_timeout: float = 10.0,
        coding_slots: int = 2,
        coding_queue: int = 0,
        summary_max_age: float = SUMMARY_MAX_AGE,
    ) -> None:
        self.token = token or None
        self.max_document_bytes = max_document_bytes
        self.code_timeout = code_timeout
        self._store = Store.open(store_path, read_only=self.token is None)
        if self.token is not None:
            # Readers cannot rebuild a stale rollup; each write keeps a current one so.
            self._store.prepare_rollup()
        self.readside = prepare_readside(self._store)
        """What opening the read side did (:meth:`Store.prepare_readside`)."""
        # Every write of the file goes through this hub (DuckDB's lock keeps other
        # processes out), so the readers check the rollup once per write, not per read.
        self.readers = self._store.thread_reader(sole_writer=True)
        """The store for reading requests: a cursor per worker thread, closed with the hub."""
        self._generation = 0
        self.summary_max_age = summary_max_age
        self._summaries: dict[str, tuple[int, float, object]] = {}
        self._summary_lock = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}
        self.slots = CodingSlots(coding_slots, coding_queue)
        """Where coding runs (``POST /code``, ``POST /documents``, the dashboard form)."""
        self._coder_factory = coder_factory
        self._coder: Coder | None = None
        self._write_lock = threading.Lock()
        self._coder_lock = threading.Lock()

    @property
    def writable(self) -> bool:
        return self.token is not None

    @property
    def generation(self) -> int:
        """How many writes the store has taken through this hub (each may change it)."""
        return self._generation

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The writer store, held by one request at a time."""
        with self._write_lock:
            try:
                yield self._store
            finally:
                # Counted even when the write failed: a rollback is cheaper to
                # recompute after than a summary that outlived a commit.
                self._generation += 1

    def summary(self, key: str, compute: Callable[[Store], T]) -> T:
        """``compute(readers)``, reused until the next write, and after a write for up to
        :attr:`summary_max_age` seconds from when it was computed: for whole-store
        summaries (table counts, the busiest dyads) that cost a scan of every event.

        One thread at a time computes a key. While it does, other requests get the
        key's last value if there is one, and wait for the new one if there is none:
        a burst after a write never starts sixteen scans of ten million events at once.
        A value served stale is noted in :data:`stale_until` for the response cache.
        """
        with self._summary_lock:
            found = self._summaries.get(key)
            computing = self._computing.setdefault(key, threading.Lock())
        if found is not None and self._usable(found):
            return found[2]  # type: ignore[return-value]
        if not computing.acquire(blocking=found is None):
            # Being recomputed: an answer built on the old value is not worth keeping.
            return _stale(found, until=time.monotonic())  # type: ignore[arg-type, return-value]
        try:
            generation = self._generation
            with self._summary_lock:
                found = self._summaries.get(key)
            if found is not None and found[0] == generation:
                return found[2]  # type: ignore[return-value]  # computed while we waited
            value = compute(self.readers)
            with self._summary_lock:
                self._summaries[key] = (generation, time.monotonic(), value)
            return value
        finally:
            computing.release()

    def _usable(self, found: tuple[int, float, object]) -> bool:
        """Current, or stale by less than :attr:`summary_max_age` (then noted)."""
        if found[0] == self._generation:
            return True
        if time.monotonic() - found[1] < self.summary_max_age:
            _stale(found, until=found[1] + self.summary_max_age)
            return True
        return False

    @contextmanager
    def coder(self) -> Iterator[Coder]:
        """The coder, built on first use; spaCy pipelines are not shared across threads."""
        with self._coder_lock:
            if self._coder is None:
                self._coder = self._coder_factory()
            yield self._coder

    def check_token(self, authorization: str | None) -> None:
        """Refuse a write without a valid ``Authorization: Bearer`` header.

        DW607 (403) when the server has no token, DW602 (401) when the header
        is missing or not a bearer token, DW603 (403) when the token differs.
        """
        if self.token is None:
            raise ApiError(Errors.DW607)
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(Errors.DW602, detail="send 'Authorization: Bearer <token>'")
        if not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise ApiError(Errors.DW603)

    def close(self) -> None:
        """Stop taking coding work and close the readers and the store."""
        self.slots.close()
        self.readers.close()
        self._store.close()


def _stale(found: tuple[int, float, T], *, until: float) -> T:
    """``found``'s value, noting for the response cache that it is good until ``until``."""
    marks = stale_until.get()
    if marks is not None:
        marks.append(until)
    return found[2]
