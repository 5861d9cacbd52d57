"""The response cache: GET answers kept until the next write, with ETags; whole-store
summaries refreshed at most every few seconds while writes keep coming."""

from __future__ import annotations

import time
from pathlib import Path

from api_support import TOKEN, ApiClient, DocumentCount, summary_hub

from dyadwatch.api._cache import ResponseCache, _Entry
from dyadwatch.api._hub import stale_until
from dyadwatch.coder.engine import Coder
from dyadwatch.web import create_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUERY = "/events?dyad=PAK,AFG&limit=5"


def test_api_cache_answers_a_repeated_read_from_the_cache(client: ApiClient) -> None:
    first = client.get(QUERY)
    second = client.get(QUERY)
    assert first.status_code == second.status_code == 200
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    assert second.headers["content-type"] == "application/json"
    # The security headers are added outside the cache: hits carry them too.
    assert second.headers["x-frame-options"] == "DENY"


def test_api_cache_answers_304_to_a_matching_etag(client: ApiClient) -> None:
    etag = client.get(QUERY).headers["etag"]
    again = client.get(QUERY, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get(QUERY, headers={"If-None-Match": '"0-0000000000000000"'})
    assert other.status_code == 200 and other.content


def test_api_cache_forgets_every_answer_at_a_write(client: ApiClient) -> None:
    before = client.get(QUERY)
    document = {"text": "Pakistan attacked Afghanistan.", "date": "2021-05-01"}
    assert client.post("/documents", json=document, headers=AUTH).status_code == 200
    after = client.get(QUERY)
    assert after.headers["x-cache"] == "miss"
    assert after.json()["total"] == before.json()["total"] + 1
    assert after.headers["etag"] != before.headers["etag"]
    # An ETag of before the write no longer matches.
    fresh = client.get(QUERY, headers={"If-None-Match": before.headers["etag"]})
    assert fresh.status_code == 200 and fresh.headers["x-cache"] == "hit"


def test_api_cache_keeps_no_error_answers(client: ApiClient) -> None:
    for _ in range(2):
        missing = client.get("/events/no-such-event")
        assert missing.status_code == 404 and "x-cache" not in missing.headers


def test_api_cache_is_off_at_zero_bytes(store_path: Path, small_coder: Coder) -> None:
    app = create_app(store_path, coder_factory=lambda: small_coder, response_cache_bytes=0)
    try:
        served = ApiClient(app)
        answers = [served.get(QUERY) for _ in range(2)]
        assert all(a.status_code == 200 and "x-cache" not in a.headers for a in answers)
    finally:
        app.state.hub.close()


def _entry(generation: int, body: bytes, expires: float = float("inf")) -> _Entry:
    return _Entry(generation, expires, 200, (), body, b'"e"')


def test_api_cache_frees_every_entry_at_a_new_generation() -> None:
    cache = ResponseCache(max_bytes=10_000)
    cache.put(b"a", _entry(0, b"x" * 100))
    cache.put(b"b", _entry(0, b"x" * 100))
    assert cache.get(b"c", 1) is None
    assert (cache.stats().entries, cache.stats().bytes) == (0, 0)


def test_api_cache_drops_the_least_recently_used_past_its_bytes() -> None:
    cache = ResponseCache(max_bytes=800)
    for key in (b"a", b"b", b"c", b"d"):
        cache.put(key, _entry(0, b"x" * 100))
    assert cache.get(b"a", 0) is not None  # a is now the most recently used
    for key in (b"e", b"f", b"g", b"h", b"i"):
        cache.put(key, _entry(0, b"x" * 100))
    assert cache.get(b"a", 0) is not None and cache.get(b"b", 0) is None
    assert cache.stats().bytes <= 800 and cache.stats().entries == 8
    cache.put(b"big", _entry(0, b"x" * 200))  # over 1/8 of the cache: not kept
    assert cache.get(b"big", 0) is None


def test_api_cache_entries_end_at_a_new_generation_or_their_expiry() -> None:
    cache = ResponseCache(max_bytes=10_000)
    cache.put(b"k", _entry(3, b"body"))
    assert cache.get(b"k", 4) is None and cache.get(b"k", 3) is None  # dropped at 4
    cache.put(b"k", _entry(3, b"body", expires=time.monotonic() - 1))
    assert cache.get(b"k", 3) is None
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.hit_rate) == (0, 3, 0.0)


def test_api_cache_summaries_lag_writes_by_at_most_their_max_age(
    store_path: Path, small_coder: Coder
) -> None:
    hub = summary_hub(store_path, small_coder, max_age=0.5)
    count = DocumentCount()
    try:
        first = hub.summary("documents", count)
        with hub.writing():
            pass
        marks: list[float] = []
        token = stale_until.set(marks)
        try:
            # Within the max age the last value is served, noted as stale until then.
            assert hub.summary("documents", count) == first and count.calls == 1
            assert len(marks) == 1 and marks[0] > time.monotonic()
        finally:
            stale_until.reset(token)
        time.sleep(0.6)
        assert hub.summary("documents", count) == first and count.calls == 2
        # Current again: served without a mark.
        marks.clear()
        token = stale_until.set(marks)
        try:
            hub.summary("documents", count)
        finally:
            stale_until.reset(token)
        assert marks == [] and count.calls == 2
    finally:
        hub.close()
