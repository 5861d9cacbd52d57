"""The read side's bodies: the JSON the read endpoints answer, rendered from the store.

:class:`ApiRenderer` writes, for :meth:`Store.prepare_readside`, exactly what
``GET /events/{id}``, ``GET /documents/{id}`` and each item of a ``GET /events``
page would answer: the same records through the same response models, so the
bytes the read side keeps are the bytes the live path writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from dyadwatch.api._queries import (
    MentionQuery,
    document_body,
    mention_body,
    mention_page,
    stored_event_out,
)
from dyadwatch.api.models import DocumentOut, EventDetail, MentionOut, MentionPage
from dyadwatch.store import MEMORY, Store
from dyadwatch.store._readside import EventBody, EventRow, MentionBody, readside_path
from dyadwatch.store._stored import stored_from_row

__all__ = ["READSIDE_BUILD_MAX", "ApiRenderer", "json_body", "live_page_json", "prepare_readside"]


def json_body(model: type[BaseModel], content: Any) -> bytes:
    """``content`` validated and written as JSON by ``model`` (what the routes send)."""
    return model.model_validate(content).model_dump_json(by_alias=True).encode()


def live_page_json(store: Store, query: MentionQuery) -> bytes:
    """The ``/events`` page of ``query`` read from DuckDB (:func:`mention_page`), as the
    route sends it when the read side does not answer."""
    found = mention_page(store, query)
    page = {
        "total": found.total, "limit": query.limit, "offset": query.offset,
        "next": found.next, "events": found.events,
    }  # fmt: skip
    return json_body(MentionPage, page)


class ApiRenderer:
    """The API's bodies for the store's read side (:class:`~dyadwatch.store._readside.Renderer`)."""

    def events(self, store: object, ids: Sequence[str] | None) -> Iterator[EventBody | EventRow]:
        assert isinstance(store, Store)
        for row in store.explained_events(ids, rows=True):
            if row.row is not None:
                yield EventRow(row.id, row.row)
                continue
            event = stored_event_out(row.event, row.score) if row.event is not None else None
            mentions = [mention.to_dict() for mention in row.mentions]
            yield EventBody(row.id, json_body(EventDetail, {"event": event, "mentions": mentions}))

    def event_of_row(self, row: tuple[object, ...]) -> bytes:
        event = stored_event_out(stored_from_row(row), None)
        return json_body(EventDetail, {"event": event, "mentions": []})

    def documents(self, store: object, ids: Sequence[str] | None) -> Iterator[EventBody]:
        assert isinstance(store, Store)
        for document, mentions in store.documents_with_mentions(ids):
            yield EventBody(document.id, json_body(DocumentOut, document_body(document, mentions)))

    def mentions(self, store: object, doc_ids: Sequence[str] | None) -> Iterator[MentionBody]:
        assert isinstance(store, Store)
        for row in store.mention_rows(doc_ids):
            body = json_body(MentionOut, mention_body(row.event, row.event_id))
            yield MentionBody(
                row.id, row.doc_id, row.sentence_index, row.date, row.root or "", row.sides, body
            )


READSIDE_BUILD_MAX = 200_000
"""A server builds (or rebuilds) a read side on start only for a store of at most this
many events (seconds); a larger store's is built by ``Store.prepare_readside`` (e.g.
``bench/bench_readside.py --build``), then kept current by the server's ingests."""


def prepare_readside(store: Store) -> str:
    """Open ``store``'s read side for a server: use a current one, repair one an ingest
    left behind, build or rebuild one for a small store. What
    :meth:`Store.prepare_readside` did, or "absent" (none, and none built)."""
    if store.path == MEMORY:
        return "memory"
    small = int(store.select("SELECT count(*) FROM events")[0][0]) <= READSIDE_BUILD_MAX
    if not readside_path(store.path).exists() and (not store.writable or not small):
        return "absent"
    return store.prepare_readside(ApiRenderer(), rebuild=small)
