"""Live monitoring: poll feeds, code new articles into the store, raise alerts.

See docs/WATCH.md. The watcher's state lives in the store (``watch_*`` tables).
"""

from __future__ import annotations

from dyadwatch.ingest.fetch import DEFAULT_USER_AGENT, Fetcher, FetchPolicy, Response, Validators
from dyadwatch.watch.alerts import deliver_pending, post_alert, record_alerts, stored_alerts
from dyadwatch.watch.feeds import Feed, FeedEntry, canonical_url, load_feeds, parse_feed
from dyadwatch.watch.loop import WatchOptions, parse_every, run_cycle, watch
from dyadwatch.watch.rules import Alert, Rule, check_rules, load_rules
from dyadwatch.watch.state import CycleReport, FeedStatus, WatchState
from dyadwatch.watch.status import watch_status

__all__ = [
    "DEFAULT_USER_AGENT",
    "Alert",
    "CycleReport",
    "Feed",
    "FeedEntry",
    "FeedStatus",
    "FetchPolicy",
    "Fetcher",
    "Response",
    "Rule",
    "Validators",
    "WatchOptions",
    "WatchState",
    "canonical_url",
    "check_rules",
    "deliver_pending",
    "load_feeds",
    "load_rules",
    "parse_every",
    "parse_feed",
    "post_alert",
    "record_alerts",
    "run_cycle",
    "stored_alerts",
    "watch",
    "watch_status",
]
