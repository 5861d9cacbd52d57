"""The embedded DuckDB store: documents, their events and the batch's errors.

One :class:`Store` owns one DuckDB connection and is used from one thread at a
time. Every DuckDB failure leaves it as a :class:`~dyadwatch.errors.StoreError`
(DW301); bad filter values are DW303 and never reach SQL text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.errors import ErrorRecord, Errors, StoreError
from dyadwatch.model import Document, Event, content_hash
from dyadwatch.store._query import EventFilter
from dyadwatch.store.schema import BOOTSTRAP, MIGRATIONS, SCHEMA_VERSION

__all__ = ["MEMORY", "Store"]

MEMORY = ":memory:"
"""The path of a store that lives only as long as its connection."""

_DOCUMENT_COLUMNS = (
    "id", "text", "date", "url", "title", "publisher", "origin", "content_hash", "ingested_at",
)  # fmt: skip

_EVENT_COLUMNS = (
    "id", "doc_id", "sentence_index", "sentence", "date", "date_precision",
    "date_from", "date_to",
    "source_code", "source_country", "source_sector", "source_text", "source_name",
    "target_code", "target_country", "target_sector", "target_text", "target_name",
    "cameo", "cameo_root", "goldstein", "quad", "plover_type", "plover_mode", "plover_context",
    "negated", "hypothetical", "reported", "location", "size", "evidence", "confidence",
)  # fmt: skip

_ERROR_COLUMNS = ("code", "message", "path", "line", "doc_id", "recorded_at")

_ARROW_TYPES = {
    "date": pa.date32(),
    "date_from": pa.date32(),
    "date_to": pa.date32(),
    "ingested_at": pa.timestamp("us"),
    "sentence_index": pa.int32(),
    "goldstein": pa.float64(),
    "quad": pa.int32(),
    "plover_context": pa.list_(pa.string()),
    "negated": pa.bool_(),
    "hypothetical": pa.bool_(),
    "reported": pa.bool_(),
    "confidence": pa.float64(),
}
"""Arrow types of the non-text columns; JSON columns travel as text."""

_STAGING = "_dyadwatch_staging"
"""Name under which a batch's Arrow table is visible to DuckDB while it is inserted."""

_MAX_BOUND_PARAMETERS = 300
"""Above this many values a batch goes through Arrow (measured cross-over, DuckDB 2.0)."""

Batch = Iterable[tuple[Document, Sequence[Event]]]


def _insert_sql(table: str, columns: Sequence[str], rows: int = 1) -> str:
    # Table and column names are the constants above, never caller values.
    marks = "(" + ", ".join("?" for _ in columns) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([marks] * rows)


_INSERT_ERROR = _insert_sql("errors", _ERROR_COLUMNS)
_SELECT_EVENTS = f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events"
_SELECT_EVENTS_FLAT = f"SELECT {', '.join(_EVENT_COLUMNS)}, provenance FROM events"
_STORED_KEY = (
    "SELECT id, content_hash, url FROM documents"
    " WHERE id = $id OR (content_hash = $hash AND url IS NOT DISTINCT FROM $url)"
)
_STORED_KEYS = (
    "SELECT id, content_hash, url FROM documents"
    " WHERE id IN (SELECT unnest($ids)) OR content_hash IN (SELECT unnest($hashes))"
)


class Store:
    """Documents and events in one DuckDB file (or in memory).

    Open with :meth:`open`; use as a context manager or call :meth:`close`.
    """

    __slots__ = ("_con", "_path")

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        """Wrap an open connection whose schema is current; prefer :meth:`open`."""
        self._con = connection
        self._path = path

    @classmethod
    def open(cls, path: Path | str = MEMORY, *, read_only: bool = False) -> Store:
        """Open (or create) the store at ``path``, migrating it to the current schema.

        Raises StoreError DW302 for a store written by a newer dyadwatch and
        DW301 when DuckDB cannot open the file (or a read-only store is outdated).
        """
        target = str(path)
        with _wrapped(target):
            connection = duckdb.connect(target, read_only=read_only)
        store = cls(connection, target)
        try:
            store._migrate(read_only=read_only)
        except BaseException:
            connection.close()
            raise
        return store

    @property
    def path(self) -> str:
        return self._path

    @property
    def schema_version(self) -> int:
        with _wrapped(self._path):
            return self._read_version()

    def close(self) -> None:
        """Close the connection; later calls raise StoreError DW301. Idempotent."""
        with _wrapped(self._path):
            self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._path!r})"

    # Writing

    def add_document(self, doc: Document, events: Sequence[Event] = ()) -> bool:
        """Store ``doc`` with its events in one transaction; False if already stored.

        A document is already stored when its id, or its text hash together
        with its URL, is present; nothing is written then. Raises StoreError
        DW304 when an event names another document and DW301 when DuckDB fails,
        in which case nothing of the document remains.
        """
        return self.add_documents([(doc, events)])[0]

    def add_documents(self, batch: Batch) -> list[bool]:
        """Store many documents with their events in one transaction.

        Returns, in input order, whether each document was added (False for one
        already stored or repeated earlier in the batch). Far faster than
        :meth:`add_document` per document: DuckDB's cost is per statement, not
        per row. Errors as :meth:`add_document`; on failure nothing of the batch
        remains.
        """
        items = [(doc, tuple(events), content_hash(doc.text)) for doc, events in batch]
        if not items:
            return []
        for doc, events, _ in items:
            _check_events(doc, events)
        with self._transaction() as con:
            added = _new_documents(
                con, [(doc.id, text_hash, doc.url) for doc, _, text_hash in items]
            )
            fresh = [item for item, new in zip(items, added, strict=True) if new]
            now = _now()
            document_rows = [_document_row(doc, text_hash, now) for doc, _, text_hash in fresh]
            event_rows = [_event_row(event) for _, events, _ in fresh for event in events]
            _insert(con, "documents", _DOCUMENT_COLUMNS, document_rows)
            _insert(con, "events", _EVENT_COLUMNS, event_rows)
        return added

    def add_error(self, record: ErrorRecord) -> None:
        """Keep a batch's error record (time-stamped in UTC)."""
        row = [record.code, record.message, record.path, record.line, record.doc_id, _now()]
        with _wrapped(self._path):
            self._con.execute(_INSERT_ERROR, row)

    # Reading

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        with _wrapped(self._path):
            found = self._con.execute("SELECT count(*) FROM documents WHERE id = ?", [doc_id])
            return bool(_scalar(found))

    def events(
        self,
        *,
        dyad: tuple[str, str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        root: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, object]]:
        """Stored events in the JSON output contract shape of ``Event.to_dict``.

        ``dyad`` matches actor codes or countries in either direction;
        ``since``/``until`` bound the event date (inclusive; undated events
        never match a bound); ``root`` is a CAMEO root such as ``"19"``. Rows
        come ordered by date, document and sentence. Bad values raise DW303.
        """
        where, params = EventFilter(dyad, since, until, root, limit).sql()
        with _wrapped(self._path):
            rows = self._con.execute(_SELECT_EVENTS + where, params).fetchall()
        return [_contract(dict(zip(_EVENT_COLUMNS, row, strict=True))) for row in rows]

    def events_frame(
        self,
        *,
        dyad: tuple[str, str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        root: str | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """The same selection as :meth:`events`, as flat columns (JSON columns as text)."""
        where, params = EventFilter(dyad, since, until, root, limit).sql()
        with _wrapped(self._path):
            frame: pd.DataFrame = self._con.execute(_SELECT_EVENTS_FLAT + where, params).df()
        return frame

    def errors(self, *, limit: int | None = None) -> list[ErrorRecord]:
        """Recorded errors, oldest first."""
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise StoreError(Errors.DW303, name="limit", value=limit, reason="negative")
        sql = "SELECT code, message, path, line, doc_id FROM errors ORDER BY recorded_at"
        params: dict[str, object] = {}
        if limit is not None:
            sql += " LIMIT $limit"
            params["limit"] = limit
        with _wrapped(self._path):
            rows = self._con.execute(sql, params).fetchall()
        return [ErrorRecord(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of rows in each table: documents, events and errors."""
        with _wrapped(self._path):
            return {
                table: int(_scalar(self._con.execute(f"SELECT count(*) FROM {table}")))
                for table in ("documents", "events", "errors")
            }

    # Schema and transactions

    def _migrate(self, *, read_only: bool) -> None:
        with _wrapped(self._path):
            if not read_only:
                self._con.execute(BOOTSTRAP)
            found = self._read_version()
        if found > SCHEMA_VERSION:
            raise StoreError(Errors.DW302, found=found, known=SCHEMA_VERSION, path=self._path)
        pending = [m for m in MIGRATIONS if m.version > found]
        if pending and read_only:
            detail = f"schema version {found} needs migrating; open it once for writing"
            raise StoreError(Errors.DW301, detail=detail, path=self._path)
        for migration in pending:
            with self._transaction() as con:
                for statement in migration.statements:
                    con.execute(statement)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                    [str(migration.version)],
                )

    def _read_version(self) -> int:
        try:
            found = self._con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        except duckdb.CatalogException:
            return 0  # a read-only, never-initialised file
        if found is None:
            return 0
        try:
            return int(found[0])
        except ValueError as exc:
            detail = f"meta.schema_version is {found[0]!r}, not a number"
            raise StoreError(Errors.DW301, detail=detail, path=self._path) from exc

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """BEGIN … COMMIT, or ROLLBACK on any error, with DuckDB errors as DW301."""
        with _wrapped(self._path):
            self._con.execute("BEGIN TRANSACTION")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")


@contextmanager
def _wrapped(path: str) -> Iterator[None]:
    try:
        yield
    except duckdb.Error as exc:
        raise StoreError(Errors.DW301, detail=str(exc), path=path) from exc


def _scalar(result: duckdb.DuckDBPyConnection) -> Any:
    row = result.fetchone()
    return row[0] if row else None


def _now() -> dt.datetime:
    # Stored as naive UTC: DuckDB's TIMESTAMP has no zone and readers assume UTC.
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_events(doc: Document, events: Sequence[Event]) -> None:
    for event in events:
        if event.doc_id != doc.id:
            raise StoreError(Errors.DW304, event_id=event.id, found=event.doc_id, expected=doc.id)


def _new_documents(
    con: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str, str | None]]
) -> list[bool]:
    """Which of (id, text hash, url) are neither stored nor repeated earlier in ``keys``."""
    if len(keys) == 1:  # the common add_document case: a cheaper point query
        doc_id, text_hash, url = keys[0]
        found = con.execute(_STORED_KEY, {"id": doc_id, "hash": text_hash, "url": url})
        return [not found.fetchall()]
    params = {"ids": [key[0] for key in keys], "hashes": [key[1] for key in keys]}
    stored = con.execute(_STORED_KEYS, params).fetchall()
    seen_ids = {row[0] for row in stored}
    seen_texts = {(row[1], row[2]) for row in stored}
    new = []
    for doc_id, text_hash, url in keys:
        is_new = doc_id not in seen_ids and (text_hash, url) not in seen_texts
        seen_ids.add(doc_id)
        seen_texts.add((text_hash, url))
        new.append(is_new)
    return new


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> None:
    """Insert ``rows`` in one statement, as parameters or, for many, via Arrow.

    DuckDB's cost is per statement and per bound parameter, so a few rows go as
    one multi-row VALUES and a batch as one INSERT … SELECT from an Arrow table.
    """
    if not rows:
        return
    if len(rows) * len(columns) <= _MAX_BOUND_PARAMETERS:
        flat = [value for row in rows for value in row]
        con.execute(_insert_sql(table, columns, len(rows)), flat)
        return
    arrays = [
        pa.array([row[i] for row in rows], type=_ARROW_TYPES.get(name, pa.string()))
        for i, name in enumerate(columns)
    ]
    con.register(_STAGING, pa.Table.from_arrays(arrays, names=list(columns)))
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM {_STAGING}")
    finally:
        con.unregister(_STAGING)


def _document_row(doc: Document, text_hash: str, now: dt.datetime) -> list[object]:
    return [
        doc.id, doc.text, doc.date, doc.url, doc.title, doc.publisher, doc.origin,
        text_hash, now,
    ]  # fmt: skip


def _event_row(event: Event) -> list[object]:
    source, target, plover = event.source, event.target, event.plover
    return [
        event.id, event.doc_id, event.sentence_index, event.sentence,
        event.date, event.date_precision,
        event.date_range[0] if event.date_range else None,
        event.date_range[1] if event.date_range else None,
        source.code, source.country, source.sector, source.text, source.name,
        target.code if target else None, target.country if target else None,
        target.sector if target else None, target.text if target else None,
        target.name if target else None,
        event.cameo, event.cameo_root, event.goldstein, event.quad,
        plover.type if plover else None,
        plover.mode if plover else None,
        list(plover.context) if plover else None,
        event.modality.negated, event.modality.hypothetical, event.modality.reported,
        _json(event.location.to_dict() if event.location else None),
        _json(event.size.to_dict() if event.size else None),
        _json(event.evidence.to_dict()),
        event.confidence,
    ]  # fmt: skip


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _range(start: dt.date | None, end: dt.date | None) -> list[str] | None:
    return [start.isoformat(), end.isoformat()] if start and end else None


def _actor(row: dict[str, Any], side: str) -> dict[str, object] | None:
    if row[f"{side}_code"] is None:
        return None
    parts = ("text", "code", "country", "sector", "name")
    return {part: row[f"{side}_{part}"] for part in parts}


def _contract(row: dict[str, Any]) -> dict[str, object]:
    """A flat events row back in the shape of ``Event.to_dict``."""
    date = row["date"]
    return {
        "id": row["id"],
        "doc_id": row["doc_id"],
        "sentence_index": row["sentence_index"],
        "sentence": row["sentence"],
        "date": date.isoformat() if date else None,
        "date_precision": row["date_precision"],
        "date_range": _range(row["date_from"], row["date_to"]),
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "cameo": row["cameo"],
        "cameo_root": row["cameo_root"],
        "goldstein": row["goldstein"],
        "quad": row["quad"],
        "plover": None
        if row["plover_type"] is None
        else {
            "type": row["plover_type"],
            "mode": row["plover_mode"],
            "context": list(row["plover_context"] or ()),
        },
        "modality": {
            "negated": row["negated"],
            "hypothetical": row["hypothetical"],
            "reported": row["reported"],
        },
        "location": _loads(row["location"]),
        "size": _loads(row["size"]),
        "evidence": _loads(row["evidence"]),
        "confidence": row["confidence"],
    }


def _loads(value: str | None) -> object:
    return None if value is None else json.loads(value)
