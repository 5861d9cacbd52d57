"""A resumable batch run: read, shard, code on an engine, write, check off.

The driver reads the inputs in order and cuts them into shards; shards the
manifest lists as finished are skipped, the others go to the engine. Each
shard is written (three Parquet files, atomically: by its worker when the
worker sees the output folder, else by the driver) and only then checked off
in the manifest. A run killed at any moment therefore restarts with the
same shards, recodes only unfinished ones, and overwrites any file of a shard
it had not checked off: the final output equals a clean run's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from dyadwatch.batch.checkpoints import Manifest, clean_partial_files, fingerprint
from dyadwatch.batch.coding import CoderSpec
from dyadwatch.batch.inputs import read_batch_inputs
from dyadwatch.batch.local import Engine, InlineEngine, LocalEngine
from dyadwatch.batch.shards import (
    TABLES,
    Destination,
    Shard,
    count_rows,
    count_warnings,
    iter_shards,
)
from dyadwatch.config import MAX_DOCUMENT_BYTES

__all__ = ["BatchOptions", "BatchReport", "EngineName", "make_engine", "run_batch"]

EngineName = Literal["local", "dask"]


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to run a batch. Only ``shard_size``, ``max_bytes`` and ``spec`` decide the output."""

    engine: EngineName = "local"
    workers: int = 2
    """Worker processes (local: 0 codes in this process)."""
    scheduler: str | None = None
    """Dask scheduler address; None starts a LocalCluster."""
    shard_size: int = 200
    max_bytes: int = MAX_DOCUMENT_BYTES
    spec: CoderSpec = field(default_factory=CoderSpec)

    def identity(self) -> dict[str, object]:
        return {"shard_size": self.shard_size, "max_bytes": self.max_bytes, **self.spec.identity()}


@dataclass(slots=True)
class BatchReport:
    """What the output holds after a run; ``resumed`` counts shards an earlier run finished."""

    shards: int = 0
    resumed: int = 0
    documents: int = 0
    events: int = 0
    errors: int = 0
    warnings: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "shards": self.shards,
            "resumed": self.resumed,
            "documents": self.documents,
            "events": self.events,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def make_engine(options: BatchOptions) -> Engine:
    """The engine ``options`` ask for (not yet started: enter it)."""
    if options.engine == "dask":
        from dyadwatch.batch.dask_engine import DaskEngine

        return DaskEngine(options.spec, scheduler=options.scheduler, workers=options.workers)
    if options.workers == 0:
        return InlineEngine(options.spec)
    return LocalEngine(options.spec, options.workers)


def run_batch(
    inputs: Sequence[Path | str],
    out: Path,
    options: BatchOptions | None = None,
    *,
    engine: Engine | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Code ``inputs`` into Parquet shards under ``out``, resuming a killed run.

    ``on_progress(n)`` is called with the number of items each finished (or
    skipped) shard held. ``engine`` overrides the one ``options`` name (it is
    entered here). Raises InputError DW116 when ``out`` holds another run.
    """
    options = options or BatchOptions()
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.open(out, fingerprint(inputs, options.identity()))
    clean_partial_files(out, TABLES)
    report = BatchReport()
    progress = on_progress or (lambda n: None)
    total = [0]

    def todo() -> Iterator[Shard]:
        items = read_batch_inputs(inputs, max_bytes=options.max_bytes)
        for shard in iter_shards(items, options.shard_size):
            total[0] = shard.index + 1
            if shard.index in manifest.done:
                report.resumed += 1
                progress(len(shard.items))
                continue
            yield shard

    destination = Destination.create(out)
    with engine or make_engine(options) as running:
        for output in running.map(todo(), destination):
            if output.tables is not None:
                output.tables.write(out)
            manifest = manifest.finished(output.index)
            manifest.save(out)
            progress(output.items)
    manifest.with_total(total[0]).save(out)
    destination.remove()
    report.shards = total[0]
    report.documents, report.events, errors = (
        sum(count_rows(out, table, index) for index in range(total[0])) for table in TABLES
    )
    report.warnings = sum(count_warnings(out, index) for index in range(total[0]))
    report.errors = errors - report.warnings  # a warning's document was kept and coded
    return report
