"""Read-only SQL over a store's deduplicated ``events`` table, for the analytics.

The analytics aggregate millions of events, so they group inside DuckDB rather
than stream :class:`~dyadwatch.store.StoredEvent` records. Every value reaches
DuckDB as a bound parameter; SQL text is built from the constant clauses of the
calling modules only. DuckDB failures leave as StoreError DW301.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, NoReturn, TypedDict, Unpack

import pandas as pd

from dyadwatch.errors import Errors, StoreError
from dyadwatch.store import EventFilter, Store

__all__ = [
    "ActorLevel",
    "Scope",
    "Window",
    "check_choice",
    "invalid",
    "query",
    "scope_where",
    "window",
]

ActorLevel = Literal["country", "code"]
Window = tuple[dt.date, dt.date]


class Scope(TypedDict, total=False):
    """Which events an analysis trusts, as keywords of every analytics function.

    ``min_confidence`` (0–1) keeps events whose confidence reaches it;
    ``date_basis`` (some of ``text``, ``anchored``, ``publication``, a set or
    ``"text,anchored"``) those dated that way. An event's values are its
    mentions' (:class:`~dyadwatch.store.EventFilter`), so imported events never
    pass either. Bad values raise StoreError DW303.
    """

    min_confidence: float | None
    date_basis: Iterable[str] | str | None


def scope_where(**scope: Unpack[Scope]) -> tuple[str, dict[str, object]]:
    """The SQL condition on the ``events`` table (``TRUE`` for none) and its parameters."""
    return EventFilter.of(None, **scope).where()


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
