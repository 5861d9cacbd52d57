"""What the watcher fetched and when, kept in the store beside the documents.

Five tables of the watcher's own (created on first use, never touched by the
store's migrations): ``watch_articles`` (one row per canonical URL: its feed
stamp, content hash, document and status), ``watch_feeds`` (last fetch, last
success, last error, entries), ``watch_cycles`` (one row per cycle) and
``watch_alerts`` (see :mod:`dyadwatch.watch.alerts`) and ``watch_http`` (the
ETag and Last-Modified of each feed and article URL, for conditional requests).

A document is written before its ``watch_articles`` row; a watcher killed in
between finds the document by its URL on restart, so the article is neither
lost nor stored twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dyadwatch.ingest.fetch import Validators
from dyadwatch.store import Store

__all__ = ["CycleReport", "FeedStatus", "WatchState"]

_TABLES = (
    """CREATE TABLE IF NOT EXISTS watch_articles (
        url VARCHAR PRIMARY KEY, feed VARCHAR NOT NULL, stamp VARCHAR,
        content_hash VARCHAR, doc_id VARCHAR, status VARCHAR NOT NULL,
        fetched_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS watch_feeds (
        name VARCHAR PRIMARY KEY, url VARCHAR NOT NULL, last_fetch TIMESTAMP,
        last_ok TIMESTAMP, last_error VARCHAR, entries INTEGER, new_articles INTEGER)""",
    """CREATE TABLE IF NOT EXISTS watch_cycles (
        started TIMESTAMP PRIMARY KEY, finished TIMESTAMP NOT NULL, feeds INTEGER NOT NULL,
        feed_errors INTEGER NOT NULL, articles INTEGER NOT NULL, duplicates INTEGER NOT NULL,
        events INTEGER NOT NULL, errors INTEGER NOT NULL, alerts INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS watch_alerts (
        key VARCHAR PRIMARY KEY, rule VARCHAR NOT NULL, fired_at TIMESTAMP NOT NULL,
        message VARCHAR NOT NULL, event_ids VARCHAR[] NOT NULL, payload JSON NOT NULL,
        delivered BOOLEAN NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS watch_http (
        url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR,
        checked_at TIMESTAMP NOT NULL)""",
)


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """One row of ``dyadwatch status``."""

    name: str
    url: str
    last_fetch: dt.datetime | None
    last_ok: dt.datetime | None
    last_error: str | None
    entries: int | None
    new_articles: int | None


@dataclass(frozen=True, slots=True)
class CycleReport:
    """What one cycle did."""

    started: dt.datetime
    finished: dt.datetime
    feeds: int
    feed_errors: int
    articles: int
    duplicates: int
    events: int
    errors: int
    alerts: int

    def to_dict(self) -> dict[str, object]:
        return {
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "feeds": self.feeds,
            "feed_errors": self.feed_errors,
            "articles": self.articles,
            "duplicates": self.duplicates,
            "events": self.events,
            "errors": self.errors,
            "alerts": self.alerts,
        }


class WatchState:
    """The watcher's tables in one store; creates them on first use."""

    __slots__ = ("store",)

    def __init__(self, store: Store, *, create: bool = True) -> None:
        """``create=False`` for a read-only store (``dyadwatch status``)."""
        self.store = store
        if create:
            store.execute((sql, ()) for sql in _TABLES)

    def exists(self) -> bool:
        """Whether a watcher ever ran on this store."""
        sql = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'watch_cycles'"
        return bool(self.store.select(sql)[0][0])

    def is_seen(self, url: str, stamp: str | None) -> bool:
        """Whether ``url`` was handled already, at this feed ``stamp`` (None: any)."""
        rows = self.store.select("SELECT stamp FROM watch_articles WHERE url = ?", [url])
        if rows:
            return stamp is None or rows[0][0] == stamp
        # Killed after storing the document but before recording it: the document says.
        return bool(self.store.select("SELECT 1 FROM documents WHERE url = ? LIMIT 1", [url]))

    def has_text(self, text_hash: str) -> bool:
        """Whether a document with this text is stored (under any URL)."""
        found = self.store.select(
            "SELECT 1 FROM documents WHERE content_hash = ? LIMIT 1", [text_hash]
        )
        return bool(found)

    def record_article(
        self, url: str, feed: str, stamp: str | None, text_hash: str | None,
        doc_id: str | None, status: str,
    ) -> None:  # fmt: skip
        """Remember ``url`` as ``stored``, ``duplicate`` or ``gone`` (a permanent HTTP 4xx)."""
        sql = "INSERT OR REPLACE INTO watch_articles VALUES (?, ?, ?, ?, ?, ?, ?)"
        self.store.execute([(sql, [url, feed, stamp, text_hash, doc_id, status, _now()])])

    def validators(self) -> dict[str, Validators]:
        """The stored ETag/Last-Modified of every URL that had any, by URL."""
        rows = self.store.select("SELECT url, etag, last_modified FROM watch_http")
        return {str(url): Validators(etag, modified) for url, etag, modified in rows}

    def record_validators(self, url: str, validators: Validators) -> None:
        """Remember what to send next time ``url`` is asked for; none forgets the URL."""
        if not validators:
            self.store.execute([("DELETE FROM watch_http WHERE url = ?", [url])])
            return
        sql = "INSERT OR REPLACE INTO watch_http VALUES (?, ?, ?, ?)"
        values = [url, validators.etag, validators.last_modified, _now()]
        self.store.execute([(sql, values)])

    def touch_article(self, url: str, stamp: str | None) -> None:
        """``url`` answered 304 at a new feed ``stamp``: the stored row stands, at that stamp."""
        sql = "UPDATE watch_articles SET stamp = ?, fetched_at = ? WHERE url = ?"
        self.store.execute([(sql, [stamp, _now(), url])])

    def record_feed(
        self, name: str, url: str, entries: int | None, new: int, error: str | None
    ) -> None:
        """The outcome of one feed fetch; a failure keeps the last success's time.

        ``entries=None`` without an ``error`` is a feed that answered 304: its
        last count of entries stands.
        """
        now = _now()
        sql = """INSERT INTO watch_feeds VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET url = excluded.url, last_fetch = excluded.last_fetch,
            last_ok = coalesce(excluded.last_ok, watch_feeds.last_ok),
            last_error = excluded.last_error,
            entries = CASE WHEN excluded.last_error IS NULL AND excluded.entries IS NULL
                THEN watch_feeds.entries ELSE excluded.entries END,
            new_articles = excluded.new_articles"""
        ok = None if error else now
        self.store.execute([(sql, [name, url, now, ok, error, entries, new])])

    def record_cycle(self, report: CycleReport) -> None:
        sql = "INSERT OR REPLACE INTO watch_cycles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        values = [
            report.started, report.finished, report.feeds, report.feed_errors, report.articles,
            report.duplicates, report.events, report.errors, report.alerts,
        ]  # fmt: skip
        self.store.execute([(sql, values)])

    def feeds(self) -> list[FeedStatus]:
        rows = self.store.select("SELECT * FROM watch_feeds ORDER BY name")
        return [FeedStatus(*row) for row in rows]

    def cycles(self, limit: int = 10) -> list[CycleReport]:
        """The last ``limit`` cycles, newest first."""
        rows = self.store.select(
            "SELECT * FROM watch_cycles ORDER BY started DESC LIMIT ?", [limit]
        )
        return [CycleReport(*row) for row in rows]

    def articles(self) -> dict[str, int]:
        """Watched URLs by status."""
        rows = self.store.select("SELECT status, count(*) FROM watch_articles GROUP BY status")
        return {str(status): int(n) for status, n in rows}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
