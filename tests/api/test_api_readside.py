"""The read side (store/_readside.py) answers byte for byte what the live path
answers, after every kind of write, and is repaired after a crash between the
DuckDB commit and its own write."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from api_support import IMPORTED, TOKEN, ApiClient

from dyadwatch.api._queries import (
    MentionQuery,
    document_with_mentions,
    explained_event,
    mention_page,
    readside_request,
)
from dyadwatch.api._render import ApiRenderer, json_body, live_page_json
from dyadwatch.api.models import DocumentOut, EventDetail
from dyadwatch.coder.engine import Coder
from dyadwatch.model import (
    Actor,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
    PloverCode,
)  # fmt: skip
from dyadwatch.store import Store, StoredEvent
from dyadwatch.store._readside import readside_path
from dyadwatch.workflows import ingest_items

QUERIES = (
    MentionQuery(limit=3),
    MentionQuery(limit=3, order="asc"),
    MentionQuery(dyad=("IND", "PAK"), limit=2),
    MentionQuery(dyad=("PAK", "IND"), since=dt.date(2019, 2, 27), until=dt.date(2019, 3, 31)),
    MentionQuery(dyad=("PAK", "IND"), root="19", limit=1),
    MentionQuery(root="04", limit=50, offset=1),
    MentionQuery(dyad=("USA", "PAK"), limit=50),
    MentionQuery(limit=2, offset=3, order="asc"),
    MentionQuery(limit=0),
)


def _pages(store: Store, query: MentionQuery) -> list[tuple[bytes, bytes]]:
    """(read side, live) bodies of ``query`` and of the pages its cursors lead to."""
    from dyadwatch.api._queries import decode_cursor, page_json

    found = []
    while True:
        request = readside_request(query)
        assert request is not None
        read = store.readside_page(request)
        assert read is not None, "the read side should answer"
        side, live = page_json(read, query), live_page_json(store, query)
        found.append((side, live))
        cursor = mention_page(store, query).next
        if cursor is None or len(found) > 20:
            return found
        query = MentionQuery(
            dyad=query.dyad, since=query.since, until=query.until, root=query.root,
            limit=query.limit, order=query.order, after=decode_cursor(cursor, query.order),
        )  # fmt: skip


def assert_same_as_live(store: Store) -> None:
    """Every event, every document and the pages of ``QUERIES``: the read side's bytes
    are the live path's."""
    side = store.readside
    assert side is not None, "the read side should be current"
    ids = [str(row[0]) for row in store.select("SELECT id FROM events ORDER BY id")]
    assert ids
    for event_id in ids:
        event, mentions = explained_event(store, event_id)
        assert side.event(event_id) == json_body(
            EventDetail, {"event": event, "mentions": mentions}
        ), event_id
    assert side.event("dyadwatch:no-such-event") is None
    docs = [str(row[0]) for row in store.select("SELECT id FROM documents ORDER BY id")]
    for doc_id in docs:
        assert side.document(doc_id) == json_body(
            DocumentOut, document_with_mentions(store, doc_id)
        )
    assert side.counts()["documents"] == len(docs)
    for query in QUERIES:
        for read, live in _pages(store, query):
            assert read == live, query


def _report(text: str, url: str) -> tuple[Document, list[Event]]:
    day = dt.date(2021, 8, 15)
    doc = Document.from_text(text, date=day, url=url)
    event = Event(
        id=f"{doc.id}-0", doc_id=doc.id, sentence_index=0, sentence=text,
        source=Actor("gunmen", "NGAREB", "NGA", "REB"),
        target=Actor("villagers", "NGACVL", "NGA", "CVL"), cameo="181", goldstein=-9.0,
        quad=4, plover=PloverCode("ABDUCT"), evidence=Evidence((0, 3), (0, 3)),
        modality=Modality(), date=day, date_precision="day",
        location=Location("Kaduna", "NGA", "KD", 10.5, 7.4, "city", None),
    )  # fmt: skip
    return doc, [event]


@pytest.fixture
def prepared(store_path: Path) -> Store:
    store = Store.open(store_path)
    assert store.prepare_readside(ApiRenderer()) == "all"
    return store


def test_api_readside_matches_the_live_path_when_built(prepared: Store) -> None:
    with prepared as store:
        assert_same_as_live(store)
        assert readside_path(store.path).exists()


def test_api_readside_follows_document_ingests(prepared: Store, small_coder: Coder) -> None:
    texts = ("India attacked Pakistan again.", "Pakistan attacked India near the border.")
    docs = [
        Document.from_text(text, date=dt.date(2019, 2, 26), url=f"https://other.example/{i}")
        for i, text in enumerate(texts)
    ]
    with prepared as store:
        report = ingest_items(small_coder, store, docs)
        assert report.ok and report.events >= 1
        assert store.readside is not None  # brought forward by the ingest itself
        assert_same_as_live(store)


def test_api_readside_imports_relinks_unmerges_and_deletes_rebuild(
    prepared: Store, small_coder: Coder
) -> None:
    more = StoredEvent(
        id="gdelt2:778", provenance="gdelt2", date=dt.date(2019, 3, 2), source=IMPORTED.source,
        target=IMPORTED.target, cameo="190", goldstein=-10.0, quad=4, external_id="778",
    )  # fmt: skip
    with prepared as store:
        # Two reports of one happening: the second joins the first's event.
        store.add_documents([_report("One.", "https://a.example/1")])
        store.add_documents([_report("Two.", "https://b.example/2")])
        assert store.readside is not None
        assert_same_as_live(store)
        writes: list[Callable[[], object]] = [
            lambda: store.add_stored_events([more]),
            lambda: store.relink(),
            lambda: store.execute([("DELETE FROM events WHERE id = ?", ["gdelt2:778"])]),
        ]
        merged = store.select(
            "SELECT event_id FROM event_links GROUP BY event_id HAVING count(*) > 1 LIMIT 1"
        )
        assert merged, "the two reports should make one event"
        members = store.merged_into(str(merged[0][0]))
        split = [str(members[-1]["mention_id"])]
        writes.append(lambda: store.unmerge(str(merged[0][0]), split))
        for write in writes:
            write()
            assert store.readside is None, "behind after a write it does not follow"
            assert store.prepare_readside(ApiRenderer()) == "all"
            assert_same_as_live(store)


def test_api_readside_repairs_an_ingest_cut_off_before_it(
    store_path: Path, small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path) as store:
        store.prepare_readside(ApiRenderer())
        # The process dies after the DuckDB commit, before the read side is written.
        monkeypatch.setattr(Store, "_forward_readside", lambda self, doc_ids: None)
        doc = Document.from_text("China threatened India.", date=dt.date(2019, 5, 1))
        assert ingest_items(small_coder, store, [doc]).ok
        assert store.readside is None
        monkeypatch.undo()
    with Store.open(store_path) as store:
        assert store.prepare_readside(ApiRenderer()) == "docs"
        assert_same_as_live(store)
        assert store.readside is not None and store.readside.document(doc.id) is not None


def test_api_readside_of_another_store_is_rebuilt(tmp_path: Path, store_path: Path) -> None:
    with Store.open(store_path) as store:
        store.prepare_readside(ApiRenderer())
    other = tmp_path / "other.duckdb"
    with Store.open(other) as store:
        store.add_stored_events([IMPORTED])
    readside_path(str(other)).write_bytes(readside_path(str(store_path)).read_bytes())
    with Store.open(other) as store:
        assert store.prepare_readside(ApiRenderer()) == "all"
        assert_same_as_live(store)


def test_api_readside_read_only_store_uses_a_current_one_only(store_path: Path) -> None:
    with Store.open(store_path, read_only=True) as store:
        assert store.prepare_readside(ApiRenderer()) == "stale"  # none yet: DuckDB answers
        assert store.readside is None
    with Store.open(store_path) as store:
        store.prepare_readside(ApiRenderer())
    with Store.open(store_path, read_only=True) as store:
        assert store.prepare_readside(ApiRenderer()) == "none"
        assert_same_as_live(store)
        side = store.readside
        assert side is not None
    # The read-only store attached it, so closing that store closes it.
    with pytest.raises(sqlite3.ProgrammingError):
        side.page(readside_request(MentionQuery(limit=1)))  # type: ignore[arg-type]


def test_api_readside_serves_the_routes_and_keeps_their_errors(client: ApiClient) -> None:
    hub = client.app.state.hub
    assert hub.readside == "all" and hub.readers.readside is not None
    page = client.get("/events?dyad=PAK,IND&limit=1")
    assert page.status_code == 200 and page.json()["next"]
    follow = client.get(f"/events?dyad=PAK,IND&limit=1&after={page.json()['next']}")
    assert follow.status_code == 200 and follow.json()["events"] != page.json()["events"]
    wrong_order = client.get(f"/events?dyad=PAK,IND&order=asc&after={page.json()['next']}")
    assert wrong_order.status_code == 422 and wrong_order.json()["error"]["code"] == "DW605"
    damaged = client.get("/events?after=bm90LWEtY3Vyc29y")
    assert damaged.status_code == 422 and damaged.json()["error"]["code"] == "DW605"
    assert client.get("/events?root=21").json()["error"]["code"] == "DW303"
    unknown = client.get("/events/dyadwatch:no-such-event")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "DW604"
    assert client.get("/documents/no-such-document").json()["error"]["code"] == "DW604"
    assert client.get("/events/bad id!").status_code == 422
    imported = client.get(f"/events/{IMPORTED.id}")
    assert imported.status_code == 200 and imported.json()["event"]["id"] == IMPORTED.id


def test_api_readside_follows_posted_documents(client: ApiClient) -> None:
    posted = client.post(
        "/documents",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"text": "India attacked Pakistan at dawn.", "date": "2019-02-26"},
    )
    assert posted.status_code == 200, posted.text
    readers = client.app.state.hub.readers
    assert readers.readside is not None
    assert_same_as_live(readers)


def test_api_readside_error_records_keep_it_current(prepared: Store) -> None:
    from dyadwatch.errors import ErrorRecord

    with prepared as store:
        store.add_error(ErrorRecord("DW101", "a damaged line", "feed.jsonl", 3, None))
        assert store.readside is not None  # the errors table is nothing it holds
        assert_same_as_live(store)


def test_api_readside_large_store_is_not_rebuilt_by_a_server_start(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dyadwatch.api import _render

    with Store.open(store_path) as store:
        store.prepare_readside(ApiRenderer())
        store.add_stored_events([IMPORTED])  # already stored, but a write: behind
        monkeypatch.setattr(_render, "READSIDE_BUILD_MAX", 0)
        assert _render.prepare_readside(store) == "stale"
        assert store.readside is None
        monkeypatch.undo()
        assert _render.prepare_readside(store) == "all"
        assert_same_as_live(store)


def test_api_readside_unwritable_side_file_leaves_duckdb_answering(store_path: Path) -> None:
    side = readside_path(str(store_path))
    side.mkdir()  # a folder where the file should be: SQLite cannot open it
    with Store.open(store_path) as store:
        assert store.prepare_readside(ApiRenderer()) == "unavailable"
        assert store.readside is None
        event, _ = explained_event(store, IMPORTED.id)
        assert event is not None and event["id"] == IMPORTED.id


def test_api_readside_ingest_leaves_the_connection_free_for_a_bulk_import(
    prepared: Store,
) -> None:
    with prepared as store:
        store.add_documents([_report("Three.", "https://c.example/3")])
        assert store.readside is not None
        # A relation made right after: no result of the read side's reads left open.
        assert store.add_stored_table(store.relation("SELECT * FROM events LIMIT 0")) == 0


def test_api_readside_follows_ingests_that_join_stored_events(prepared: Store) -> None:
    with prepared as store:
        store.add_documents([_report("Four.", "https://d.example/4")])
        store.add_documents([_report("Five.", "https://e.example/5")])  # joins its event
        assert store.readside is not None
        assert_same_as_live(store)
