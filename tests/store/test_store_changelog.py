"""The change log (store/_changelog.py): written in each write's own transaction while
a read side file exists, emptied by writes it cannot follow, absent from the
watcher's writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.model import Actor, Document, Event, Evidence, Modality, PloverCode
from dyadwatch.store import Store, StoredEvent, _changelog
from dyadwatch.store._readside import ReadSide, readside_path
from dyadwatch.store.duckdb_store import _target


def _imported(number: int) -> StoredEvent:
    return StoredEvent(
        id=f"gdelt2:{number}", provenance="gdelt2", date=dt.date(2020, 6, 1),
        source=Actor("army", "INDMIL", "IND", "MIL"), target=Actor("army", "CHNMIL", "CHN", "MIL"),
        cameo="190", goldstein=-10.0, quad=4, external_id=str(number),
    )  # fmt: skip


def _report(text: str, url: str) -> tuple[Document, list[Event]]:
    day = dt.date(2020, 6, 15)
    doc = Document.from_text(text, date=day, url=url)
    event = Event(
        id=f"{doc.id}-0", doc_id=doc.id, sentence_index=0, sentence=text,
        source=Actor("soldiers", "INDMIL", "IND", "MIL"),
        target=Actor("soldiers", "CHNMIL", "CHN", "MIL"), cameo="190", goldstein=-10.0,
        quad=4, plover=PloverCode("FIGHT"), evidence=Evidence((0, 3), (0, 3)),
        modality=Modality(), date=day, date_precision="day",
    )  # fmt: skip
    return doc, [event]


def _log(store: Store) -> list[tuple[int, str, str]]:
    rows = store.select("SELECT generation, kind, id FROM readside_log ORDER BY ALL")
    return [(int(g), str(k), str(i)) for g, k, i in rows]


def _state(store: Store) -> _changelog.LogState:
    found = dict(store.select("SELECT key, value FROM meta"))
    return _changelog.LogState(
        int(found.get("events_generation", 0)), int(found["changelog_from"]),
        str(found["store_id"]), "",
    )  # fmt: skip


@pytest.fixture
def served(tmp_path: Path) -> Store:
    """A store whose read side file exists (not attached: a server stopped)."""
    path = tmp_path / "s.duckdb"
    store = Store.open(path)
    ReadSide(readside_path(str(path))).close()
    return store


def test_store_changelog_migration_gives_the_log_and_an_id(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.duckdb") as one, Store.open(tmp_path / "b.duckdb") as two:
        assert one.migration_version("changelog") == 1
        assert _log(one) == []
        first, second = _state(one), _state(two)
        assert first.log_from == first.generation
        assert first.store_id and first.store_id != second.store_id


def test_store_changelog_logs_each_write_under_its_generation(served: Store) -> None:
    with served as store:
        store.add_stored_events([_imported(1)])
        generation = _state(store).generation
        assert _log(store) == [(generation, "event", "gdelt2:1")]
        doc, events = _report("Indian and Chinese soldiers clashed.", "https://a.example/1")
        store.add_documents([(doc, events)])
        event_id = str(store.select("SELECT event_id FROM event_links")[0][0])
        assert _log(store)[1:] == sorted(
            [(generation + 1, "document", doc.id), (generation + 1, "event", event_id)]
        )


def test_store_changelog_relink_logs_the_events_it_removes_and_makes(served: Store) -> None:
    with served as store:
        doc, events = _report("Soldiers clashed at the border.", "https://b.example/2")
        store.add_documents([(doc, events)])
        before = {str(r[0]) for r in store.select("SELECT id FROM events")}
        store.relink()
        generation = _state(store).generation
        after = {str(r[0]) for r in store.select("SELECT id FROM events")}
        logged = {(k, i) for g, k, i in _log(store) if g == generation}
        assert {("event", i) for i in before | after} <= logged
        assert ("document", doc.id) in logged


def test_store_changelog_watcher_writes_leave_the_generation(served: Store) -> None:
    from dyadwatch.store.watch_tables import WatchTables

    with served as store:
        tables = WatchTables(store)
        tables.create()
        generation = _state(store).generation
        tables.record_validators("https://feed.example/rss", "etag", None, dt.datetime(2020, 1, 1))
        assert _state(store).generation == generation


def test_store_changelog_writes_it_cannot_follow_empty_it(served: Store) -> None:
    with served as store:
        store.add_stored_events([_imported(2), _imported(3)])
        assert _log(store)
        store.execute([("DELETE FROM events WHERE id = ?", ["gdelt2:2"])])
        generation = _state(store).generation
        assert (generation, "event", "gdelt2:2") in _log(store)  # a delete is logged
        store.execute([("UPDATE events SET goldstein = 1.0 WHERE id = ?", ["gdelt2:3"])])
        state = _state(store)
        assert _log(store) == [] and state.log_from == state.generation
        assert not state.covers(generation)


def test_store_changelog_stays_empty_without_a_side_file(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.duckdb") as store:
        store.add_stored_events([_imported(4)])
        state = _state(store)
        assert _log(store) == [] and state.log_from == state.generation


def test_store_changelog_statement_targets() -> None:
    assert _target("INSERT OR REPLACE INTO watch_http VALUES (?)") == ("watch_http", None)
    assert _target("DELETE FROM events WHERE id = ?") == ("events", "id = ?")
    assert _target("delete from documents where url = ?") == ("documents", "url = ?")
    assert _target("DELETE FROM events") == ("events", None)  # not logged: empties the log
    assert _target("UPDATE events SET cameo = ? WHERE id = ?") == ("events", None)
    assert _target("CREATE TABLE x (a INTEGER)") == (None, None)
