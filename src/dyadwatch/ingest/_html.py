"""Main text and metadata of a news page, via trafilatura."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import trafilatura

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest._dates import parse_date

__all__ = ["HtmlContent", "extract_html"]

_DATE_PARAMS = {"original_date": True, "extensive_search": False}
"""Trust only dates the page marks up; a guessed "© 2021" date is worse than none."""


@dataclass(frozen=True, slots=True)
class HtmlContent:
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None


def extract_html(data: bytes) -> HtmlContent:
    """The story of a page without its navigation, footer and comments.

    ``data`` is given as bytes so that trafilatura can honour the page's own
    charset. Raises InputError DW110 when no text remains.
    """
    try:
        found = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except (ValueError, TypeError) as exc:
        raise InputError(Errors.DW110) from exc
    if found is None:
        raise InputError(Errors.DW110)
    if not isinstance(found, dict):
        found = found.as_dict()
    text = found.get("text") or ""
    if not isinstance(text, str) or not text.strip():
        raise InputError(Errors.DW110)
    return HtmlContent(
        text=text.strip(),
        title=_optional(found.get("title")),
        date=_page_date(found.get("date")),
        url=_optional(found.get("url")),
        publisher=_optional(found.get("sitename")),
    )


def _optional(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _page_date(value: object) -> dt.date | None:
    # A page's date is metadata, not the document: an odd one is dropped, not fatal.
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value[:10])
    except InputError:
        return None
