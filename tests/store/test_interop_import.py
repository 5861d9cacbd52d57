"""Imports into the store: fast and row paths agree, idempotence, bad rows, export, CLI."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from _interop_support import FIXTURES, data_lines, shared_file, split
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.store import Store
from dyadwatch.store._stored import STORED_COLUMNS, stored_from_row
from dyadwatch.store.interop import export_events, import_gdelt, import_icews, read_gdelt_events
from dyadwatch.store.interop._api import _insert_fast
from dyadwatch.store.interop._fast import count_lines, gdelt_relation
from dyadwatch.store.records import StoredEvent


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open() as db:
        yield db


def fast_events(path: Path) -> list[StoredEvent]:
    with Store.open() as db:
        relation = gdelt_relation(db, path)
        assert relation is not None, "the fast path refused a well-formed file"
        rows = relation.select(*STORED_COLUMNS).fetchall()
    return sorted((stored_from_row(row) for row in rows), key=by_id)


def by_id(event: StoredEvent) -> str:
    return event.id


@pytest.mark.parametrize("name", ["gdelt2_events.tsv", "gdelt1_events.tsv"])
def test_interop_import_fast_path_equals_row_path(name: str) -> None:
    path = FIXTURES / name
    assert fast_events(path) == sorted(split(read_gdelt_events(path))[0], key=by_id)


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", ["events.csv", "eventsT.csv", "events1.csv", "20141124.export.CSV"]
)
def test_interop_import_fast_path_equals_row_path_on_real_samples(name: str) -> None:
    path = shared_file("gdelt", name)
    assert fast_events(path) == sorted(split(read_gdelt_events(path))[0], key=by_id)


def test_interop_import_fast_path_refuses_a_file_with_bad_rows(store: Store) -> None:
    assert _insert_fast(store, FIXTURES / "gdelt_bad.tsv") is None
    assert store.table_counts()["events"] == 0  # rolled back: the row path loads it


def test_interop_import_fast_path_takes_a_well_formed_file(store: Store) -> None:
    assert _insert_fast(store, FIXTURES / "gdelt2_events.tsv") == (4, 4)
    assert _insert_fast(store, FIXTURES / "gdelt2_events.tsv") == (4, 0)


def test_interop_import_fast_path_refuses_non_gdelt_widths(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n", encoding="utf-8")
    with Store.open() as db:
        assert gdelt_relation(db, path) is None
        assert gdelt_relation(db, tmp_path / "missing.tsv") is None


def test_interop_import_count_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_bytes(b"a\nb\nc")
    assert count_lines(path) == 3
    path.write_bytes(b"a\nb\n")
    assert count_lines(path) == 2


@pytest.mark.parametrize("fast", [True, False])
def test_interop_import_gdelt_is_idempotent(store: Store, fast: bool) -> None:
    paths = [FIXTURES / "gdelt2_events.tsv", FIXTURES / "gdelt1_events.tsv"]
    first = import_gdelt(store, paths, fast=fast)
    assert first.to_dict() == {"read": 7, "added": 7, "failed": 0}
    again = import_gdelt(store, paths, fast=fast)
    assert again.to_dict() == {"read": 7, "added": 0, "failed": 0}
    assert len(list(store.stored_events(provenance="gdelt1"))) == 3


def test_interop_import_bad_rows_reported_rest_loaded(store: Store) -> None:
    report = import_gdelt(store, [FIXTURES / "gdelt_bad.tsv"])
    assert (report.added, len(report.errors)) == (2, 5)
    assert {e.line for e in report.errors} == {2, 3, 4, 5, 6}


def test_interop_import_mentions_update_counts(store: Store) -> None:
    import_gdelt(store, [FIXTURES / "gdelt2_events.tsv", FIXTURES / "gdelt2_mentions.tsv"])
    strike = next(e for e in store.stored_events() if e.external_id == "900000001")
    assert (strike.num_mentions, strike.num_sources) == (14, 13)


def test_interop_import_then_export_gives_the_same_files(store: Store, tmp_path: Path) -> None:
    import_gdelt(store, [FIXTURES / "gdelt2_events.tsv", FIXTURES / "gdelt1_events.tsv"])
    import_icews(store, [FIXTURES / "icews_events.tab"])
    cases = [
        ("gdelt2_events.tsv", "gdelt", "gdelt2", 2),
        ("gdelt1_events.tsv", "gdelt", "gdelt1", 1),
    ]
    for name, fmt, provenance, version in cases:
        out = tmp_path / name
        export_events(store, fmt, out, provenance=provenance, version=version)  # type: ignore[arg-type]
        assert sorted(data_lines(out)) == sorted(data_lines(FIXTURES / name))
    out = tmp_path / "icews.tab"
    assert export_events(store, "icews", out, provenance="icews") == 3
    assert sorted(data_lines(out)) == sorted(data_lines(FIXTURES / "icews_events.tab"))


@pytest.mark.shared
def test_interop_import_real_samples_round_trip_through_the_store(
    store: Store, tmp_path: Path
) -> None:
    icews = shared_file("icews", "events.2018.sample.tab")
    gdelt = shared_file("gdelt", "20141124.export.CSV")
    import_icews(store, [icews])
    import_gdelt(store, [gdelt])
    export_events(store, "icews", tmp_path / "i.tab", provenance="icews")
    export_events(store, "gdelt", tmp_path / "g.tsv", provenance="gdelt1", version=1)
    assert sorted(data_lines(tmp_path / "i.tab")) == sorted(data_lines(icews))
    assert sorted(data_lines(tmp_path / "g.tsv")) == sorted(data_lines(gdelt))


def test_interop_export_filters(store: Store, tmp_path: Path) -> None:
    import_gdelt(store, [FIXTURES / "gdelt2_events.tsv"])
    out = tmp_path / "x.jsonl"
    assert export_events(store, "plover", out, dyad=("IND", "PAK")) == 1
    assert export_events(store, "plover", out, root="04") == 1


def test_interop_cli_import_and_export(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    bad = tmp_path / "bad.tsv"
    shutil.copy(FIXTURES / "gdelt_bad.tsv", bad)
    runner = CliRunner()
    result = runner.invoke(app, ["import", "gdelt", str(bad), "--store", str(db)])
    assert result.exit_code == 1
    assert f"{bad}:3" in result.output and "DW112" in result.output
    result = runner.invoke(
        app, ["import", "icews", str(FIXTURES / "icews_events.tab"), "--store", str(db)]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.tab"
    result = runner.invoke(
        app, ["export", "icews", str(out), "--provenance", "icews", "--store", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(data_lines(out)) == sorted(data_lines(FIXTURES / "icews_events.tab"))
    result = runner.invoke(
        app,
        ["export", "parquet", str(tmp_path / "pq"), "--since", "2019-01-01", "--store", str(db)],
    )
    assert result.exit_code == 0 and (tmp_path / "pq" / "year=2019").is_dir()
    result = runner.invoke(app, ["export", "gdelt", str(out), "--version", "3", "--store", str(db)])
    assert result.exit_code == 2


def test_interop_cli_icews_without_header_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "x.tab"
    path.write_text("1\t2\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["import", "icews", str(path), "--store", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 1 and "DW113" in result.output
