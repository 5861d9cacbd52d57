"""The embedded DuckDB store: documents, event mentions, deduplicated events, errors.

One :class:`Store` owns one DuckDB connection, used by one writer thread.
Readers in other threads take :meth:`Store.reader`, a cursor of the same
database: DuckDB's MVCC gives each read a committed snapshot, so a reader never
sees half a batch. Every DuckDB failure leaves as a
:class:`~dyadwatch.errors.StoreError` (DW301, DW305 for a damaged file); bad
filter values are DW303 and never reach SQL text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any, Unpack, cast

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.errors import ErrorRecord, Errors, StoreError
from dyadwatch.model import Document, Event, content_hash
from dyadwatch.store import _changelog, _materialise, _rollup
from dyadwatch.store._dedup import (
    DedupRules,
    MentionFacts,
    link_mentions,
    merged_into,
    relink_all,
    unmerge,
)
from dyadwatch.store._query import (
    EVENT_ORDER,
    EVENT_SCORES,
    EventFilter,
    Filters,
    MentionFilter,
    MentionKey,
    unit_share,
)
from dyadwatch.store._readside import (
    PageRead,
    PageRequest,
    ReadSide,
    Renderer,
    readside_path,
)  # fmt: skip
from dyadwatch.store._sql import insert_rows, wrapped
from dyadwatch.store._stored import STORED_COLUMNS, STORED_TYPES, stored_from_row, stored_row
from dyadwatch.store.columns import (
    DOCUMENTS,
    ERRORS,
    GDELT_MENTIONS,
    MENTIONS,
    TABLES,
    WATCH_TABLES,
)
from dyadwatch.store.records import EventScore, GdeltMention, StoredEvent
from dyadwatch.store.rows import document_codec, mention_codec
from dyadwatch.store.schema import (
    BOOTSTRAP,
    CHANGELOG_SET,
    MIGRATION_SETS,
    STORE_SET,
    MigrationSet,
)

Params = Sequence[object] | Mapping[str, object]
"""Values for a statement's ``?`` (a sequence) or ``$name`` (a mapping) placeholders."""

__all__ = ["MEMORY", "Store"]

MEMORY = ":memory:"
"""The path of a store that lives only as long as its connection."""

_DOCUMENT_COLUMNS = DOCUMENTS.names
_MENTION_COLUMNS = mention_codec().names
_ERROR_COLUMNS = ERRORS.names
_ARROW_TYPES = {**DOCUMENTS.types, **MENTIONS.types}
"""Arrow types of the mention and document columns (the shared names agree)."""

_DUCKDB_MAGIC = b"DUCK"
_MAGIC_OFFSET = 8
_HEADER_BYTES = 3 * 4096
"""A DuckDB file starts with three 4 KiB headers; anything shorter is truncated."""

_MENTIONS_VIEW = (
    "(SELECT m.*, l.event_id FROM event_mentions m LEFT JOIN event_links l ON l.mention_id = m.id)"
)
_SELECT_MENTIONS = f"SELECT {', '.join(_MENTION_COLUMNS)} FROM event_mentions"
_SELECT_MENTIONS_FLAT = (
    f"SELECT {', '.join(_MENTION_COLUMNS)}, provenance, event_id FROM {_MENTIONS_VIEW}"
)
_SELECT_STORED = f"SELECT {', '.join(STORED_COLUMNS)} FROM events"
_STORED_BY_ID = f"{_SELECT_STORED} WHERE id = $id"
_SELECT_ONE_A_DAY = (
    "SELECT provenance, date, source_code, source_country, target_code, target_country,"
    " cameo, goldstein, quad, id, events, num_mentions, num_articles FROM events_one_a_day"
)
_ONE_A_DAY_ORDER = " ORDER BY date NULLS LAST, source_code, target_code NULLS FIRST, cameo, id"
_ONE_A_DAY_OF = """(SELECT
    provenance, date, source_code, source_country, target_code, target_country, cameo,
    min(cameo_root) AS cameo_root, min(goldstein) AS goldstein, min(quad) AS quad,
    min(id) AS id, count(*) AS events, sum(num_mentions) AS num_mentions,
    sum(num_articles) AS num_articles
FROM events WHERE {where}
GROUP BY provenance, date, source_code, source_country, target_code, target_country, cameo)"""
"""The ``events_one_a_day`` view over the events that pass a confidence or date-basis
filter: those pick events before the view folds them, never a fold by its first id."""
_EVENT_SCORES_OF = (
    f"SELECT event_id, confidence, date_basis, rule, next_type, next_type_probability FROM"
    f" ({EVENT_SCORES} WHERE l.event_id IN (SELECT unnest($ids)) GROUP BY l.event_id)"
)
_MENTIONS_OF = (
    f"SELECT {', '.join('m.' + c for c in _MENTION_COLUMNS)} FROM event_links l"
    " JOIN event_mentions m ON m.id = l.mention_id WHERE l.event_id = $id"
    " ORDER BY m.date NULLS LAST, m.doc_id, m.sentence_index, m.id"
)
_MENTION_TUPLE = f"({', '.join('m.' + c for c in _MENTION_COLUMNS)})"
_EXPLAINED_EVENT = f"""
SELECT e.*, x.* FROM (
    SELECT {_materialise.EVENT_MENTIONS}
    FROM event_links l JOIN event_mentions m ON m.id = l.mention_id WHERE l.event_id = $id
) AS x LEFT JOIN ({_STORED_BY_ID}) AS e ON TRUE"""
"""One event, its mentions (one list of rows) and its scores in one statement: each
table is read through its index (DuckDB pushes the links' mention ids into the mention
scan), where three statements cost a third more CPU (docs/PERFORMANCE.md, "API")."""
_DOCUMENT_WITH_MENTIONS = f"""
SELECT {", ".join("d." + c for c in document_codec().names)}, x.mentions FROM (
    SELECT {_materialise.DOCUMENT_MENTIONS}
    FROM event_mentions m LEFT JOIN event_links l ON l.mention_id = m.id
    WHERE m.doc_id = $id
) AS x JOIN documents d ON d.id = $id"""
"""A document and its mentions, each with its event's id, in one statement."""
_EVENTS_OF_DOCUMENTS = f"""
SELECT {", ".join(STORED_COLUMNS)} FROM events
WHERE id IN (
    SELECT l.event_id FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
    WHERE m.doc_id IN (SELECT unnest($docs::VARCHAR[]))
      AND ($plover::VARCHAR IS NULL OR m.plover_type = $plover))
  AND ($root::VARCHAR IS NULL OR cameo_root = $root)
  AND ($country::VARCHAR IS NULL OR $country IN (location_country, target_country))
  AND coalesce(killed_max, killed_min, 0) >= $killed
ORDER BY id"""
_DOCUMENT = f"SELECT {', '.join(document_codec().names)} FROM documents WHERE id = $id"
_DOCUMENT_MENTIONS = f"{_SELECT_MENTIONS} WHERE doc_id = $id ORDER BY sentence_index, id"
_LINKS_OF = "SELECT mention_id, event_id FROM event_links WHERE mention_id IN (SELECT unnest($ids))"
"""Events of a few mentions by their ids: the key lookup, where joining the links
table to a handful of mentions would scan all of it."""
_MENTION_ORDERS = {
    False: " ORDER BY date NULLS LAST, doc_id, sentence_index, id",
    True: " ORDER BY date DESC NULLS FIRST, doc_id DESC, sentence_index DESC, id DESC",
}
"""Mention order, and its exact reverse (newest first, undated first)."""
_STORED_KEY = (
    "SELECT id, content_hash, url FROM documents"
    " WHERE id = $id OR (content_hash = $hash AND url IS NOT DISTINCT FROM $url)"
)
_STORED_KEYS = (
    "SELECT id, content_hash, url FROM documents"
    " WHERE id IN (SELECT unnest($ids)) OR content_hash IN (SELECT unnest($hashes))"
)
_DYAD_PERIODS = """
SELECT date_trunc($unit, date)::DATE AS period, count(*) AS events,
    count(*) FILTER (WHERE quad = 1) AS verbal_coop,
    count(*) FILTER (WHERE quad = 2) AS material_coop,
    count(*) FILTER (WHERE quad = 3) AS verbal_conflict,
    count(*) FILTER (WHERE quad = 4) AS material_conflict,
    coalesce(sum(goldstein), 0) AS goldstein_sum, count(goldstein) AS goldstein_n,
    coalesce(sum(goldstein * goldstein), 0) AS goldstein_sq,
    sum(num_mentions) AS num_mentions
FROM {source} WHERE date IS NOT NULL AND {where}
GROUP BY period ORDER BY period
"""
"""The one definition of a dyad's series: deduplicated events per period."""
_CITED_EVENTS = """
SELECT id, provenance, date, source_code, target_code, cameo, goldstein, quad,
    num_mentions, source_url
FROM events WHERE id IN ({ids})
"""
"""The ids as a list of constants: DuckDB skips the row groups whose ids they miss, where
``IN (SELECT unnest($ids))`` scanned all ten million (0.9 against 3.1 ms for three)."""
_EXTREME_ORDER = "goldstein {order} NULLS LAST, num_mentions DESC, id"
_EXTREME_EVENTS = f"""
SELECT {{span}} AS span, id, row_number() OVER (ORDER BY {_EXTREME_ORDER}) AS rank FROM (
    SELECT id, goldstein, num_mentions FROM events
    WHERE date IS NOT NULL AND date >= $start{{span}} AND date < $end{{span}} AND {{where}}
    ORDER BY {_EXTREME_ORDER} LIMIT $n
)"""
"""One span's extreme events; the spans of one call are joined by UNION ALL, each with
its own constant dates, so each reads only its dates' row groups."""
_EVENT_MENTIONS = "SELECT mention_id FROM event_links WHERE event_id = ?"
"""By the index on ``event_id``: joining the mentions to the links scanned every link."""
_MENTION_SENTENCES = """
SELECT id, sentence FROM event_mentions WHERE id IN ({ids})
ORDER BY date NULLS LAST, doc_id, sentence_index, id
"""
_PUBLICATION_WEIGHT = """CASE WHEN id IN (
    SELECT event_id FROM ({scores} GROUP BY l.event_id) WHERE date_basis = 'publication'
) THEN $publication_weight ELSE 1.0 END"""
"""An event's weight: ``$publication_weight`` when only its publication stamp dates it."""
_PAIR_MONTHS = """
SELECT source_country AS s, target_country AS t, date_trunc('month', date)::DATE AS period,
    coalesce(sum(w) FILTER (WHERE quad IN (1, 2)), 0) AS coop,
    coalesce(sum(w) FILTER (WHERE quad IN (3, 4)), 0) AS conflict
FROM (
    SELECT source_country, target_country, date, quad, {weight} AS w
    FROM events
    WHERE date IS NOT NULL AND source_country IS NOT NULL AND target_country IS NOT NULL
        AND source_country <> target_country AND date <= $until AND date >= $first
        AND {where}
)
GROUP BY ALL
"""
"""Directed country pairs by month, cooperative and conflictual events counted with
their weights (the caller folds them to undirected pairs: grouping millions of rows on
least()/greatest() is several times slower than on the raw columns)."""
_WEIGHTED_PERIODS = """
SELECT date_trunc($unit, date)::DATE AS period, sum(w) AS events,
    coalesce(sum(w) FILTER (WHERE quad = 1), 0) AS verbal_coop,
    coalesce(sum(w) FILTER (WHERE quad = 2), 0) AS material_coop,
    coalesce(sum(w) FILTER (WHERE quad = 3), 0) AS verbal_conflict,
    coalesce(sum(w) FILTER (WHERE quad = 4), 0) AS material_conflict,
    coalesce(sum(w * goldstein), 0) AS goldstein_sum,
    coalesce(sum(w) FILTER (WHERE goldstein IS NOT NULL), 0) AS goldstein_n,
    coalesce(sum(w * goldstein * goldstein), 0) AS goldstein_sq,
    sum(num_mentions) AS num_mentions
FROM (
    SELECT *, {weight} AS w
    FROM events WHERE date IS NOT NULL AND {where}
)
GROUP BY period HAVING sum(w) > 0 ORDER BY period
"""
"""The same series with each publication-dated event counting ``$publication_weight``
(counts become fractional; mentions are coverage and stay whole). A period left with
no weight (only such events, at weight 0) has no row, as an empty period has none."""
_UNITS = ("day", "week", "month", "year")
_PAIR_LAYOUTS = ("pairs", "packed")
"""Rollup layouts with each pair's rows by key (``dyad_pairs``; ``packed``: blobs too)."""
_OLDER_LAYOUTS = ("days", "pairs")
"""Current rollups a writable store migrates before a series reads them."""
_TOP_DYADS = """
WITH directed AS (
    SELECT source_country AS s, target_country AS t, count(*) AS n,
        sum(goldstein) AS g, count(goldstein) AS k
    FROM events
    WHERE source_country <> target_country
    GROUP BY s, t
)
SELECT least(s, t) AS country_a, greatest(s, t) AS country_b, sum(n)::BIGINT AS events,
    sum(g) / nullif(sum(k), 0) AS goldstein_mean
FROM directed
GROUP BY country_a, country_b ORDER BY events DESC, country_a, country_b LIMIT $limit
"""
_TABLES = tuple(table.name for table in TABLES)
_COUNT_TABLES = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in _TABLES)
_COLUMN_LIST = ", ".join(STORED_COLUMNS)
_INSERT_NEW = (
    f"SELECT {_COLUMN_LIST} FROM {{source}} AS s"
    " WHERE NOT EXISTS (SELECT 1 FROM events AS e WHERE e.id = s.id)"
)
"""The rows to insert: those whose id is not stored; an anti-join, far cheaper than
INSERT OR IGNORE, which DuckDB plans as a group-by of every column over the whole input."""
_INSERT_FIRST = (
    f"SELECT {_COLUMN_LIST} FROM ("
    f" SELECT *, row_number() OVER () AS _dyadwatch_pos FROM {{source}}) AS s"
    " WHERE NOT EXISTS (SELECT 1 FROM events AS e WHERE e.id = s.id)"
    " QUALIFY row_number() OVER (PARTITION BY s.id ORDER BY s._dyadwatch_pos) = 1"
)
"""The same when the input repeats an id: the first of each id wins."""
_MENTION_COLUMNS_GDELT = GDELT_MENTIONS.names
_MENTION_TYPES_GDELT = GDELT_MENTIONS.types
_GDELT_COUNTS = """(
    SELECT event_id, count(*) AS mentions, count(DISTINCT source_name) AS sources,
        count(DISTINCT identifier) AS articles
    FROM gdelt_mentions GROUP BY event_id
) AS c"""
_GDELT_BEHIND = """events.id = c.event_id AND (events.num_mentions < c.mentions
    OR events.num_sources < c.sources OR events.num_articles < c.articles)"""
_RECOUNT_GDELT = f"""
UPDATE events SET
    num_mentions = greatest(events.num_mentions, c.mentions),
    num_sources = greatest(events.num_sources, c.sources),
    num_articles = greatest(events.num_articles, c.articles)
FROM {_GDELT_COUNTS}
WHERE {_GDELT_BEHIND}
"""
"""Live counts of GDELT events from their stored mention rows; counts never go down."""
_BEHIND_GDELT = f"SELECT events.id FROM events, {_GDELT_COUNTS} WHERE {_GDELT_BEHIND}"
"""The events :data:`_RECOUNT_GDELT` is about to change."""
_SELF_CODED = "SELECT id FROM events WHERE provenance = 'dyadwatch'"
_OWN_TABLES = frozenset(table.name for table in WATCH_TABLES)
"""The tables :meth:`Store.execute` writes without touching the events' generation."""
_WRITE_TARGET = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE
)
_DELETE_WHERE = re.compile(r"^\s*DELETE\s+FROM\s+(\w+)\s+WHERE\s+(.+?)\s*;?\s*$",
                           re.IGNORECASE | re.DOTALL)  # fmt: skip
_LOGGED_DELETES = {"events": "event", "documents": "document"}
"""Tables whose ``DELETE … WHERE`` :meth:`Store.execute` logs for the read side, by kind."""
_READ_ONLY_WORDS = ("select", "with", "from", "values", "table", "(")
_STAGED = "_dyadwatch_staged_events"
_FETCH = 2048
"""Rows fetched per round trip while streaming stored events."""

Batch = Iterable[tuple[Document, Sequence[Event]]]


class Store:
    """Documents, event mentions and deduplicated events in one DuckDB file.

    Open with :meth:`open`; use as a context manager or call :meth:`close`.
    """

    __slots__ = (
        "_con", "_dedup", "_freshness", "_has_log", "_logging", "_owns_readside", "_path",
        "_readside", "_trusted", "_writable",
    )  # fmt: skip

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        path: str,
        *,
        dedup: DedupRules | None = None,
        writable: bool = True,
        freshness: _rollup.Freshness | None = None,
        trusted: bool = False,
        readside: ReadSide | None = None,
    ) -> None:
        """Wrap an open connection whose schema is current; prefer :meth:`open`."""
        self._con = connection
        self._path = path
        self._dedup = dedup or DedupRules()
        self._writable = writable
        self._freshness = freshness or _rollup.Freshness()
        self._trusted = trusted
        self._readside = readside
        # A reader shares its owner's read side; the store that attached it closes it.
        self._owns_readside = False
        self._has_log = False
        """Whether the store has its change log (a writer, once migrated)."""
        self._logging: int | None = None
        """The generation the write transaction under way makes, when it logs its
        changes (:mod:`~dyadwatch.store._changelog`); None otherwise."""

    @classmethod
    def open(
        cls,
        path: Path | str = MEMORY,
        *,
        read_only: bool = False,
        dedup: DedupRules | None = None,
    ) -> Store:
        """Open (or create) the store at ``path``, migrating it to the current schema.

        ``dedup`` sets the rules that link new mentions to events. Raises
        StoreError DW305 for a damaged file (never reset), DW306 for a path
        that cannot hold a store, DW302 for a store written by a newer
        dyadwatch and DW301 for other DuckDB failures (such as a lock held by
        another process, or a read-only open of an outdated store).
        """
        target = str(path)
        if target != MEMORY:
            _check_file(Path(target), read_only=read_only)
        with wrapped(target):
            connection = duckdb.connect(target, read_only=read_only)
        store = cls(connection, target, dedup=dedup, writable=not read_only)
        try:
            store._migrate(read_only=read_only)
        except BaseException:
            connection.close()
            raise
        return store

    def reader(self) -> Store:
        """A read-only view on a new cursor, for another thread of this process.

        Each query of a reader sees the last committed state: never part of a
        batch being written. Close it when the thread is done.
        """
        with wrapped(self._path):
            cursor = self._con.cursor()
        return Store(cursor, self._path, dedup=self._dedup, writable=False,
                     freshness=self._freshness, readside=self._readside)  # fmt: skip

    def thread_reader(self, *, sole_writer: bool = False) -> Store:
        """A read-only view for many threads: each thread reads on a cursor of its own,
        made on its first read and kept for its later ones (a server's worker
        threads pay for one cursor each, not one per request). Its :meth:`close`
        closes every cursor it made; call it once no thread reads any more.

        ``sole_writer`` is the caller's promise that every write of the file goes
        through this store (a server's hub: DuckDB's lock keeps other processes
        out): the reader then checks whether the rollup is current once per write
        of this store, not once per series (docs/STORE.md, "Rollup").
        """
        cursors = _ThreadCursors(self._con, self._path)
        return Store(cast(duckdb.DuckDBPyConnection, cursors), self._path, dedup=self._dedup,
                     writable=False, freshness=self._freshness, trusted=sole_writer,
                     readside=self._readside)  # fmt: skip

    @property
    def path(self) -> str:
        return self._path

    @property
    def writable(self) -> bool:
        """Whether this store may write (not opened read-only, not a reader)."""
        return self._writable

    @property
    def dedup(self) -> DedupRules:
        """The rules that link new mentions to events."""
        return self._dedup

    @property
    def schema_version(self) -> int:
        with wrapped(self._path):
            return self._read_version()

    def close(self) -> None:
        """Close the connection; later calls raise StoreError DW301. Idempotent."""
        with wrapped(self._path):
            self._con.close()
        self._close_readside()

    def _close_readside(self) -> None:
        if self._owns_readside and self._readside is not None:
            self._readside.close()
        self._owns_readside = False

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

    def add_document(
        self, doc: Document, events: Sequence[Event] = (), *, dedup: DedupRules | None = None
    ) -> bool:
        """Store ``doc`` with its event mentions in one transaction; False if already stored.

        A document is already stored when its id, or its text hash together
        with its URL, is present; nothing is written then. Its factual mentions
        are linked to events (see :class:`DedupRules`). Raises StoreError DW304
        when an event names another document and DW301 when DuckDB fails, in
        which case nothing of the document remains.
        """
        return self.add_documents([(doc, events)], dedup=dedup)[0]

    def add_documents(self, batch: Batch, *, dedup: DedupRules | None = None) -> list[bool]:
        """Store many documents with their mentions, and link them, in one transaction.

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
        with self._transaction(logged=True) as con:
            added = _new_documents(
                con, [(doc.id, text_hash, doc.url) for doc, _, text_hash in items]
            )
            fresh = [item for item, new in zip(items, added, strict=True) if new]
            now = _now()
            document_rows = [_document_row(doc, text_hash, now) for doc, _, text_hash in fresh]
            mentions = mention_codec()
            mention_rows = [
                mentions.row(event.with_doc_url(doc.url))
                for doc, events, _ in fresh
                for event in events
            ]
            insert_rows(con, "documents", _DOCUMENT_COLUMNS, document_rows, _ARROW_TYPES)
            insert_rows(con, "event_mentions", _MENTION_COLUMNS, mention_rows, _ARROW_TYPES)
            facts = [MentionFacts.of(event, doc) for doc, events, _ in fresh for event in events]
            link_mentions(con, facts, dedup or self._dedup)
            if self._logging is not None:
                _changelog.log_documents(con, self._logging, [doc.id for doc, _, _ in fresh])
        return added

    def add_stored_events(self, events: Iterable[StoredEvent]) -> int:
        """Store ready-made events (imports) in one transaction; returns rows added.

        Idempotent by ``id``: an event whose id is stored, or repeated earlier
        in ``events``, is skipped. Imported events are never merged with
        others. Raises StoreError DW301 when DuckDB fails; nothing remains then.
        """
        rows = [stored_row(event) for event in events]
        if not rows:
            return 0
        with self._transaction(logged=True) as con:
            ids = [str(row[0]) for row in rows]  # id is the first column
            _rollup.retract(con, ids)  # a stored id is left as it is: out, then back in
            added = insert_rows(con, "events", STORED_COLUMNS, rows, STORED_TYPES, or_ignore=True)
            _rollup.count(con, ids)
            if self._logging is not None:
                _changelog.log_events(con, self._logging, ids)  # a stored one: rewritten
            _recount_gdelt(con, log=self._logging)
        return added

    def add_stored_table(self, table: pa.Table | duckdb.DuckDBPyRelation) -> int:
        """Store events given as columns, in one transaction; returns rows added.

        The bulk twin of :meth:`add_stored_events` for millions of rows.
        ``table`` is an Arrow table or a DuckDB relation with (at least) the
        columns of the ``events`` table (docs/STORE.md), by name: dates as
        DATE, ``location`` and ``extra`` as JSON text. A relation made by
        :meth:`relation` runs inside the store (DuckDB reads, converts and
        inserts; no row passes through Python); one of another connection is
        read as Arrow first. Idempotent by ``id`` as :meth:`add_stored_events`:
        stored ids are skipped, and of ids repeated in ``table`` the first
        wins. GDELT events with stored mention rows get their live counts.
        Raises StoreError DW301 when DuckDB fails (a missing column, a value
        of the wrong type, a relation whose query fails midway); nothing
        remains then.
        """
        names = table.column_names if isinstance(table, pa.Table) else table.columns
        missing = [name for name in STORED_COLUMNS if name not in names]
        if missing:
            detail = f"add_stored_table: missing column(s) {', '.join(missing)}"
            raise StoreError(Errors.DW301, detail=detail, path=self._path)
        try:
            return self._insert_table(table, _INSERT_NEW)
        except StoreError as exc:
            # A repeated id inside the input: rare, so paid for only when it happens.
            if not isinstance(exc.__cause__, duckdb.ConstraintException):
                raise
        return self._insert_table(table, _INSERT_FIRST)

    def add_gdelt_mentions(self, mentions: Iterable[GdeltMention]) -> int:
        """Keep GDELT 2.0 mention rows and recount the events they name; returns rows added.

        Idempotent: a row repeating a stored (event, source, article,
        sentence) is skipped. Each ``gdelt2`` event named gets ``num_mentions``
        (its distinct mention rows), ``num_sources`` (distinct source names)
        and ``num_articles`` (distinct articles), never below GDELT's own
        figures; events imported later are counted as they arrive. One
        transaction; DW301 when DuckDB fails.
        """
        rows = [
            (
                f"gdelt2:{m.event_id}", m.event_id, m.event_time, m.mention_time,
                m.mention_type, m.source_name, m.identifier, m.sentence_id, m.confidence,
                m.doc_tone, m.line,
            )
            for m in mentions
        ]  # fmt: skip
        if not rows:
            return 0
        with self._transaction(logged=True) as con:
            added = insert_rows(
                con, "gdelt_mentions", _MENTION_COLUMNS_GDELT, rows, _MENTION_TYPES_GDELT,
                or_ignore=True,
            )  # fmt: skip
            _recount_gdelt(con, log=self._logging)
        return added

    def relation(self, query: str) -> duckdb.DuckDBPyRelation:
        """The lazy DuckDB relation of a SELECT ``query`` on the store's connection.

        For bulk inputs to :meth:`add_stored_table` (e.g. a ``read_csv`` of a
        large file turned into ``events`` columns) and ad hoc reads. The query
        is SQL text: build it from constants, never from user input. A query
        that does not start as a SELECT (``SELECT``, ``WITH``, ``FROM``,
        ``VALUES``, ``TABLE``) is refused, DW303; DuckDB errors are DW301.
        """
        _require_select(query)
        with wrapped(self._path):
            return self._con.sql(query)

    def select(self, query: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """The rows of a SELECT ``query`` with ``params`` bound to its placeholders.

        ``params`` is a sequence for ``?`` placeholders or a mapping for
        ``$name`` ones; values are always bound, never pasted into the text.
        For ad hoc reads and the store's own modules (the watcher's tables,
        :mod:`dyadwatch.store.watch_tables`); other packages call typed
        methods. Refused like :meth:`relation` when not a SELECT.
        """
        _require_select(query)
        with wrapped(self._path):
            return self._con.execute(query, _bound(params)).fetchall()

    def frame(self, query: str, params: Params = ()) -> pd.DataFrame:
        """As :meth:`select`, the result as a DataFrame (analytics, the API)."""
        _require_select(query)
        with wrapped(self._path):
            result: pd.DataFrame = self._con.execute(query, _bound(params)).df()
        return result

    def execute(self, statements: Iterable[tuple[str, Sequence[object]]]) -> None:
        """Run parameterised statements in one transaction: all commit, or none.

        For the store's modules that own tables of a migration set of their
        own (:mod:`dyadwatch.store.watch_tables`): statements that write only the
        watcher's tables change nothing the events' generation covers, so the
        rollup and the read side stay current. Not for the event tables, whose
        writers above keep events and counts consistent: a ``DELETE FROM events``
        or ``DELETE FROM documents`` logs the rows it removes for the read side;
        any other statement there empties the change log (the read side is then
        rebuilt by :meth:`prepare_readside`). SQL text is built from constants;
        values are bound. DuckDB errors are DW301.
        """
        batch = [(sql, list(params)) for sql, params in statements]
        targets = [_target(sql) for sql, _ in batch]
        if all(target in _OWN_TABLES for target, _ in targets):
            with self._transaction(bump=False) as con:
                for sql, params in batch:
                    con.execute(sql, params)
            return
        logged = all(target in _OWN_TABLES or where is not None for target, where in targets)
        with self._transaction(logged=logged) as con:
            for (sql, params), (target, where) in zip(batch, targets, strict=True):
                if where is not None:
                    _deleting(con, str(target), where, params, self._logging)
                con.execute(sql, params)

    def relink(self, dedup: DedupRules | None = None) -> int:
        """Rebuild every self-coded event from its mentions under ``dedup``.

        Mentions are linked in ingest order. Sets the store's rules; returns
        the number of events. One transaction: on failure nothing changes.
        """
        rules = dedup or self._dedup
        with self._transaction(logged=True) as con:
            with self._relinking(con):
                relink_all(con, rules)
            found = con.execute("SELECT count(*) FROM events WHERE provenance = 'dyadwatch'")
            count = int(_scalar(found))
        self._dedup = rules
        return count

    def merged_into(self, event_id: str) -> list[dict[str, object]]:
        """The mentions linked to a self-coded event and why each was merged into it.

        The founding mention comes first with ``reasons`` None; each other one
        has the fields on which it agreed with the event (``date_gap``,
        ``code``, ``source``, ``target``, ``place``, ``killed``). Empty for an
        unknown or imported event. What ``dyadwatch events --merged-into ID`` lists.
        """
        with wrapped(self._path):
            return merged_into(self._con, event_id)

    def unmerge(self, event_id: str, mention_ids: Sequence[str]) -> int:
        """Split ``mention_ids`` off ``event_id`` for good; returns the self-coded events.

        The split is stored (``event_splits``), so it holds in every later
        relink and re-ingest. Raises DW309 for an unknown event, a mention not
        linked to it, or when no mention would stay. One transaction.
        """
        with self._transaction(logged=True) as con, self._relinking(con):
            unmerge(con, event_id, mention_ids, self._dedup)
            found = con.execute("SELECT count(*) FROM events WHERE provenance = 'dyadwatch'")
            return int(_scalar(found))

    def add_error(self, record: ErrorRecord) -> None:
        """Keep a batch's error record (time-stamped in UTC)."""
        row = [record.code, record.message, record.path, record.line, record.doc_id, _now()]
        # Errors are nothing the events' generation covers: the rollup and read side stay.
        with self._transaction(bump=False) as con:
            insert_rows(con, "errors", _ERROR_COLUMNS, [row], {})

    @contextmanager
    def _relinking(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        """Around a relink of every self-coded event: the events it removes and makes,
        and every document (each mention's event id may change), logged."""
        generation = self._logging
        if generation is None:
            yield
            return
        _changelog.log_select(con, generation, "event", _SELF_CODED, {})
        _changelog.log_select(con, generation, "document", "SELECT id FROM documents", {})
        yield
        _changelog.log_select(con, generation, "event", _SELF_CODED, {})

    # Reading

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        with wrapped(self._path):
            found = self._con.execute("SELECT count(*) FROM documents WHERE id = ?", [doc_id])
            return bool(_scalar(found))

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The content hash of each stored document among ``doc_ids``, by id.

        Ingest compares it with a new document of the same id: the same text is
        a duplicate, another text a clash (DW119), never a silent merge.
        """
        if not doc_ids:
            return {}
        query = "SELECT id, content_hash FROM documents WHERE id IN (SELECT unnest($ids))"
        with wrapped(self._path):
            rows = self._con.execute(query, {"ids": list(doc_ids)}).fetchall()
        return {str(doc_id): str(text_hash) for doc_id, text_hash in rows}

    def events(
        self, where: EventFilter | None = None, /, **filters: Unpack[Filters]
    ) -> list[dict[str, object]]:
        """Stored event *mentions*, in the JSON output contract shape of ``Event.to_dict``.

        One row per coded sentence-level event, as the coder produced it;
        :meth:`stored_events` gives the deduplicated happenings. Filters come
        as an :class:`EventFilter` ``where``, as keywords (its fields), or both
        (keywords override). ``dyad`` matches actor codes or countries in
        either direction (see :class:`EventFilter` for other levels); ``since``/
        ``until`` bound the date (inclusive; undated rows never match a bound);
        ``root`` is a CAMEO root such as ``"19"``. Rows come ordered by date,
        document and sentence. Bad values raise DW303.
        """
        text, params = EventFilter.of(where, **filters).sql()
        with wrapped(self._path):
            rows = self._con.execute(_SELECT_MENTIONS + text, params).fetchall()
        return [_contract(row) for row in rows]

    def events_frame(
        self, where: EventFilter | None = None, /, **filters: Unpack[Filters]
    ) -> pd.DataFrame:
        """The mentions of :meth:`events` as flat columns, plus ``provenance`` and
        ``event_id`` (the linked event; null for negated or hypothetical ones)."""
        text, params = EventFilter.of(where, **filters).sql()
        with wrapped(self._path):
            frame: pd.DataFrame = self._con.execute(_SELECT_MENTIONS_FLAT + text, params).df()
        return frame

    def stored_events(
        self, where: EventFilter | None = None, /, **filters: Unpack[Filters]
    ) -> Iterator[StoredEvent]:
        """Deduplicated events, self-coded and imported, ordered by date then id.

        Filters as :meth:`events`, plus ``provenance`` (``"dyadwatch"``,
        ``"gdelt1"``, ``"gdelt2"``, ``"icews"``). Filters are checked now
        (DW303); rows stream from one snapshot on their own cursor.
        """
        text, params = EventFilter.of(where, **filters).sql(EVENT_ORDER, table="events")
        with wrapped(self._path):
            cursor = self._con.cursor()
            try:
                cursor.execute(_SELECT_STORED + text, params)
            except BaseException:
                cursor.close()
                raise
        return _stream(cursor, self._path)

    def events_of_documents(
        self,
        doc_ids: Sequence[str],
        *,
        plover: str | None = None,
        root: str | None = None,
        country: str | None = None,
        min_killed: int = 0,
    ) -> list[StoredEvent]:
        """The events that mentions of ``doc_ids`` are linked to, by id.

        ``plover`` keeps events with such a mention in those documents; ``root``
        a CAMEO root; ``country`` events placed in, or aimed at, that country;
        ``min_killed`` events whose killed count (its maximum, else its minimum,
        else 0) reaches it. What the watcher's ``event`` rules look for.
        """
        params = {
            "docs": list(doc_ids), "plover": plover, "root": root, "country": country,
            "killed": min_killed,
        }  # fmt: skip
        with wrapped(self._path):
            rows = self._con.execute(_EVENTS_OF_DOCUMENTS, params).fetchall()
        return [stored_from_row(row) for row in rows]

    def last_event_date(self) -> dt.date | None:
        """The latest date of any stored event (None for a store without dated events)."""
        with wrapped(self._path):
            found: dt.date | None = _scalar(self._con.execute("SELECT max(date) FROM events"))
        return found

    def document(self, doc_id: str) -> Document | None:
        """The stored document ``doc_id``, or None."""
        with wrapped(self._path):
            row = self._con.execute(_DOCUMENT, {"id": doc_id}).fetchone()
        if row is None:
            return None
        found: Document = document_codec().record(row)
        return found

    def document_mentions(self, doc_id: str) -> list[tuple[Event, str | None]]:
        """The mentions of document ``doc_id`` in sentence order, each with its event's id
        (None for a negated or hypothetical mention, which is linked to no event)."""
        with wrapped(self._path):
            rows = self._con.execute(_DOCUMENT_MENTIONS, {"id": doc_id}).fetchall()
        return self._with_events(rows)

    def document_with_mentions(
        self, doc_id: str
    ) -> tuple[Document, list[tuple[Event, str | None]]] | None:
        """:meth:`document` and :meth:`document_mentions` in one statement, or None."""
        with wrapped(self._path):
            # fetchall: a result left open would block a bulk import made next.
            rows = self._con.execute(_DOCUMENT_WITH_MENTIONS, {"id": doc_id}).fetchall()
        return _materialise.document_of(rows[0]) if rows else None

    def mention_page(
        self,
        match: MentionFilter,
        *,
        descending: bool = False,
        limit: int = 100,
        offset: int = 0,
        after: MentionKey | None = None,
    ) -> list[tuple[Event, str | None]]:
        """One page of the mentions ``match`` selects, each with its event's id (as
        :meth:`document_mentions`), in the order of :meth:`events` or its reverse.

        Filtering, ordering and the page are DuckDB's: the cost is the scan of the
        mention columns the filters name plus ``offset + limit`` rows, not a read of
        every match. ``after`` starts the page past that mention's key (keyset
        paging: the next page of a page that ended there, at the cost of a first
        page). ``limit`` and ``offset`` must be non-negative (else DW303).
        """
        for name, value in (("limit", limit), ("offset", offset)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise StoreError(Errors.DW303, name=name, value=value, reason="negative")
        clause, params = match.conditions()
        if after is not None:
            keyset, more = after.after(descending=descending)
            clause = f"{clause} AND {keyset}"
            params.update(more)
        sql = (
            f"{_SELECT_MENTIONS} WHERE {clause}{_MENTION_ORDERS[descending]}"
            " LIMIT $limit OFFSET $offset"
        )
        with wrapped(self._path):
            rows = self._con.execute(sql, {**params, "limit": limit, "offset": offset}).fetchall()
        return self._with_events(rows)

    def count_mentions(self, match: MentionFilter) -> int:
        """How many mentions ``match`` selects."""
        clause, params = match.conditions()
        with wrapped(self._path):
            found = self._con.execute(f"SELECT count(*) FROM event_mentions WHERE {clause}", params)
            return int(_scalar(found) or 0)

    def _with_events(self, rows: list[tuple[Any, ...]]) -> list[tuple[Event, str | None]]:
        """Mention rows as events, each with the id of the event it is linked to."""
        codec = mention_codec()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        with wrapped(self._path):
            links = dict(self._con.execute(_LINKS_OF, {"ids": ids}).fetchall())
        return [(codec.record(row), links.get(row[0])) for row in rows]

    def located_events(
        self, where: EventFilter, *, cameo: Sequence[str] | None = None, limit: int = 5000
    ) -> list[StoredEvent]:
        """At most ``limit`` events of ``where`` that have coordinates, in the order of
        :meth:`stored_events`; ``cameo`` keeps only those exact codes. One query:
        the filters and the limit are DuckDB's (``where``'s own limit is ignored)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise StoreError(Errors.DW303, name="limit", value=limit, reason="negative")
        clause, params = where.where()
        sql = f"{_SELECT_STORED} WHERE {clause} AND lat IS NOT NULL AND lon IS NOT NULL"
        if cameo is not None:
            sql += " AND cameo IN (SELECT unnest($cameo::VARCHAR[]))"
            params["cameo"] = list(cameo)
        sql += f"{EVENT_ORDER} LIMIT $limit"
        with wrapped(self._path):
            rows = self._con.execute(sql, {**params, "limit": limit}).fetchall()
        return [stored_from_row(row) for row in rows]

    def cameo_codes(self) -> list[str]:
        """Every distinct CAMEO code of the stored events (a scan of one column)."""
        with wrapped(self._path):
            rows = self._con.execute("SELECT DISTINCT cameo FROM events ORDER BY cameo").fetchall()
        return [str(row[0]) for row in rows]

    def stored_event(self, event_id: str) -> StoredEvent | None:
        """The stored event ``event_id`` (self-coded or imported), or None: a key lookup."""
        with wrapped(self._path):
            row = self._con.execute(_STORED_BY_ID, {"id": event_id}).fetchone()
        return stored_from_row(row) if row is not None else None

    def explained_event(
        self, event_id: str
    ) -> tuple[StoredEvent | None, EventScore | None, list[Event]]:
        """:meth:`stored_event`, its :meth:`event_scores` (None for an event without
        mentions) and :meth:`mentions_of` as records, in one statement."""
        with wrapped(self._path):
            rows = self._con.execute(_EXPLAINED_EVENT, {"id": event_id}).fetchall()
        if not rows:  # the aggregate always gives one row
            return None, None, []
        return _materialise.explained_of(rows[0])

    def mentions_of(self, event_id: str) -> list[dict[str, object]]:
        """Every mention linked to ``event_id``, with its sentence and evidence spans."""
        with wrapped(self._path):
            rows = self._con.execute(_MENTIONS_OF, {"id": event_id}).fetchall()
        return [_contract(row) for row in rows]

    def event_scores(self, event_ids: Sequence[str]) -> dict[str, EventScore]:
        """The confidence, date basis and explanation of each self-coded event of
        ``event_ids`` (as :data:`~dyadwatch.store._query.EVENT_SCORES` defines them);
        imported events and unknown ids are absent."""
        with wrapped(self._path):
            rows = self._con.execute(_EVENT_SCORES_OF, {"ids": list(event_ids)}).fetchall()
        return {str(row[0]): EventScore(*row[1:]) for row in rows}

    def one_a_day(
        self, where: EventFilter | None = None, /, **filters: Unpack[Filters]
    ) -> pd.DataFrame:
        """One row per provenance, dyad (actor codes), CAMEO code and day.

        The filter of the older datasets' "one-a-day" counts: ``id`` is the
        smallest event id of the group, ``events`` how many events it folds.
        """
        found = EventFilter.of(where, **filters)
        source, params = _one_a_day_source(found)
        text, outer = replace(found, min_confidence=None, date_basis=None).sql("")
        params.update(outer)
        with wrapped(self._path):
            sql = _SELECT_ONE_A_DAY.replace("events_one_a_day", source)
            sql += text.replace(" LIMIT", _ONE_A_DAY_ORDER + " LIMIT", 1)
            if " LIMIT" not in text:
                sql += _ONE_A_DAY_ORDER
            frame: pd.DataFrame = self._con.execute(sql, params).df()
        return frame

    def dyad_periods(
        self,
        where: EventFilter,
        *,
        unit: str = "month",
        one_a_day: bool = False,
        publication_weight: float = 1.0,
    ) -> pd.DataFrame:
        """Deduplicated events matching ``where`` per calendar ``unit``: the one
        definition of a dyad series, which analytics and :meth:`dyad_series` use.

        Columns: period (first day; weeks start on Monday), events, the four
        QuadClass counts (verbal_coop, material_coop, verbal_conflict,
        material_conflict), goldstein_sum (0 without scores), goldstein_n
        (events with a score), goldstein_sq (their sum of squares, for the
        uncertainty of the mean) and num_mentions. Undated events never count;
        ``where``'s order and limit do not apply. ``unit`` is day, week, month
        or year (else DW303); ``one_a_day`` counts one event per dyad, code
        and day. ``publication_weight`` (0 to 1) is what an event dated only by
        its publication stamp counts for in every count and sum but
        num_mentions (docs/ANALYTICS.md): below 1 the counts are fractional and
        the raw events answer, since the rollup does not hold the date basis.
        """
        sql, params, _ = self._periods_query(where, unit, one_a_day, publication_weight)
        with wrapped(self._path):
            frame: pd.DataFrame = self._con.execute(sql, params).df()
        return frame

    def dyad_period_arrays(
        self, where: EventFilter, *, unit: str = "month", publication_weight: float = 1.0
    ) -> dict[str, np.ndarray]:
        """:meth:`dyad_periods` as one numpy array per column (``period`` as
        ``datetime64``), without a DataFrame: what the series' hot path reads, where
        building the frame cost more than reading the rollup."""
        layout = self._pair_layout(where, unit, publication_weight)
        if layout is not None:  # grouped by numpy
            with wrapped(self._path):
                grouped = _rollup.pair_arrays(self._con, where, unit, packed=layout == "packed")
            if grouped is not None:
                return grouped
        sql, params, _ = self._periods_query(where, unit, False, publication_weight)
        with wrapped(self._path):
            found = self._con.execute(sql, params).fetchnumpy()
        # Sums over non-empty groups are never null: no masked values to fill.
        return {str(name): np.asarray(values) for name, values in found.items()}

    def _pair_layout(
        self, where: EventFilter, unit: str, publication_weight: float
    ) -> _rollup.Layout | None:
        """The layout a series of ``where`` reads its pair's rows from (``pairs`` or
        ``packed``), as :meth:`_periods_query` decides, without building the SQL it
        then does not run; None when it does not read them."""
        if (
            unit in _UNITS
            and where.dyad is not None
            and not _publication_weighted(where, publication_weight)
            and _rollup.covers(where)
        ):
            layout = self._rollup_layout()
            return layout if layout in _PAIR_LAYOUTS else None
        return None

    def _periods_query(
        self, where: EventFilter, unit: str, one_a_day: bool, publication_weight: float
    ) -> tuple[str, dict[str, object], bool]:
        """The SQL and parameters of :meth:`dyad_periods`: the rollup when it covers
        ``where`` and is current, else the events table; and whether they read one
        pair's rows of ``dyad_pairs``."""
        if unit not in _UNITS:
            raise StoreError(Errors.DW303, name="unit", value=unit, reason=f"one of {_UNITS}")
        weighted = _publication_weighted(where, publication_weight)
        if weighted and one_a_day:
            raise StoreError(
                Errors.DW303, name="publication_weight", value=publication_weight,
                reason="a weight below 1 does not combine with one_a_day",
            )  # fmt: skip
        if weighted:
            clause, params = where.where()
            params["publication_weight"] = float(publication_weight)
            weight = _PUBLICATION_WEIGHT.format(scores=EVENT_SCORES)
            sql = _WEIGHTED_PERIODS.format(weight=weight, where=clause)
        elif (
            not one_a_day
            and _rollup.covers(where)
            and (layout := self._rollup_layout()) != "events"
        ):
            # The same rows from the rollup: the pair's own row when it has one.
            found = _rollup.pair_periods_sql(where) if layout in _PAIR_LAYOUTS else None
            sql, params = found or _rollup.periods_sql(where)
            return sql, {**params, "unit": unit}, found is not None
        else:
            source, params = _one_a_day_source(where) if one_a_day else ("events", {})
            outer = replace(where, min_confidence=None, date_basis=None) if one_a_day else where
            clause, more = outer.where()
            params.update(more)
            sql = _DYAD_PERIODS.format(source=source, where=clause)
        return sql, {**params, "unit": unit}, False

    def pair_months(
        self,
        first: dt.date,
        until: dt.date,
        scope: EventFilter | None = None,
        *,
        publication_weight: float = 1.0,
    ) -> pd.DataFrame:
        """Every directed country pair's events by month from ``first`` to ``until``
        (dates inclusive; pairs of one country left out): columns s, t, period (first
        day), coop (QuadClass 1–2) and conflict (3–4). ``scope``'s confidence and
        date basis choose the events; ``publication_weight`` is what a
        publication-dated one counts for (as :meth:`dyad_periods`; fractional counts).
        What :func:`~dyadwatch.analytics.dyads_at_low` ranks."""
        scope = scope or EventFilter()
        clause, params = EventFilter(
            min_confidence=scope.min_confidence, date_basis=scope.date_basis
        ).where()
        params.update(first=first, until=until)
        weight = "1"
        if _publication_weighted(scope, publication_weight):
            weight = _PUBLICATION_WEIGHT.format(scores=EVENT_SCORES)
            params["publication_weight"] = float(publication_weight)
        sql = _PAIR_MONTHS.format(weight=weight, where=clause)
        with wrapped(self._path):
            frame: pd.DataFrame = self._con.execute(sql, params).df()
        return frame

    def pair_totals(
        self, start: dt.date, end: dt.date, scope: EventFilter | None = None, *,
        level: str = "country",
    ) -> pd.DataFrame:  # fmt: skip
        """Events between every two actors dated ``start`` to ``end`` (inclusive), both
        directions together: columns a < b, events, coop (QuadClass 1–2), conflict
        (3–4), goldstein_mean (null without scores). ``level`` is ``country`` or
        ``code`` (DW303 else); ``scope``'s provenance, confidence and date basis
        choose the events (its other fields do not apply). What
        :func:`~dyadwatch.analytics.alliances` builds its network from."""
        if level not in ("country", "code"):
            raise StoreError(Errors.DW303, name="level", value=level, reason="country or code")
        scope = scope or EventFilter()
        chosen = EventFilter(
            provenance=scope.provenance, min_confidence=scope.min_confidence,
            date_basis=scope.date_basis,
        )  # fmt: skip
        rollup = level == "country" and _rollup.covers(chosen)
        rollup = rollup and self._rollup_layout() != "events"  # then from dyad_days
        sql, params = _rollup.pair_totals_sql(chosen, level, rollup=rollup)
        params.update(start=start, end=end)
        with wrapped(self._path):
            frame: pd.DataFrame = self._con.execute(sql, params).df()
        return frame

    def cited_events(self, event_ids: Sequence[str]) -> pd.DataFrame:
        """The fields a citation shows of ``event_ids`` (id, provenance, date, source and
        target codes, cameo, goldstein, quad, num_mentions, source_url), unordered;
        unknown ids are left out."""
        ids = list(dict.fromkeys(event_ids))
        sql = _CITED_EVENTS.format(ids=", ".join("?" * len(ids)) or "NULL")
        with wrapped(self._path):
            found: pd.DataFrame = self._con.execute(sql, ids).df()
        return found

    def event_sentences(self, event_ids: Sequence[str]) -> dict[str, list[str | None]]:
        """The sentences of each event's linked mentions, in :meth:`mentions_of`'s
        order (events without mentions are absent): two index reads per event and
        one read of all their mentions, where :meth:`mentions_of` scans the links."""
        linked: dict[str, list[str]] = {}
        with wrapped(self._path):
            for event_id in dict.fromkeys(event_ids):
                rows = self._con.execute(_EVENT_MENTIONS, [event_id]).fetchall()
                if rows:
                    linked[event_id] = [str(row[0]) for row in rows]
            wanted = list(dict.fromkeys(m for ms in linked.values() for m in ms))
            if not wanted:
                return {}
            sql = _MENTION_SENTENCES.format(ids=", ".join("?" * len(wanted)))
            rows = self._con.execute(sql, wanted).fetchall()
        order = {str(row[0]): n for n, row in enumerate(rows)}
        sentence = {str(row[0]): row[1] for row in rows}
        return {
            event_id: [sentence[m] for m in sorted(mentions, key=order.__getitem__)]
            for event_id, mentions in linked.items()
        }

    def extreme_events(
        self, where: EventFilter, start: dt.date, end: dt.date, *, lowest: bool, n: int = 3
    ) -> list[str]:
        """Ids of the ``n`` events matching ``where`` dated in [start, end) with the lowest
        (or highest) Goldstein score, most reported first among equals (``where``'s
        order and limit do not apply)."""
        return self.extreme_events_of(where, [(start, end, lowest)], n=n)[0]

    def extreme_events_of(
        self, where: EventFilter, spans: Sequence[tuple[dt.date, dt.date, bool]], *, n: int = 3
    ) -> list[list[str]]:
        """:meth:`extreme_events` of each ``(start, end, lowest)`` span, in one statement."""
        if not spans:
            return []
        clause, params = where.where()
        parts = []
        for i, (start, end, lowest) in enumerate(spans):
            order = "ASC" if lowest else "DESC"
            parts.append(_EXTREME_EVENTS.format(span=i, where=clause, order=order))
            params.update({f"start{i}": start, f"end{i}": end})
        found: list[list[str]] = [[] for _ in spans]
        with wrapped(self._path):
            sql = " UNION ALL ".join(parts) + " ORDER BY span, rank"
            rows = self._con.execute(sql, {**params, "n": n}).fetchall()
        for span, event_id, _ in rows:
            found[int(span)].append(str(event_id))
        return found

    def refresh_rollup(self) -> int:
        """Rebuild the dyad × day rollup that country dyad series read (docs/STORE.md,
        "Rollup"); returns its rows. A writable store also does this by itself when a
        large store's rollup is stale. DW301 on a read-only store."""
        self.migrate("rollup")
        with self._transaction(bump=False) as con:
            _rollup.rebuild(con)
            return int(_scalar(con.execute("SELECT count(*) FROM dyad_days")))

    def prepare_rollup(self) -> bool:
        """Rebuild the dyad × day rollup now if it is stale and the store large enough to
        need it (:data:`~dyadwatch.store._rollup.ROLLUP_MIN_EVENTS`); True when country
        series read it. For a server about to hand reads to readers, which cannot
        rebuild it: from then on every write through this store keeps it current."""
        return self._rollup_layout() != "events"

    def rollup_layout(self) -> str:
        """What a country dyad series reads now: ``packed`` (each pair's blob of
        ``dyad_packed``), ``pairs`` (each pair's row of ``dyad_pairs``) or ``days``
        (``dyad_days``), both a rollup of a store not migrated since, or ``events``
        (no current rollup: the events table). A writable store first rebuilds or
        migrates as :meth:`prepare_rollup` does."""
        return self._rollup_layout()

    def _rollup_layout(self) -> _rollup.Layout:
        """What country series read, rebuilding a stale rollup (large enough to
        matter), adding ``dyad_pairs`` and ``dyad_packed`` to a current one or
        repacking blobs an older writer left behind, if this store may write.
        A trusted reader reuses what it learnt until the writer's next write."""
        if self._trusted and (known := self._freshness.known()) is not None:
            return known
        writes = self._freshness.writes
        with wrapped(self._path):
            found, events = _rollup.layout(self._con)
        if self._writable and (found in _OLDER_LAYOUTS or events >= _rollup.ROLLUP_MIN_EVENTS):
            if found in _OLDER_LAYOUTS:
                self.migrate("rollup")
                with wrapped(self._path):
                    found, events = _rollup.layout(self._con)
            if found == "events":
                self.refresh_rollup()
            elif found != "packed":  # blobs left behind by a writer of older code
                with self._transaction(bump=False) as con:
                    _rollup.fill_packed(con)
            writes, found = self._freshness.writes, "packed"
        self._freshness.learn(writes, found)
        return found

    def dyad_series(
        self, a: str, b: str, *, provenance: str | None = None, one_a_day: bool = False
    ) -> pd.DataFrame:
        """Monthly series of the events between countries ``a`` and ``b``, both ways.

        Columns: month (first day), events, goldstein_sum, goldstein_mean,
        num_mentions (null sums where no event has a score). ``one_a_day``
        counts one event per dyad, code and day. :meth:`dyad_periods` with
        country-level sides (a side longer than three letters matches codes,
        as in the analytics).
        """
        query = EventFilter(dyad=(a, b), provenance=provenance, level="country")
        frame = self.dyad_periods(query, one_a_day=one_a_day)
        scored = frame["goldstein_n"].where(frame["goldstein_n"] > 0)
        return pd.DataFrame(
            {
                "month": frame["period"],
                "events": frame["events"],
                "goldstein_sum": frame["goldstein_sum"].where(scored.notna()),
                "goldstein_mean": frame["goldstein_sum"] / scored,
                "num_mentions": frame["num_mentions"],
            }
        )

    def top_dyads(
        self,
        n: int = 10,
        *,
        provenance: str | None = None,
        min_confidence: float | None = None,
        date_basis: Iterable[str] | str | None = None,
    ) -> pd.DataFrame:
        """The ``n`` country pairs (undirected) with most events (those passing
        ``min_confidence`` and ``date_basis``, as :class:`EventFilter` says).

        Columns: country_a, country_b (alphabetical), events, goldstein_mean.
        """
        # Directed pairs first, folded after: grouping 10M rows on least()/greatest()
        # is several times slower than on the raw columns.
        query = EventFilter.of(
            limit=n, provenance=provenance, min_confidence=min_confidence, date_basis=date_basis
        )
        clause, params = query.where()  # provenance and scores; TRUE without either
        sql = _TOP_DYADS.replace("WHERE ", f"WHERE {clause} AND ", 1)
        params["limit"] = query.limit
        with wrapped(self._path):
            frame: pd.DataFrame = self._con.execute(sql, params).df()
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
        with wrapped(self._path):
            rows = self._con.execute(sql, params).fetchall()
        return [ErrorRecord(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Rows of documents, event mentions (key ``events``, as in version 1) and errors."""
        tables = self.table_counts()
        return {
            "documents": tables["documents"],
            "events": tables["event_mentions"],
            "errors": tables["errors"],
        }

    def table_counts(self) -> dict[str, int]:
        """Rows of every table: documents, event_mentions, events, event_links, errors."""
        with wrapped(self._path):
            row = self._con.execute(_COUNT_TABLES).fetchone()
        # One statement, so the counts come from one snapshot even while a batch commits.
        return dict(zip(_TABLES, (int(n) for n in row or ()), strict=True))

    # Schema and transactions

    def _insert_table(self, table: pa.Table | duckdb.DuckDBPyRelation, sql: str) -> int:
        with wrapped(self._path):
            _stage(self._con, table)
        try:
            with self._transaction(logged=True) as con:
                rows = sql.format(source=_STAGED)
                _rollup.count_rows(con, f"({rows})")
                if self._logging is not None:
                    # Every id given (a stored one is rewritten as it is): no second anti-join.
                    staged = f"SELECT id FROM {_STAGED}"
                    _changelog.log_select(con, self._logging, "event", staged, {})
                added = _scalar(con.execute(f"INSERT INTO events ({_COLUMN_LIST}) {rows}"))
                _recount_gdelt(con, log=self._logging)
        finally:
            # After the rollback: an aborted transaction refuses even this.
            with wrapped(self._path):
                self._con.unregister(_STAGED)
        return int(added or 0)

    def _migrate(self, *, read_only: bool) -> None:
        with wrapped(self._path):
            if not read_only:
                self._con.execute(BOOTSTRAP)
        self._apply(STORE_SET, read_only=read_only)
        if not read_only:
            # After the store's own: a store migration empties the log it starts.
            self._apply(CHANGELOG_SET, read_only=False)
            self._has_log = True

    def migrate(self, name: str) -> int:
        """Apply the pending migrations of the migration set ``name``; returns its version.

        The ``store`` set is applied on opening; others (``watch``) by the
        module that uses their tables, before it does. Raises StoreError DW302
        for a set written by a newer dyadwatch, DW301 on a read-only store with
        migrations pending and DW303 for an unknown set.
        """
        found = MIGRATION_SETS.get(name)
        if found is None:
            raise StoreError(
                Errors.DW303, name="name", value=name, reason=f"one of {sorted(MIGRATION_SETS)}"
            )
        self._apply(found, read_only=not self._writable)
        return found.version

    def migration_version(self, name: str) -> int:
        """The version of the migration set ``name`` this store holds (0: never applied)."""
        found = MIGRATION_SETS.get(name)
        key = found.key if found is not None else name
        with wrapped(self._path):
            return self._read_version(key)

    def _apply(self, migrations: MigrationSet, *, read_only: bool) -> None:
        with wrapped(self._path):
            found = self._read_version(migrations.key)
        if found > migrations.version:
            known = migrations.version
            raise StoreError(Errors.DW302, found=found, known=known, path=self._path)
        pending = [m for m in migrations.migrations if m.version > found]
        if pending and read_only:
            detail = f"schema version {found} needs migrating; open it once for writing"
            if migrations is not STORE_SET:
                detail = f"{migrations.name} {detail}"
            raise StoreError(Errors.DW301, detail=detail, path=self._path)
        for migration in pending:
            with self._transaction(bump=migrations.changes_events) as con:
                for statement in migration.statements:
                    con.execute(statement)
                if migration.backfill is not None:
                    migration.backfill(con)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [migrations.key, str(migration.version)],
                )

    def _read_version(self, key: str = STORE_SET.key) -> int:
        try:
            # fetchall: a result left open blocks a bulk import made next (DuckDB 2.0).
            rows = self._con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        except duckdb.CatalogException:
            return 0  # a read-only, never-initialised file
        if not rows:
            return 0
        found = rows[0]
        try:
            return int(found[0])
        except ValueError as exc:
            detail = f"meta.{key} is {found[0]!r}, not a number"
            raise StoreError(Errors.DW301, detail=detail, path=self._path) from exc

    @contextmanager
    def _transaction(
        self, *, bump: bool = True, logged: bool = False
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """BEGIN … COMMIT, or ROLLBACK on any error, with DuckDB errors as DW301.

        ``bump`` marks the events as changed; a rollup that was current before the
        transaction is kept current by it (:func:`_rollup.track`, :func:`_rollup.fold`),
        one that was stale stays stale. ``logged``: the writer logs what it changes
        of the read side's rows (:mod:`~dyadwatch.store._changelog`, while
        ``self._logging``); a write that bumps without logging empties the log. After
        COMMIT an attached read side catches up from the log
        (:meth:`_catch_up_readside`).
        """
        if not self._writable:
            detail = "this store was opened read-only (or is a reader); write through the writer"
            raise StoreError(Errors.DW301, detail=detail, path=self._path)
        side = self._readside if bump else None
        known = side.pause() if side is not None else None
        trim = side.trims() if side is not None and side.stamp == known else None
        with wrapped(self._path):
            self._con.execute("BEGIN TRANSACTION")
            try:
                if bump and logged and self._has_log and self._serves():
                    self._logging = _changelog.next_generation(self._con)
                tracked = _rollup.track(self._con) if bump else None
                yield self._con
                if bump:
                    _rollup.bump_generation(self._con)
                    self._close_log(trim)
                if tracked is not None:
                    _rollup.fold(self._con, tracked)
            except BaseException:
                self._con.execute("ROLLBACK")
                self._freshness.wrote()
                if side is not None and known is not None:
                    side.told(known)  # nothing changed: the read side answers again
                raise
            finally:
                self._logging = None
            self._con.execute("COMMIT")
            self._freshness.wrote()
        if side is not None:
            self._catch_up_readside(side)

    def _serves(self) -> bool:
        """Whether a read side may read this store's change log: one is attached, or its
        file exists (a server stopped while this process writes). Without one, nothing
        is logged: a side made later is built whole."""
        if self._readside is not None:
            return True
        return self._path != MEMORY and readside_path(self._path).exists()

    def _close_log(self, trim: int | None) -> None:
        """Before COMMIT of a write that bumped the generation: a write that did not log
        (or a log past its bound) empties the log; an attached side's trim is made."""
        if not self._has_log:
            return  # a store migration before the log exists: it starts after them
        if self._logging is None or not _changelog.bounded(self._con):
            _changelog.reset(self._con)
        elif trim is not None:
            _changelog.trim(self._con, trim)

    # The read side (store/_readside.py): response bodies of point reads and pages

    def prepare_readside(self, renderer: Renderer, *, rebuild: bool = True) -> str:
        """Attach the read side next to this store's file and make it current: "none"
        when it was, "log" when it caught up from the store's change log (writes made
        since its stamp, by this process or another, or cut off by a crash), "all"
        when it was rebuilt (new, damaged, another store's, or behind writes the log
        could not follow), "stale" for a read-only store whose read side is behind
        (reads then stay DuckDB's), or for a rebuild ``rebuild`` forbids (a server's
        start on a large store), "unavailable" when the side file cannot be opened
        or written (a read-only folder, a full disk: DuckDB answers). "memory" for a
        store without a file. The bodies are ``renderer``'s; a writable store keeps
        them current after each of its writes (:meth:`_catch_up_readside`)."""
        if self._path == MEMORY:
            return "memory"
        path = readside_path(self._path)
        if not self._writable and not path.exists():
            return "stale"
        try:
            return self._prepare_readside(path, renderer, rebuild=rebuild)
        except sqlite3.Error:
            self._close_readside()
            self._readside = None
            return "unavailable"

    def _prepare_readside(self, path: Path, renderer: Renderer, *, rebuild: bool) -> str:
        side = self._readside
        if side is None:
            side = self._readside = self._open_readside(path)
            self._owns_readside = True
        side.renderer = renderer
        with wrapped(self._path):
            state = _changelog.state(self._con, logged=self._has_log)
        need = side.needs(state)
        if need != "none" and (not self._writable or (need == "all" and not rebuild)):
            return "stale"
        if need == "log":
            with wrapped(self._path):
                changes = _changelog.since(self._con, side.stamp or 0)
            side.catch_up(self, renderer, changes, state)
        elif need == "all":
            # Rebuilding only reads DuckDB, and this process is its only writer: the
            # state read above holds for the stamp.
            side.rebuild(self, renderer)
            side.stamp_current(state)
        side.told(state.generation)
        return need

    def _open_readside(self, path: Path) -> ReadSide:
        """The side file at ``path``; one SQLite cannot read (damaged, not a database)
        is replaced by a writable store (it is derived data: rebuilt whole), and
        raises sqlite3.Error otherwise (reads stay DuckDB's)."""
        try:
            return ReadSide(path)
        except sqlite3.DatabaseError:
            if not self._writable or not path.is_file():
                raise
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return ReadSide(path)

    @property
    def readside(self) -> ReadSide | None:
        """The read side, when it answers for the store as it is now (else None)."""
        side = self._readside
        return side if side is not None and side.serving else None

    def readside_page(self, request: PageRequest) -> PageRead | None:
        """A page of mention bodies from the read side, None when it does not answer."""
        side = self.readside
        return side.page(request) if side is not None else None

    def explained_events(
        self, ids: Sequence[str] | None, *, rows: bool = False
    ) -> Iterator[_materialise.ExplainedRow]:
        """:meth:`explained_event` of many ids (every event when None), streamed; with
        ``rows``, an event without mentions as its raw row (no record built)."""
        return _materialise.explained_events(self._con, self._path, ids, rows=rows)

    def documents_with_mentions(
        self, ids: Sequence[str] | None
    ) -> Iterator[tuple[Document, list[tuple[Event, str | None]]]]:
        """:meth:`document_with_mentions` of many ids (every document when None)."""
        return _materialise.documents_with_mentions(self._con, self._path, ids)

    def _catch_up_readside(self, side: ReadSide) -> None:
        """After a write committed: the read side rewrites what the change log names
        since its stamp and is current again. A side that cannot catch up (unstamped,
        another store's, the log emptied since) stays behind until
        :meth:`prepare_readside` rebuilds it; a failure of the side file leaves it
        behind, never the write undone: reads fall back to DuckDB."""
        if side.renderer is None or side.stamp is None:
            return
        try:
            with wrapped(self._path):
                state = _changelog.state(self._con, logged=self._has_log)
                need = side.needs(state)
                if need != "log":
                    if need == "none":
                        side.told(state.generation)  # nothing it holds changed
                    return
                changes = _changelog.since(self._con, side.stamp)
            side.catch_up(self, side.renderer, changes, state)
        except (sqlite3.Error, StoreError):
            # The write is committed: the side stays behind (not serving) until rebuilt.
            return
        side.told(state.generation)

    def coded_strikes(
        self, cameo: Sequence[str], scope: EventFilter | None = None, *,
        since: dt.date | None = None, until: dt.date | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """Dated events whose CAMEO code starts with one of ``cameo``, dated
        ``since`` to ``until`` (inclusive, each optional), in date and id order:
        strike_id, date, country (where it happened, else the target's), the
        event's killed and injured ranges and the widest civilians and children
        ranges of its mentions. ``scope``'s provenance, confidence and date
        basis choose the events (its other fields do not apply). What
        :func:`~dyadwatch.analytics.ledger.coded_strikes` reads."""
        scope = scope or EventFilter()
        clause, params = EventFilter(
            provenance=scope.provenance, min_confidence=scope.min_confidence,
            date_basis=scope.date_basis,
        ).where()  # fmt: skip
        params.update({f"c{i}": code for i, code in enumerate(cameo)})
        codes = " OR ".join(f"starts_with(e.cameo, $c{i})" for i in range(len(cameo)))
        bounds = ""
        for name, value, op in (("since", since, ">="), ("until", until, "<=")):
            if value is not None:
                bounds += f" AND e.date {op} ${name}"
                params[name] = value
        sql = _CODED_STRIKES.format(codes=codes or "FALSE", bounds=bounds, scope=clause)
        with wrapped(self._path):
            found: pd.DataFrame = self._con.execute(sql, params).df()
        return found


_CODED_STRIKES = """
SELECT e.id AS strike_id, e.date,
    coalesce(e.location_country, e.target_country) AS country,
    e.killed_min, e.killed_max, e.injured_min, e.injured_max,
    s.civilians_min, s.civilians_max, s.children_min, s.children_max
FROM events e LEFT JOIN (
    SELECT l.event_id,
        min(TRY_CAST(json_extract_string(m.size, '$.civilians.min') AS INTEGER)) AS civilians_min,
        max(TRY_CAST(json_extract_string(m.size, '$.civilians.max') AS INTEGER)) AS civilians_max,
        min(TRY_CAST(json_extract_string(m.size, '$.children.min') AS INTEGER)) AS children_min,
        max(TRY_CAST(json_extract_string(m.size, '$.children.max') AS INTEGER)) AS children_max
    FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
    GROUP BY l.event_id
) s ON s.event_id = e.id
WHERE e.date IS NOT NULL AND ({codes}) {bounds} AND {scope}
ORDER BY e.date, e.id
"""
"""The strikes of :meth:`Store.coded_strikes`, with the widest ranges of its mentions."""


class _ThreadCursors:
    """Stands in for a connection: each thread's calls go to a cursor of its own.

    DuckDB's connections and cursors are not for concurrent use from several
    threads; a cursor per thread is, and creating it once per thread (rather
    than per request) keeps the pool as small as the thread pool.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self._con = con
        self._path = path
        self._local = threading.local()
        self._made: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self._closed = False

    def _mine(self) -> duckdb.DuckDBPyConnection:
        cursor: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                if self._closed:
                    raise duckdb.ConnectionException("the store's readers are closed")
                cursor = self._con.cursor()
                self._made.append(cursor)
            self._local.cursor = cursor
        return cursor

    @property
    def open_cursors(self) -> int:
        with self._lock:
            return 0 if self._closed else len(self._made)

    def execute(self, query: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        return self._mine().execute(query, parameters)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._mine().cursor()

    def sql(self, query: str) -> duckdb.DuckDBPyRelation:
        return self._mine().sql(query)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            made, self._made = self._made, []
        for cursor in made:
            cursor.close()


def _stage(con: duckdb.DuckDBPyConnection, table: pa.Table | duckdb.DuckDBPyRelation) -> None:
    """Make ``table`` visible as the staging view; another connection's relation as Arrow."""
    try:
        con.register(_STAGED, table)
    except duckdb.InvalidInputException:
        if not isinstance(table, duckdb.DuckDBPyRelation):
            raise
        con.register(_STAGED, table.to_arrow_table())


def _recount_gdelt(con: duckdb.DuckDBPyConnection, *, log: int | None) -> None:
    """:data:`_RECOUNT_GDELT`, with the rollup told which events it changes (and the
    change log, when ``log`` is the generation the write makes)."""
    if log is not None:
        _changelog.log_select(con, log, "event", _BEHIND_GDELT, {})
    with _rollup.changing(con, _BEHIND_GDELT):
        con.execute(_RECOUNT_GDELT)


def _target(sql: str) -> tuple[str | None, str | None]:
    """The table a statement writes (None when it is not a plain INSERT, UPDATE or
    DELETE) and, for a ``DELETE … WHERE`` of a table the read side shows, its
    condition (else None)."""
    found = _WRITE_TARGET.match(sql)
    if found is None:
        return None, None
    table = found.group(1).lower()
    where = _DELETE_WHERE.match(sql)
    if where is None or table not in _LOGGED_DELETES:
        return table, None
    return table, where.group(2)


def _deleting(
    con: duckdb.DuckDBPyConnection, table: str, where: str, params: list[object],
    log: int | None,
) -> None:  # fmt: skip
    """Before ``DELETE FROM table WHERE where``: the rows it removes taken out of the
    rollup (events) and logged for the read side when ``log`` is the generation the
    write makes (the same condition and values, bound as the statement binds them)."""
    found = con.execute(f"SELECT id FROM {table} WHERE {where}", params).fetchall()
    ids = [str(row[0]) for row in found]
    if _LOGGED_DELETES[table] == "event":
        _rollup.retract(con, ids)
        if log is not None:
            _changelog.log_events(con, log, ids)
    elif log is not None:
        _changelog.log_documents(con, log, ids)


def _check_file(path: Path, *, read_only: bool) -> None:
    """Refuse a damaged file (DW305) or a place no store can be written (DW306).

    DuckDB would reject most damage later, but would silently initialise an
    empty file: a store truncated to nothing must not come back empty.
    """
    if path.is_dir():
        raise StoreError(Errors.DW306, detail="the path is a directory", path=path)
    if path.exists():
        _check_header(path)
        if not read_only and not os.access(path, os.W_OK):
            raise StoreError(Errors.DW306, detail="the file is not writable", path=path)
        return
    parent = path.parent
    if not read_only and not parent.is_dir():
        raise StoreError(Errors.DW306, detail=f"no directory {str(parent)!r}", path=path)
    if not read_only and not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(
            Errors.DW306, detail=f"directory {str(parent)!r} is not writable", path=path
        )


def _check_header(path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_MAGIC_OFFSET + len(_DUCKDB_MAGIC))
    except OSError as exc:
        raise StoreError(Errors.DW306, detail=str(exc), path=path) from exc
    if head[_MAGIC_OFFSET:] != _DUCKDB_MAGIC:
        detail = "the file is empty" if size == 0 else "the file is not a DuckDB database"
        raise StoreError(Errors.DW305, detail=detail, path=path)
    if size < _HEADER_BYTES:
        detail = f"{size} bytes, shorter than DuckDB's {_HEADER_BYTES}-byte header"
        raise StoreError(Errors.DW305, detail=detail, path=path)


def _publication_weighted(where: EventFilter, weight: object) -> bool:
    """Whether ``weight`` (DW303 unless a number from 0 to 1) changes what ``where``
    reads: only below 1, and only if publication-dated events may pass the filter."""
    share = unit_share("publication_weight", weight, "expected a weight from 0 to 1")
    return share < 1.0 and (where.date_basis is None or "publication" in where.date_basis)


def _one_a_day_source(where: EventFilter) -> tuple[str, dict[str, object]]:
    """The one-a-day rows to read and their parameters: the view, or, for a filter on
    confidence or date basis, the same fold over the events that pass it."""
    if not where.scored:
        return "events_one_a_day", {}
    scores = EventFilter(min_confidence=where.min_confidence, date_basis=where.date_basis)
    clause, params = scores.where()
    return _ONE_A_DAY_OF.format(where=clause), params


def _stream(cursor: duckdb.DuckDBPyConnection, path: str) -> Iterator[StoredEvent]:
    try:
        while True:
            with wrapped(path):
                rows = cursor.fetchmany(_FETCH)
            if not rows:
                return
            for row in rows:
                yield stored_from_row(row)
    finally:
        cursor.close()


def _scalar(result: duckdb.DuckDBPyConnection) -> Any:
    # fetchall: a result left open by fetchone blocks registering a bulk import's
    # table next on the connection (DuckDB 2.0).
    rows = result.fetchall()
    return rows[0][0] if rows else None


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


def _document_row(doc: Document, text_hash: str, now: dt.datetime) -> tuple[object, ...]:
    return (*document_codec().row(doc), text_hash, now)


def _contract(row: Sequence[Any]) -> dict[str, object]:
    """A mention row (in :data:`_MENTION_COLUMNS` order) in the shape of ``Event.to_dict``."""
    event: Event = mention_codec().record(row)
    return event.to_dict()


def _require_select(query: str) -> None:
    first = query.lstrip().split(None, 1)[0].lower() if query.strip() else ""
    if not first.startswith(_READ_ONLY_WORDS):
        raise StoreError(Errors.DW303, name="query", value=first, reason="not a SELECT")


def _bound(params: Params) -> list[object] | dict[str, object]:
    return dict(params) if isinstance(params, Mapping) else list(params)
