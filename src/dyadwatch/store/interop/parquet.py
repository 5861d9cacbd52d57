"""Parquet datasets of stored events, partitioned ``year=YYYY/month=M`` (Hive style).

One flat column per modelled field; ``extra`` is a ``map<string, string>``.
Undated events land in the ``__HIVE_DEFAULT_PARTITION__`` directories.
:func:`read_parquet` gives the events back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.dataset as ds  # type: ignore[import-untyped]

from dyadwatch._iterate import chunks
from dyadwatch.errors import Errors, InputError
from dyadwatch.model import Actor, Location, Range
from dyadwatch.store.records import Provenance, StoredEvent

__all__ = ["PARQUET_SCHEMA", "read_parquet", "write_parquet"]

_STR, _F64, _I32, _I64 = pa.string(), pa.float64(), pa.int32(), pa.int64()

PARQUET_SCHEMA = pa.schema(
    [
        ("id", _STR), ("provenance", _STR), ("external_id", _STR), ("date", pa.date32()),
        ("source_code", _STR), ("source_country", _STR), ("source_sector", _STR),
        ("source_text", _STR), ("source_name", _STR),
        ("target_code", _STR), ("target_country", _STR), ("target_sector", _STR),
        ("target_text", _STR), ("target_name", _STR),
        ("cameo", _STR), ("cameo_root", _STR), ("goldstein", _F64), ("quad", _I32),
        ("location_name", _STR), ("location_country", _STR), ("location_adm1", _STR),
        ("lat", _F64), ("lon", _F64), ("location_precision", _STR), ("geonames_id", _I64),
        ("num_mentions", _I32), ("num_sources", _I32), ("num_articles", _I32),
        ("avg_tone", _F64), ("source_url", _STR),
        ("killed_min", _I32), ("killed_max", _I32), ("injured_min", _I32), ("injured_max", _I32),
        ("extra", pa.map_(_STR, _STR)),
        ("year", _I32), ("month", _I32),
    ]
)  # fmt: skip
"""Column names and types of the files; ``year``/``month`` become directories."""

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
        partitioning=ds.partitioning(pa.schema([("year", _I32), ("month", _I32)]), flavor="hive"),
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


def _actor(actor: Actor | None) -> tuple[object, ...]:
    if actor is None:
        return (None,) * 5
    return (actor.code, actor.country, actor.sector, actor.text, actor.name)


def _place(place: Location | None) -> tuple[object, ...]:
    if place is None:
        return (None,) * 7
    return (
        place.name, place.country, place.adm1, place.lat, place.lon,
        place.precision, place.geonames_id,
    )  # fmt: skip


def _bounds(value: Range | None) -> tuple[object, object]:
    return (None, None) if value is None else (value.min, value.max)


def _row(event: StoredEvent) -> tuple[object, ...]:
    day = event.date
    return (
        event.id, event.provenance, event.external_id, day,
        *_actor(event.source), *_actor(event.target),
        event.cameo, event.cameo[:2], event.goldstein, event.quad,
        *_place(event.location),
        event.num_mentions, event.num_sources, event.num_articles, event.avg_tone,
        event.source_url, *_bounds(event.killed), *_bounds(event.injured),
        list(event.extra.items()),
        day.year if day else None, day.month if day else None,
    )  # fmt: skip


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


def _read_actor(row: dict[str, Any], side: str) -> Actor | None:
    if row[f"{side}_code"] is None:
        return None
    return Actor(
        text=row[f"{side}_text"] or "",
        code=row[f"{side}_code"],
        country=row[f"{side}_country"],
        sector=row[f"{side}_sector"],
        name=row[f"{side}_name"],
    )


def _read_place(row: dict[str, Any]) -> Location | None:
    if row["location_name"] is None:
        return None
    return Location(
        name=row["location_name"],
        country=row["location_country"],
        adm1=row["location_adm1"],
        lat=row["lat"],
        lon=row["lon"],
        precision=row["location_precision"],
        geonames_id=row["geonames_id"],
    )


def _read_range(row: dict[str, Any], kind: str) -> Range | None:
    low, high = row[f"{kind}_min"], row[f"{kind}_max"]
    return None if low is None or high is None else Range(low, high)


def _event(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        id=row["id"],
        provenance=cast(Provenance, row["provenance"]),
        external_id=row["external_id"],
        date=row["date"],
        source=_read_actor(row, "source"),
        target=_read_actor(row, "target"),
        cameo=row["cameo"],
        goldstein=row["goldstein"],
        quad=row["quad"],
        location=_read_place(row),
        num_mentions=row["num_mentions"],
        num_sources=row["num_sources"],
        num_articles=row["num_articles"],
        avg_tone=row["avg_tone"],
        source_url=row["source_url"],
        killed=_read_range(row, "killed"),
        injured=_read_range(row, "injured"),
        extra=MappingProxyType(dict(row["extra"] or [])),
    )
