"""``StoredEvent`` to and from a row of the ``events`` table.

Names kept for the modules that insert events (the store, deduplication); the
columns are declared in :mod:`dyadwatch.store.columns` and converted by
:mod:`dyadwatch.store.rows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.store.records import StoredEvent
from dyadwatch.store.rows import event_codec

__all__ = ["STORED_COLUMNS", "STORED_TYPES", "stored_from_row", "stored_row"]

STORED_COLUMNS: tuple[str, ...] = event_codec().names
"""The ``events`` columns, in table order."""

STORED_TYPES: dict[str, pa.DataType] = event_codec().types
"""Arrow type of each ``events`` column (JSON columns travel as text)."""


def stored_row(event: StoredEvent) -> tuple[object, ...]:
    """The ``events`` row of ``event``, in :data:`STORED_COLUMNS` order."""
    return event_codec().row(event)


def stored_from_row(row: Sequence[Any]) -> StoredEvent:
    """The ``StoredEvent`` of an ``events`` row read in :data:`STORED_COLUMNS` order."""
    found: StoredEvent = event_codec().record(row)
    return found
