"""Fixtures of the watcher's tests: a local HTTP server on 127.0.0.1 (see _watch_support)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from _watch_support import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    thread = threading.Thread(target=local.serve_forever, daemon=True)
    thread.start()
    try:
        yield local
    finally:
        local.shutdown()
        local.server_close()
        thread.join(5)
