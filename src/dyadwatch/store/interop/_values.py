"""Text ↔ value for the cells of delimited event files, and the raw-text ledger.

Imports keep the exact text of a modelled cell when our canonical rendering of
its value would differ ("0.0" read as 0.0 is written back as "0"): the text is
stored in ``extra`` under ``raw:<column>``. Writers use it only while it still
renders to the same value, so editing an event never exports stale text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, MutableMapping

__all__ = [
    "RAW",
    "BadValue",
    "float_text",
    "format_float",
    "format_scale",
    "keep_raw",
    "parse_float",
    "parse_int",
    "parse_yyyymmdd",
    "pick",
    "scale_text",
]

RAW = "raw:"
"""Prefix of the ``extra`` keys that hold a modelled cell's original text."""


class BadValue(ValueError):
    """A cell that does not hold what its column requires; the message says why."""


def parse_int(text: str, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadValue(f"{column} {text!r} is not an integer") from None


def parse_float(text: str, column: str) -> float | None:
    """A float, or None for an empty cell."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"{column} {text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue(f"{column} {text!r} is not a finite number")
    return value


def parse_yyyymmdd(text: str, column: str) -> dt.date:
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise BadValue(f"{column} {text!r} is not a YYYYMMDD date")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise BadValue(f"{column} {text!r} is not a calendar date") from None


def format_float(value: float | None) -> str:
    """Shortest text that reads back as ``value``; whole numbers without ".0" ("-41")."""
    if value is None:
        return ""
    if value.is_integer():
        return str(int(value))
    return repr(value)


def format_scale(value: float | None) -> str:
    """A Goldstein-style score as GDELT writes it: whole numbers keep ".0" ("-2.0")."""
    return "" if value is None else repr(value)


def keep_raw(extra: MutableMapping[str, str], column: str, raw: str, canonical: str) -> None:
    """Remember ``raw`` when the writer would otherwise render the cell differently."""
    if raw != canonical:
        extra[RAW + column] = raw


def pick(
    extra: Mapping[str, str], column: str, canonical: str, normalise: Callable[[str], str]
) -> str:
    """The original text of a cell if it still means ``canonical``, else ``canonical``."""
    raw = extra.get(RAW + column)
    if raw is None:
        return canonical
    try:
        same = normalise(raw) == canonical
    except ValueError:
        same = False
    return raw if same else canonical


def float_text(text: str) -> str:
    """The canonical text of a float cell (used as ``normalise`` for :func:`pick`)."""
    return format_float(parse_float(text, "value"))


def scale_text(text: str) -> str:
    """The canonical text of a Goldstein-style cell (``normalise`` for :func:`pick`)."""
    return format_scale(parse_float(text, "value"))
