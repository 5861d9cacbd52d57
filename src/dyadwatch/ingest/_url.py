"""One article by its URL: fetched politely, decoded by its charset, extracted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message

from dyadwatch.errors import ErrorRecord, Errors, InputError, WatchError
from dyadwatch.ingest._html import extract_html
from dyadwatch.ingest._text import decode_text
from dyadwatch.ingest.fetch import Fetcher, Response
from dyadwatch.model import Document

__all__ = ["NOT_FETCHED", "URL_SCHEMES", "looks_like_url", "read_url"]

URL_SCHEMES = frozenset({"http", "https"})
"""The only URLs read; a ``file:`` URL would let a page name a local file."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_PLAIN = frozenset({"text/plain"})
_ONLY_HTTP = "only http:// and https:// URLs are fetched"
NOT_FETCHED = "URLs are read only when a fetcher is given (`dyadwatch code URL`)"


def looks_like_url(item: str) -> bool:
    """Whether a command-line item is a URL (``scheme://…``) rather than a path.

    A Windows drive (``C:\\…``) is a path: schemes are longer than one letter.
    """
    return _SCHEME.match(item) is not None


def read_url(url: str, fetcher: Fetcher, max_bytes: int) -> Iterator[Document | ErrorRecord]:
    """The article at ``url`` as a document, with its warnings; or one error record.

    Only http and https URLs are fetched (DW120 otherwise), with ``fetcher``'s
    robots.txt, timeout and size cap (DW701/DW702). A ``text/plain`` answer is
    read as text, anything else as HTML, decoded by the charset of its
    Content-Type first. A body over ``max_bytes`` is DW104.
    The document's ``url`` is the final one, after redirects.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme not in URL_SCHEMES:
        yield _record(InputError(Errors.DW120, url=url, reason=_ONLY_HTTP), url)
        return
    try:
        response = fetcher.get(url)
        yield from _document(response, url, max_bytes)
    except (InputError, WatchError) as exc:
        yield _record(exc, url)


def _document(response: Response, asked: str, max_bytes: int) -> Iterator[Document | ErrorRecord]:
    final, body = response.url, response.body
    if len(body) > max_bytes:
        raise InputError(Errors.DW104, size=len(body), limit=max_bytes)
    kind, charset = _content_type(response.content_type)
    if kind in _PLAIN:
        decoded = decode_text(body, charset)
        text, guessed = decoded.text, decoded.encoding if decoded.guessed else None
        document = Document.from_text(text, url=final, origin=asked)
    else:
        page = extract_html(body, charset)
        guessed = page.guessed_encoding
        document = Document.from_text(
            page.text, date=page.date, url=final, title=page.title,
            publisher=page.publisher, origin=asked,
        )  # fmt: skip
    if guessed is not None:
        yield _record(InputError(Errors.DW118, encoding=guessed), asked)
    yield document


def _content_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["Content-Type"] = header or "text/html"
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def _record(exc: InputError | WatchError, url: str) -> ErrorRecord:
    return ErrorRecord(exc.code, exc.message, url, None, None)
