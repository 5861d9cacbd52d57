"""Whole cycles against a local server: faults survived, nothing twice, one alert per low."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _watch_support import LocalServer, page, rss

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Actor
from dyadwatch.store import Store, StoredEvent
from dyadwatch.watch import (
    Feed,
    Fetcher,
    FetchPolicy,
    WatchOptions,
    WatchState,
    load_rules,
    run_cycle,
    stored_alerts,
    watch,
)

POLICY = FetchPolicy(user_agent="dw-test", timeout=0.5, retries=1, backoff=0.01, min_interval=0)
STORY = "Pakistan attacked India near Peshawar on 3 March 2019, killing six soldiers."
TALKS = "Pakistan agreed to hold talks with India on 4 March 2019."
DATE = "Sun, 03 Mar 2019 10:00:00 GMT"


def options(server: LocalServer, *names: str, **extra: object) -> WatchOptions:
    feeds = tuple(Feed(name, server.url(f"/{name}.xml")) for name in names)
    return WatchOptions(feeds, fetcher=Fetcher(POLICY), **extra)  # type: ignore[arg-type]


def serve_faults(server: LocalServer) -> None:
    """One good feed and one of each fault; the good feed lists a good and a 404 article."""
    good = rss((server.url("/a/strike"), "Strike", DATE), (server.url("/a/gone"), "Gone", DATE),
               (server.url("/a/loop"), "Loop", DATE))  # fmt: skip
    server.route("/good.xml", good)
    server.route("/broken.xml", "<rss><channel><item><title>cut off")
    server.route("/slow.xml", rss((server.url("/a/late"), "Late", DATE)), delay=1.2)
    server.route("/loop.xml", "", status=302, headers={"Location": "/loop.xml"})
    server.route("/a/strike", page(STORY))
    server.route("/a/loop", "", status=307, headers={"Location": "/a/loop2"})
    server.route("/a/loop2", "", status=307, headers={"Location": "/a/loop"})


def test_loop_survives_every_fault_and_stores_the_story(
    server: LocalServer, small_coder: Coder
) -> None:
    serve_faults(server)
    opts = options(server, "good", "broken", "missing", "slow", "loop")
    with Store.open() as store:
        report = run_cycle(small_coder, store, opts)
        assert (report.feeds, report.feed_errors, report.articles) == (5, 4, 1)
        assert report.events >= 1 and report.errors == 2  # the 404 and the loop article
        [doc] = store.select("SELECT text, url, title, publisher, date FROM documents")
        text, url, title, publisher, date = doc
        assert STORY in text and "schools in the district" in text
        for boilerplate in ("Home", "cookies", "Most read", "Copyright", "newsletter"):
            assert boilerplate not in text
        assert (url, title, date) == (server.url("/a/strike"), "A story", dt.date(2019, 3, 3))
        assert publisher == "Loopback News"
        feeds = {f.name: f for f in WatchState(store).feeds()}
        assert feeds["good"].last_error is None and feeds["good"].new_articles == 3
        assert "DW703" in (feeds["broken"].last_error or "")
        assert "HTTP 404" in (feeds["missing"].last_error or "")
        assert "timed out" in (feeds["slow"].last_error or "")
        assert "redirect loop" in (feeds["loop"].last_error or "")
        # A second cycle fetches no article again: stored and 404 are remembered.
        hits = server.hits("/a/strike"), server.hits("/a/gone")
        again = run_cycle(small_coder, store, opts)
        assert (again.articles, again.duplicates) == (0, 0)
        assert (server.hits("/a/strike"), server.hits("/a/gone")) == hits
        assert server.hits("/a/loop") == 2  # a loop may heal: tried again next cycle
        assert store.counts()["documents"] == 1
        assert len(WatchState(store).cycles()) == 2


def test_loop_updated_article_and_copied_text(server: LocalServer, small_coder: Coder) -> None:
    server.route("/f.xml", rss((server.url("/a/1"), "One", DATE)))
    server.route("/a/1", page(STORY))
    opts = options(server, "f")
    with Store.open() as store:
        assert run_cycle(small_coder, store, opts).articles == 1
        # The same URL, updated: the feed's stamp changes, the new text is stored.
        later = "Mon, 04 Mar 2019 10:00:00 GMT"
        server.route("/f.xml", rss((server.url("/a/1?utm_source=rss"), "One", later)))
        server.route("/a/1", page(STORY + "\n" + TALKS))
        assert run_cycle(small_coder, store, opts).articles == 1
        # The same stamp again: not fetched.
        assert run_cycle(small_coder, store, opts).articles == 0
        # The first text under a new URL: a duplicate, not stored.
        server.route("/f.xml", rss((server.url("/a/copy"), "Copy", DATE)))
        server.route("/a/copy", page(STORY))
        report = run_cycle(small_coder, store, opts)
        assert (report.articles, report.duplicates) == (0, 1)
        assert server.hits("/a/1") == 2
        assert store.counts()["documents"] == 2


def history() -> list[StoredEvent]:
    """Imported IND–PAK events: a year of talks (12 a month), one talk in February,
    then nine accusations in March 2019, the month the coded strike completes."""
    ind, pak = Actor("India", "IND", "IND"), Actor("Pakistan", "PAK", "PAK")
    talks = [dt.date(2018, m, 1 + 2 * d) for m in range(1, 13) for d in range(12)]
    talks.append(dt.date(2019, 2, 10))
    accusations = [dt.date(2019, 3, 5 + 2 * d) for d in range(9)]
    return [
        StoredEvent(f"icews:t{n}", "icews", day, ind, pak, "042", 1.9, 1, f"t{n}")
        for n, day in enumerate(talks)
    ] + [
        StoredEvent(f"icews:a{n}", "icews", day, pak, ind, "112", -2.0, 3, f"a{n}")
        for n, day in enumerate(accusations)
    ]


def test_loop_planted_low_fires_exactly_one_alert(
    server: LocalServer, small_coder: Coder, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - name: ind-pak-low\n    kind: dyad_low\n    dyad: [IND, PAK]\n"
        "    lookback: 24\n"
        "  - name: pak-strikes\n    kind: event\n    plover: ASSAULT\n"
        "    country: PAK\n    killed_min: 7\n"
    )  # the strike killed six: under the event rule's bar; it is the tenth conflict of March
    server.route("/f.xml", rss((server.url("/a/strike"), "Strike", DATE)))
    server.route("/a/strike", page(STORY))
    opts = options(server, "f", rules=load_rules(rules), webhook=server.url("/hook"))
    with Store.open() as store:
        store.add_stored_events(history())
        ran = watch(small_coder, store, opts, every=0.01, cycles=3)
        alerts = stored_alerts(WatchState(store))
    assert ran == 3
    assert len(alerts) == 1 and alerts[0]["rule"] == "ind-pak-low"
    assert alerts[0]["delivered"] is True
    assert len(server.posts) == 1
    [post] = server.posts
    assert post["key"] == "ind-pak-low|2019-03-01"
    event_ids = post["event_ids"]
    assert isinstance(event_ids, list) and event_ids
    assert str(event_ids[0]).startswith("dyadwatch:"), "the coded strike drives the low"


def test_loop_event_rule_and_webhook_retry(server: LocalServer, small_coder: Coder) -> None:
    from dyadwatch.watch import Rule

    rule = Rule("pak-strikes", "event", {"plover": "ASSAULT", "country": "PAK", "killed_min": 5})
    server.route("/f.xml", rss((server.url("/a/strike"), "Strike", DATE)))
    server.route("/a/strike", page(STORY))
    server.route("/hook", "", status=500)  # the receiver is down at first
    opts = options(server, "f", rules=(rule,), webhook=server.url("/hook"))
    with Store.open() as store:
        first = run_cycle(small_coder, store, opts)
        assert first.alerts == 1 and server.posts == []
        assert stored_alerts(WatchState(store))[0]["delivered"] is False
        server.route("/hook", "", status=204)
        assert run_cycle(small_coder, store, opts).alerts == 0
        assert len(server.posts) == 1 and server.posts[0]["rule"] == "pak-strikes"
        assert "killed" in str(server.posts[0]["message"])


def test_loop_conditional_requests_refetch_nothing_unchanged(
    server: LocalServer, small_coder: Coder
) -> None:
    later = "Mon, 04 Mar 2019 10:00:00 GMT"
    server.route("/f.xml", rss((server.url("/a/1"), "One", DATE)), etag='"f1"')
    server.route("/a/1", page(STORY), etag='"a1"', last_modified=DATE)
    # A sitemap index is read in full each time; its child sitemap conditionally.
    child = f"<urlset><url><loc>{server.url('/a/2')}</loc></url></urlset>"
    server.route("/s.xml", f"<sitemapindex><sitemap><loc>{server.url('/c.xml')}</loc>"
                           "</sitemap></sitemapindex>", etag='"s1"')  # fmt: skip
    server.route("/c.xml", child, last_modified=DATE)
    server.route("/a/2", page(TALKS), etag='"a2"')
    opts = options(server, "f", "s")
    with Store.open() as store:
        assert run_cycle(small_coder, store, opts).articles == 2
        stored = store.select("SELECT url, etag, last_modified FROM watch_http ORDER BY url")
        assert stored == [
            (server.url("/a/1"), '"a1"', DATE), (server.url("/a/2"), '"a2"', None),
            (server.url("/c.xml"), None, DATE), (server.url("/f.xml"), '"f1"', None),
        ]  # fmt: skip
        # Second cycle: the feed and the child sitemap answer 304; no article is asked for.
        again = run_cycle(small_coder, store, opts)
        assert (again.articles, again.feed_errors, again.errors) == (0, 0, 0)
        assert server.statuses("/f.xml") == [200, 304]
        assert server.statuses("/s.xml") == [200, 200]
        assert server.statuses("/c.xml") == [200, 304]
        assert (server.hits("/a/1"), server.hits("/a/2")) == (1, 1)
        # A 304 feed keeps its count; an index counts only the children that changed.
        assert {f.name: f.entries for f in WatchState(store).feeds()} == {"f": 1, "s": 0}
        # The feed changes its stamp but the page did not: a 304, nothing stored again.
        server.route("/f.xml", rss((server.url("/a/1"), "One", later)), etag='"f2"')
        assert run_cycle(small_coder, store, opts).articles == 0
        assert server.statuses("/a/1") == [200, 304]
        assert [asked for path, _, asked in server.answers if path == "/a/1"][-1] == {
            "If-None-Match": '"a1"', "If-Modified-Since": DATE}  # fmt: skip
        [(stamp,)] = store.select(
            "SELECT stamp FROM watch_articles WHERE url = ?", [server.url("/a/1")]
        )
        assert stamp is not None and stamp.startswith("2019-03-04")
        assert run_cycle(small_coder, store, opts).articles == 0
        assert server.statuses("/f.xml")[-2:] == [200, 304]
        assert store.counts()["documents"] == 2


def test_loop_transient_failure_keeps_the_feed_unconditional(
    server: LocalServer, small_coder: Coder
) -> None:
    server.route("/f.xml", rss((server.url("/a/1"), "One", DATE)), etag='"f1"')
    server.route("/a/1", "down", status=503)
    opts = options(server, "f")
    with Store.open() as store:
        assert run_cycle(small_coder, store, opts).errors == 1
        # The article is still owed: the feed is read in full and the article tried again.
        server.route("/a/1", page(STORY))
        assert run_cycle(small_coder, store, opts).articles == 1
        assert server.statuses("/f.xml") == [200, 200]
        assert run_cycle(small_coder, store, opts).articles == 0
        assert server.statuses("/f.xml") == [200, 200, 304]
