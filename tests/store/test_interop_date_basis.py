"""Exports and the date basis: PLOVER and Parquet carry it, GDELT and ICEWS keep their columns."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.store import Store
from dyadwatch.store.interop import export_events, import_gdelt, read_parquet
from dyadwatch.store.interop._columns import GDELT2_EVENT_COLUMNS, ICEWS_COLUMNS
from scored_store import ROWS, event_id, scored_store


@pytest.fixture
def store() -> Iterator[Store]:
    with scored_store() as opened:
        yield opened


def _expected() -> dict[str, tuple[str, float]]:
    return {event_id(name): (basis, confidence) for name, _, _, confidence, basis in ROWS}


def test_interop_date_basis_rides_in_plover(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    assert export_events(store, "plover", out) == 4
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["id"]: (r["date_basis"], r["confidence"]) for r in records} == _expected()


def test_interop_date_basis_round_trips_through_parquet(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    assert export_events(store, "parquet", out) == 4
    back = {e.id: e for e in read_parquet(out)}
    found = {i: (e.extra["date_basis"], float(e.extra["confidence"])) for i, e in back.items()}
    assert found == _expected()
    for stored in store.stored_events():
        # everything else comes back as stored
        assert dataclasses.replace(back[stored.id], extra=stored.extra) == stored


def test_interop_date_basis_leaves_gdelt_and_icews_columns_alone(
    store: Store, tmp_path: Path
) -> None:
    gdelt, icews = tmp_path / "g.tsv", tmp_path / "i.tab"
    export_events(store, "gdelt", gdelt)
    export_events(store, "icews", icews)
    rows = [line.split("\t") for line in gdelt.read_text(encoding="utf-8").splitlines()]
    assert {len(row) for row in rows} == {len(GDELT2_EVENT_COLUMNS)}
    assert sorted(row[1] for row in rows) == ["20210110", "20210210", "20210310", "20210410"]
    header = icews.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert tuple(header) == ICEWS_COLUMNS


def test_interop_date_basis_is_null_for_imported_events(store: Store, tmp_path: Path) -> None:
    gdelt, out = tmp_path / "g.tsv", tmp_path / "p.jsonl"
    export_events(store, "gdelt", gdelt)
    with Store.open() as imported:
        import_gdelt(imported, [gdelt])
        assert export_events(imported, "plover", out) == 4
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {(r["date_basis"], r["confidence"]) for r in records} == {(None, None)}
