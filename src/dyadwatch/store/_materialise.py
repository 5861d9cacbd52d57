"""The store's bulk reads behind its read side (:mod:`dyadwatch.store._readside`).

The same rows as :meth:`Store.explained_event`, :meth:`Store.document_with_mentions`
and :meth:`Store.mention_page` give, for many ids in one statement or for every
row streamed, so the read side is written from exactly what the live path reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.model import Document, Event
from dyadwatch.store._query import SCORE_AGGREGATES
from dyadwatch.store._stored import STORED_COLUMNS, stored_from_row
from dyadwatch.store.records import EventScore, StoredEvent
from dyadwatch.store.rows import document_codec, mention_codec

__all__ = [
    "ExplainedRow",
    "MentionRow",
    "documents_with_mentions",
    "explained_events",
    "linked_events_of",
    "mention_rows",
]

_FETCH = 4096
_MENTION_COLUMNS = mention_codec().names
_MENTION_TUPLE = f"({', '.join('m.' + c for c in _MENTION_COLUMNS)})"
_LINKED = f"""
SELECT l.event_id, count(*) AS linked,
    list({_MENTION_TUPLE} ORDER BY m.date NULLS LAST, m.doc_id, m.sentence_index, m.id)
        AS mentions,
    {SCORE_AGGREGATES}
FROM event_links l JOIN event_mentions m ON m.id = l.mention_id {{links}}
GROUP BY l.event_id"""
_EXPLAINED = f"""
SELECT {", ".join("e." + c for c in STORED_COLUMNS)}, coalesce(e.id, x.event_id),
    x.linked, x.mentions, x.confidence, x.date_basis, x.rule, x.next_type,
    x.next_type_probability
FROM (SELECT * FROM events {{events}}) AS e
FULL JOIN ({_LINKED}) AS x ON x.event_id = e.id"""
"""Events and the events only their links name, each with its mentions and scores:
the rows of ``Store.explained_event``, many at once."""
_DOCUMENTS = f"""
SELECT {", ".join("d." + c for c in document_codec().names)}, x.mentions
FROM (SELECT * FROM documents {{documents}}) AS d LEFT JOIN (
    SELECT m.doc_id, list(({", ".join("m." + c for c in _MENTION_COLUMNS)}, l.event_id)
        ORDER BY m.sentence_index, m.id) AS mentions
    FROM event_mentions m LEFT JOIN event_links l ON l.mention_id = m.id {{mentions}}
    GROUP BY m.doc_id
) AS x ON x.doc_id = d.id"""
_MENTIONS = f"""
SELECT {", ".join("m." + c for c in _MENTION_COLUMNS)}, l.event_id,
    m.id, m.doc_id, m.sentence_index, m.date, m.cameo_root,
    m.source_code, m.source_country, m.target_code, m.target_country
FROM event_mentions m LEFT JOIN event_links l ON l.mention_id = m.id {{mentions}}"""
_LINKED_EVENTS = """
SELECT DISTINCT l.event_id FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
WHERE m.doc_id IN (SELECT unnest($ids::VARCHAR[])) ORDER BY 1"""


@dataclass(frozen=True, slots=True)
class ExplainedRow:
    """What ``Store.explained_event`` reads for one id."""

    id: str
    event: StoredEvent | None
    score: EventScore | None
    mentions: list[Event]
    row: tuple[Any, ...] | None = None
    """For an event without mentions read with ``rows=True``: its ``events`` row
    (``event`` None then: the record is not built)."""


@dataclass(frozen=True, slots=True)
class MentionRow:
    """A mention as a page shows it, with the keys a page filters and sorts by."""

    event: Event
    event_id: str | None
    id: str
    doc_id: str
    sentence_index: int
    date: dt.date | None
    root: str | None
    sides: tuple[tuple[str | None, str | None], tuple[str | None, str | None]]


def _stream(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(_FETCH):
        yield from rows


def _where(column: str, ids: Sequence[str] | None) -> tuple[str, dict[str, object]]:
    if ids is None:
        return "", {}
    return f"WHERE {column} IN (SELECT unnest($ids::VARCHAR[]))", {"ids": list(ids)}


def explained_events(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None, *, rows: bool = False
) -> Iterator[ExplainedRow]:
    """:meth:`Store.explained_event` of each of ``ids`` that has a row or a link (of
    every event when None), streamed in no particular order; with ``rows``, an event
    without mentions comes as its raw row."""
    events, params = _where("id", ids)
    links, _ = _where("l.event_id", ids)
    cursor = con.cursor()
    try:
        cursor.execute(_EXPLAINED.format(events=events, links=links), params)
        width = len(STORED_COLUMNS)
        codec = mention_codec()
        for row in _stream(cursor):
            linked, mentions, *scores = row[width + 1 :]
            if rows and not linked and row[0] is not None:
                yield ExplainedRow(str(row[0]), None, None, [], tuple(row[:width]))
                continue
            event = stored_from_row(row[:width]) if row[0] is not None else None
            score = EventScore(*scores) if linked else None
            found = [codec.record(m) for m in mentions or ()]
            yield ExplainedRow(str(row[width]), event, score, found)
    finally:
        cursor.close()


def documents_with_mentions(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None
) -> Iterator[tuple[Document, list[tuple[Event, str | None]]]]:
    """:meth:`Store.document_with_mentions` of each of ``ids`` (of every document when
    None), streamed."""
    documents, params = _where("id", ids)
    mentions, _ = _where("m.doc_id", ids)
    cursor = con.cursor()
    try:
        cursor.execute(_DOCUMENTS.format(documents=documents, mentions=mentions), params)
        width = len(document_codec().names)
        codec = mention_codec()
        for row in _stream(cursor):
            found: Document = document_codec().record(row[:width])
            yield found, [(codec.record(m[:-1]), m[-1]) for m in row[width] or ()]
    finally:
        cursor.close()


def mention_rows(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str] | None
) -> Iterator[MentionRow]:
    """The mentions of ``doc_ids`` (of every document when None) as pages show them."""
    where, params = _where("m.doc_id", doc_ids)
    cursor = con.cursor()
    try:
        cursor.execute(_MENTIONS.format(mentions=where), params)
        width = len(_MENTION_COLUMNS)
        codec = mention_codec()
        for row in _stream(cursor):
            mid, doc_id, index, date, root, sc, sn, tc, tn = row[width + 1 :]
            yield MentionRow(
                codec.record(row[:width]), row[width], mid, doc_id, int(index), date, root,
                ((sc, sn), (tc, tn)),
            )  # fmt: skip
    finally:
        cursor.close()


def linked_events_of(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[str]:
    """The events the mentions of ``doc_ids`` are linked to."""
    if not doc_ids:
        return []
    rows = con.execute(_LINKED_EVENTS, {"ids": list(doc_ids)}).fetchall()
    return [str(row[0]) for row in rows]
