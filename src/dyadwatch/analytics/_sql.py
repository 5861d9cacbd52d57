"""What the analytics ask of the store, and how they check it: the events an
analysis trusts (:class:`Scope`), actor levels, date windows, and DW303 for a
bad parameter.

The analytics aggregate millions of events, so they group inside DuckDB
rather than stream :class:`~dyadwatch.store.StoredEvent` records; the SQL is
the store's own (:meth:`~dyadwatch.store.Store.dyad_periods`,
:meth:`~dyadwatch.store.Store.coded_strikes`, ...), never written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, NoReturn, TypedDict

from dyadwatch.errors import Errors, StoreError

__all__ = [
    "ActorLevel",
    "Scope",
    "Window",
    "check_choice",
    "invalid",
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
