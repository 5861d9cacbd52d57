"""A story's dateline ("BUDAPEST, March 12 (Xinhua) --"): the day it was written.

A wire story filed on the 12th is often archived under the 13th; its reports
("Orban said") and the states it describes are of the day it was written,
and its weekdays ("on Friday") count from that day. A dateline that gives a
day names that day; the dateline itself dates no event of the first sentence
(it is not a time the sentence's words modify).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dyadwatch.temporal.expressions import Expression

__all__ = ["Dateline", "find_dateline"]

_CLOSING = re.compile(r"\s(?:--|-|\u2013|\u2014|_)\s|:\s")
"""What closes a dateline: a spaced dash ("--", "-", an en or em dash, AP's
"_") or a colon."""
_OPENING = re.compile(r"\s*[A-Z][A-Za-z.'\u2019-]*(?:\s+[A-Z][A-Za-z.'\u2019-]*)*,")
"""A dateline opens with a place name in capitals or title case, then a comma."""
_LONGEST = 80
"""Characters a dateline can take before its closing dash."""
_KINDS = frozenset({"day_month", "absolute", "date"})
_LAG = 3
"""Days a dateline may lie before the publication date (a story filed late at
night, archived the next day or after a weekend)."""


@dataclass(frozen=True, slots=True)
class Dateline:
    """The day a dateline gives and where the dateline ends in the text."""

    day: dt.date
    end: int


def find_dateline(
    text: str, find: Callable[[str], list[Expression]], published: dt.date
) -> Dateline | None:
    """The dateline of ``text`` when it names a day ``published`` or up to
    three days before it, else None.

    ``find`` gives the date expressions of a text (offsets in it), as
    ``DateResolver.expressions`` does; it reads only the opening, and only once
    the opening has a dateline's shape.
    """
    head = text[:_LONGEST]
    closing = _CLOSING.search(head)
    if closing is None or _OPENING.match(head) is None:
        return None
    for expression in find(head):
        if expression.end > closing.start():
            break
        if expression.kind not in _KINDS or expression.month is None or expression.day is None:
            continue
        day = _day(expression, published)
        if day is not None and 0 <= (published - day).days <= _LAG:
            return Dateline(day, closing.end())
    return None


def _day(expression: Expression, published: dt.date) -> dt.date | None:
    """The day a dateline's date names: its own year, else the publication's
    (the year before when that would lie after publication: "December 31"
    on 2 January)."""
    month, day = expression.month or 0, expression.day or 0
    written = expression.year
    for year in (written,) if written is not None else (published.year, published.year - 1):
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return None
        if found <= published:
            return found
    return None
