"""Reads for a server: a page of filtered mentions, one event by id, located events,
and a reader whose threads each get a cursor of their own."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.errors import StoreError
from dyadwatch.model import Actor, Document, Event, Evidence, Location, Modality, PloverCode
from dyadwatch.store import EventFilter, MentionFilter, Store, StoredEvent

_PAIRS = (("USA", "PAK"), ("PAK", "USA"), ("IND", "CHN"), ("PAK", "IND"))
_CODES = ("190", "042", "1823", "111")
_PLACES = (("Peshawar", "PAK"), ("Delhi", "IND"), (None, None), ("North Peshawar", "PAK"))


def _mention(doc: Document, i: int, n: int) -> Event:
    a, b = _PAIRS[(n + i) % len(_PAIRS)]
    code = _CODES[(n * 3 + i) % len(_CODES)]
    name, country = _PLACES[(n + 2 * i) % len(_PLACES)]
    day = None if n % 9 == 8 else dt.date(2020, 1, 1) + dt.timedelta(days=n % 40)
    return Event(
        id=f"{doc.id}-{i}", doc_id=doc.id, sentence_index=i, sentence=doc.text,
        source=Actor(a, a + "GOV", a, "GOV"), target=Actor(b, b + "MIL", b, "MIL"),
        cameo=code, goldstein=-2.0, quad=3, plover=PloverCode("ACCUSE"),
        evidence=Evidence((0, 4)), date=day,
        modality=Modality(negated=(n + i) % 5 == 0),
        location=Location(name, country, None) if name else None,
    )  # fmt: skip


def _documents(count: int) -> list[tuple[Document, list[Event]]]:
    items = []
    for n in range(count):
        doc = Document.from_text(f"Report number {n} of the page tests.", date=dt.date(2020, 1, 1))
        items.append((doc, [_mention(doc, i, n) for i in range(3)]))
    return items


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(tmp_path_factory.mktemp("pages") / "pages.duckdb")
    opened.add_documents(_documents(30))
    opened.add_stored_events(
        StoredEvent(
            f"gdelt2:{n}", "gdelt2", dt.date(2020, 2, 1) + dt.timedelta(days=n),
            Actor("", "USA", "USA"), Actor("", "PAK", "PAK"), "190" if n % 2 else "042", -10.0, 4,
            str(n), location=Location("Town", "PAK", None, 30.0, 70.0) if n % 3 else None,
        )
        for n in range(12)
    )  # fmt: skip
    yield opened
    opened.close()


def _reference(store: Store, match: MentionFilter) -> list[str]:
    """The ids ``match`` selects, filtered in Python over every mention (the old way)."""
    rows = store.events_frame(match.where).to_dict(orient="records")
    keep = []
    for row in rows:
        sides = {row["source_code"], row["source_country"], row["target_code"]}
        sides.add(row["target_country"])
        place = json.loads(row["location"]) if isinstance(row["location"], str) else {}
        checks = (
            match.actor is None or match.actor in sides,
            match.code is None or str(row["cameo"]).startswith(match.code),
            match.negated is None or bool(row["negated"]) == match.negated,
            match.country is None or place.get("country") == match.country,
            match.place is None
            or match.place.casefold() in str(place.get("name") or "").casefold(),
        )
        if all(checks):
            keep.append(str(row["id"]))
    return keep


MATCHES = [
    MentionFilter(),
    MentionFilter(EventFilter(dyad=("usa", "pak"))),
    MentionFilter(actor="ind"),
    MentionFilter(code="18"),
    MentionFilter(negated=True),
    MentionFilter(negated=False, country="PAK"),
    MentionFilter(place="peshawar"),
    MentionFilter(EventFilter(since=dt.date(2020, 1, 10), until=dt.date(2020, 1, 20)), code="19"),
]


@pytest.mark.parametrize("match", MATCHES)
def test_store_pages_filter_as_the_rows_say(store: Store, match: MentionFilter) -> None:
    expected = _reference(store, match)
    assert store.count_mentions(match) == len(expected)
    found = [event.id for event, _ in store.mention_page(match, limit=1000)]
    assert found == expected  # the order of Store.events: date (undated last), doc, sentence
    newest_first = store.mention_page(match, descending=True, limit=1000)
    assert [event.id for event, _ in newest_first] == expected[::-1]


def test_store_pages_slice_like_the_whole_list(store: Store) -> None:
    match = MentionFilter(EventFilter(dyad=("USA", "PAK")))
    everything = [event.id for event, _ in store.mention_page(match, limit=1000)]
    assert len(everything) > 12
    for offset, limit in ((0, 5), (5, 5), (len(everything) - 2, 5), (len(everything) + 3, 5)):
        page = store.mention_page(match, limit=limit, offset=offset)
        assert [event.id for event, _ in page] == everything[offset : offset + limit]


def test_store_pages_carry_the_linked_event(store: Store) -> None:
    page = store.mention_page(MentionFilter(), limit=1000)
    links = dict(store.select("SELECT mention_id, event_id FROM event_links"))
    assert {event.id: event_id for event, event_id in page} == {
        event.id: links.get(event.id) for event, _ in page
    }
    assert any(event_id is None for _, event_id in page)  # negated: linked to nothing
    assert any(event_id is not None for _, event_id in page)


@pytest.mark.parametrize(
    ("field", "value"),
    [("actor", "x'--"), ("code", "1a"), ("plover", "drop table"), ("country", "PAKI"),
     ("place", ""), ("place", "p" * 101)],
)  # fmt: skip
def test_store_pages_refuse_bad_filter_values(field: str, value: str) -> None:
    with pytest.raises(StoreError) as caught:
        MentionFilter(**{field: value})  # type: ignore[arg-type]
    assert caught.value.code == "DW303"


def test_store_pages_refuse_negative_bounds(store: Store) -> None:
    for bounds in ({"limit": -1}, {"offset": -5}):
        with pytest.raises(StoreError) as caught:
            store.mention_page(MentionFilter(), **bounds)
        assert caught.value.code == "DW303"


def test_store_pages_find_one_event_by_id(store: Store) -> None:
    for event in store.stored_events():
        assert store.stored_event(event.id) == event
    assert store.stored_event("gdelt2:nope") is None


def test_store_pages_list_located_events_in_event_order(store: Store) -> None:
    located = [e for e in store.stored_events() if e.location and e.location.lat is not None]
    assert [e.id for e in store.located_events(EventFilter())] == [e.id for e in located]
    assert [e.id for e in store.located_events(EventFilter(), limit=3)] == [
        e.id for e in located[:3]
    ]
    strikes = store.located_events(EventFilter(), cameo=["190"])
    assert strikes and all(e.cameo == "190" for e in strikes)
    assert store.located_events(EventFilter(), cameo=[]) == []
    assert store.cameo_codes() == sorted({e.cameo for e in store.stored_events()})


def test_store_pages_thread_reader_gives_each_thread_its_cursor(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.duckdb") as writer:
        writer.add_documents(_documents(3))
        shared = writer.thread_reader()
        counts: list[int] = []

        def read() -> None:
            for _ in range(5):
                counts.append(shared.count_mentions(MentionFilter()))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert counts == [9] * 20
        cursors = shared._con  # the per-thread cursors behind the reader
        assert cursors.open_cursors == 4  # type: ignore[attr-defined]
        # A write commits while the reader is open; the next read sees it.
        writer.add_documents(_documents(4)[3:])
        assert shared.count_mentions(MentionFilter()) == 12
        shared.close()
        assert cursors.open_cursors == 0  # type: ignore[attr-defined]
        with pytest.raises(StoreError):
            shared.count_mentions(MentionFilter())
        assert writer.count_mentions(MentionFilter()) == 12  # the writer is untouched
