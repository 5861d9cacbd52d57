"""Engines that code shards: in this process, or in a pool of local processes.

An engine maps shards to outputs in any order. Each worker writes its shard's
files to the destination it is given (see :func:`code_and_deliver`). When a worker process dies
(out of memory, a native crash) the shards it may have held are recoded one
document per task on a fresh pool; the document that kills a worker again
becomes a DW115 error row and the rest of its shard is kept.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Protocol

from dyadwatch.batch.coding import (
    CoderSpec,
    code_and_deliver,
    code_in_dedicated_worker,
    code_shard,
    worker_coder,
)
from dyadwatch.batch.shards import Destination, Shard, ShardOutput, ShardResult, deliver
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.model import Document

__all__ = ["Engine", "InlineEngine", "LocalEngine", "isolate"]


class Engine(Protocol):
    """Codes shards; use as a context manager.

    ``map`` writes each shard to ``destination`` where a worker can, and
    otherwise returns its tables in the output for the caller to write.
    """

    def map(
        self, shards: Iterable[Shard], destination: Destination | None = None
    ) -> Iterator[ShardOutput]: ...

    def __enter__(self) -> Engine: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class WorkerDied(Exception):
    """A worker process vanished while coding (raised by engines' single-item runs)."""


def isolate(
    shard: Shard, run_one: Callable[[Shard], ShardResult], destination: Destination | None
) -> ShardOutput:
    """Recode ``shard`` one item per task; an item whose task kills its worker is DW115.

    The items' results come back to this process, which merges and delivers them.
    """
    parts: list[ShardResult] = []
    for position, item in shard.positioned():
        single = Shard(shard.index, position, (item,))
        try:
            parts.append(run_one(single))
        except WorkerDied as exc:
            parts.append(ShardResult(shard.index, (), ((position, _died(item, str(exc))),)))
    return deliver(ShardResult.merged(shard.index, parts), destination)


def _died(item: Document | ErrorRecord, detail: str) -> ErrorRecord:
    if isinstance(item, ErrorRecord):
        return item
    return InputError(Errors.DW115, path=item.origin, detail=detail).to_record(item.id)


class InlineEngine:
    """Codes in this process, one shard after another (``--workers 0``; tests, debugging)."""

    def __init__(self, spec: CoderSpec) -> None:
        self.spec = spec

    def __enter__(self) -> InlineEngine:
        worker_coder(self.spec)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def map(
        self, shards: Iterable[Shard], destination: Destination | None = None
    ) -> Iterator[ShardOutput]:
        for shard in shards:
            yield code_and_deliver(self.spec, shard, destination)


class LocalEngine:
    """A pool of ``workers`` spawned processes, each building its Coder once.

    At most ``2 × workers`` shards are in flight, so memory stays bounded
    whatever the input size.
    """

    def __init__(self, spec: CoderSpec, workers: int, *, start_method: str = "spawn") -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.spec = spec
        self.workers = workers
        self._context = multiprocessing.get_context(start_method)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        self._pool = self._new_pool()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc is None, cancel_futures=True)
            self._pool = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._context)

    def _renew(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        return self._pool

    def _running(self) -> ProcessPoolExecutor:
        if self._pool is None:
            raise RuntimeError("LocalEngine used outside its with block")
        return self._pool

    def _submit(self, shard: Shard, destination: Destination | None) -> Future[ShardOutput]:
        return self._running().submit(code_in_dedicated_worker, self.spec, shard, destination)

    def map(
        self, shards: Iterable[Shard], destination: Destination | None = None
    ) -> Iterator[ShardOutput]:
        pending = iter(shards)
        flying: dict[Future[ShardOutput], Shard] = {}
        exhausted = False
        while flying or not exhausted:
            while not exhausted and len(flying) < 2 * self.workers:
                shard = next(pending, None)
                if shard is None:
                    exhausted = True
                else:
                    flying[self._submit(shard, destination)] = shard
            if not flying:
                break
            done, _ = wait(flying, return_when=FIRST_COMPLETED)
            suspects: list[Shard] = []
            for future in done:
                shard = flying.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    suspects.append(shard)
            if suspects:
                # The whole pool is gone: every shard in flight is suspect.
                suspects.extend(flying.values())
                flying.clear()
                self._renew()
                for shard in sorted(suspects, key=lambda s: s.index):
                    yield isolate(shard, self._run_alone, destination)

    def _run_alone(self, shard: Shard) -> ShardResult:
        try:
            return self._running().submit(code_shard, self.spec, shard).result()
        except BrokenProcessPool as exc:
            self._renew()
            raise WorkerDied(f"worker process exited ({type(exc).__name__})") from exc
