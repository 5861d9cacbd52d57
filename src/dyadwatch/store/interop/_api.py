"""Import files into a store and export stored events: what the CLI calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Literal, TextIO

import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.store import Store
from dyadwatch.store._sql import wrapped
from dyadwatch.store._stored import STORED_COLUMNS
from dyadwatch.store.interop._fast import gdelt_batches
from dyadwatch.store.interop.gdelt import GdeltVersion, read_gdelt_events, write_gdelt
from dyadwatch.store.interop.icews import read_icews_events, write_icews
from dyadwatch.store.interop.mentions import (
    GdeltMention,
    mention_counts,
    read_gdelt_mentions,
    with_mention_counts,
)
from dyadwatch.store.interop.parquet import write_parquet
from dyadwatch.store.interop.plover import write_plover
from dyadwatch.store.records import StoredEvent

__all__ = ["ExportFormat", "ImportReport", "export_events", "import_gdelt", "import_icews"]

ExportFormat = Literal["gdelt", "icews", "plover", "parquet"]

_CHUNK = 50_000
"""Events per transaction on the row-by-row path."""

_MENTION_FIELDS = 16


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows read, events newly stored, rows rejected."""

    read: int
    added: int
    errors: tuple[ErrorRecord, ...]

    def to_dict(self) -> dict[str, int]:
        return {"read": self.read, "added": self.added, "failed": len(self.errors)}


def import_gdelt(store: Store, paths: Sequence[Path | str], *, fast: bool = True) -> ImportReport:
    """Import GDELT event files, and mentions files given alongside, into ``store``.

    Mentions files (16 columns) are read first; events they mention get live
    counts. Well-formed event files take DuckDB's bulk path unless ``fast`` is
    False or mentions were given; other files go row by row, each bad row a
    DW112 record. Re-importing adds nothing. Raises InputError DW108 for an
    unreadable file and StoreError DW301 when the store fails.
    """
    events_files, mentions_files = _split_mentions([Path(p) for p in paths])
    errors: list[ErrorRecord] = []
    mentions: list[GdeltMention] = []
    for path in mentions_files:
        _collect(read_gdelt_mentions(path), mentions, errors)
    counts = mention_counts(mentions)
    read = added = 0
    for path in events_files:
        batches = gdelt_batches(path) if fast and not counts else None
        if batches is not None:
            file_read, file_added = _insert_batches(store, batches)
        else:
            rows = _events(read_gdelt_events(path), errors)
            file_read, file_added = _insert_events(store, with_mention_counts(rows, counts))
        read, added = read + file_read, added + file_added
    return ImportReport(read + len(mentions), added, tuple(errors))


def import_icews(store: Store, paths: Sequence[Path | str]) -> ImportReport:
    """Import ICEWS ``.tab`` files into ``store``; bad rows become DW112 records.

    Raises InputError DW113 for a file without the ICEWS header, DW108 for
    an unreadable one, StoreError DW301 when the store fails.
    """
    errors: list[ErrorRecord] = []
    read = added = 0
    for path in paths:
        file_read, file_added = _insert_events(store, _events(read_icews_events(path), errors))
        read, added = read + file_read, added + file_added
    return ImportReport(read, added, tuple(errors))


def export_events(
    store: Store,
    fmt: ExportFormat,
    out: Path | str,
    *,
    dyad: tuple[str, str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    root: str | None = None,
    provenance: str | None = None,
    version: GdeltVersion = 2,
) -> int:
    """Write the stored events matching the filters to ``out``; returns how many.

    ``out`` is a file for gdelt/icews/plover and a directory for parquet.
    Filters as :meth:`Store.stored_events` (bad values raise DW303); ``version``
    picks GDELT 1.0 or 2.0 columns. Raises InputError DW108 when ``out``
    cannot be written.
    """
    events = store.stored_events(
        dyad=dyad, since=since, until=until, root=root, provenance=provenance
    )
    if fmt == "parquet":
        return write_parquet(events, out)
    writers: dict[str, Callable[[Iterable[StoredEvent], TextIO], int]] = {
        "gdelt": lambda items, handle: write_gdelt(items, handle, version=version),
        "icews": write_icews,
        "plover": write_plover,
    }
    try:
        with Path(out).open("w", encoding="utf-8", newline="\n") as handle:
            return writers[fmt](events, handle)
    except OSError as exc:
        raise InputError(Errors.DW108, path=out, detail=str(exc)) from exc


def _split_mentions(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Event files and mentions files, told apart by the width of their first line."""
    events: list[Path] = []
    mentions: list[Path] = []
    for path in paths:
        (mentions if _width(path) == _MENTION_FIELDS else events).append(path)
    return events, mentions


def _width(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError as exc:
        raise InputError(Errors.DW108, path=path, detail=str(exc)) from exc
    return first.count(b"\t") + 1 if first.strip() else 0


def _collect(
    items: Iterable[GdeltMention | ErrorRecord],
    into: list[GdeltMention],
    errors: list[ErrorRecord],
) -> None:
    for item in items:
        (errors if isinstance(item, ErrorRecord) else into).append(item)  # type: ignore[arg-type]


def _events(
    items: Iterable[StoredEvent | ErrorRecord], errors: list[ErrorRecord]
) -> Iterator[StoredEvent]:
    for item in items:
        if isinstance(item, ErrorRecord):
            errors.append(item)
        else:
            yield item


def _insert_events(store: Store, events: Iterable[StoredEvent]) -> tuple[int, int]:
    """(events read, events added), one transaction per chunk of events."""
    iterator = iter(events)
    read = added = 0
    while chunk := list(islice(iterator, _CHUNK)):
        read += len(chunk)
        added += store.add_stored_events(chunk)
    return read, added


_INSERT_BATCH = (
    f"INSERT OR IGNORE INTO events ({', '.join(STORED_COLUMNS)}) "
    f"SELECT {', '.join(STORED_COLUMNS)} FROM _interop_batch"
)


def _insert_batches(store: Store, batches: Iterator[pa.RecordBatch]) -> tuple[int, int]:
    """(rows read, rows added) for Arrow batches in the ``events`` layout, one transaction.

    The bulk twin of :meth:`Store.add_stored_events` (same table, same
    idempotence by id); it uses the store's transaction so that a failure
    leaves nothing of the file.
    """
    read = added = 0
    with store._transaction() as con:
        for batch in batches:
            read += batch.num_rows
            con.register("_interop_batch", pa.Table.from_batches([batch]))
            try:
                with wrapped(store.path):
                    added += int(con.execute(_INSERT_BATCH).fetchall()[0][0])
            finally:
                con.unregister("_interop_batch")
    return read, added
