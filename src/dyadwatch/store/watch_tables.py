"""The watcher's tables in a store: every read and write the watcher makes, typed.

The tables are declared in :mod:`dyadwatch.store.columns` and created by the
``watch`` migration set (:data:`~dyadwatch.store.schema.WATCH_SET`), applied by
:meth:`WatchTables.create`. The watcher (:mod:`dyadwatch.watch`) calls these
methods and holds no SQL of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dyadwatch.store.columns import WATCH_CYCLES, WATCH_HTTP
from dyadwatch.store.schema import WATCH_SET

if TYPE_CHECKING:
    from dyadwatch.store.duckdb_store import Store

__all__ = ["CycleReport", "FeedStatus", "WatchTables"]

_EXISTS = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
_SEEN = "SELECT stamp FROM watch_articles WHERE url = ?"
_URL_STORED = "SELECT 1 FROM documents WHERE url = ? LIMIT 1"
_TEXT_STORED = "SELECT 1 FROM documents WHERE content_hash = ? LIMIT 1"
_ARTICLE = "INSERT OR REPLACE INTO watch_articles VALUES (?, ?, ?, ?, ?, ?, ?)"
_TOUCH = "UPDATE watch_articles SET stamp = ?, fetched_at = ? WHERE url = ?"
_ARTICLES = "SELECT status, count(*) FROM watch_articles GROUP BY status"
_VALIDATORS = "SELECT url, etag, last_modified FROM watch_http"
_FORGET = "DELETE FROM watch_http WHERE url = ?"
_REMEMBER = f"INSERT OR REPLACE INTO watch_http VALUES ({', '.join('?' * len(WATCH_HTTP.names))})"
_FEED = """INSERT INTO watch_feeds VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET url = excluded.url, last_fetch = excluded.last_fetch,
    last_ok = coalesce(excluded.last_ok, watch_feeds.last_ok),
    last_error = excluded.last_error,
    entries = CASE WHEN excluded.last_error IS NULL AND excluded.entries IS NULL
        THEN watch_feeds.entries ELSE excluded.entries END,
    new_articles = excluded.new_articles"""
_FEEDS = "SELECT * FROM watch_feeds ORDER BY name"
_CYCLE = f"INSERT OR REPLACE INTO watch_cycles VALUES ({', '.join('?' * len(WATCH_CYCLES.names))})"
_CYCLES = "SELECT * FROM watch_cycles ORDER BY started DESC LIMIT ?"
_ALERT_KNOWN = "SELECT 1 FROM watch_alerts WHERE key = ?"
_ALERT = "INSERT INTO watch_alerts VALUES (?, ?, ?, ?, ?, ?, false) ON CONFLICT DO NOTHING"
_ALERTS = "SELECT payload, delivered FROM watch_alerts ORDER BY fired_at, key"
_PENDING = "SELECT key, payload FROM watch_alerts WHERE NOT delivered ORDER BY fired_at, key"
_DELIVERED = "UPDATE watch_alerts SET delivered = true WHERE key = ?"
_LAST_KEY = """
SELECT key FROM watch_alerts WHERE rule = ? AND starts_with(key, ?)
ORDER BY fired_at DESC, key DESC LIMIT 1"""


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


class WatchTables:
    """Typed reads and writes of the watcher's tables in ``store``."""

    __slots__ = ("store",)

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self) -> int:
        """Apply the ``watch`` migration set (creates the tables); returns its version."""
        return self.store.migrate(WATCH_SET.name)

    def exists(self) -> bool:
        """Whether a watcher ever ran on this store."""
        return self._has("watch_cycles")

    def _has(self, table: str) -> bool:
        return bool(self.store.select(_EXISTS, [table])[0][0])

    # Articles

    def article_stamp(self, url: str) -> tuple[bool, str | None]:
        """Whether ``url`` was recorded, and its feed stamp then."""
        rows = self.store.select(_SEEN, [url])
        return (True, rows[0][0]) if rows else (False, None)

    def has_url(self, url: str) -> bool:
        """Whether a document with this URL is stored."""
        return bool(self.store.select(_URL_STORED, [url]))

    def has_text(self, text_hash: str) -> bool:
        """Whether a document with this text hash is stored (under any URL)."""
        return bool(self.store.select(_TEXT_STORED, [text_hash]))

    def record_article(self, values: Sequence[object]) -> None:
        """Keep one ``watch_articles`` row (url, feed, stamp, hash, doc, status, time)."""
        self.store.execute([(_ARTICLE, values)])

    def touch_article(self, url: str, stamp: str | None, now: dt.datetime) -> None:
        self.store.execute([(_TOUCH, [stamp, now, url])])

    def articles(self) -> dict[str, int]:
        """Watched URLs by status."""
        return {str(status): int(n) for status, n in self.store.select(_ARTICLES)}

    # Conditional requests

    def validators(self) -> list[tuple[str, str | None, str | None]]:
        """(url, ETag, Last-Modified) of every URL that had any."""
        return [
            (str(url), etag, modified) for url, etag, modified in self.store.select(_VALIDATORS)
        ]

    def record_validators(
        self, url: str, etag: str | None, modified: str | None, now: dt.datetime
    ) -> None:
        """Remember what to send next time ``url`` is asked for; neither forgets the URL."""
        if etag is None and modified is None:
            self.store.execute([(_FORGET, [url])])
        else:
            self.store.execute([(_REMEMBER, [url, etag, modified, now])])

    # Feeds and cycles

    def record_feed(self, values: Sequence[object]) -> None:
        """Upsert a feed's last fetch (name, url, time, ok time, error, entries, new)."""
        self.store.execute([(_FEED, values)])

    def feeds(self) -> list[FeedStatus]:
        return [FeedStatus(*row) for row in self.store.select(_FEEDS)]

    def record_cycle(self, report: CycleReport) -> None:
        values = [getattr(report, name) for name in WATCH_CYCLES.names]
        self.store.execute([(_CYCLE, values)])

    def cycles(self, limit: int = 10) -> list[CycleReport]:
        """The last ``limit`` cycles, newest first."""
        return [CycleReport(*row) for row in self.store.select(_CYCLES, [limit])]

    # Alerts

    def alert_known(self, key: str) -> bool:
        return bool(self.store.select(_ALERT_KNOWN, [key]))

    def add_alerts(self, payloads: Iterable[Mapping[str, Any]], fired_at: dt.datetime) -> None:
        """Keep alerts as undelivered, in one transaction; known keys are skipped.

        Each payload (what the webhook is sent) names its ``key``, ``rule``,
        ``message`` and ``event_ids``.
        """
        self.store.execute(
            (_ALERT, [p["key"], p["rule"], fired_at, p["message"], list(p["event_ids"]),
                      json.dumps(p)])
            for p in payloads
        )  # fmt: skip

    def alerts(self) -> list[tuple[dict[str, Any], bool]]:
        """Every alert payload with its delivery flag, oldest first."""
        return [(json.loads(payload), bool(done)) for payload, done in self.store.select(_ALERTS)]

    def pending_alerts(self) -> list[tuple[str, dict[str, Any]]]:
        """(key, payload) of the undelivered alerts, oldest first."""
        return [(str(key), json.loads(payload)) for key, payload in self.store.select(_PENDING)]

    def mark_delivered(self, key: str) -> None:
        self.store.execute([(_DELIVERED, [key])])

    def last_alert_key(self, rule: str, prefix: str) -> str | None:
        """The key of ``rule``'s latest alert whose key starts with ``prefix``, if any."""
        if not self._has("watch_alerts"):
            return None
        rows = self.store.select(_LAST_KEY, [rule, prefix])
        return str(rows[0][0]) if rows else None
