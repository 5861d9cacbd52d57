"""The hot reads (api/_hot.py) answer what the declared routes answer, byte for byte,
status and headers included, and hand every request they are not sure of to the routes:
bad parameters still get the routes' numbered errors, and the time limit still holds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import IMPORTED, TOKEN, ApiClient, CountingApp, hot_layer

from dyadwatch.api import _hot
from dyadwatch.api._queries import MentionQuery
from dyadwatch.coder.engine import Coder
from dyadwatch.store import Store
from dyadwatch.web import create_app

PAGES = (
    "/events",
    "/events?limit=3",
    "/events?limit=3&order=asc",
    "/events?dyad=IND,PAK&limit=2",
    "/events?dyad=PAK%2CIND&limit=2",
    "/events?dyad=PAK,IND&since=2019-02-27&until=2019-03-31",
    "/events?dyad=PAK,IND&root=19&limit=1",
    "/events?root=04&limit=50&offset=1",
    "/events?limit=2&offset=3&order=asc",
    "/events?limit=0",
    "/events?dyad=USA,PAK&limit=50&offset=0",
    "/events?limit=%31",
)
"""Pages the read side answers: the hot layer must answer them itself."""
REFUSED = (
    "/events?limit=1001",
    "/events?limit=-1",
    "/events?limit=07",
    "/events?offset=10000001",
    "/events?order=up",
    "/events?root=21",
    "/events?root=1",
    "/events?dyad=PAK",
    "/events?since=2019-02-30",
    "/events?since=20190227",
    "/events?limit=5&limit=6",
    "/events?after=bm90LWEtY3Vyc29y",
    "/events?after=",
    "/events?actor=PAK&limit=2",
    "/events?dyad=PAK,IND&min_confidence=0.5",
    "/events?date_basis=nonsense",
    "/events?limit=1&colour=blue",
    "/events/dyadwatch:no-such-event",
    "/events/bad,id!",
    "/events/",
    "/documents/no-such-document",
    "/documents/" + "x" * 201,
    "/health?verbose=1",
)
"""Requests the hot layer leaves to the routes (errors, live reads, unknown ids)."""


@pytest.fixture
def app_client(store_path: Path, small_coder: Coder) -> Iterator[ApiClient]:
    """The API with writes enabled and the response cache off (each answer computed)."""
    app = create_app(store_path, token=TOKEN, coder_factory=lambda: small_coder,
                     response_cache_bytes=0)  # fmt: skip
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


def _answer(client: ApiClient, path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    found = client.get(path)
    return found.status_code, list(found.headers.raw), found.content


def _paths(client: ApiClient) -> list[str]:
    readers = client.app.state.hub.readers
    events = [str(row[0]) for row in readers.select("SELECT id FROM events ORDER BY id")]
    documents = [str(row[0]) for row in readers.select("SELECT id FROM documents ORDER BY id")]
    follow = client.get("/events?dyad=PAK,IND&limit=1").json()["next"]
    backward = client.get("/events?limit=2&order=asc").json()["next"]
    assert follow and backward and IMPORTED.id in events and documents
    cursors = [
        f"/events?dyad=PAK,IND&limit=1&after={follow}",
        f"/events?limit=2&order=asc&after={backward}",
        f"/events?dyad=PAK,IND&order=asc&after={follow}",  # a cursor of the other order
    ]
    return [
        "/health", *PAGES, *cursors,
        *(f"/events/{event_id}" for event_id in events),
        *(f"/documents/{doc_id}" for doc_id in documents),
    ]  # fmt: skip


def test_api_hot_answers_are_the_routes_byte_for_byte(
    app_client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hot = hot_layer(app_client)
    assert app_client.app.state.hub.readers.readside is not None, "a small store gets one"
    paths = _paths(app_client)
    counting = CountingApp(hot.app)
    monkeypatch.setattr(hot, "app", counting)
    fast = {path: _answer(app_client, path) for path in [*paths, *REFUSED]}
    answered_by_routes = list(counting.paths)

    async def never(path: str, query: bytes) -> None:
        return None

    monkeypatch.setattr(hot, "_answer", never)
    for path, answer in fast.items():
        assert answer == _answer(app_client, path), path
    # The good requests never reached the routes; every refused one did.
    wrong_order = paths[len(PAGES) + 3]
    assert wrong_order in answered_by_routes  # DW605 comes from the route
    assert fast[wrong_order][0] == 422
    assert not [p for p in paths if p in answered_by_routes and p != wrong_order]
    assert sorted(answered_by_routes) == sorted([*REFUSED, wrong_order])
    statuses = {path: fast[path][0] for path in REFUSED}
    assert statuses["/events?limit=1001"] == 422 and statuses["/events?root=21"] == 422
    assert statuses["/events/dyadwatch:no-such-event"] == 404
    assert statuses["/events?actor=PAK&limit=2"] == 200  # answered live, by the route
    codes = {path: body for path, (status, _, body) in fast.items() if status >= 400}
    assert b'"DW605"' in codes["/events?since=2019-02-30"]
    assert b'"DW303"' in codes["/events?root=21"]


def test_api_hot_answers_carry_the_security_headers_and_go_through_the_cache(
    client: ApiClient,
) -> None:
    first = client.get("/events?limit=3")
    again = client.get("/events?limit=3")
    assert first.status_code == again.status_code == 200
    assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit"
    assert first.headers["etag"] == again.headers["etag"] and first.content == again.content
    for answer in (first, again, client.get(f"/events/{IMPORTED.id}"), client.get("/health")):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-type"] == "application/json"
    cached = client.get("/events?limit=3", headers={"If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304


def test_api_hot_read_past_the_time_limit_is_dw610(
    store_path: Path, small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(store: Store, query: MentionQuery) -> bytes:
        time.sleep(1.0)
        return b"{}"

    monkeypatch.setattr(_hot, "readside_page_json", slow)
    app = create_app(store_path, token=TOKEN, coder_factory=lambda: small_coder,
                     request_timeout=0.2, response_cache_bytes=0)  # fmt: skip
    try:
        started = time.monotonic()
        answer = ApiClient(app).get("/events?limit=1")
        assert time.monotonic() - started < 0.9
        assert answer.status_code == 503 and answer.json()["error"]["code"] == "DW610"
        assert answer.headers["x-frame-options"] == "DENY"
    finally:
        app.state.hub.close()


def test_api_hot_leaves_other_methods_to_the_routes(app_client: ApiClient) -> None:
    for method in ("POST", "HEAD", "DELETE"):
        answer = app_client.request(method, "/events/" + IMPORTED.id)
        assert answer.status_code == 405, method
        if method != "HEAD":
            assert answer.json()["error"]["code"] == "DW606"
