"""The store's public reads: parameterised SELECTs only, as rows or a DataFrame."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.errors import StoreError
from dyadwatch.model import Document
from dyadwatch.store import Store

HOSTILE = ("x' OR '1'='1", "'; DROP TABLE documents; --", "\x00", "%", "é" * 300)


DOC = Document.from_text("India met China.")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "s.duckdb")
    opened.add_documents([(DOC, [])])
    return opened


def test_store_reads_bind_sequences_and_mappings(store: Store) -> None:
    assert store.select("SELECT id FROM documents WHERE id = ?", [DOC.id]) == [(DOC.id,)]
    frame = store.frame("SELECT id, text FROM documents WHERE id = $id", {"id": DOC.id})
    assert frame.to_dict("records") == [{"id": DOC.id, "text": "India met China."}]


@pytest.mark.parametrize("value", HOSTILE)
def test_store_reads_treat_hostile_values_as_values(store: Store, value: str) -> None:
    assert store.select("SELECT id FROM documents WHERE id = ?", [value]) == []
    assert store.frame("SELECT id FROM documents WHERE id = $id", {"id": value}).empty
    assert store.select("SELECT count(*) FROM documents") == [(1,)]


@pytest.mark.parametrize(
    "query", ["DELETE FROM documents", "DROP TABLE documents", "  ", "UPDATE documents SET id='x'"]
)
def test_store_reads_refuse_anything_but_a_select(store: Store, query: str) -> None:
    for read in (store.select, store.frame):
        with pytest.raises(StoreError) as caught:
            read(query)
        assert caught.value.code == "DW303"
    assert store.select("SELECT count(*) FROM documents") == [(1,)]


def test_store_reads_wrap_database_errors(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.frame("SELECT no_such_column FROM documents")
    assert caught.value.code == "DW301"
