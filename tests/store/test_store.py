"""Behaviour of the DuckDB store: idempotent, transactional, safely filtered."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

import duckdb
import pytest

from dyadwatch.errors import ErrorRecord, StoreError
from dyadwatch.model import (
    Actor,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
    PloverCode,
    Range,
    Size,
)
from dyadwatch.store import SCHEMA_VERSION, Store, StoredEvent
from dyadwatch.store.schema import MIGRATIONS

HOSTILE = "'; DROP TABLE events; --"


def make_doc(
    text: str = "US officials met Pakistani generals.",
    *,
    date: dt.date | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Document:
    return Document.from_text(text, date=date, url=url, title=title)


NOT_STORED = ("rule", "next_type", "next_type_probability")
"""The scorer's explanation fields (issue 18): the store keeps them once its schema does."""


def as_stored(event: Event) -> dict[str, object]:
    """What the store gives back of an event's output contract."""
    return {k: v for k, v in event.to_dict().items() if k not in NOT_STORED}


def make_event(
    doc: Document,
    index: int = 0,
    *,
    source: Actor | None = None,
    target: Actor | None = None,
    cameo: str = "040",
    date: dt.date | None = dt.date(2021, 8, 15),
    event_id: str | None = None,
) -> Event:
    return Event(
        id=event_id or f"{doc.id}-{index}",
        doc_id=doc.id,
        sentence_index=index,
        sentence=doc.text,
        source=source or Actor("US officials", "USAGOV", "USA", "GOV"),
        target=target,
        cameo=cameo,
        goldstein=1.0,
        quad=1,
        plover=PloverCode("CONSULT", "visit", ("diplomacy",)),
        evidence=Evidence((13, 16), (0, 12), (17, 36)),
        date=date,
        date_precision="day" if date else None,
    )


PAKMIL = Actor("Pakistani generals", "PAKMIL", "PAK", "MIL", None)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as opened:
        yield opened


def test_store_round_trips_the_output_contract(store: Store) -> None:
    doc = make_doc(date=dt.date(2021, 8, 15), url="https://example.org/a")
    rich = dataclasses.replace(
        make_event(doc, target=PAKMIL),
        modality=Modality(negated=True, reported=True),
        location=Location("Doha", "QAT", None, 25.29, 51.53, "city", 290030),
        size=Size(killed=Range(3, 5), civilians=Range(1, 1)),
        confidence=0.75,
    )
    plain = make_event(doc, 1)
    assert store.add_document(doc, [rich, plain])
    assert store.events() == [as_stored(rich), as_stored(plain)]


def test_store_add_document_is_idempotent(store: Store) -> None:
    doc = make_doc()
    assert store.add_document(doc, [make_event(doc)]) is True
    assert store.add_document(doc, [make_event(doc)]) is False
    assert store.counts() == {"documents": 1, "events": 1, "errors": 0}


def test_store_same_text_and_url_under_another_id_is_not_added(store: Store) -> None:
    doc = make_doc(url="https://example.org/a")
    assert store.add_document(doc, [])
    assert store.add_document(dataclasses.replace(doc, id="other-id"), []) is False
    # Same text at another URL is another document.
    assert store.add_document(make_doc(url="https://example.org/b"), [])
    assert store.counts()["documents"] == 2


def test_store_failed_insert_leaves_nothing(store: Store) -> None:
    doc = make_doc()
    duplicate = [make_event(doc, 0, event_id="e1"), make_event(doc, 1, event_id="e1")]
    with pytest.raises(StoreError) as info:
        store.add_document(doc, duplicate)
    assert info.value.code == "DW301"
    assert isinstance(info.value.__cause__, duckdb.Error)
    assert not store.has_document(doc.id)
    assert store.counts() == {"documents": 0, "events": 0, "errors": 0}
    # The store stays usable after the rollback.
    assert store.add_document(doc, [make_event(doc)])


def batch_of(count: int) -> list[tuple[Document, list[Event]]]:
    docs = [make_doc(f"Story {i}: US officials met Pakistani generals.") for i in range(count)]
    return [(doc, [make_event(doc, 0, target=PAKMIL), make_event(doc, 1)]) for doc in docs]


def test_store_add_documents_round_trips_a_large_batch(store: Store) -> None:
    # 30 documents x 2 events is past the parameter limit: the Arrow path.
    batch = batch_of(30)
    assert store.add_documents(batch) == [True] * 30
    expected = [as_stored(event) for _, events in batch for event in events]
    assert sorted(store.events(), key=lambda row: str(row["id"])) == sorted(
        expected, key=lambda row: str(row["id"])
    )


def test_store_add_documents_reports_each_document(store: Store) -> None:
    batch = batch_of(3)
    store.add_document(*batch[1])
    again = [batch[0], batch[1], batch[0], batch[2]]
    assert store.add_documents(again) == [True, False, False, True]
    assert store.add_documents([]) == []
    assert store.counts() == {"documents": 3, "events": 6, "errors": 0}


def test_store_failed_batch_leaves_nothing(store: Store) -> None:
    batch = batch_of(30)
    clash = batch[0][1][0].id
    last_doc = batch[-1][0]
    batch[-1] = (last_doc, [make_event(last_doc, event_id=clash)])
    with pytest.raises(StoreError) as info:
        store.add_documents(batch)
    assert info.value.code == "DW301"
    assert store.counts() == {"documents": 0, "events": 0, "errors": 0}


def test_store_event_of_another_document_is_dw304(store: Store) -> None:
    doc, other = make_doc(), make_doc("Another text.")
    with pytest.raises(StoreError) as info:
        store.add_document(doc, [make_event(other)])
    assert info.value.code == "DW304"
    assert store.counts()["documents"] == 0


def test_store_keeps_error_records(store: Store) -> None:
    record = ErrorRecord("DW105", "[DW105] Malformed JSON: x", "in.jsonl", 3)
    store.add_error(record)
    store.add_error(ErrorRecord("DW101", "[DW101] Empty document"))
    assert store.errors() == [record, ErrorRecord("DW101", "[DW101] Empty document")]
    assert store.errors(limit=1) == [record]
    assert store.counts()["errors"] == 2


@pytest.fixture
def filled(store: Store) -> Store:
    usa_pak = make_doc("US officials met Pakistani generals.")
    pak_usa = make_doc("Pakistan criticised the United States.")
    afg_ref = make_doc("Afghan refugees crossed into Iran.")
    store.add_document(usa_pak, [make_event(usa_pak, target=PAKMIL, date=dt.date(2021, 8, 1))])
    store.add_document(
        pak_usa,
        [
            make_event(
                pak_usa,
                source=Actor("Pakistan", "PAK", "PAK"),
                target=Actor("the United States", "USA", "USA"),
                cameo="111",
                date=dt.date(2021, 8, 20),
            )
        ],
    )
    store.add_document(
        afg_ref,
        [
            make_event(
                afg_ref,
                source=Actor("Afghan refugees", "AFGREF", "AFG", "REF"),
                target=Actor("Iran", "IRN", "IRN"),
                cameo="1823",
                date=None,
            )
        ],
    )
    return store


def sources(rows: list[dict[str, object]]) -> list[object]:
    return [row["source"]["code"] for row in rows]  # type: ignore[index]


def test_store_dyad_filter_matches_both_directions(filled: Store) -> None:
    assert sources(filled.events(dyad=("USA", "PAK"))) == ["USAGOV", "PAK"]
    assert sources(filled.events(dyad=("pak", "usa"))) == ["USAGOV", "PAK"]
    assert sources(filled.events(dyad=("USAGOV", "PAKMIL"))) == ["USAGOV"]
    assert filled.events(dyad=("USA", "IRN")) == []


def test_store_date_root_and_limit_filters(filled: Store) -> None:
    assert sources(filled.events(since=dt.date(2021, 8, 10))) == ["PAK"]
    assert sources(filled.events(until=dt.date(2021, 8, 10))) == ["USAGOV"]
    assert sources(filled.events(root="18")) == ["AFGREF"]
    assert sources(filled.events(root="11", since=dt.date(2021, 9, 1))) == []
    assert sources(filled.events()) == ["USAGOV", "PAK", "AFGREF"]  # undated last
    assert len(filled.events(limit=2)) == 2
    assert filled.events(limit=0) == []


def test_store_events_frame_is_flat(filled: Store) -> None:
    frame = filled.events_frame(dyad=("USA", "PAK"))
    assert list(frame["source_code"]) == ["USAGOV", "PAK"]
    assert list(frame["target_country"]) == ["PAK", "USA"]
    assert set(frame["provenance"]) == {"dyadwatch"}


@pytest.mark.parametrize(
    ("filters", "name"),
    [
        ({"dyad": (HOSTILE, "PAK")}, "dyad"),
        ({"dyad": ("USA",)}, "dyad"),
        ({"dyad": ("USA", 3)}, "dyad"),
        ({"root": HOSTILE}, "root"),
        ({"root": "1"}, "root"),
        ({"root": "21"}, "root"),
        ({"since": HOSTILE}, "since"),
        ({"since": dt.date(2022, 1, 1), "until": dt.date(2021, 1, 1)}, "until"),
        ({"limit": -1}, "limit"),
        ({"limit": "5; DROP TABLE events"}, "limit"),
    ],
)
def test_store_hostile_or_bad_filters_are_dw303(
    filled: Store, filters: dict[str, object], name: str
) -> None:
    with pytest.raises(StoreError) as info:
        filled.events(**filters)  # type: ignore[arg-type]
    assert info.value.code == "DW303"
    assert name in info.value.message
    assert filled.counts()["events"] == 3


def test_store_hostile_text_is_stored_as_data(store: Store) -> None:
    doc = make_doc(HOSTILE, url=HOSTILE, title=HOSTILE)
    assert store.add_document(doc, [make_event(doc, source=Actor(HOSTILE, "USA", "USA"))])
    assert store.has_document(doc.id)
    assert not store.has_document(HOSTILE)
    assert store.events()[0]["sentence"] == HOSTILE
    assert store.counts() == {"documents": 1, "events": 1, "errors": 0}


def test_store_reopened_file_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "dw.duckdb"
    doc = make_doc()
    with Store.open(path) as first:
        first.add_document(doc, [make_event(doc, target=PAKMIL)])
    with Store.open(path) as second:
        assert second.schema_version == SCHEMA_VERSION
        assert second.add_document(doc, []) is False
        assert second.events() == [as_stored(make_event(doc, target=PAKMIL))]
    with Store.open(path, read_only=True) as reader:
        assert reader.counts()["events"] == 1


def test_store_newer_schema_is_dw302(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    Store.open(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW302"
    assert "99" in info.value.message


def test_store_not_a_database_is_dw305(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some text, not a database\n" * 100)
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW305"


def test_store_closed_store_raises_dw301() -> None:
    store = Store.open()
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError) as info:
        store.counts()
    assert info.value.code == "DW301"


def test_store_migrations_are_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert len(MIGRATIONS) == SCHEMA_VERSION


# Deduplicated events: the StoredEvent contract shared with interop.


def stored(n: int, **fields: object) -> StoredEvent:
    values: dict[str, object] = {
        "id": f"gdelt2:{n}", "provenance": "gdelt2", "date": dt.date(2021, 8, 1 + n % 28),
        "source": Actor("US", "USAGOV", "USA", "GOV"), "target": PAKMIL, "cameo": "0431",
        "goldstein": 2.8, "quad": 1, "external_id": str(n),
    }  # fmt: skip
    values.update(fields)
    return StoredEvent(**values)  # type: ignore[arg-type]


def test_store_stored_events_round_trip_every_field(store: Store) -> None:
    rich = stored(
        1,
        target=None,
        location=Location("Kabul", "AFG", "AF13", 34.5, 69.2, "city", 1138958),
        num_mentions=7, num_sources=3, num_articles=5, avg_tone=-3.25,
        source_url="https://example.org/a", killed=Range(2, 4), injured=Range(0, 9),
        extra=MappingProxyType({"Actor1KnownGroupCode": "TAL", "IsRootEvent": "1"}),
    )  # fmt: skip
    plain = stored(2, source=None, goldstein=None, quad=None, provenance="icews")
    assert store.add_stored_events([rich, plain]) == 2
    assert list(store.stored_events()) == [rich, plain]


def test_store_add_stored_events_is_idempotent_by_id(store: Store) -> None:
    events = [stored(n) for n in range(400)]  # past the parameter limit: the Arrow path
    assert store.add_stored_events(events + events[:3]) == 400
    assert store.add_stored_events(events) == 0
    assert store.add_stored_events([stored(0, cameo="190"), stored(400)]) == 1
    assert store.add_stored_events([]) == 0
    assert next(store.stored_events()).cameo == "0431"  # the first write wins
    assert store.table_counts()["events"] == 401


def test_store_stored_events_filters(store: Store) -> None:
    store.add_stored_events(
        [
            stored(1),
            stored(2, provenance="icews", cameo="190"),
            stored(3, source=Actor("Pakistan", "PAK", "PAK"), target=Actor("", "IND", "IND")),
        ]
    )

    def ids(**filters: object) -> list[str]:
        return [e.id for e in store.stored_events(**filters)]  # type: ignore[arg-type]

    assert ids(dyad=("PAK", "USA")) == ["gdelt2:1", "gdelt2:2"]
    assert ids(provenance="icews") == ["gdelt2:2"]
    assert ids(root="19") == ["gdelt2:2"]
    assert ids(since=dt.date(2021, 8, 3)) == ["gdelt2:2", "gdelt2:3"]
    assert ids(until=dt.date(2021, 8, 2)) == ["gdelt2:1"]
    assert ids(limit=1) == ["gdelt2:1"]
    with pytest.raises(StoreError) as info:
        store.stored_events(provenance=HOSTILE)
    assert info.value.code == "DW303" and "provenance" in info.value.message


def test_store_stored_events_stream_past_one_fetch(store: Store) -> None:
    store.add_stored_events(stored(n) for n in range(5000))
    stream = store.stored_events()
    first = next(stream)
    store.add_stored_events([stored(9999)])  # a write while a read streams
    assert len([first, *stream]) == 5000  # the stream reads one snapshot


def test_store_events_frame_keeps_analytics_columns_and_links(store: Store) -> None:
    doc = make_doc(date=dt.date(2021, 8, 15))
    store.add_document(doc, [make_event(doc, target=PAKMIL)])
    frame = store.events_frame()
    for column in ("source_country", "target_country", "goldstein", "date", "negated",
                   "hypothetical", "cameo_root", "provenance", "event_id"):  # fmt: skip
        assert column in frame.columns
    (event,) = store.stored_events()
    assert list(frame["event_id"]) == [event.id] == [f"dyadwatch:{doc.id}-0"]
    assert store.counts() == {"documents": 1, "events": 1, "errors": 0}
    assert store.table_counts() == {
        "documents": 1, "event_mentions": 1, "events": 1, "event_links": 1, "errors": 0,
        "gdelt_mentions": 0,
    }  # fmt: skip
