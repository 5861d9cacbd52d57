"""The watch cycle: feeds → new articles → documents and events → rules → alerts.

Feeds and articles are fetched on a thread pool, so a slow or broken host
costs only its own timeouts; coding and storing stay on the calling thread,
which owns the store. Every failure is logged and counted, never raised: a
cycle always finishes.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from dyadwatch.coder.engine import Coder
from dyadwatch.errors import DyadwatchError, WatchError
from dyadwatch.ingest._html import extract_html
from dyadwatch.ingest.fetch import Fetcher, Response, Validators
from dyadwatch.model import Document, content_hash
from dyadwatch.store import Store
from dyadwatch.watch.alerts import deliver_pending, record_alerts
from dyadwatch.watch.feeds import Feed, FeedEntry, canonical_url, parse_feed
from dyadwatch.watch.rules import Rule, check_rules
from dyadwatch.watch.state import CycleReport, WatchState
from dyadwatch.workflows import ingest_items

__all__ = ["WatchOptions", "parse_every", "run_cycle", "watch"]

log = logging.getLogger("dyadwatch.watch")


@dataclass(frozen=True, slots=True)
class WatchOptions:
    """What a cycle reads and where its alerts go."""

    feeds: tuple[Feed, ...]
    rules: tuple[Rule, ...] = ()
    webhook: str | None = None
    fetcher: Fetcher = field(default_factory=Fetcher)
    workers: int = 8


@dataclass(slots=True)
class _Tally:
    feed_errors: int = 0
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    errors: int = 0
    new_docs: list[str] = field(default_factory=list)
    learned: dict[str, dict[str, Validators]] = field(default_factory=dict)
    """Validators each feed's URLs sent, kept only once the feed's articles are settled."""
    unsettled: set[str] = field(default_factory=set)
    """Feeds with an article to try again: their next read must not be a 304."""


def run_cycle(coder: Coder, store: Store, options: WatchOptions) -> CycleReport:
    """One pass over every feed; records the cycle and returns its report."""
    state = WatchState(store)
    started = _now()
    tally = _Tally()
    # Read on this thread, which owns the store; the pool only reads the dict.
    known = state.validators()
    with ThreadPoolExecutor(max_workers=options.workers) as pool:
        todo = _new_entries(state, options, pool, tally, known)
        pending = {
            pool.submit(options.fetcher.get, entry.url, known.get(entry.url)): (feed, entry)
            for feed, entry in todo
        }
        for future in as_completed(pending):
            feed, entry = pending[future]
            _store_article(coder, state, feed, entry, future, tally)
    _keep_validators(state, tally)
    alerts = _alerts(state, options, tally)
    report = CycleReport(
        started, _now(), len(options.feeds), tally.feed_errors, tally.articles,
        tally.duplicates, tally.events, tally.errors, alerts,
    )  # fmt: skip
    state.record_cycle(report)
    return report


def watch(
    coder: Coder,
    store: Store,
    options: WatchOptions,
    *,
    every: float,
    cycles: int | None = None,
    stop: threading.Event | None = None,
    on_cycle: Callable[[CycleReport], None] | None = None,
) -> int:
    """Run cycles ``every`` seconds apart until ``cycles`` ran or ``stop`` is set.

    Returns the number of cycles run.
    """
    stop = stop or threading.Event()
    done = 0
    while not stop.is_set() and (cycles is None or done < cycles):
        report = run_cycle(coder, store, options)
        done += 1
        if on_cycle is not None:
            on_cycle(report)
        if cycles is None or done < cycles:
            stop.wait(every)
    return done


def _new_entries(
    state: WatchState, options: WatchOptions, pool: ThreadPoolExecutor, tally: _Tally,
    known: dict[str, Validators],
) -> list[tuple[Feed, FeedEntry]]:  # fmt: skip
    """Entries not handled yet, first feed first; each URL once per cycle."""
    futures = [pool.submit(_read_feed, options.fetcher, feed, known) for feed in options.feeds]
    todo: dict[str, tuple[Feed, FeedEntry]] = {}
    for feed, future in zip(options.feeds, futures, strict=True):
        try:
            entries, learned = future.result()
        except DyadwatchError as exc:
            log.warning("feed %s: %s", feed.name, exc)
            tally.feed_errors += 1
            state.record_feed(feed.name, feed.url, None, 0, exc.message)
            continue
        tally.learned[feed.name] = learned
        if entries is None:
            log.debug("feed %s: not modified", feed.name)
            state.record_feed(feed.name, feed.url, None, 0, None)
            continue
        fresh = []
        for entry in entries:
            url = canonical_url(entry.url)
            if url not in todo and not state.is_seen(url, entry.stamp):
                todo[url] = (feed, FeedEntry(url, entry.title, entry.stamp))
                fresh.append(url)
        state.record_feed(feed.name, feed.url, len(entries), len(fresh), None)
    return list(todo.values())


def _read_feed(
    fetcher: Fetcher, feed: Feed, known: dict[str, Validators]
) -> tuple[list[FeedEntry] | None, dict[str, Validators]]:
    """A feed's entries (None: not modified), and the validators its URLs sent.

    A sitemap index is read one level down, each child sitemap conditionally.
    The index itself is always read in full, since an unchanged index says
    nothing about its children; so its validators are never kept.
    """
    response = fetcher.get(feed.url, known.get(feed.url))
    if response.unchanged:
        return None, {feed.url: response.validators}
    entries = parse_feed(response.body, feed.url)
    articles = [entry for entry in entries if not entry.sitemap]
    children = [entry for entry in entries if entry.sitemap]
    learned = {feed.url: Validators() if children else response.validators}
    for child in children:
        answer = fetcher.get(child.url, known.get(child.url))
        learned[child.url] = answer.validators
        if not answer.unchanged:
            articles.extend(parse_feed(answer.body, child.url))
    return articles, learned


def _keep_validators(state: WatchState, tally: _Tally) -> None:
    for name, learned in tally.learned.items():
        if name not in tally.unsettled:
            for url, validators in learned.items():
                state.record_validators(url, validators)


def _store_article(
    coder: Coder, state: WatchState, feed: Feed, entry: FeedEntry,
    future: Future[Response], tally: _Tally,
) -> None:  # fmt: skip
    try:
        response = future.result()
        if response.unchanged:
            log.debug("article %s: not modified", entry.url)
            state.touch_article(entry.url, entry.stamp)
            return
        page = extract_html(response.body)
    except DyadwatchError as exc:
        log.warning("article %s: %s", entry.url, exc)
        tally.errors += 1
        if _is_gone(exc):
            state.record_article(entry.url, feed.name, entry.stamp, None, None, "gone")
        else:
            tally.unsettled.add(feed.name)
        return
    text_hash = content_hash(page.text)
    if state.has_text(text_hash):
        tally.duplicates += 1
        state.record_article(entry.url, feed.name, entry.stamp, text_hash, None, "duplicate")
        state.record_validators(entry.url, response.validators)
        return
    doc = Document.from_text(
        page.text, date=page.date, url=entry.url, title=page.title or entry.title,
        publisher=page.publisher or feed.name, origin=f"watch:{feed.name}",
    )  # fmt: skip
    ingested = ingest_items(coder, state.store, [doc], batch_size=1)
    tally.errors += len(ingested.errors)
    if ingested.new:
        tally.articles += 1
        tally.events += ingested.events
        tally.new_docs.append(doc.id)
    state.record_article(entry.url, feed.name, entry.stamp, text_hash, doc.id, "stored")
    state.record_validators(entry.url, response.validators)


def _is_gone(exc: DyadwatchError) -> bool:
    """A 4xx other than 408/429 will not heal by itself; anything else is tried again."""
    if not isinstance(exc, WatchError):
        return exc.code == "DW110"  # a page without a story
    return any(f"HTTP {code}" in exc.message for code in (400, 401, 403, 404, 410))


def _alerts(state: WatchState, options: WatchOptions, tally: _Tally) -> int:
    try:
        fired = record_alerts(state, check_rules(state.store, options.rules, tally.new_docs))
    except DyadwatchError as exc:
        log.warning("rules: %s", exc)
        tally.errors += 1
        return 0
    for alert in fired:
        log.info("alert %s", alert.message)
    if options.webhook:
        for failure in deliver_pending(
            state, options.webhook, timeout=options.fetcher.policy.timeout
        ):
            log.warning("webhook: %s", failure)
    return len(fired)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def parse_every(text: str) -> float:
    """Seconds in ``15m``, ``30s``, ``2h`` or ``90``; raises ValueError otherwise."""
    units = {"s": 1, "m": 60, "h": 3600}
    value = text.strip().lower()
    scale = units.get(value[-1:], 0)
    number = float(value[:-1] if scale else value)
    if number <= 0:
        raise ValueError(f"{text!r} is not a positive duration")
    return number * (scale or 1)
