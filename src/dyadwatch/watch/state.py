"""What the watcher fetched and when, kept in the store beside the documents.

Five tables of the watcher's own, the store's ``watch`` migration set (applied
on first use; see docs/STORE.md): ``watch_articles`` (one row per canonical URL: its feed
stamp, content hash, document and status), ``watch_feeds`` (last fetch, last
success, last error, entries), ``watch_cycles`` (one row per cycle) and
``watch_alerts`` (see :mod:`dyadwatch.watch.alerts`) and ``watch_http`` (the
ETag and Last-Modified of each feed and article URL, for conditional requests).
Their SQL lives in :mod:`dyadwatch.store.watch_tables`.

A document is written before its ``watch_articles`` row; a watcher killed in
between finds the document by its URL on restart, so the article is neither
lost nor stored twice.
"""

from __future__ import annotations

import datetime as dt

from dyadwatch.ingest.fetch import Validators
from dyadwatch.store import Store
from dyadwatch.store.watch_tables import CycleReport, FeedStatus, WatchTables

__all__ = ["CycleReport", "FeedStatus", "WatchState"]


class WatchState:
    """The watcher's tables in one store; creates them on first use."""

    __slots__ = ("store", "tables")

    def __init__(self, store: Store, *, create: bool = True) -> None:
        """``create=False`` for a read-only store (``dyadwatch status``)."""
        self.store = store
        self.tables = WatchTables(store)
        if create:
            self.tables.create()

    def exists(self) -> bool:
        """Whether a watcher ever ran on this store."""
        return self.tables.exists()

    def is_seen(self, url: str, stamp: str | None) -> bool:
        """Whether ``url`` was handled already, at this feed ``stamp`` (None: any)."""
        recorded, at = self.tables.article_stamp(url)
        if recorded:
            return stamp is None or at == stamp
        # Killed after storing the document but before recording it: the document says.
        return self.tables.has_url(url)

    def has_text(self, text_hash: str) -> bool:
        """Whether a document with this text is stored (under any URL)."""
        return self.tables.has_text(text_hash)

    def record_article(
        self, url: str, feed: str, stamp: str | None, text_hash: str | None,
        doc_id: str | None, status: str,
    ) -> None:  # fmt: skip
        """Remember ``url`` as ``stored``, ``duplicate`` or ``gone`` (a permanent HTTP 4xx)."""
        self.tables.record_article([url, feed, stamp, text_hash, doc_id, status, _now()])

    def validators(self) -> dict[str, Validators]:
        """The stored ETag/Last-Modified of every URL that had any, by URL."""
        return {url: Validators(etag, modified) for url, etag, modified in self.tables.validators()}

    def record_validators(self, url: str, validators: Validators) -> None:
        """Remember what to send next time ``url`` is asked for; none forgets the URL."""
        if not validators:
            self.tables.record_validators(url, None, None, _now())
            return
        self.tables.record_validators(url, validators.etag, validators.last_modified, _now())

    def touch_article(self, url: str, stamp: str | None) -> None:
        """``url`` answered 304 at a new feed ``stamp``: the stored row stands, at that stamp."""
        self.tables.touch_article(url, stamp, _now())

    def record_feed(
        self, name: str, url: str, entries: int | None, new: int, error: str | None
    ) -> None:
        """The outcome of one feed fetch; a failure keeps the last success's time.

        ``entries=None`` without an ``error`` is a feed that answered 304: its
        last count of entries stands.
        """
        now = _now()
        ok = None if error else now
        self.tables.record_feed([name, url, now, ok, error, entries, new])

    def record_cycle(self, report: CycleReport) -> None:
        self.tables.record_cycle(report)

    def feeds(self) -> list[FeedStatus]:
        return self.tables.feeds()

    def cycles(self, limit: int = 10) -> list[CycleReport]:
        """The last ``limit`` cycles, newest first."""
        return self.tables.cycles(limit)

    def articles(self) -> dict[str, int]:
        """Watched URLs by status."""
        return self.tables.articles()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
