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
reflects (``meta.generation``). It answers only while that equals the store's
generation as this process knows it: every write transaction of the store first
marks it behind (:meth:`ReadSide.begin`), and a document ingest then brings it
forward with the documents it added, their mentions and the events they link to
(:meth:`ReadSide.apply`), in the writing thread, after the DuckDB commit. Any
other write (imports, relinks, unmerges, raw statements) leaves it behind:
reads fall back to DuckDB until :meth:`Store.prepare_readside` rebuilds it.

**Crash between the two files.** :meth:`ReadSide.begin` records the write it
starts (``meta.intent``) before the DuckDB transaction. On open, a file one
generation behind whose intent was a document ingest is repaired from the
documents ingested since its stamp; any other difference is rebuilt whole.
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
from typing import Literal, Protocol

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
_FORMAT = "3"
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

    def documents(self, store: object, ids: Sequence[str] | None) -> Iterator[EventBody]:
        """The bodies of documents ``ids`` (of every document when None)."""
        ...

    def mentions(self, store: object, doc_ids: Sequence[str] | None) -> Iterator[MentionBody]:
        """The page items of the mentions of ``doc_ids`` (of every mention when None)."""
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


Intent = Literal["documents", "other"]


class ReadSide:
    """The SQLite file of one store: one writer connection, a reader per thread."""

    __slots__ = (
        "_batched", "_forwardable", "_generation", "_local", "_lock", "_path", "_readers", "_stamp",
        "_writer", "renderer",
    )  # fmt: skip

    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        """Every thread's reader connection, closed with the file."""
        self._lock = threading.Lock()
        self._writer = self._connect()
        with self._writer:
            for statement in _SCHEMA:
                self._writer.execute(statement)
        self._stamp = self._stamp_of()
        self._generation = -1
        """The DuckDB store's generation as this process knows it (-1: not told)."""
        self._forwardable = False
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
        if self._meta("format") != _FORMAT.encode():
            return None
        found = self._meta("generation")
        return int(found) if found is not None else None

    # Freshness

    @property
    def serving(self) -> bool:
        """Whether the file reflects the store as it is now."""
        return self._stamp is not None and self._stamp == self._generation

    def told(self, generation: int) -> None:
        """The store's generation (read after opening it or after each write)."""
        self._generation = generation

    def needs(
        self, generation: int, ingested_upto: str | None, fingerprint: str
    ) -> Literal["none", "docs", "all"]:
        """What opening at ``generation`` calls for: nothing, the documents ingested
        since the stamp (one document ingest was cut off), or a rebuild.
        ``fingerprint`` (the store's row counts) catches a file of another store at
        the same generation, or writes that went around the store."""
        if self._stamp == generation:
            same = self._meta("fingerprint") == fingerprint.encode()
            return "none" if same else "all"
        intent = self._meta("intent")
        upto = self._meta("ingested_upto")
        if (
            self._stamp is not None
            and generation == self._stamp + 1
            and intent == b"documents"
            and (upto is None or ingested_upto is not None)
        ):
            return "docs"
        return "all"

    def ingested_upto(self) -> str | None:
        """The latest ``ingested_at`` of the documents the file holds (ISO text)."""
        found = self._meta("ingested_upto")
        return found.decode() if found is not None else None

    def begin(self, intent: Intent) -> bool:
        """A write transaction of the store starts: stop answering, record ``intent``.
        True when the file was current, so the write may bring it forward."""
        current = self.serving
        self._stamp_write(intent=intent)
        self._generation = -1
        self._forwardable = current and self.renderer is not None
        return current

    @property
    def forwardable(self) -> bool:
        """Whether the write under way found the file current, so may bring it forward."""
        return self._forwardable

    def _stamp_write(self, **values: object) -> None:
        with self._lock, self._writer:
            self._writer.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [(key, None if value is None else str(value)) for key, value in values.items()],
            )

    def stamp(self, generation: int, ingested_upto: str | None, fingerprint: str) -> None:
        """The file now reflects the store at ``generation``."""
        self._stamp_write(
            format=_FORMAT, generation=generation, intent="none", ingested_upto=ingested_upto,
            fingerprint=fingerprint,
        )  # fmt: skip
        self._stamp = generation
        self._generation = generation
        self._forwardable = False

    # Writing

    def rebuild(self, store: object, renderer: Renderer) -> dict[str, int]:
        """Every body written anew from ``store``; returns the rows per table. The
        caller stamps the file.

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
                    "documents": self._put_documents(renderer.documents(store, None)),
                    "mentions": self._put_mentions(renderer.mentions(store, None)),
                }
            finally:
                self._batched = False
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts

    def apply(
        self, store: object, renderer: Renderer, doc_ids: Sequence[str], event_ids: Sequence[str]
    ) -> None:
        """Documents ``doc_ids`` (added), their mentions and events ``event_ids`` (the
        events those mentions link to) written anew. The caller stamps the file."""
        with self._lock:
            con = self._writer
            con.execute("BEGIN")
            try:
                self._put_documents(renderer.documents(store, doc_ids))
                self._put_mentions(renderer.mentions(store, doc_ids))
                self._put_events(renderer.events(store, event_ids))
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _put_events(self, found: Iterable[EventBody | EventRow]) -> int:
        count = 0
        bodies: list[tuple[str, bytes]] = []
        rows: list[tuple[str, str]] = []
        for item in found:
            if isinstance(item, EventBody):
                bodies.append((item.id, item.body))
            else:
                rows.append((item.id, json.dumps(item.row, default=_iso, separators=(",", ":"))))
            if len(bodies) + len(rows) >= _BATCH:
                count += self._event_batch(bodies, rows)
                bodies, rows = [], []
        return count + self._event_batch(bodies, rows)

    def _event_batch(self, bodies: list[tuple[str, bytes]], rows: list[tuple[str, str]]) -> int:
        """An event is in one of the two tables: written there, taken out of the other."""
        con = self._writer
        with self._batch():
            con.executemany("DELETE FROM event_rows WHERE id = ?", [(i,) for i, _ in bodies])
            con.executemany("INSERT OR REPLACE INTO events VALUES (?, ?)", bodies)
            con.executemany("DELETE FROM events WHERE id = ?", [(i,) for i, _ in rows])
            con.executemany("INSERT OR REPLACE INTO event_rows VALUES (?, ?)", rows)
        return len(bodies) + len(rows)

    def _put_documents(self, found: Iterable[EventBody]) -> int:
        rows = ((item.id, item.body) for item in found)
        return self._insert("INSERT OR REPLACE INTO documents VALUES (?, ?)", rows)

    def _put_mentions(self, found: Iterable[MentionBody]) -> int:
        count = 0
        batch: list[MentionBody] = []
        for item in found:
            batch.append(item)
            if len(batch) >= _BATCH:
                count += self._mention_batch(batch)
                batch = []
        return count + self._mention_batch(batch)

    def _mention_batch(self, batch: Sequence[MentionBody]) -> int:
        if not batch:
            return 0
        con = self._writer
        ids = [(item.id,) for item in batch]
        with self._batch():
            self._mentions_of(con, batch, ids)
        return len(batch)

    def _mentions_of(
        self, con: sqlite3.Connection, batch: Sequence[MentionBody], ids: list[tuple[str]]
    ) -> None:
        con.executemany("DELETE FROM page_keys WHERE id = ?", ids)
        con.executemany(
            "INSERT OR REPLACE INTO mentions VALUES (?, ?, ?)",
            [(item.id, item.doc_id, item.body) for item in batch],
        )
        con.executemany(
            "INSERT OR IGNORE INTO page_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [key for item in batch for key in _keys(item)],
        )

    def _insert(self, sql: str, rows: Iterable[tuple[str, bytes]]) -> int:
        count = 0
        batch: list[tuple[str, bytes]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                with self._batch():
                    self._writer.executemany(sql, batch)
                count += len(batch)
                batch = []
        with self._batch():
            self._writer.executemany(sql, batch)
        return count + len(batch)

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """One transaction per batch during a rebuild; inside the caller's otherwise."""
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
