"""Fixtures: an API over a small store (literal texts coded by the small coder,
plus one imported, located strike), with and without a write token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_slow import SlowCoder
from api_support import TOKEN, ApiClient, fill_store

from dyadwatch.coder.engine import Coder
from dyadwatch.web import create_app


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory, small_coder: Coder) -> Path:
    path = tmp_path_factory.mktemp("api") / "seed.duckdb"
    fill_store(path, small_coder)
    return path


@pytest.fixture
def store_path(tmp_path: Path, seeded_store: Path) -> Path:
    """A private copy of the seeded store."""
    path = tmp_path / "api.duckdb"
    shutil.copyfile(seeded_store, path)
    return path


def _serve(path: Path, token: str | None, coder: Coder) -> Iterator[ApiClient]:
    app = create_app(path, token=token, coder_factory=lambda: coder)
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


@pytest.fixture
def client(store_path: Path, small_coder: Coder) -> Iterator[ApiClient]:
    """The API with writes enabled by ``TOKEN``."""
    yield from _serve(store_path, TOKEN, small_coder)


@pytest.fixture
def readonly_client(store_path: Path, small_coder: Coder) -> Iterator[ApiClient]:
    """The API started without a token: the store is opened read-only."""
    yield from _serve(store_path, None, small_coder)


@pytest.fixture
def slow_coder() -> Iterator[SlowCoder]:
    """A hanging coder, released when the test ends so no thread outlives it."""
    coder = SlowCoder()
    yield coder
    coder.release.set()
