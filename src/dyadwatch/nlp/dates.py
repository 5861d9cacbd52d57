"""Event dates a sentence states outright; otherwise the publication date.

This covers absolute day dates ("26 February 2019", "February 26, 2019") and
month dates ("May 1998"). Relative and partial dates are the job of the
temporal resolver (issue 3) and fall back to the publication date here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dyadwatch.model import DatePrecision

__all__ = ["sentence_date"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PATTERNS = (
    re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),
)


def sentence_date(
    text: str, published: dt.date | None
) -> tuple[dt.date | None, DatePrecision | None]:
    """The date a sentence states (day or month precision), else ``published``."""
    for pattern in _PATTERNS:
        for found in pattern.finditer(text):
            parts = found.groupdict()
            day = int(parts["day"]) if parts.get("day") else None
            try:
                value = dt.date(int(parts["year"]), _MONTHS[parts["month"].lower()], day or 1)
            except ValueError:
                continue  # "February 30" is not a date; keep looking
            return value, ("day" if day else "month")
    if published is not None:
        return published, "day"
    return None, None
