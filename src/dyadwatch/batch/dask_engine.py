"""The Dask engine: shards as tasks on a ``dask.distributed`` cluster.

With no scheduler address it starts a LocalCluster of ``workers`` processes
with one thread each (the spaCy pipeline is not shared between threads).
Given an address (``tcp://host:8786``) it uses that cluster as it is: one
started by dask-kubernetes, dask-jobqueue or ``dask worker`` by hand; see
docs/BATCH.md. Every worker builds its Coder once, at start-up through
``client.run`` and lazily for workers that join later, and then freezes it
out of the garbage collector's view (:func:`dedicated_worker`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType

from distributed import Client, Future, KilledWorker, LocalCluster, as_completed

from dyadwatch.batch.coding import (
    CoderSpec,
    code_in_dedicated_worker,
    code_shard,
    dedicated_worker,
)
from dyadwatch.batch.local import WorkerDied, isolate
from dyadwatch.batch.shards import Destination, Shard, ShardOutput, ShardResult

__all__ = ["DaskEngine"]


def _warm(spec: CoderSpec) -> bool:
    dedicated_worker(spec)
    return True


class DaskEngine:
    """Codes shards on a Dask cluster; use as a context manager."""

    def __init__(
        self,
        spec: CoderSpec,
        *,
        scheduler: str | None = None,
        workers: int = 2,
        in_flight: int | None = None,
    ) -> None:
        self.spec = spec
        self.scheduler = scheduler
        self.workers = workers
        self._in_flight = in_flight
        self._cluster: LocalCluster | None = None
        self._client: Client | None = None

    def __enter__(self) -> DaskEngine:
        if self.scheduler is None:
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            self._client = Client(self.scheduler)  # type: ignore[no-untyped-call]
        self._client.run(_warm, self.spec)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            self._client.close()  # type: ignore[no-untyped-call]
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    @property
    def client(self) -> Client:
        if self._client is None:
            raise RuntimeError("DaskEngine used outside its with block")
        return self._client

    def _limit(self) -> int:
        if self._in_flight is not None:
            return self._in_flight
        nthreads = self.client.nthreads()  # type: ignore[no-untyped-call]
        threads = sum(nthreads.values()) or self.workers
        return 2 * threads

    def _submit(self, shard: Shard, destination: Destination | None) -> Future[ShardOutput]:
        # pure=False: a rerun must recode, never reuse a result the cluster kept.
        # A retried task rewrites the same files; each writer has its own temp file.
        return self.client.submit(
            code_in_dedicated_worker, self.spec, shard, destination, pure=False, retries=1
        )

    def map(
        self, shards: Iterable[Shard], destination: Destination | None = None
    ) -> Iterator[ShardOutput]:
        """Outputs of ``shards``; workers that do not see ``destination`` send tables back."""
        pending = iter(shards)
        limit = self._limit()
        flying: dict[Future[ShardOutput], Shard] = {}
        for shard in pending:
            flying[self._submit(shard, destination)] = shard
            if len(flying) >= limit:
                break
        queue = as_completed(list(flying))  # type: ignore[no-untyped-call]
        for future in queue:
            shard = flying.pop(future)
            try:
                result: ShardOutput = future.result()
            except KilledWorker:
                result = isolate(shard, self._run_alone, destination)
            future.release()
            yield result
            following = next(pending, None)
            if following is not None:
                new = self._submit(following, destination)
                flying[new] = following
                queue.add(new)  # type: ignore[no-untyped-call]

    def _run_alone(self, shard: Shard) -> ShardResult:
        try:
            future = self.client.submit(code_shard, self.spec, shard, pure=False)
            result: ShardResult = future.result()
        except KilledWorker as exc:
            raise WorkerDied(f"Dask worker died ({exc})") from exc
        return result
