"""The read side: response JSON of point reads and pages, kept in an SQLite file.

A DuckDB statement costs about 0.3 ms before it reads anything and then
0.05-0.1 ms per column it returns (docs/PERFORMANCE.md, "API read path"); an
SQLite key lookup costs about 0.01 ms. So the JSON bodies that
``GET /events/{id}``, ``GET /documents/{id}`` and the pages of ``GET /events``
answer are written once, next to the store (``<store>.reads.sqlite``), and read
back by key:

- ``events``: the whole answer of an event that has mentions (self-coded);
- ``event_rows``: an event without mentions (an import) as its ``events`` row, a
  JSON array: its answer is written from it at read time by the same record and
  response model as the live path (about 0.06 ms), because rendering ten million
  answers ahead costs over an hour of CPU on this machine and copying the rows a
  few minutes (docs/PERFORMANCE.md, "Session 12");
- ``documents``: a document's whole answer;
- ``mentions``: one page item per mention, and ``page_keys``: the mention's
  sort key under every dyad it matches (and ``*``, ``*`` for pages without a
  dyad), so a dyad's page is one index range.

What goes into a body is the caller's (the API renders it, :class:`Renderer`);
this module owns the file, its SQL and its freshness.

**Freshness.** The file carries the DuckDB store's ``events_generation`` it
reflects (``meta.generation``) and the store's id. It answers only while that
equals the store's generation as this process knows it: every write transaction
of the store stops it answering while it runs (:meth:`ReadSide.pause`). Each write
logs the ids of what it changed in the store's change log
(:mod:`dyadwatch.store._changelog`), in its own DuckDB transaction; after COMMIT
the file catches up from the log (:meth:`ReadSide.catch_up`): the ids logged since
its stamp taken out, what the store still holds written back, the new stamp last.

**Crash between the two files.** The stamp moves in the transaction that writes
the catch-up's last rows: a process that dies before leaves the file at its old
stamp, and the next open catches it up from the log again. A file the log does
not cover (another store's, another layout, the log emptied by a write it could
not follow) is rebuilt whole.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from dyadwatch.store._changelog import Changes, LogState
from dyadwatch.store._stored import STORED_COLUMNS
from dyadwatch.store.columns import EVENTS

__all__ = [
    "EventBody",
    "EventRow",
    "MentionBody",
    "PageRead",
    "PageRequest",
    "ReadSide",
    "Renderer",
    "decode_row",
    "readside_path",
]

_SUFFIX = ".reads.sqlite"
_ALL = "*"
"""The dyad key of every mention: pages without a dyad filter read it."""
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID",
    # A rowid table: rows are appended densely whatever the order of their ids, and only
    # the small id index takes the random inserts (as WITHOUT ROWID, 10M rows took 2×).
    "CREATE TABLE IF NOT EXISTS event_rows (id TEXT PRIMARY KEY, row TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS mentions (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL,"
    " body BLOB NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS mentions_doc ON mentions (doc_id)",
    # undated: 0 or 1, so that undated mentions sort after dated ones ascending and
    # before them descending, as DuckDB's NULLS LAST / NULLS FIRST do; date '' then.
    "CREATE TABLE IF NOT EXISTS page_keys (a TEXT NOT NULL, b TEXT NOT NULL,"
    " undated INTEGER NOT NULL, date TEXT NOT NULL, root TEXT NOT NULL, doc_id TEXT NOT NULL,"
    " sentence_index INTEGER NOT NULL, id TEXT NOT NULL,"
    " PRIMARY KEY (a, b, undated, date, doc_id, sentence_index, id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS page_keys_root"
    " ON page_keys (a, b, root, undated, date, doc_id, sentence_index, id)",
    "CREATE INDEX IF NOT EXISTS page_keys_id ON page_keys (id)",
)
_TABLES = ("events", "event_rows", "documents", "mentions", "page_keys")
_FORMAT = "4"
"""The layout of the file; a file of another layout is rebuilt."""
_ORDER = {
    False: " ORDER BY k.undated, k.date, k.doc_id, k.sentence_index, k.id",
    True: " ORDER BY k.undated DESC, k.date DESC, k.doc_id DESC, k.sentence_index DESC, k.id DESC",
}
_AFTER = {
    # The keys after (undated, date, doc_id, sentence_index, id) in each order.
    False: "(k.undated, k.date, k.doc_id, k.sentence_index, k.id) > (?, ?, ?, ?, ?)",
    True: "(k.undated, k.date, k.doc_id, k.sentence_index, k.id) < (?, ?, ?, ?, ?)",
}
_PAGE = (
    "SELECT k.undated, k.date, k.doc_id, k.sentence_index, k.id, m.body FROM ("
    "SELECT k.undated, k.date, k.doc_id, k.sentence_index, k.id FROM page_keys k"
    " WHERE {where}{order} LIMIT ? OFFSET ?) AS k JOIN mentions m ON m.id = k.id{order}"
)
"""The page's keys first (an offset skips index entries only), then their bodies."""
_BATCH = 5000
_CHUNK = 50_000
"""Ids asked of the store per statement while catching up (each reads its tables once)."""
_TRIM_EVERY = 64
"""Generations between two trims of the store's change log by its read side."""
_T = TypeVar("_T")
_SQL_TYPES = {column.name: column.type for column in EVENTS.columns}
_DATE_COLUMNS = tuple(i for i, name in enumerate(STORED_COLUMNS) if _SQL_TYPES[name] == "DATE")
"""Where an ``events`` row holds dates (kept as ISO text in ``event_rows``)."""


def readside_path(store_path: str) -> Path:
    """Where the read side of the store at ``store_path`` lives."""
    return Path(store_path + _SUFFIX)


@dataclass(frozen=True, slots=True)
class MentionBody:
    """A mention's page item and what pages filter and sort it by."""

    id: str
    doc_id: str
    sentence_index: int
    date: dt.date | None
    root: str
    sides: tuple[tuple[str | None, ...], tuple[str | None, ...]]
    """Its source's code and country, and its target's: the dyads it matches."""
    body: bytes


@dataclass(frozen=True, slots=True)
class EventBody:
    """An answer, by id."""

    id: str
    body: bytes


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event without mentions as its ``events`` row (``STORED_COLUMNS`` order)."""

    id: str
    row: tuple[object, ...]


class Renderer(Protocol):
    """Writes the bodies (the API's JSON) from the store's rows."""

    def events(self, store: object, ids: Sequence[str] | None) -> Iterator[EventBody | EventRow]:
        """The bodies (or rows, for events without mentions) of ``ids`` (of every event
        when None); unknown ids have none."""
        ...

    def event_of_row(self, row: tuple[object, ...]) -> bytes:
        """The answer of an event without mentions, from its row."""
        ...

    def documents(
        self, store: object, ids: Sequence[str] | None
    ) -> Iterator[tuple[EventBody, list[MentionBody]]]:
        """The bodies of documents ``ids`` (of every document when None), each with the
        page items of its mentions."""
        ...


@dataclass(frozen=True, slots=True)
class PageRequest:
    """The page filters the read side answers; anything else is DuckDB's."""

    dyad: tuple[str, str] | None
    since: dt.date | None
    until: dt.date | None
    root: str | None
    descending: bool
    limit: int
    offset: int
    after: tuple[dt.date | None, str, int, str] | None
    """The key (date, doc_id, sentence_index, id) the page starts after."""


@dataclass(frozen=True, slots=True)
class PageRead:
    """The bodies of a page, the total matching and the key of its last item."""

    bodies: list[bytes]
    total: int
    last: tuple[dt.date | None, str, int, str] | None


class ReadSide:
    """The SQLite file of one store: one writer connection, a reader per thread."""

    __slots__ = (
        "_batched", "_generation", "_local", "_lock", "_log_from", "_path", "_readers", "_stamp",
        "_writer", "renderer",
    )  # fmt: skip

    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        """Every thread's reader connection, closed with the file."""
        self._lock = threading.Lock()
        self._writer = self._connect()
        try:
            with self._writer:
                for statement in _SCHEMA:
                    self._writer.execute(statement)
            self._stamp = self._stamp_of()
        except sqlite3.Error:
            self._writer.close()
            raise
        self._generation = -1
        """The DuckDB store's generation as this process knows it (-1: not told)."""
        self._log_from = -1
        """Where the store's change log was whole from when last caught up (trimming)."""
        self._batched = False
        self.renderer: Renderer | None = None
        """What writes the bodies; set by :meth:`Store.prepare_readside`."""

    @property
    def path(self) -> Path:
        return self._path

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        return con

    def _reader(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
            con.execute("PRAGMA query_only = 1")
            self._local.con = con
            with self._lock:
                self._readers.append(con)
        return con

    def _meta(self, key: str) -> bytes | None:
        row = self._writer.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        value = row[0]
        return value if isinstance(value, bytes) else str(value).encode()

    def _stamp_of(self) -> int | None:
        """The generation the file is stamped with; None for a file of another layout,
        unstamped (a rebuild cut off) or with a stamp that is not a number (damaged)."""
        if self._meta("format") != _FORMAT.encode():
            return None
        found = self._meta("generation")
        try:
            return int(found) if found is not None else None
        except ValueError:
            return None

    # Freshness

    @property
    def serving(self) -> bool:
        """Whether the file reflects the store as it is now."""
        return self._stamp is not None and self._stamp == self._generation

    @property
    def stamp(self) -> int | None:
        """The generation of the store the file reflects (None: it must be rebuilt)."""
        return self._stamp

    def told(self, generation: int) -> None:
        """The store's generation (read after opening it or after each write)."""
        self._generation = generation

    def pause(self) -> int:
        """A write transaction of the store starts: stop answering until told again.
        Returns the generation known before, for a rollback to restore."""
        known = self._generation
        self._generation = -1
        return known

    def needs(self, state: LogState) -> Literal["none", "log", "all"]:
        """What the store at ``state`` calls for: nothing, catching up from its change
        log, or a rebuild. The store's id keeps a file of another store out; at the
        stamped generation, the fingerprint (row counts) catches writes that went
        around the store."""
        if self._stamp is None or self._meta("store_id") != str(state.store_id).encode():
            return "all"
        if self._stamp == state.generation:
            same = self._meta("fingerprint") == state.fingerprint.encode()
            return "none" if same else "all"
        return "log" if state.covers(self._stamp) else "all"

    def trims(self) -> int | None:
        """The generation up to which the store's change log may be trimmed in the write
        starting now (every :data:`_TRIM_EVERY` generations), or None."""
        if self._stamp is None or self._stamp - self._log_from < _TRIM_EVERY:
            return None
        self._log_from = self._stamp
        return self._stamp

    def _stamp_rows(self, state: LogState) -> None:
        self._writer.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [
                ("format", _FORMAT), ("generation", str(state.generation)),
                ("fingerprint", state.fingerprint), ("store_id", str(state.store_id)),
            ],
        )  # fmt: skip

    def stamp_current(self, state: LogState) -> None:
        """The file now reflects the store at ``state``."""
        with self._lock:
            self._writer.execute("BEGIN")
            self._stamp_rows(state)
            self._writer.execute("COMMIT")
        self._stamped(state)

    def _stamped(self, state: LogState) -> None:
        self._stamp = state.generation
        self._generation = state.generation
        if state.log_from is not None:
            self._log_from = max(self._log_from, state.log_from)

    # Writing

    def rebuild(self, store: object, renderer: Renderer) -> dict[str, int]:
        """Every body written anew from ``store``; returns the rows per table. The
        caller stamps the file (:meth:`stamp_current`).

        The stamp goes first, so a rebuild cut off is rebuilt again, and the rows go in
        commits of :data:`_BATCH` rows: the WAL is checkpointed as it grows instead of
        holding the whole file a second time (10M events: gigabytes)."""
        with self._lock:
            con = self._writer
            con.execute("DELETE FROM meta WHERE key IN ('format', 'generation')")
            self._stamp = None
            for table in _TABLES:
                con.execute(f"DELETE FROM {table}")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._batched = True
            try:
                counts = {
                    "events": self._put_events(renderer.events(store, None)),
                    **self._put_documents(renderer.documents(store, None)),
                }
            finally:
                self._batched = False
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts

    def catch_up(
        self, store: object, renderer: Renderer, changes: Changes, state: LogState
    ) -> None:
        """The events and documents of ``changes`` (read from the store's change log)
        written anew from ``store``, those it no longer holds removed, then the file
        stamped at ``state``. One SQLite transaction for a change of up to
        :data:`_BATCH` ids (an ingest); a longer one (an import) commits every
        :data:`_BATCH` rows, and its stamp last: a catch-up cut off is caught up
        again from the same stamp (every step rewrites, so it may run twice)."""
        with self._lock:
            con = self._writer
            self._batched = len(changes) > _BATCH
            if not self._batched:
                con.execute("BEGIN")
            try:
                self._forget(changes)
                for chunk in _chunks(changes.documents, _CHUNK):
                    self._put_documents(renderer.documents(store, chunk))
                for chunk in _chunks(changes.events, _CHUNK):
                    self._put_events(renderer.events(store, chunk))
                self._stamp_rows(state)
            except BaseException:
                if not self._batched:
                    con.execute("ROLLBACK")
                raise
            finally:
                batched, self._batched = self._batched, False
            if not batched:
                con.execute("COMMIT")
        self._stamped(state)

    def _forget(self, changes: Changes) -> None:
        """What ``changes`` names taken out, so that what the store no longer holds
        stays out (what it holds is written back)."""
        con = self._writer
        for chunk in _chunks(changes.events, _BATCH):
            ids = [(i,) for i in chunk]
            with self._batch():
                con.executemany("DELETE FROM events WHERE id = ?", ids)
                con.executemany("DELETE FROM event_rows WHERE id = ?", ids)
        for chunk in _chunks(changes.documents, _BATCH):
            ids = [(i,) for i in chunk]
            with self._batch():
                con.executemany("DELETE FROM documents WHERE id = ?", ids)
                con.executemany(
                    "DELETE FROM page_keys WHERE id IN (SELECT id FROM mentions WHERE doc_id = ?)",
                    ids,
                )
                con.executemany("DELETE FROM mentions WHERE doc_id = ?", ids)

    def _put_events(self, found: Iterable[EventBody | EventRow]) -> int:
        """Events written to the table of their kind (the caller took them out of the
        other: a rebuild empties both, a catch-up forgets what it rewrites)."""
        count = 0
        con = self._writer
        for batch in _chunks(found, _BATCH):
            bodies = [(i.id, i.body) for i in batch if isinstance(i, EventBody)]
            rows = [
                (i.id, json.dumps(i.row, default=_iso, separators=(",", ":")))
                for i in batch
                if isinstance(i, EventRow)
            ]
            with self._batch():
                con.executemany("INSERT OR REPLACE INTO events VALUES (?, ?)", bodies)
                con.executemany("INSERT OR REPLACE INTO event_rows VALUES (?, ?)", rows)
            count += len(batch)
        return count

    def _put_documents(
        self, found: Iterable[tuple[EventBody, list[MentionBody]]]
    ) -> dict[str, int]:
        """Documents, their mentions and the mentions' page keys (their old keys gone: a
        rebuild emptied the table, a catch-up forgot their documents' mentions)."""
        counts = {"documents": 0, "mentions": 0}
        con = self._writer
        for batch in _chunks(found, _BATCH // 8):  # about _BATCH rows of each table
            mentions = [item for _, items in batch for item in items]
            with self._batch():
                con.executemany(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?)",
                    [(document.id, document.body) for document, _ in batch],
                )
                con.executemany(
                    "INSERT OR REPLACE INTO mentions VALUES (?, ?, ?)",
                    [(item.id, item.doc_id, item.body) for item in mentions],
                )
                con.executemany(
                    "INSERT OR IGNORE INTO page_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [key for item in mentions for key in _keys(item)],
                )
            counts["documents"] += len(batch)
            counts["mentions"] += len(mentions)
        return counts

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """One transaction per batch during a rebuild or a long catch-up; inside the
        caller's otherwise."""
        if not self._batched:
            yield
            return
        self._writer.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._writer.execute("ROLLBACK")
            raise
        self._writer.execute("COMMIT")

    # Reading

    def event(self, event_id: str) -> bytes | None:
        """The body of ``event_id``, None for an unknown event."""
        con = self._reader()
        found = con.execute("SELECT body FROM events WHERE id = ?", [event_id]).fetchone()
        if found is not None:
            return bytes(found[0])
        found = con.execute("SELECT row FROM event_rows WHERE id = ?", [event_id]).fetchone()
        if found is None or self.renderer is None:
            return None
        return self.renderer.event_of_row(decode_row(found[0]))

    def document(self, doc_id: str) -> bytes | None:
        row = self._reader().execute("SELECT body FROM documents WHERE id = ?", [doc_id]).fetchone()
        return None if row is None else bytes(row[0])

    def page(self, request: PageRequest) -> PageRead:
        """A page of mention bodies, as :meth:`Store.mention_page` orders and filters."""
        where, params = _conditions(request)
        keyset = where
        more: list[object] = []
        if request.after is not None:
            date, doc_id, sentence_index, mention_id = request.after
            keyset = f"{where} AND {_AFTER[request.descending]}"
            more = [int(date is None), _day(date), doc_id, sentence_index, mention_id]
        sql = _PAGE.format(where=keyset, order=_ORDER[request.descending])
        con = self._reader()
        rows = con.execute(sql, [*params, *more, request.limit, request.offset]).fetchall()
        total: int
        if request.after is None and len(rows) < request.limit and (rows or request.offset == 0):
            total = request.offset + len(rows)
        else:
            found = con.execute(f"SELECT count(*) FROM page_keys k WHERE {where}", params)
            total = int(found.fetchone()[0])
        last = rows[-1] if rows and len(rows) == request.limit else None
        key = None
        if last is not None:
            key = (None if last[0] else dt.date.fromisoformat(last[1]), last[2], last[3], last[4])
        return PageRead([bytes(row[5]) for row in rows], total, key)

    def counts(self) -> dict[str, int]:
        con = self._reader()
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in _TABLES}

    def close(self) -> None:
        """Close the writer and every thread's reader (no thread may read any more)."""
        with self._lock:
            for con in self._readers:
                con.close()
            self._readers.clear()
        self._writer.close()


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not a value of an events row: {value!r}")


def decode_row(text: str) -> tuple[object, ...]:
    """An ``event_rows`` row as DuckDB gives it: dates as dates."""
    row = json.loads(text)
    for index in _DATE_COLUMNS:
        if row[index] is not None:
            row[index] = dt.date.fromisoformat(row[index])
    return tuple(row)


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """``items`` in lists of ``size`` (the last one shorter; none for no items)."""
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _day(date: dt.date | None) -> str:
    return date.isoformat() if date is not None else ""


def _conditions(request: PageRequest) -> tuple[str, list[object]]:
    a, b = sorted(request.dyad) if request.dyad else (_ALL, _ALL)
    clauses = ["k.a = ?", "k.b = ?"]
    params: list[object] = [a, b]
    if request.root is not None:
        clauses.append("k.root = ?")
        params.append(request.root)
    if request.since is not None or request.until is not None:
        clauses.append("k.undated = 0")
    if request.since is not None:
        clauses.append("k.date >= ?")
        params.append(request.since.isoformat())
    if request.until is not None:
        clauses.append("k.date <= ?")
        params.append(request.until.isoformat())
    return " AND ".join(clauses), params


def _keys(item: MentionBody) -> Iterator[tuple[object, ...]]:
    """A mention's rows of ``page_keys``: one per distinct dyad it matches, plus ``*``."""
    source, target = item.sides
    pairs = {
        tuple(sorted((s, t))) for s in source if s is not None for t in target if t is not None
    }
    pairs.add((_ALL, _ALL))
    for a, b in sorted(pairs):
        yield (
            a, b, int(item.date is None), _day(item.date), item.root, item.doc_id,
            item.sentence_index, item.id,
        )  # fmt: skip
