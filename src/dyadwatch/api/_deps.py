"""Request dependencies: the server's hub and a per-request reader."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from dyadwatch.api._hub import StoreHub
from dyadwatch.store import Store

__all__ = ["hub_of", "reader"]


def hub_of(request: Request) -> StoreHub:
    hub: StoreHub = request.app.state.hub
    return hub


def reader(request: Request) -> Iterator[Store]:
    """A read-only store on its own cursor, closed when the request is done."""
    store = hub_of(request).reader()
    try:
        yield store
    finally:
        store.close()
