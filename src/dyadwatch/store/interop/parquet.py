"""Parquet datasets of stored events, partitioned ``year=YYYY/month=M`` (Hive style).

One flat column per modelled field; ``extra`` is a ``map<string, string>``.
Undated events land in the ``__HIVE_DEFAULT_PARTITION__`` directories.
:func:`read_parquet` gives the events back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.dataset as ds  # type: ignore[import-untyped]

from dyadwatch._iterate import chunks
from dyadwatch.errors import Errors, InputError
from dyadwatch.store.records import StoredEvent
from dyadwatch.store.rows import file_codec

__all__ = ["PARQUET_SCHEMA", "read_parquet", "write_parquet"]

_I32 = pa.int32()
_PARTITIONS = pa.schema([("year", _I32), ("month", _I32)])

PARQUET_SCHEMA = pa.schema([*file_codec().schema, *_PARTITIONS])
"""Column names and types of the files (:data:`~dyadwatch.store.columns.EVENT_FILE`);
``year``/``month`` become directories."""

_BATCH = 100_000
"""Events converted per Arrow batch: bounds memory on large exports."""


def write_parquet(events: Iterable[StoredEvent], out: Path | str) -> int:
    """Write ``events`` under the directory ``out``; returns the number written.

    Files already in ``out`` are replaced partition by partition.
    """
    count = 0

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal count
        for chunk in chunks(events, _BATCH):
            count += len(chunk)
            yield _batch(chunk)

    ds.write_dataset(
        batches(),
        str(out),
        schema=PARQUET_SCHEMA,
        format="parquet",
        partitioning=ds.partitioning(_PARTITIONS, flavor="hive"),
        existing_data_behavior="delete_matching",
    )
    return count


def _batch(events: Sequence[StoredEvent]) -> pa.RecordBatch:
    rows = [_row(event) for event in events]
    columns = [
        pa.array([row[i] for row in rows], type=field.type)
        for i, field in enumerate(PARQUET_SCHEMA)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=PARQUET_SCHEMA)


def _row(event: StoredEvent) -> tuple[object, ...]:
    day = event.date
    return (*file_codec().row(event), day.year if day else None, day.month if day else None)


def read_parquet(path: Path | str) -> Iterator[StoredEvent]:
    """The events of a dataset written by :func:`write_parquet`, ordered by date then id.

    Raises InputError DW113 when ``path`` holds no such dataset.
    """
    try:
        table = ds.dataset(str(path), format="parquet", partitioning="hive").to_table()
        table = table.sort_by([("date", "ascending"), ("id", "ascending")])
    except (OSError, pa.ArrowException) as exc:
        raise InputError(Errors.DW113, path=path, format="Parquet", detail=str(exc)) from exc
    for batch in table.to_batches():
        for row in batch.to_pylist():
            yield _event(row)


def _event(row: dict[str, Any]) -> StoredEvent:
    found: StoredEvent = file_codec().record_of(row)
    return found
