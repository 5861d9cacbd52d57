"""The date an expression means, given what it counts from.

``Valuer.value`` turns an ``Expression`` into an ``EventDate``, or None when it
cannot: an impossible date ("31 April"), a relative expression without its
base (no publication date for "yesterday", no earlier event for "the next
day"), or a year-less date with no year to put it in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dateparser.date import DateDataParser

from dyadwatch.temporal.dates import (
    EventDate,
    add_days,
    day_date,
    month_date,
    month_end,
    safe_date,
    shift_month,
    span_date,
    week_start,
    year_date,
)
from dyadwatch.temporal.expressions import Expression
from dyadwatch.temporal.feasts import FEASTS, feast
from dyadwatch.temporal.lexicon import FixedPhrase, TemporalLexicon

__all__ = ["Context", "Valuer"]


@dataclass(frozen=True, slots=True)
class Context:
    """What relative expressions count from, and the tense of the event."""

    published: dt.date | None
    anchor: EventDate | None
    year: int | None
    """The year for year-less dates: the publication's, else the document's."""
    future: bool
    country: str | None = None
    """The country the document is about (a name the lexicon lists), for
    "Independence Day" said without one."""


class Valuer:
    """Values of expressions; holds the lexicon and one dateparser parser."""

    def __init__(self, lexicon: TemporalLexicon) -> None:
        self._lex = lexicon
        # Only spans our patterns found reach dateparser, and only the ones
        # with a written year: it is about 0.5 ms a call.
        self._parser = DateDataParser(
            languages=["en"],
            settings={"PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"]},
        )
        self._kinds: Mapping[str, Callable[[Expression, Context], EventDate | None]] = (
            MappingProxyType(
                {
                    "date": self._date,
                    "absolute": self._absolute,
                    "day_month": self._day_month,
                    "month": self._month,
                    "year": self._year,
                    "weekday": self._weekday,
                    "phrase": self._phrase,
                    "holiday": self._holiday,
                    "counted": self._counted,
                }
            )
        )

    def value(self, expression: Expression, context: Context) -> EventDate | None:
        try:
            return self._kinds[expression.kind](expression, context)
        except (OverflowError, ValueError):
            return None  # arithmetic past the calendar's ends

    def is_anchored(self, expression: Expression) -> bool:
        """Whether the expression counts from another date of the text ("the next
        day", "two days later"), not from the publication date or the calendar."""
        if expression.kind == "counted":
            return expression.word != "ago"
        if expression.kind == "phrase":
            return self._lex.phrases[expression.key or ""].base == "anchor"
        return False

    def _date(self, e: Expression, _: Context) -> EventDate | None:
        return day_date(safe_date(e.year or 0, e.month or 0, e.day or 0))

    def _absolute(self, e: Expression, _: Context) -> EventDate | None:
        parsed = self._parser.get_date_data(e.text).date_obj
        if parsed is None or (parsed.year, parsed.month) != (e.year, e.month):
            return None  # "30 February 2019": dateparser refuses it, and so do we
        return day_date(parsed.date())

    def _day_month(self, e: Expression, c: Context) -> EventDate | None:
        return day_date(_nearest(e.month or 0, e.day or 0, c))

    def _holiday(self, e: Expression, c: Context) -> EventDate | None:
        key = e.key or ""
        if key in FEASTS:
            return _movable(key, c, e.word)
        if key == "independence day":
            country = e.part or c.country
            fixed = self._lex.independence.get(country or "")
            if fixed is None:
                return None  # whose independence is not said
            return day_date(_nearest(*fixed, c, e.word))
        month, day = self._lex.holidays[key]
        return day_date(_nearest(month, day, c, e.word))

    def _month(self, e: Expression, c: Context) -> EventDate | None:
        shift = _OF_YEAR.get(e.word or "")
        if shift is not None:
            return month_date(c.published.year + shift, e.month or 0) if c.published else None
        year = e.year if e.year is not None else _month_year(e.month or 0, e.word, c)
        if year is None:
            return None
        if e.part is not None:
            low, high = self._lex.parts_of_month[e.part]
            last = month_end(year, e.month or 0)
            end = safe_date(year, e.month or 0, min(high, last.day)) if last else None
            return span_date(safe_date(year, e.month or 0, low), end)
        return month_date(year, e.month or 0)

    def _year(self, e: Expression, c: Context) -> EventDate | None:
        if e.part is None:
            return year_date(e.year or 0)
        part = e.part
        table = self._lex.parts_of_year if part in self._lex.parts_of_year else self._lex.seasons
        low, high = table[part]
        year = e.year if e.year is not None else _season_year(low, high, e.word, c)
        if year is None:
            return None
        last_year, last_month = shift_month(year, high, 0)
        return span_date(safe_date(year, low, 1), month_end(last_year, last_month), "month")

    def _weekday(self, e: Expression, c: Context) -> EventDate | None:
        if c.published is None:
            return None
        if e.word in ("next", "this coming") or (c.future and e.word not in ("last", "this past")):
            ahead = (e.weekday or 0) - c.published.weekday()
            return day_date(add_days(c.published, ahead if ahead > 0 else ahead + 7))
        back = (c.published.weekday() - (e.weekday or 0)) % 7
        if e.word in ("last", "this past") and back == 0:
            back = 7
        return day_date(add_days(c.published, -back))

    def _phrase(self, e: Expression, c: Context) -> EventDate | None:
        phrase = self._lex.phrases[e.key or ""]
        if phrase.base == "published":
            return self._from_day(c.published, phrase) if c.published else None
        if c.anchor is None or c.anchor.date is None:
            return _unanchored(c.published, phrase.unit)
        return self._from_anchor(c.anchor, phrase)

    def _from_anchor(self, anchor: EventDate | None, phrase: FixedPhrase) -> EventDate | None:
        if anchor is None or anchor.date is None:
            return None
        if anchor.precision != "day" and phrase.unit in ("day", "week", "weekend"):
            return anchor  # "the next day" after "in May 1998" is still May 1998 for us
        if phrase.unit == "day" and anchor.range is not None:
            first, last = anchor.range
            return span_date(add_days(first, phrase.offset), add_days(last, phrase.offset))
        return self._from_day(anchor.date, phrase)

    def _from_day(self, base: dt.date, phrase: FixedPhrase) -> EventDate | None:
        if phrase.unit == "day":
            return day_date(add_days(base, phrase.offset))
        if phrase.unit in ("week", "weekend"):
            return _week(base, phrase)
        if phrase.unit == "month":
            return self._whole_month(base, phrase)
        return self._whole_year(base, phrase)

    def _whole_month(self, base: dt.date, phrase: FixedPhrase) -> EventDate | None:
        year, month = shift_month(base.year, base.month, phrase.offset)
        if phrase.mode == "until_base":
            return span_date(safe_date(year, month, 1), base)
        if phrase.mode in self._lex.parts_of_month:
            low, high = self._lex.parts_of_month[phrase.mode]
            last = month_end(year, month)
            end = safe_date(year, month, min(high, last.day)) if last else None
            return span_date(safe_date(year, month, low), end)
        return month_date(year, month)

    def _whole_year(self, base: dt.date, phrase: FixedPhrase) -> EventDate | None:
        year = base.year + phrase.offset
        if phrase.mode == "until_base":
            return span_date(safe_date(year, 1, 1), base)
        if phrase.mode in self._lex.parts_of_year:
            low, high = self._lex.parts_of_year[phrase.mode]
            return span_date(safe_date(year, low, 1), month_end(year, high), "month")
        return year_date(year)

    def _counted(self, e: Expression, c: Context) -> EventDate | None:
        low, high = e.quantity or (1, 1)
        sign = -1 if e.word in ("ago", "earlier", "before") else 1
        if e.word == "ago":
            if c.published is None:
                return None
            base = EventDate(c.published, "day")
        elif c.anchor is None or c.anchor.date is None:
            return _unanchored(c.published, e.unit or "day")
        else:
            base = c.anchor
        return _count(base, e.unit or "day", sign * low, sign * high)


_UNANCHORED_DAYS = MappingProxyType(
    {"day": 31, "week": 31, "weekend": 31, "month": 366, "year": 366}
)
"""How far before publication an event counted from an undated one may lie."""


def _unanchored(published: dt.date | None, unit: str) -> EventDate | None:
    """ "A few days later" after an event the text does not date: somewhere
    before publication, a range rather than the publication day itself."""
    if published is None:
        return None
    return span_date(add_days(published, -_UNANCHORED_DAYS.get(unit, 366)), published)


def _count(base: EventDate, unit: str, low: int, high: int) -> EventDate | None:
    """``base`` moved by ``low``..``high`` units (negative: back in time)."""
    low, high = min(low, high), max(low, high)
    if base.date is None:
        return None
    first, last = base.range or (base.date, base.date)
    if unit in ("day", "week"):
        days = 7 if unit == "week" else 1
        if base.precision != "day":
            return base
        return span_date(add_days(first, low * days), add_days(last, high * days))
    if unit == "month" and base.precision != "year":
        start, end = (
            shift_month(first.year, first.month, low),
            shift_month(last.year, last.month, high),
        )
        if start == end:
            return month_date(*start)
        return span_date(safe_date(*start, 1), month_end(*end), "month")
    if first.year + low == last.year + high:
        return year_date(first.year + low)
    return span_date(safe_date(first.year + low, 1, 1), safe_date(last.year + high, 12, 31), "year")


def _week(base: dt.date, phrase: FixedPhrase) -> EventDate | None:
    monday = week_start(base)
    start = add_days(monday, 7 * phrase.offset) if monday else None
    if start is None:
        return None
    if phrase.unit == "weekend":
        if phrase.mode == "until_base" and base.weekday() < 5:
            start = add_days(start, -7)  # "over the weekend", told on a weekday: the last one
        if start is None:
            return None
        last = add_days(start, 6)
        if phrase.mode == "until_base" and last is not None and last > base:
            last = base  # told on the Saturday: up to that day
        return span_date(add_days(start, 5), last)
    if phrase.mode == "until_base" and phrase.offset == 0:
        return span_date(start, base)
    return span_date(start, add_days(start, 6))


_OF_YEAR = MappingProxyType({"last year": -1, "this year": 0, "next year": 1})


def _season_year(low: int, high: int, word: str | None, c: Context) -> int | None:
    """The year a season told without one begins in ("last summer", "in the
    spring"): the latest one begun by publication; for "last" the latest one
    over; for "next", and for future events, the first one not over yet."""
    if c.published is None:
        return c.year
    now = (c.published.year, c.published.month)
    started = now[0] if now[1] >= low else now[0] - 1
    last_year, last_month = shift_month(started, high, 0)
    over = (last_year, last_month) < now
    if word == "last":
        return started if over else started - 1
    if word == "next":
        return started + 1
    if c.future:
        return started + 1 if over else started
    return started


def _movable(name: str, c: Context, word: str | None) -> EventDate | None:
    """The feast nearest publication: on or before it, after it for future events."""
    if c.published is None:
        return feast(name, c.year) if c.year is not None else None
    ahead = word == "next" or (c.future and word != "last")
    for year in (c.published.year, c.published.year + (1 if ahead else -1)):
        found = feast(name, year)
        if found is None or found.date is None:
            continue
        last = found.range[1] if found.range else found.date
        if (found.date > c.published) if ahead else (last <= c.published):
            return found
        if not ahead and word != "last" and found.date <= c.published:
            return found
    return None


def _nearest(month: int, day: int, c: Context, word: str | None = None) -> dt.date | None:
    """The year-less date in the year that fits: on or before publication for past
    events, after it for future ones ("next Christmas"); the document year when
    there is no publication date."""
    if c.published is None:
        return safe_date(c.year, month, day) if c.year is not None else None
    ahead = word == "next" or (c.future and word != "last")
    step = 1 if ahead else -1
    for year in range(c.published.year, c.published.year + 9 * step, step):
        found = safe_date(year, month, day)
        if found is None:
            if safe_date(2000, month, day) is None:
                return None  # "February 30" exists in no year
            continue  # 29 February, outside a leap year
        if _fits(found, c.published, word, ahead):
            return found
    return None


def _fits(found: dt.date, published: dt.date, word: str | None, ahead: bool) -> bool:
    """Strictly after for "next", strictly before for "last", else on the day too."""
    if ahead:
        return found > published if word == "next" else found >= published
    return found < published if word == "last" else found <= published


def _month_year(month: int, word: str | None, c: Context) -> int | None:
    """The year of a year-less month: the most recent such month not after the
    publication's ("in February"), the next one after it ("next February")."""
    if c.published is None:
        return c.year
    current = c.published.month
    if word == "this":
        return c.published.year
    if word == "next":
        return c.published.year + (1 if month <= current else 0)
    if c.future and word != "last":
        return c.published.year + (1 if month < current else 0)
    if word == "last":
        # the month just past is "last month"; "last February" said in March
        # is the February of the year before
        return c.published.year - (1 if month >= current - 1 else 0)
    return c.published.year - (1 if month > current else 0)
