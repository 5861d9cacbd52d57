"""Where a shard is written: by its worker when it sees the output folder, else the driver."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from batch_helpers import expected_rows, output_rows, write_corpus

from dyadwatch.batch import BatchOptions, CoderSpec, run_batch
from dyadwatch.batch.coding import code_shard
from dyadwatch.batch.local import InlineEngine, LocalEngine
from dyadwatch.batch.shards import (
    TABLES,
    WRITERS_TOKEN,
    Destination,
    Shard,
    ShardOutput,
    ShardResult,
    ShardTables,
    deliver,
    iter_shards,
    read_shard,
    shard_file,
)
from dyadwatch.model import Document

SMALL = CoderSpec(factory="batch_helpers:small_coder")
TEXTS = ("Pakistan attacked India.", "India met China.", "Nothing happened here.")


def _result() -> ShardResult:
    documents = (Document.from_text(t) for t in TEXTS)
    (shard,) = iter_shards(documents, len(TEXTS))
    return code_shard(SMALL, shard)


def _files(out: Path) -> list[Path]:
    return sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())


def test_deliver_writes_where_this_process_reads_the_token(tmp_path: Path) -> None:
    output = deliver(_result(), Destination.create(tmp_path))
    assert output.tables is None
    assert (output.documents, output.errors) == (3, 0) and output.events > 0
    assert read_shard(tmp_path, 0).events == output.events
    assert not list(tmp_path.rglob("*.tmp"))


def test_deliver_hands_the_tables_back_to_a_worker_that_cannot_see_the_folder(
    tmp_path: Path,
) -> None:
    """Another machine: no such folder, or a folder of the same name with another token."""
    Destination.create(tmp_path)
    elsewhere = Destination(str(tmp_path), token="another-run")
    missing = Destination(str(tmp_path / "not-here"), token="x")
    for destination in (elsewhere, missing, None):
        output = deliver(_result(), destination)
        assert output.tables is not None and output.tables.mentions.num_rows == output.events
    assert _files(tmp_path) == [Path(WRITERS_TOKEN)]  # nothing written


def test_two_writers_of_one_shard_leave_one_whole_file_each(tmp_path: Path) -> None:
    """A retried task may write a shard while its first attempt still does."""
    tables = ShardTables.of(_result())
    writers = [threading.Thread(target=tables.write, args=(tmp_path,)) for _ in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    for table in TABLES:
        assert pq.read_table(shard_file(tmp_path, table, 0)).equals(getattr(tables, table))
    assert not list(tmp_path.rglob("*.tmp"))


class _FarWorkers(InlineEngine):
    """Workers on machines without the output folder: every shard comes back as tables."""

    def map(
        self, shards: Iterable[Shard], destination: Destination | None = None
    ) -> Iterator[ShardOutput]:
        elsewhere = None if destination is None else Destination(destination.folder, "other")
        yield from super().map(shards, elsewhere)


def test_run_writes_the_shards_its_workers_could_not(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 9)
    options = BatchOptions(workers=0, shard_size=4, spec=SMALL)
    near = run_batch([corpus], tmp_path / "near", options)
    far = run_batch([corpus], tmp_path / "far", options, engine=_FarWorkers(SMALL))
    assert near == far and far.shards == 3
    assert output_rows(tmp_path / "far") == output_rows(tmp_path / "near") == expected_rows(corpus)
    assert not (tmp_path / "far" / WRITERS_TOKEN).exists()


@pytest.mark.slow
def test_local_workers_write_their_own_shards(tmp_path: Path) -> None:
    shards = list(iter_shards((Document.from_text(t) for t in TEXTS * 3), 4))
    with LocalEngine(SMALL, 2) as engine:
        outputs = list(engine.map(shards, Destination.create(tmp_path)))
    assert sorted(o.index for o in outputs) == [0, 1, 2]
    assert all(o.tables is None for o in outputs)  # nothing came back to write
    assert sum(o.documents for o in outputs) == 9
    assert [read_shard(tmp_path, i).events for i in range(3)] == [
        next(o.events for o in outputs if o.index == i) for i in range(3)
    ]


@pytest.mark.slow
def test_dask_workers_that_cannot_see_the_folder_send_the_tables_back(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from dyadwatch.batch.dask_engine import DaskEngine

    shards = list(iter_shards((Document.from_text(t) for t in TEXTS * 2), 3))
    Destination.create(tmp_path)
    elsewhere = Destination(str(tmp_path), token="another-machine")
    with DaskEngine(SMALL, workers=1) as engine:
        outputs = sorted(engine.map(shards, elsewhere), key=lambda o: o.index)
    assert [o.index for o in outputs] == [0, 1]
    expected = [ShardTables.of(code_shard(SMALL, shard)) for shard in shards]
    for output, tables in zip(outputs, expected, strict=True):
        assert output.tables is not None  # came back through Dask, unwritten
        assert output.tables.mentions.equals(tables.mentions)
        assert output.tables.documents.equals(tables.documents)
    assert _files(tmp_path) == [Path(WRITERS_TOKEN)]
