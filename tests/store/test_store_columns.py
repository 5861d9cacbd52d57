"""The one column declaration: tables, migrations, rows, API models and filters come from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType
from typing import get_type_hints

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from dyadwatch.api.models import MentionOut, StoredEventOut, _fields
from dyadwatch.errors import StoreError
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
from dyadwatch.store import EventFilter, Store, StoredEvent
from dyadwatch.store._query import Filters
from dyadwatch.store.columns import (
    EVENT_FILE,
    MENTIONS,
    TABLES,
    WATCH_TABLES,
    Column,
    Table,
)
from dyadwatch.store.rows import event_codec, file_codec, mention_codec
from dyadwatch.store.schema import MIGRATIONS, STORE_SET, with_columns
from dyadwatch.store.watch_tables import WatchTables

DAY = dt.date(2022, 5, 9)
PLACE = Location("Kano", "NGA", "NG-KN", 12.0, 8.5, "city", 2335204)


def _event(doc: Document, n: int, *, target: Actor | None, **changes: object) -> Event:
    event = Event(
        id=f"{doc.id}-{n}", doc_id=doc.id, sentence_index=n, sentence="Police detained ten men.",
        source=Actor("Police", "NGACOP", "NGA", "COP"), target=target, cameo="173",
        goldstein=-5.0, quad=4, plover=PloverCode("ARREST", "detain", ("protest",)),
        evidence=Evidence((7, 15), (0, 6), None), modality=Modality(reported=True), date=DAY,
        date_precision="day", date_range=(DAY, DAY + dt.timedelta(days=2)), location=PLACE,
        size=Size(arrested=Range(10, 10), killed=None), confidence=0.75,
    )  # fmt: skip
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


def _described(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    rows = con.execute(f"DESCRIBE {table}").fetchall()
    return [(name, kind, null == "NO") for name, kind, null, *_ in rows]


def _declared(table: Table) -> list[tuple[str, str, bool]]:
    return [(c.name, c.type, c.required or c.name in table.key) for c in table.columns]


def test_store_columns_fresh_store_has_the_declared_tables() -> None:
    with Store.open() as store:
        store.migrate("watch")
        con = store._con
        for table in (*TABLES, *WATCH_TABLES):
            assert _described(con, table.name) == _declared(table), table.name
        assert store.migration_version("store") == STORE_SET.version
        assert store.migration_version("watch") == 1


def test_store_columns_added_column_becomes_a_migration_that_upgrades_old_rows() -> None:
    con = duckdb.connect()
    for migration in MIGRATIONS:
        for statement in migration.statements:
            con.execute(statement)
    con.execute("INSERT INTO errors VALUES ('DW101', 'bad', NULL, NULL, NULL, now())")
    wider = dataclasses.replace(
        TABLES[4], columns=(*TABLES[4].columns, Column("worker", "VARCHAR", added=7))
    )
    migrations = with_columns(MIGRATIONS, (*TABLES[:4], wider, *TABLES[5:]))
    assert [m.version for m in migrations] == [*(m.version for m in MIGRATIONS), 7]
    assert migrations[-1].statements == ("ALTER TABLE errors ADD COLUMN worker VARCHAR",)
    for statement in migrations[-1].statements:
        con.execute(statement)
    assert _described(con, "errors") == _declared(wider)
    assert con.execute("SELECT code, worker FROM errors").fetchall() == [("DW101", None)]
    # A fresh store made from the wider declaration has the column from its creation.
    assert "worker VARCHAR" in wider.create(7) and "worker" not in wider.create(3)


def test_store_columns_mention_rows_round_trip_every_part() -> None:
    doc = Document.from_text("Police detained ten men in Kano.", date=DAY)
    codec = mention_codec()
    for event in (
        _event(doc, 0, target=Actor("men", "NGACVL", "NGA", "CVL", None)),
        _event(doc, 1, target=None, plover=None, location=None, size=None, date_range=None),
    ):
        row = codec.row(event)
        assert len(row) == len(MENTIONS.columns) - 1  # provenance comes from its default
        assert codec.record(row) == event
        assert codec.record_of(codec.named(event)) == event


def test_store_columns_stored_rows_and_files_round_trip() -> None:
    event = StoredEvent(
        id="icews:7", provenance="icews", date=DAY, source=Actor("", "NGACOP", "NGA", "COP"),
        target=None, cameo="1731", goldstein=-5.0, quad=4, external_id="7", location=PLACE,
        num_mentions=3, killed=Range(1, 2), extra=MappingProxyType({"Story ID": "42"}),
    )  # fmt: skip
    row = event_codec().row(event)
    named = dict(zip(event_codec().names, row, strict=True))
    assert named["cameo_root"] == "17" and named["lat"] == 12.0 and named["killed_max"] == 2
    assert event_codec().record(row) == event
    assert file_codec().record(file_codec().row(event)) == event
    assert file_codec().schema.field("extra").type == pa.map_(pa.string(), pa.string())
    assert "location" not in EVENT_FILE.names and "location_name" in EVENT_FILE.names
    bare = dataclasses.replace(event, location=None, killed=None, extra=MappingProxyType({}))
    assert event_codec().row(bare)[-1] is None  # no extra entries: NULL, not "{}"
    assert event_codec().record(event_codec().row(bare)) == bare


def test_store_columns_api_models_follow_the_declaration() -> None:
    assert set(MentionOut.model_fields) == {*Event(**_minimal()).to_dict(), "event_id"}
    assert "external_id" not in StoredEventOut.model_fields
    assert {"num_mentions", "killed", "plover_type"} <= set(StoredEventOut.model_fields)
    wider = dataclasses.replace(
        MENTIONS, columns=(*MENTIONS.columns, Column("doc_url", "VARCHAR", added=4))
    )
    assert "doc_url" in _fields(wider, {}, frozenset())


def _minimal() -> dict[str, object]:
    return {
        "id": "m", "doc_id": "d", "sentence_index": 0, "sentence": "s",
        "source": Actor("a", "USA"), "target": None, "cameo": "010", "goldstein": 0.0,
        "quad": 1, "plover": None, "evidence": Evidence((0, 1)),
    }  # fmt: skip


def test_store_columns_filters_name_every_event_filter_field() -> None:
    fields = {f.name for f in dataclasses.fields(EventFilter)}
    assert set(get_type_hints(Filters)) == fields


def test_store_columns_dyad_periods_follow_direction_and_level() -> None:
    doc = Document.from_text("Reports.", date=DAY)
    usa = Actor("US troops", "USAMIL", "USA", "MIL")
    nga = Actor("Nigeria", "NGA", "NGA")
    events = [
        _event(doc, 0, target=nga, source=usa, location=None, cameo="042", quad=1),
        _event(doc, 1, target=usa, source=nga, location=None, cameo="190", quad=4,
               date=DAY + dt.timedelta(days=40)),
    ]  # fmt: skip
    with Store.open() as store:
        store.add_document(doc, events)
        both = store.dyad_periods(EventFilter(dyad=("USA", "NGA"), level="country"))
        assert both["events"].tolist() == [1, 1]
        forward = store.dyad_periods(
            EventFilter(dyad=("USA", "NGA"), level="country", direction="a_to_b")
        )
        assert forward["verbal_coop"].tolist() == [1] and forward["events"].sum() == 1
        coded = store.dyad_periods(EventFilter(dyad=("USAMIL", "NGA"), level="code"), unit="year")
        assert coded["events"].tolist() == [2]
        assert store.dyad_periods(EventFilter(dyad=("USAGOV", "NGA"), level="code")).empty
        with pytest.raises(StoreError, match="DW303"):
            store.dyad_periods(EventFilter(), unit="fortnight")
        with pytest.raises(StoreError, match="DW303"):
            EventFilter(dyad=("USA", "NGA"), direction="sideways")  # type: ignore[arg-type]


def test_store_columns_reads_take_a_filter_and_keywords() -> None:
    doc = Document.from_text("Police detained ten men in Kano.", date=DAY)
    with Store.open() as store:
        store.add_document(doc, [_event(doc, 0, target=None)])
        where = EventFilter(dyad=("NGACOP", "NGACOP"))
        assert store.events(where) == []
        assert len(store.events(where, dyad=None)) == 1
        assert len(list(store.stored_events(EventFilter(root="17")))) == 1
        assert store.events(EventFilter(root="17"), limit=0) == []


def test_store_columns_watch_set_is_applied_on_demand_and_adopts_older_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "watched.duckdb"
    with Store.open(path) as store:
        assert store.migration_version("watch") == 0
        assert not WatchTables(store).exists()
        # A watcher before the migration set made its tables itself, and kept rows.
        older = "INSERT INTO watch_feeds (name, url) VALUES ('wire', 'https://x.test/')"
        store.execute([(WATCH_TABLES[1].create(1), ()), (older, ())])
    reader = Store.open(path, read_only=True)
    with reader, pytest.raises(StoreError, match="watch schema"):
        reader.migrate("watch")
    with Store.open(path) as store:
        tables = WatchTables(store)
        assert tables.create() == 1 and tables.create() == 1
        assert [feed.name for feed in tables.feeds()] == ["wire"]
        assert store.migration_version("watch") == 1
        with pytest.raises(StoreError, match="DW303"):
            store.migrate("nonesuch")
