"""Main text and metadata of a news page, via trafilatura."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import trafilatura

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest._dates import parse_date
from dyadwatch.ingest._text import decode_bytes

__all__ = ["HtmlContent", "declared_charset", "extract_html"]

_DATE_PARAMS = {"original_date": True, "extensive_search": False}
"""Trust only dates the page marks up; a guessed "© 2021" date is worse than none."""

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
_PRESCAN_BYTES = 4096
"""Where a page's ``<meta charset>`` must be (HTML says 1024; real pages stretch it)."""


@dataclass(frozen=True, slots=True)
class HtmlContent:
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    guessed_encoding: str | None = None
    """The encoding detection chose, when neither a BOM, a charset nor UTF-8 fitted."""


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares: a ``<meta>`` tag near its start, or an XHTML ``<?xml?>``."""
    start = data[:_PRESCAN_BYTES]
    found = _META_CHARSET.search(start) or _XML_ENCODING.match(start)
    return found.group(1).decode("ascii") if found else None


def extract_html(data: bytes, charset: str | None = None) -> HtmlContent:
    """The story of a page without its navigation, footer and comments.

    The bytes are decoded by their BOM, by ``charset`` (an HTTP header's), by
    the page's ``<meta charset>``, as UTF-8, or else by detection. Raises
    InputError DW102 for binary data and DW110 when no text remains.
    """
    decoded = decode_bytes(data, charset or declared_charset(data))
    try:
        found = trafilatura.bare_extraction(
            decoded.text,
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
        guessed_encoding=decoded.encoding if decoded.guessed else None,
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
