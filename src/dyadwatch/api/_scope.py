"""The query parameters that say which events a read trusts, declared once.

``min_confidence`` and ``date_basis`` mean what they mean for the store
(:class:`~dyadwatch.store.EventFilter`) and are checked by it: a bad value is
StoreError DW303 (422), like every other filter value. Read and analytics
endpoints take them through :data:`ScopeDep`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from dyadwatch.analytics._sql import Scope
from dyadwatch.store import EventFilter

__all__ = ["ScopeDep", "scope_query"]


async def scope_query(
    min_confidence: Annotated[
        float | None,
        Query(
            description="Only events whose confidence (an event's: its best mention's) is at "
            "least this, 0 to 1. Imported events have none and are left out."
        ),
    ] = None,
    date_basis: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Only events dated this way: some of text, anchored, publication, "
            "comma-separated (text,anchored leaves out publication-stamped dates).",
        ),
    ] = None,
) -> Scope:
    """The two parameters, checked (DW303); unset ones are left out.

    ``async`` though it does no I/O: FastAPI runs a plain ``def`` dependency on a
    worker thread, one more hop per request (docs/PERFORMANCE.md, "API read path")."""
    checked = EventFilter.of(min_confidence=min_confidence, date_basis=date_basis)
    scope = Scope()
    if checked.min_confidence is not None:
        scope["min_confidence"] = checked.min_confidence
    if checked.date_basis is not None:
        scope["date_basis"] = checked.date_basis
    return scope


ScopeDep = Annotated[Scope, Depends(scope_query)]
