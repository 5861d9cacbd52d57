"""Import files into a store and export stored events: what the CLI calls."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TextIO, Unpack

from dyadwatch._iterate import chunks
from dyadwatch.errors import ErrorRecord, Errors, InputError, StoreError
from dyadwatch.store import EventFilter, Store
from dyadwatch.store._query import Filters
from dyadwatch.store.interop._fast import count_lines, gdelt_relation
from dyadwatch.store.interop.gdelt import GdeltVersion, read_gdelt_events, write_gdelt
from dyadwatch.store.interop.icews import read_icews_events, write_icews
from dyadwatch.store.interop.mentions import GdeltMention, read_gdelt_mentions
from dyadwatch.store.interop.parquet import write_parquet
from dyadwatch.store.interop.plover import write_plover
from dyadwatch.store.records import StoredEvent

__all__ = [
    "ExportFormat",
    "ImportReport",
    "export_events",
    "import_gdelt",
    "import_icews",
    "with_scores",
]

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
    """Import GDELT event files, and 2.0 mentions files given alongside, into ``store``.

    Mentions files (16 columns) are kept row for row (``gdelt_mentions``) and
    give the events they name live counts, whichever file comes first, in
    this call or a later one. Well-formed event files take DuckDB's bulk path
    unless ``fast`` is False; other files go row by row, each bad row a DW112
    record. Re-importing adds nothing. Raises InputError DW108 for an
    unreadable file and StoreError DW301 when the store fails.
    """
    events_files, mentions_files = _split_mentions([Path(p) for p in paths])
    errors: list[ErrorRecord] = []
    read = added = 0
    for path in mentions_files:
        mentions: list[GdeltMention] = []
        _collect(read_gdelt_mentions(path), mentions, errors)
        read += len(mentions)
        added += store.add_gdelt_mentions(mentions)
    for path in events_files:
        done = _insert_fast(store, path) if fast else None
        if done is None:
            done = _insert_events(store, _events(read_gdelt_events(path), errors))
        read, added = read + done[0], added + done[1]
    return ImportReport(read, added, tuple(errors))


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
    where: EventFilter | None = None,
    *,
    version: GdeltVersion = 2,
    **filters: Unpack[Filters],
) -> int:
    """Write the stored events matching the filters to ``out``; returns how many.

    ``out`` is a file for gdelt/icews/plover and a directory for parquet.
    Filters (``where`` and keywords) as :meth:`Store.stored_events` (bad
    values raise DW303); ``version`` picks GDELT 1.0 or 2.0 columns. Raises
    InputError DW108 when ``out`` cannot be written.

    PLOVER and Parquet carry each self-coded event's ``date_basis`` and
    ``confidence`` (in ``extra``: a Parquet file gives them back); GDELT and
    ICEWS keep their own columns only, so their date field is the event's
    date whatever its basis (filter with ``date_basis`` to choose).
    """
    events = store.stored_events(where, **filters)
    if fmt in ("plover", "parquet"):
        events = with_scores(store, events)
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


def with_scores(store: Store, events: Iterable[StoredEvent]) -> Iterator[StoredEvent]:
    """``events`` with ``date_basis`` and ``confidence`` in ``extra`` where the store
    knows them (self-coded events; :meth:`Store.event_scores`)."""
    for chunk in chunks(events, _CHUNK):
        scores = store.event_scores([e.id for e in chunk])
        for event in chunk:
            score = scores.get(event.id)
            if score is None:
                yield event
                continue
            known = {"date_basis": score.date_basis, "confidence": score.confidence}
            added = {k: str(v) for k, v in known.items() if v is not None}
            yield replace(event, extra=MappingProxyType({**event.extra, **added}))


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
    read = added = 0
    for chunk in chunks(events, _CHUNK):
        read += len(chunk)
        added += store.add_stored_events(chunk)
    return read, added


def _insert_fast(store: Store, path: Path) -> tuple[int, int] | None:
    """(rows read, rows added) through DuckDB's bulk path, or None to go row by row.

    None for a file the bulk path refuses (a row it does not take, bytes
    DuckDB cannot read): the transaction rolled back, nothing of it remains.
    A store that is really failing fails again on the row path, which raises.
    """
    relation = gdelt_relation(store, path)
    if relation is None:
        return None
    try:
        added = store.add_stored_table(relation)
    except StoreError:
        return None
    return count_lines(path), added
