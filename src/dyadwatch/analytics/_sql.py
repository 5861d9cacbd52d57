"""Read-only SQL over a store's deduplicated ``events`` table, for the analytics.

The analytics aggregate millions of events, so they group inside DuckDB rather
than stream :class:`~dyadwatch.store.StoredEvent` records. Every value reaches
DuckDB as a bound parameter; SQL text is built from the constant clauses of the
calling modules only. DuckDB failures leave as StoreError DW301.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NoReturn

import pandas as pd

from dyadwatch.errors import Errors, StoreError
from dyadwatch.store import Store

__all__ = [
    "ActorLevel",
    "Window",
    "check_choice",
    "invalid",
    "query",
    "window",
]

ActorLevel = Literal["country", "code"]
Window = tuple[dt.date, dt.date]


def query(store: Store, sql: str, params: dict[str, object]) -> pd.DataFrame:
    """The result of one read-only statement as a DataFrame (values bound, never pasted)."""
    return store.frame(sql, params)


def invalid(name: str, value: object, reason: str) -> NoReturn:
    """Raise DW303 for a bad analytics parameter, as the store does for its filters."""
    raise StoreError(Errors.DW303, name=name, value=value, reason=reason)


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``, else DW303."""
    if not isinstance(value, str) or value not in choices:
        invalid(name, value, f"expected one of {', '.join(choices)}")
    return value


def window(name: str, value: object) -> Window:
    """A ``(start, end)`` pair of dates with start ≤ end, else DW303."""
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2
        or not all(isinstance(d, dt.date) for d in value)
    ):
        invalid(name, value, "expected a (start, end) pair of dates")
    start, end = value
    if start > end:
        invalid(name, value, "start after end")
    return start, end
