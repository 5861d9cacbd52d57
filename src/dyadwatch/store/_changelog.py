"""The change log: what each write changed of what the read side holds.

The read side (:mod:`dyadwatch.store._readside`, an SQLite file) is stamped with
the ``events_generation`` it reflects. Every write transaction of the store that
bumps the generation also writes, in the same DuckDB transaction, the ids of the
events and documents it wrote, changed or removed into ``readside_log`` (declared
in :data:`~dyadwatch.store.columns.READSIDE_LOG`, created by the ``changelog``
migration set), under the generation it makes. A read side stamped at ``s`` then
catches up by rewriting the ids logged after ``s`` (an id no longer in DuckDB is
removed from it), whatever process made the writes and whenever it died.

``meta.changelog_from`` says from where the log is whole: every generation above
it has its changes logged. A write that cannot say what it changed (a migration,
a raw statement on an event table) empties the log and moves ``changelog_from``
to the generation it makes, so an older read side is rebuilt whole, never caught
up wrongly. So does a store with no read side file (nothing would read the log:
it stays empty), and a log past :data:`LOG_MAX` ids (a catch-up that long costs
what a rebuild does). Once the attached read side has caught up, the next write
trims what it no longer needs.

``meta.store_id`` (a random id written with the table) tells a read side of
another store apart: it is stamped with it and caught up only by its own store.

Kinds: ``event`` (the event's body or row), ``document`` (the document's body,
its mentions' page items and keys). Writers call the functions below inside their
transaction; SQL text is built from constants and ids are bound.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb

from dyadwatch.store._rollup import GENERATION_KEY

__all__ = [
    "BOOKKEEPING_KEYS",
    "FROM_KEY",
    "LOG_MAX",
    "STORE_ID_KEY",
    "Changes",
    "LogState",
    "bounded",
    "create",
    "log_documents",
    "log_events",
    "log_select",
    "next_generation",
    "reset",
    "since",
    "state",
    "trim",
]

Kind = Literal["event", "document"]

FROM_KEY = "changelog_from"
STORE_ID_KEY = "store_id"
BOOKKEEPING_KEYS = frozenset({FROM_KEY, STORE_ID_KEY})
"""The ``meta`` keys the log keeps: history and identity, not content (a store built
twice from the same input differs only in these and the rollup's)."""
LOG_MAX = 2_000_000
"""Past this many logged ids the log is dropped and a read side behind is rebuilt."""
_INSERT = "INSERT INTO readside_log SELECT $generation, $kind, unnest($ids::VARCHAR[])"
_LINKED = (
    "SELECT l.event_id FROM event_links l JOIN event_mentions m ON m.id = l.mention_id"
    " WHERE m.doc_id IN (SELECT unnest($ids::VARCHAR[]))"
)
"""The events the mentions of some documents are linked to."""
_COUNTED = ("events", "documents", "event_mentions", "event_links")
_STATE = " UNION ALL ".join(
    [f"SELECT '{t}', CAST(count(*) AS VARCHAR) FROM {t}" for t in _COUNTED]
    + [f"SELECT key, value FROM meta WHERE key IN ('{GENERATION_KEY}', '{FROM_KEY}',"
       f" '{STORE_ID_KEY}')"]
)  # fmt: skip
"""One statement (a quarter of the CPU of the same as scalar subqueries)."""
_GENERATION = f"SELECT value FROM meta WHERE key = '{GENERATION_KEY}'"
_RESET = (
    "DELETE FROM readside_log",
    f"INSERT OR REPLACE INTO meta SELECT '{FROM_KEY}', coalesce(max(value), '0') FROM meta"
    f" WHERE key = '{GENERATION_KEY}'",
)
_SINCE = "SELECT DISTINCT kind, id FROM readside_log WHERE generation > ? ORDER BY kind, id"


@dataclass(frozen=True, slots=True)
class LogState:
    """The store's generation, where its log is whole from, its id and its row counts
    (events, documents, mentions, links: the fingerprint a read side is stamped with),
    read in one statement."""

    generation: int
    log_from: int | None
    """None: the store has no log (a read-only store never migrated to it)."""
    store_id: str | None
    fingerprint: str

    def covers(self, stamp: int) -> bool:
        """Whether the log holds every change made after generation ``stamp``."""
        return self.log_from is not None and self.log_from <= stamp <= self.generation


@dataclass(frozen=True, slots=True)
class Changes:
    """The ids of the events and documents changed after a generation."""

    events: tuple[str, ...]
    documents: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.events) + len(self.documents)


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The backfill of the migration that adds the log: it is whole from the store's
    generation now, and the store gets its id."""
    con.execute(_RESET[1])
    con.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", [STORE_ID_KEY, uuid.uuid4().hex])


def state(con: duckdb.DuckDBPyConnection, *, logged: bool) -> LogState:
    """The log's state (``logged``: whether the store has the log table)."""
    found = dict(con.execute(_STATE).fetchall())
    log_from = found.get(FROM_KEY) if logged else None
    store_id = found.get(STORE_ID_KEY)
    return LogState(
        int(found.get(GENERATION_KEY) or 0), None if log_from is None else int(log_from),
        None if store_id is None else str(store_id), "/".join(found[t] for t in _COUNTED),
    )  # fmt: skip


def next_generation(con: duckdb.DuckDBPyConnection) -> int:
    """The generation the write transaction under way makes (it bumps it before COMMIT):
    the one its log rows carry."""
    found = con.execute(_GENERATION).fetchall()
    return (int(found[0][0]) if found else 0) + 1


def log_events(con: duckdb.DuckDBPyConnection, generation: int, ids: Sequence[str]) -> None:
    """Events ``ids`` were (or are about to be) written, changed or removed by the write
    that makes ``generation``."""
    if ids:
        con.execute(_INSERT, {"generation": generation, "kind": "event", "ids": list(ids)})


def log_documents(con: duckdb.DuckDBPyConnection, generation: int, ids: Sequence[str]) -> None:
    """Documents ``ids`` and their mentions were written, changed or removed, and the
    events those mentions link to now changed (call it again before a change that
    relinks them, for the events they leave)."""
    if not ids:
        return
    con.execute(_INSERT, {"generation": generation, "kind": "document", "ids": list(ids)})
    log_select(con, generation, "event", _LINKED, {"ids": list(ids)})


def log_select(
    con: duckdb.DuckDBPyConnection, generation: int, kind: Kind, ids_sql: str,
    params: dict[str, object],
) -> None:  # fmt: skip
    """The ids the SELECT ``ids_sql`` (built from constants) finds, logged as ``kind``:
    bulk writes log their rows without bringing them into Python."""
    sql = f"INSERT INTO readside_log SELECT $generation, '{kind}', x.id FROM ({ids_sql}) AS x(id)"
    con.execute(sql, {**params, "generation": generation})


def reset(con: duckdb.DuckDBPyConnection) -> None:
    """After the generation was bumped: the log forgets everything; a read side
    stamped before now rebuilds."""
    for statement in _RESET:
        con.execute(statement)


def bounded(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the log is within :data:`LOG_MAX` ids."""
    found = con.execute("SELECT count(*) FROM readside_log").fetchall()
    return int(found[0][0]) <= LOG_MAX


def trim(con: duckdb.DuckDBPyConnection, stamp: int) -> None:
    """The read side reflects generation ``stamp``: what it caught up on goes."""
    con.execute("DELETE FROM readside_log WHERE generation <= ?", [stamp])
    con.execute(
        "UPDATE meta SET value = CAST(? AS VARCHAR) WHERE key = ? AND CAST(value AS BIGINT) < ?",
        [stamp, FROM_KEY, stamp],
    )


def since(con: duckdb.DuckDBPyConnection, stamp: int) -> Changes:
    """The ids logged after generation ``stamp`` (the caller checked it is covered)."""
    events: list[str] = []
    documents: list[str] = []
    for kind, found in con.execute(_SINCE, [stamp]).fetchall():
        (events if kind == "event" else documents).append(str(found))
    return Changes(tuple(events), tuple(documents))
