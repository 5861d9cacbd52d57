"""Request dependencies: the server's hub and the store readers read through."""

from __future__ import annotations

from fastapi import Request

from dyadwatch.api._hub import StoreHub
from dyadwatch.store import Store

__all__ = ["hub_of", "reader"]


def hub_of(request: Request) -> StoreHub:
    hub: StoreHub = request.app.state.hub
    return hub


async def reader(request: Request) -> Store:
    """The hub's shared read-only store: each worker thread reads on its own cursor.

    ``async`` so that FastAPI resolves it on the event loop: a plain or
    generator dependency costs a hop to a worker thread (two for a generator)
    before the endpoint's own, and under load those hops were most of a cheap
    request's time (docs/PERFORMANCE.md, "API read path").
    """
    return hub_of(request).readers
