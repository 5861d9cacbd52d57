"""The store's bulk reads behind its read side (:mod:`dyadwatch.store._readside`).

The same rows as :meth:`Store.explained_event` and :meth:`Store.document_with_mentions`
give, for many ids in one statement or for every row streamed, built from the same
aggregates and decoded by the same functions (those point reads call them too), so
the read side is written from exactly what the live path reads. A document's
mentions are its page items too (``GET /events`` shows a mention as a document
does).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.model import Document, Event
from dyadwatch.store._query import SCORE_AGGREGATES
from dyadwatch.store._sql import wrapped
from dyadwatch.store._stored import STORED_COLUMNS, stored_from_row
from dyadwatch.store.records import EventScore, StoredEvent
from dyadwatch.store.rows import document_codec, mention_codec

__all__ = [
    "DOCUMENT_MENTIONS",
    "EVENT_MENTIONS",
    "ExplainedRow",
    "document_of",
    "documents_with_mentions",
    "explained_events",
    "explained_of",
]

_FETCH = 4096
_MENTION_COLUMNS = mention_codec().names
_MENTION_TUPLE = f"({', '.join('m.' + c for c in _MENTION_COLUMNS)})"
EVENT_MENTIONS = f"""count(*) AS linked,
    list({_MENTION_TUPLE} ORDER BY m.date NULLS LAST, m.doc_id, m.sentence_index, m.id)
        AS mentions,
    {SCORE_AGGREGATES}"""
"""An event's mentions and scores, aggregated over its ``event_links l`` joined to
``event_mentions m``: what :func:`explained_of` decodes after the event's columns."""
DOCUMENT_MENTIONS = f"""list(({", ".join("m." + c for c in _MENTION_COLUMNS)}, l.event_id)
        ORDER BY m.sentence_index, m.id) AS mentions"""
"""A document's mentions, each with its event's id, aggregated over ``event_mentions m``
left-joined to ``event_links l``: what :func:`document_of` decodes."""
_EXPLAINED = f"""
SELECT {", ".join("e." + c for c in STORED_COLUMNS)}, x.linked, x.mentions, x.confidence,
    x.date_basis, x.rule, x.next_type, x.next_type_probability, coalesce(e.id, x.event_id)
FROM (SELECT * FROM events {{events}}) AS e
FULL JOIN (
    SELECT l.event_id, {EVENT_MENTIONS}
    FROM event_links l JOIN event_mentions m ON m.id = l.mention_id {{links}}
    GROUP BY l.event_id
) AS x ON x.event_id = e.id"""
"""Events and the events only their links name, each with its mentions and scores:
the rows of ``Store.explained_event`` (its id last), many at once."""
_DOCUMENTS = f"""
SELECT {", ".join("d." + c for c in document_codec().names)}, x.mentions
FROM (SELECT * FROM documents {{documents}}) AS d LEFT JOIN (
    SELECT m.doc_id, {DOCUMENT_MENTIONS}
    FROM event_mentions m LEFT JOIN event_links l ON l.mention_id = m.id {{mentions}}
    GROUP BY m.doc_id
) AS x ON x.doc_id = d.id"""
"""Documents, each with its mentions and their events' ids: the rows of
``Store.document_with_mentions``, many at once."""


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


def _stream(
    con: duckdb.DuckDBPyConnection, path: str, sql: str, params: dict[str, object]
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` on a cursor of their own, fetched a few thousand at a time,
    with DuckDB's errors as the store's (DW301, DW305)."""
    with wrapped(path):
        cursor = con.cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(_FETCH):
                yield from rows
        finally:
            cursor.close()


def explained_of(
    row: Sequence[Any],
) -> tuple[StoredEvent | None, EventScore | None, list[Event]]:
    """An event's columns (``STORED_COLUMNS``; all None for an event only links name)
    followed by :data:`EVENT_MENTIONS`, as ``Store.explained_event`` answers it."""
    width = len(STORED_COLUMNS)
    event = stored_from_row(row[:width]) if row[0] is not None else None
    linked, mentions, *scores = row[width:]
    score = EventScore(*scores) if linked else None
    codec = mention_codec()
    return event, score, [codec.record(m) for m in mentions or ()]


def document_of(row: Sequence[Any]) -> tuple[Document, list[tuple[Event, str | None]]]:
    """A document's columns followed by :data:`DOCUMENT_MENTIONS`."""
    width = len(document_codec().names)
    found: Document = document_codec().record(row[:width])
    codec = mention_codec()
    return found, [(codec.record(m[:-1]), m[-1]) for m in row[width] or ()]


def _where(column: str, ids: Sequence[str] | None) -> tuple[str, dict[str, object]]:
    if ids is None:
        return "", {}
    return f"WHERE {column} IN (SELECT unnest($ids::VARCHAR[]))", {"ids": list(ids)}


def explained_events(
    con: duckdb.DuckDBPyConnection, path: str, ids: Sequence[str] | None, *, rows: bool = False
) -> Iterator[ExplainedRow]:
    """:meth:`Store.explained_event` of each of ``ids`` that has a row or a link (of
    every event when None), streamed in no particular order; with ``rows``, an event
    without mentions comes as its raw row."""
    events, params = _where("id", ids)
    links, _ = _where("l.event_id", ids)
    width = len(STORED_COLUMNS)
    for row in _stream(con, path, _EXPLAINED.format(events=events, links=links), params):
        if rows and not row[width] and row[0] is not None:
            yield ExplainedRow(str(row[0]), None, None, [], tuple(row[:width]))
            continue
        event, score, mentions = explained_of(row[:-1])
        yield ExplainedRow(str(row[-1]), event, score, mentions)


def documents_with_mentions(
    con: duckdb.DuckDBPyConnection, path: str, ids: Sequence[str] | None
) -> Iterator[tuple[Document, list[tuple[Event, str | None]]]]:
    """:meth:`Store.document_with_mentions` of each of ``ids`` (of every document when
    None), streamed."""
    documents, params = _where("id", ids)
    mentions, _ = _where("m.doc_id", ids)
    sql = _DOCUMENTS.format(documents=documents, mentions=mentions)
    for row in _stream(con, path, sql, params):
        yield document_of(row)
