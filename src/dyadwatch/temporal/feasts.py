"""Movable feasts, computed for any year: no table to download or to keep up.

* Easter and the days counted from it: the Gregorian computus;
* Thanksgiving (United States): the fourth Thursday of November;
* Eid al-Fitr (1 Shawwal) and Eid al-Adha (10 Dhu al-Hijjah): the arithmetic
  Islamic calendar. Where the feast is set by sighting the moon it may fall a
  day either side, so these give a three-day range;
* Diwali: the evening of the new moon of Kartika, in India's time. The new
  moon is the mean lunation with its main periodic terms (Meeus, chapter 49),
  good to well under an hour. Kartika's new moon is the first after the Sun
  enters sidereal Libra (about 17 October); Diwali is the day whose evening
  (from sunset, about 17:45 India time) falls in the lunar day that ends at
  that new moon.

``feast(name, year)`` gives the feast's date in ``year``, or None for a name
it does not know or a year past the calendar's ends.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

from dyadwatch.temporal.dates import EventDate, add_days, day_date, safe_date, span_date

__all__ = [
    "FEASTS",
    "diwali",
    "easter",
    "feast",
    "islamic_to_gregorian",
    "new_moon",
    "thanksgiving",
]

_JD_ORDINAL = 1721424.5
"""Julian day of the proleptic Gregorian ordinal 0 (midnight)."""
_ISLAMIC_EPOCH = 1948439.5
_IST = 5.5 / 24
_EVENING = 17.75 / 24
_INGRESS_HOUR = 7 / 24


def easter(year: int) -> dt.date | None:
    """Easter Sunday (Gregorian), by the anonymous Gregorian computus."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lunar = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lunar) // 451
    month = (h + lunar - 7 * m + 114) // 31
    day = (h + lunar - 7 * m + 114) % 31 + 1
    return safe_date(year, month, day)


def thanksgiving(year: int) -> dt.date | None:
    first = safe_date(year, 11, 1)
    if first is None:
        return None
    return add_days(first, (3 - first.weekday()) % 7 + 21)


def islamic_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """The arithmetic (tabular, civil epoch) Islamic calendar's day in the Gregorian one."""
    julian = (
        day
        + math.ceil(29.5 * (month - 1))
        + (year - 1) * 354
        + (3 + 11 * year) // 30
        + _ISLAMIC_EPOCH
        - 1
    )
    try:
        return dt.date.fromordinal(int(julian - _JD_ORDINAL))
    except (ValueError, OverflowError):
        return None


def _islamic_feast(month: int, day: int) -> Callable[[int], EventDate | None]:
    def build(year: int) -> EventDate | None:
        # The Islamic year is 11 days shorter: one of two Islamic years holds
        # the feast in a given Gregorian year.
        guess = round((year - 622) * 33 / 32)
        for islamic in (guess - 1, guess, guess + 1, guess + 2):
            found = islamic_to_gregorian(islamic, month, day)
            if found is not None and found.year == year:
                return span_date(add_days(found, -1), add_days(found, 1))
        return None

    return build


def new_moon(near: dt.date) -> float:
    """The Julian day (TT, fractional) of the new moon nearest ``near``."""
    years = near.year + (near.timetuple().tm_yday - 1) / 365.25
    k = round((years - 2000) * 12.3685)
    t = k / 1236.85
    jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t
    e = 1 - 0.002516 * t
    sun = math.radians(2.5534 + 29.10535670 * k)
    moon = math.radians(201.5643 + 385.81693528 * k)
    node = math.radians(160.7108 + 390.67050284 * k)
    jde += (
        -0.40720 * math.sin(moon)
        + 0.17241 * e * math.sin(sun)
        + 0.01608 * math.sin(2 * moon)
        + 0.01039 * math.sin(2 * node)
        + 0.00739 * e * math.sin(moon - sun)
        - 0.00514 * e * math.sin(moon + sun)
        + 0.00208 * e * e * math.sin(2 * sun)
    )
    return jde


def diwali(year: int) -> dt.date | None:
    ingress = safe_date(year, 10, 17)  # the Sun enters sidereal Libra that morning
    later = add_days(ingress, 29) if ingress is not None else None
    if ingress is None or later is None:
        return None
    local = new_moon(ingress) + 0.5 + _IST  # Julian days begin at noon
    if local < _julian(ingress) + _INGRESS_HOUR:
        local = new_moon(later) + 0.5 + _IST  # it closed the month before: take the next
    day = _ordinal_day(local)
    evening = (local - math.floor(local)) >= _EVENING
    return day if evening else add_days(day, -1)


def _julian(day: dt.date) -> float:
    """The shifted Julian day of ``day``'s midnight, as ``local`` counts it."""
    return day.toordinal() + _JD_ORDINAL + 0.5


def _ordinal_day(julian: float) -> dt.date:
    return dt.date.fromordinal(int(julian - _JD_ORDINAL - 0.5))


def _counted_from_easter(offset: int) -> Callable[[int], EventDate | None]:
    def build(year: int) -> EventDate | None:
        sunday = easter(year)
        return day_date(add_days(sunday, offset)) if sunday is not None else None

    return build


def _day(rule: Callable[[int], dt.date | None]) -> Callable[[int], EventDate | None]:
    return lambda year: day_date(rule(year))


FEASTS: Mapping[str, Callable[[int], EventDate | None]] = MappingProxyType(
    {
        "easter": _counted_from_easter(0),
        "easter sunday": _counted_from_easter(0),
        "easter monday": _counted_from_easter(1),
        "good friday": _counted_from_easter(-2),
        "palm sunday": _counted_from_easter(-7),
        "thanksgiving": _day(thanksgiving),
        "thanksgiving day": _day(thanksgiving),
        "eid al-fitr": _islamic_feast(10, 1),
        "eid ul-fitr": _islamic_feast(10, 1),
        "eid al-adha": _islamic_feast(12, 10),
        "eid ul-adha": _islamic_feast(12, 10),
        "diwali": _day(diwali),
        "deepavali": _day(diwali),
    }
)


def feast(name: str, year: int) -> EventDate | None:
    rule = FEASTS.get(name)
    if rule is None or not dt.MINYEAR < year < dt.MAXYEAR:
        return None
    try:
        return rule(year)
    except (ValueError, OverflowError):
        return None
