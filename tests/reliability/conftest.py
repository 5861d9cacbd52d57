"""A small store for the API reliability tests: 30 stored documents, one event each."""

from __future__ import annotations

from pathlib import Path

import pytest
from rel_support import coded_batch

from dyadwatch.store import Store


@pytest.fixture
def seeded_path(tmp_path: Path) -> Path:
    path = tmp_path / "seeded.duckdb"
    with Store.open(path) as store:
        store.add_documents(coded_batch(0, 30))
    return path
