"""Writing rows to DuckDB in as few statements as possible, and wrapping its errors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.errors import Errors, StoreError

__all__ = ["insert_rows", "register", "wrapped"]

_MAX_BOUND_PARAMETERS = 300
"""Above this many values rows go through Arrow (measured cross-over, DuckDB 2.0)."""

_CORRUPT_MARKS = (
    "corrupt database file",
    "could not read enough bytes",
    "not a valid duckdb database file",
)
"""Fragments of DuckDB messages that mean the file itself is damaged."""

_LOCK_MARK = "could not set lock"


@contextmanager
def wrapped(path: str) -> Iterator[None]:
    """Re-raise DuckDB errors as StoreError: DW305 for a damaged file, else DW301."""
    try:
        yield
    except duckdb.Error as exc:
        raise _store_error(exc, path) from exc


def _store_error(exc: duckdb.Error, path: str) -> StoreError:
    text = str(exc)
    lowered = text.lower()
    if any(mark in lowered for mark in _CORRUPT_MARKS):
        return StoreError(Errors.DW305, detail=text, path=path)
    if _LOCK_MARK in lowered:
        text += (
            " (another process has the store open for writing; read through that"
            " process, e.g. Store.reader(), or wait until it closes the store)"
        )
    return StoreError(Errors.DW301, detail=text, path=path)


def _insert_sql(table: str, columns: Sequence[str], rows: int) -> str:
    # Table and column names are module constants of the callers, never user values.
    marks = "(" + ", ".join("?" for _ in columns) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([marks] * rows)


@contextmanager
def register(
    con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, pa.Array]
) -> Iterator[None]:
    """Make an Arrow table of ``columns`` visible to DuckDB as ``name`` for a while."""
    con.register(name, pa.Table.from_arrays(list(columns.values()), names=list(columns)))
    try:
        yield
    finally:
        con.unregister(name)


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    types: Mapping[str, pa.DataType],
    *,
    or_ignore: bool = False,
) -> int:
    """Insert ``rows`` in one statement; returns how many DuckDB added.

    DuckDB's cost is per statement and per bound parameter, so a few rows go
    as one multi-row VALUES and more as one INSERT … SELECT from Arrow.
    ``or_ignore`` skips rows whose primary key is already present.
    """
    if not rows:
        return 0
    verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
    if len(rows) * len(columns) <= _MAX_BOUND_PARAMETERS:
        flat = [value for row in rows for value in row]
        sql = _insert_sql(table, columns, len(rows)).replace("INSERT INTO", verb, 1)
        return _count(con.execute(sql, flat))
    arrays = {
        name: pa.array([row[i] for row in rows], type=types.get(name, pa.string()))
        for i, name in enumerate(columns)
    }
    staging = f"_dyadwatch_staging_{table}"
    with register(con, staging, arrays):
        sql = f"{verb} {table} ({', '.join(columns)}) SELECT * FROM {staging}"
        return _count(con.execute(sql))


def _count(result: duckdb.DuckDBPyConnection) -> int:
    row = result.fetchone()
    return int(row[0]) if row else 0
