"""Keyset paging of ``GET /events``: ``after=<next>`` walks the same mentions as
offsets do, in both orders and across undated mentions; bad cursors are DW605."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator

import pytest
from api_support import ApiClient

import dyadwatch
from dyadwatch.api._queries import decode_cursor, encode_cursor
from dyadwatch.errors import ApiError
from dyadwatch.model import Actor, Document, Event, Evidence, PloverCode
from dyadwatch.store import MentionFilter, MentionKey, Store


def _mention(doc: Document, i: int, day: dt.date | None) -> Event:
    return Event(
        id=f"{doc.id}-{i}", doc_id=doc.id, sentence_index=i, sentence=doc.text,
        source=Actor("Pakistan", "PAK", "PAK"), target=Actor("India", "IND", "IND"),
        cameo="111", goldstein=-2.0, quad=3, plover=PloverCode("ACCUSE"), evidence=Evidence((0, 4)),
        date=day,
    )  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Eleven documents of three mentions: every fourth undated, several on one day."""
    opened = Store.open(tmp_path_factory.mktemp("keyset") / "keyset.duckdb")
    items = []
    for n in range(11):
        doc = Document.from_text(f"Keyset report {n}.", date=dt.date(2021, 5, 1))
        day = None if n % 4 == 3 else dt.date(2021, 5, 1 + n % 3)
        items.append((doc, [_mention(doc, i, day) for i in range(3)]))
    opened.add_documents(items)
    yield opened
    opened.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("limit", [1, 4, 7])
def test_api_keyset_walks_what_offsets_walk(store: Store, descending: bool, limit: int) -> None:
    match = MentionFilter()
    everything = [e.id for e, _ in store.mention_page(match, descending=descending, limit=99)]
    assert len(everything) == 33 and any(e.date is None for e, _ in store.mention_page(match))
    walked: list[str] = []
    after = None
    while True:
        page = store.mention_page(match, descending=descending, limit=limit, after=after)
        walked += [event.id for event, _ in page]
        if len(page) < limit:
            break
        last = page[-1][0]
        after = MentionKey(last.date, last.doc_id, last.sentence_index, last.id)
    assert walked == everything


def test_api_keyset_cursor_round_trip_and_refusals() -> None:
    key = MentionKey(dt.date(2021, 5, 2), "doc", 3, "doc-3")
    assert decode_cursor(encode_cursor(key, "desc"), "desc") == key
    undated = MentionKey(None, "doc", 0, "doc-0")
    assert decode_cursor(encode_cursor(undated, "asc"), "asc") == undated
    forged = base64.urlsafe_b64encode(b'["desc","2021-13-01","d",1,"i"]').decode().rstrip("=")
    for cursor, order in (
        (encode_cursor(key, "desc"), "asc"),  # a cursor of the other order
        ("bm90IGpzb24", "desc"),  # base64 of text that is not JSON
        ("!!", "desc"),
        (forged, "desc"),  # a month 13
        (base64.urlsafe_b64encode(b'["desc",null,"d",-1,"i"]').decode(), "desc"),
        (base64.urlsafe_b64encode(b'["desc",null,"d",1]').decode(), "desc"),
    ):
        with pytest.raises(ApiError) as caught:
            decode_cursor(cursor, order)  # type: ignore[arg-type]
        assert caught.value.code == "DW605"


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_api_keyset_next_pages_like_offsets(client: ApiClient, order: str) -> None:
    everything = client.get(f"/events?order={order}").json()
    ids = [e["id"] for e in everything["events"]]
    assert everything["next"] is None and len(ids) >= 6  # a page that is not full ends
    walked: list[str] = []
    url = f"/events?order={order}&limit=2"
    while True:
        page = client.get(url).json()
        assert page["total"] == len(ids)
        walked += [e["id"] for e in page["events"]]
        if page["next"] is None:
            break
        url = f"/events?order={order}&limit=2&after={page['next']}"
    assert walked == ids


def test_api_keyset_bad_cursor_is_dw605(client: ApiClient) -> None:
    cursor = client.get("/events?limit=1").json()["next"]
    for query in (f"order=asc&after={cursor}", "after=bm90IGpzb24", "after=a%20b", "after="):
        answer = client.get(f"/events?{query}")
        assert answer.status_code == 422, query
        assert answer.json()["error"]["code"] == "DW605", query


def test_api_keyset_is_in_the_schema(client: ApiClient) -> None:
    schema = client.get("/openapi.json").json()
    names = [p["name"] for p in schema["paths"]["/events"]["get"]["parameters"]]
    assert "after" in names
    assert "next" in schema["components"]["schemas"]["MentionPage"]["properties"]


def test_api_health_answers_without_the_store(client: ApiClient) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "version": dyadwatch.__version__}
