"""Bulk loads (Store.add_stored_table, Store.relation) and stored GDELT mention rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from _interop_support import FIXTURES, shared_file, split
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.errors import StoreError
from dyadwatch.store import Store
from dyadwatch.store._stored import STORED_COLUMNS, STORED_TYPES, stored_row
from dyadwatch.store.interop import import_gdelt, read_gdelt_events, read_gdelt_mentions
from dyadwatch.store.records import GdeltMention, StoredEvent


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open() as db:
        yield db


def fixture_events() -> list[StoredEvent]:
    events, errors = split(read_gdelt_events(FIXTURES / "gdelt2_events.tsv"))
    assert not errors
    return events


def arrow_of(events: list[StoredEvent]) -> pa.Table:
    rows = [stored_row(event) for event in events]
    return pa.table(
        {
            name: pa.array([row[i] for row in rows], type=STORED_TYPES.get(name, pa.string()))
            for i, name in enumerate(STORED_COLUMNS)
        }
    )


def by_id(event: StoredEvent) -> str:
    return event.id


def test_store_bulk_arrow_table_equals_add_stored_events(store: Store) -> None:
    events = fixture_events()
    assert store.add_stored_table(arrow_of(events)) == len(events)
    assert sorted(store.stored_events(), key=by_id) == sorted(events, key=by_id)
    assert store.add_stored_table(arrow_of(events)) == 0  # idempotent by id


def test_store_bulk_first_of_a_repeated_id_wins(store: Store) -> None:
    first, *rest = fixture_events()
    again = StoredEvent(first.id, first.provenance, first.date, None, None, "010", None, None)
    assert store.add_stored_table(arrow_of([first, again, *rest])) == 1 + len(rest)
    (stored,) = (e for e in store.stored_events() if e.id == first.id)
    assert stored == first


def test_store_bulk_relation_runs_inside_the_store(store: Store) -> None:
    events = fixture_events()
    store.add_stored_events(events[:1])
    other = duckdb.connect()
    other.register("staged", arrow_of(events))
    inside = store.relation("SELECT 1 AS one")
    assert inside.fetchall() == [(1,)]
    # A relation of another connection is read as Arrow; the stored id is skipped.
    assert store.add_stored_table(other.sql("SELECT * FROM staged")) == len(events) - 1
    other.close()
    assert store.table_counts()["events"] == len(events)


def test_store_bulk_missing_column_is_dw301_and_nothing_stays(store: Store) -> None:
    table = arrow_of(fixture_events()).drop_columns(["extra"])
    with pytest.raises(StoreError) as info:
        store.add_stored_table(table)
    assert info.value.code == "DW301" and "extra" in info.value.message
    assert store.table_counts()["events"] == 0


def test_store_bulk_failing_relation_rolls_back(store: Store) -> None:
    bad = store.relation(
        "SELECT * REPLACE (CASE WHEN id LIKE '%2' THEN error('boom') ELSE id END AS id)"
        " FROM (SELECT 'gdelt2:' || i AS id, * EXCLUDE (id) FROM events, range(3) r(i))"
    )
    store.add_stored_events(fixture_events()[:1])
    with pytest.raises(StoreError) as info:
        store.add_stored_table(bad)
    assert info.value.code == "DW301" and "boom" in info.value.message
    assert store.table_counts()["events"] == 1


def test_store_bulk_relation_refuses_statements_that_write(store: Store) -> None:
    for query in ("DROP TABLE events", "INSERT INTO meta VALUES ('a', 'b')", "  "):
        with pytest.raises(StoreError) as info:
            store.relation(query)
        assert info.value.code == "DW303"
    assert store.table_counts()["events"] == 0


def test_store_bulk_read_only_reader_cannot_load(store: Store) -> None:
    reader = store.reader()
    with pytest.raises(StoreError) as info:
        reader.add_stored_table(arrow_of(fixture_events()))
    assert info.value.code == "DW301"
    reader.close()


def mentions_of(path: Path) -> list[GdeltMention]:
    mentions, errors = split(read_gdelt_mentions(path))  # type: ignore[arg-type]
    assert not errors
    return mentions  # type: ignore[return-value]


def strike(store: Store) -> StoredEvent:
    return next(e for e in store.stored_events() if e.external_id == "900000001")


def test_store_mentions_kept_and_counts_live_in_either_order() -> None:
    events = FIXTURES / "gdelt2_events.tsv"
    mentions = FIXTURES / "gdelt2_mentions.tsv"
    for paths in ([events, mentions], [mentions, events]):
        with Store.open() as db:
            for path in paths:  # one file per call: later files recount earlier ones
                import_gdelt(db, [path])
            assert (strike(db).num_mentions, strike(db).num_sources) == (14, 13)
            assert db.table_counts()["gdelt_mentions"] == 15  # 16 rows, one repeated


def test_store_mentions_are_idempotent_and_keep_the_row(store: Store) -> None:
    mentions = mentions_of(FIXTURES / "gdelt2_mentions.tsv")
    assert store.add_gdelt_mentions(mentions) == 15
    assert store.add_gdelt_mentions(mentions) == 0
    lines = {line for (line,) in store.relation("SELECT line FROM gdelt_mentions").fetchall()}
    source = (FIXTURES / "gdelt2_mentions.tsv").read_text(encoding="utf-8").splitlines()
    assert lines == set(source)


def test_store_mentions_never_lower_gdelt_counts(store: Store) -> None:
    events = fixture_events()
    store.add_stored_events(events)
    before = {e.id: e.num_mentions for e in store.stored_events()}
    store.add_gdelt_mentions(mentions_of(FIXTURES / "gdelt2_mentions.tsv")[:1])
    after = {e.id: e.num_mentions for e in store.stored_events()}
    assert all(after[key] >= before[key] for key in before)


def test_store_mentions_of_the_real_sample(store: Store) -> None:
    path = shared_file("gdelt", "mentions.csv")
    events = shared_file("gdelt", "events.csv")
    report = import_gdelt(store, [events, path])
    assert not report.errors
    rows = store.relation(
        "SELECT count(*), count(DISTINCT event_id) FROM gdelt_mentions"
    ).fetchall()
    assert rows[0][1] == 87 and rows[0][0] > 0
    counted = store.relation(
        "SELECT e.num_mentions, m.n FROM events e JOIN"
        " (SELECT event_id, count(*) AS n FROM gdelt_mentions GROUP BY event_id) m"
        " ON m.event_id = e.id"
    ).fetchall()
    assert counted and all(stored >= seen for stored, seen in counted)


def test_store_mentions_cli_keeps_them(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(
        app, ["import", "gdelt", str(FIXTURES / "gdelt2_mentions.tsv"), "--store", str(db)]
    )
    assert result.exit_code == 0, result.output
    with Store.open(db) as opened:
        assert opened.table_counts()["gdelt_mentions"] == 15
