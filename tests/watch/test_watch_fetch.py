"""The polite fetcher against a local server: faults become DW701/DW702, never hangs."""

from __future__ import annotations

import time

import pytest
from _watch_support import LocalServer

from dyadwatch.errors import WatchError
from dyadwatch.watch import Fetcher, FetchPolicy, Validators

FAST = FetchPolicy(user_agent="dw-test/1", timeout=0.5, retries=1, backoff=0.01, min_interval=0)


def test_fetch_sends_the_configured_user_agent(server: LocalServer) -> None:
    server.route("/a", "hello")
    response = Fetcher(FAST).get(server.url("/a"))
    assert response.body == b"hello" and response.status == 200
    assert all(agent == "dw-test/1" for _, agent in server.requests)


def test_fetch_404_is_dw701_without_retry(server: LocalServer) -> None:
    with pytest.raises(WatchError, match="HTTP 404") as caught:
        Fetcher(FAST).get(server.url("/missing"))
    assert caught.value.code == "DW701"
    assert server.hits("/missing") == 1


def test_fetch_retries_5xx_with_backoff(server: LocalServer) -> None:
    server.route("/flaky", "down", status=503)
    waits: list[float] = []
    with pytest.raises(WatchError, match="HTTP 503"):
        Fetcher(FAST, sleep=waits.append).get(server.url("/flaky"))
    assert server.hits("/flaky") == 2
    assert waits == [0.01]


def test_fetch_slow_host_times_out_within_bound(server: LocalServer) -> None:
    server.route("/slow", "late", delay=1.5)
    started = time.monotonic()
    with pytest.raises(WatchError, match="DW701") as caught:
        Fetcher(FAST).get(server.url("/slow"))
    assert time.monotonic() - started < 1.5 * 2
    assert "timed out" in str(caught.value).lower() or "timeout" in str(caught.value).lower()


def test_fetch_follows_redirects_and_stops_a_loop(server: LocalServer) -> None:
    server.route("/old", "", status=301, headers={"Location": "/new"})
    server.route("/new", "moved")
    assert Fetcher(FAST).get(server.url("/old")).url == server.url("/new")
    server.route("/loop1", "", status=302, headers={"Location": "/loop2"})
    server.route("/loop2", "", status=302, headers={"Location": "/loop1"})
    with pytest.raises(WatchError, match="redirect loop"):
        Fetcher(FAST).get(server.url("/loop1"))
    assert server.hits("/loop1") == 1


def test_fetch_honours_robots_txt(server: LocalServer) -> None:
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    server.route("/private/x", "secret")
    server.route("/public", "ok")
    fetcher = Fetcher(FAST)
    with pytest.raises(WatchError) as caught:
        fetcher.get(server.url("/private/x"))
    assert caught.value.code == "DW702"
    assert server.hits("/private/x") == 0
    assert fetcher.get(server.url("/public")).body == b"ok"
    assert server.hits("/robots.txt") == 1  # read once per host


def test_fetch_paces_requests_to_one_host(server: LocalServer) -> None:
    server.route("/a", "x")
    now = [100.0]
    waits: list[float] = []
    fetcher = Fetcher(FetchPolicy(min_interval=2.0, retries=0), sleep=waits.append,
                      clock=lambda: now[0])  # fmt: skip
    fetcher.get(server.url("/a"))
    fetcher.get(server.url("/a"))
    # robots.txt, then /a, then /a again: each waits its 2 s turn on the frozen clock.
    assert waits == [2.0, 4.0]


def test_fetch_refuses_an_oversized_body(server: LocalServer) -> None:
    server.route("/big", b"x" * 2000)
    policy = FetchPolicy(timeout=0.5, retries=0, min_interval=0, max_bytes=1000)
    with pytest.raises(WatchError, match="over 1000 bytes"):
        Fetcher(policy).get(server.url("/big"))


def test_fetch_conditional_request_gets_an_unchanged_response(server: LocalServer) -> None:
    stamp = "Sun, 03 Mar 2019 10:00:00 GMT"
    server.route("/feed", "v1", etag='"v1"', last_modified=stamp)
    fetcher = Fetcher(FAST)
    first = fetcher.get(server.url("/feed"))
    assert first.validators == Validators('"v1"', stamp) and not first.unchanged
    again = fetcher.get(server.url("/feed"), first.validators)
    assert again.unchanged and again.body == b"" and again.validators == first.validators
    assert server.answers[-1] == ("/feed", 304, {"If-None-Match": '"v1"',
                                                 "If-Modified-Since": stamp})  # fmt: skip
    # A new version: the old ETag no longer matches, the body comes back.
    server.route("/feed", "v2", etag='"v2"')
    changed = fetcher.get(server.url("/feed"), first.validators)
    assert changed.body == b"v2" and changed.validators == Validators('"v2"', None)
    # Only the date known: If-Modified-Since alone decides.
    server.route("/dated", "d", last_modified=stamp)
    assert fetcher.get(server.url("/dated"), Validators(None, stamp)).unchanged
    assert server.statuses("/feed") == [200, 304, 200]


def test_fetch_unasked_304_is_dw701(server: LocalServer) -> None:
    server.route("/odd", "", status=304)
    with pytest.raises(WatchError, match="HTTP 304") as caught:
        Fetcher(FAST).get(server.url("/odd"))
    assert caught.value.code == "DW701"
    assert not Validators() and Validators().headers() == {}
