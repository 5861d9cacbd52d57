"""``EventDate`` and the calendar arithmetic behind it.

Conventions (see docs/DATES.md): a month date is the month's first day, a
year date is 1 January; when the text only bounds the date, ``range`` holds
the bounds and ``date`` is the earliest day they allow. Every helper returns
None instead of raising for an impossible date ("February 30") or one
outside the calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from dyadwatch.model import DateBasis, DatePrecision

__all__ = [
    "EventDate",
    "add_days",
    "day_date",
    "month_date",
    "month_end",
    "safe_date",
    "shift_month",
    "span_date",
    "week_start",
    "year_date",
]


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened, as precisely as its text says.

    ``precision`` is None only when ``date`` is. With ``range`` set,
    ``range[0] == date <= range[1]``. ``span`` (document character offsets of
    the expression that gave the date) is not part of equality; it lets the
    next event tell that it was dated by the same words. ``basis`` says where
    the date comes from (see ``model.DateBasis``); it is not part of equality
    either: the same day is the same date, whatever gave it.
    """

    date: dt.date | None
    precision: DatePrecision | None
    range: tuple[dt.date, dt.date] | None = None
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    basis: DateBasis = field(default="text", compare=False)

    def __post_init__(self) -> None:
        if (self.date is None) != (self.precision is None):
            raise ValueError("EventDate needs both a date and a precision, or neither")
        if self.range is not None and not (
            self.date is not None and self.range[0] == self.date <= self.range[1]
        ):
            raise ValueError(f"EventDate range {self.range} does not start at {self.date}")

    def at(self, span: tuple[int, int]) -> EventDate:
        """The same date, remembered as given by the expression at ``span``."""
        return EventDate(self.date, self.precision, self.range, span, self.basis)

    def based(self, basis: DateBasis) -> EventDate:
        """The same date, given by ``basis``."""
        return EventDate(self.date, self.precision, self.range, self.span, basis)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def add_days(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def month_end(year: int, month: int) -> dt.date | None:
    if not (dt.MINYEAR <= year <= dt.MAXYEAR and 1 <= month <= 12):
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def week_start(day: dt.date) -> dt.date | None:
    return add_days(day, -day.weekday())


def day_date(day: dt.date | None) -> EventDate | None:
    return EventDate(day, "day") if day is not None else None


def month_date(year: int, month: int) -> EventDate | None:
    first = safe_date(year, month, 1)
    return EventDate(first, "month") if first is not None else None


def year_date(year: int) -> EventDate | None:
    first = safe_date(year, 1, 1)
    return EventDate(first, "year") if first is not None else None


def span_date(
    first: dt.date | None, last: dt.date | None, precision: DatePrecision = "day"
) -> EventDate | None:
    """A bounded date; a one-day span is simply that day."""
    if first is None or last is None or last < first:
        return None
    if first == last:
        return EventDate(first, "day")
    return EventDate(first, precision, (first, last))
