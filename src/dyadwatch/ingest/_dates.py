"""Strict parsing of the document dates users give us."""

from __future__ import annotations

import datetime as dt
import re

from dyadwatch.errors import Errors, InputError

__all__ = ["parse_date"]

_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})", re.ASCII)  # "٢٠٢١" is not a year we accept


def parse_date(value: str) -> dt.date:
    """``YYYY-MM-DD`` or ``YYYYMMDD`` as a date; anything else raises InputError DW109.

    Surrounding whitespace is ignored. Mixed forms such as ``2021-0815`` are
    refused, as are impossible days such as ``2021-02-30``.
    """
    text = value.strip()
    match = _DATE.fullmatch(text)
    if match is None or (len(text) not in (8, 10)):
        raise InputError(Errors.DW109, value=value)
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise InputError(Errors.DW109, value=value) from exc
