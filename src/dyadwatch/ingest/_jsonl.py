"""JSON Lines input: one document per line, read as a stream."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest._dates import parse_date
from dyadwatch.ingest._text import decode_bytes
from dyadwatch.model import Document

__all__ = ["Line", "LineDocument", "document_from_line", "is_absolute_url", "iter_lines"]

_DRAIN_BYTES = 1 << 20
_SHOWN = 80
"""Characters of a bad value a warning shows."""

_ABSOLUTE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*")
"""A scheme, ``://``, a host, then anything but white space."""


@dataclass(frozen=True, slots=True)
class Line:
    """A line without its terminator; ``data`` is None when it was over the limit."""

    number: int
    data: bytes | None
    size: int


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[Line]:
    """Lines of ``stream``, never holding more than ``limit`` bytes of one line.

    An oversize line is skipped to its end and reported with its full size, so
    one huge record costs neither memory nor the rest of the file.
    """
    number = 0
    while raw := stream.readline(limit + 2):
        number += 1
        if raw.endswith(b"\n") or len(raw) < limit + 2:
            content = raw.rstrip(b"\r\n")
            size = len(content)
            yield Line(number, content if size <= limit else None, size)
        else:
            yield Line(number, None, len(raw) + _drain_line(stream))


def _drain_line(stream: BinaryIO) -> int:
    skipped = 0
    while chunk := stream.readline(_DRAIN_BYTES):
        if chunk.endswith(b"\n"):
            return skipped + len(chunk.rstrip(b"\r\n"))
        skipped += len(chunk)
    return skipped


@dataclass(frozen=True, slots=True)
class LineDocument:
    """The document on a line, with a DW117/DW118 warning for each thing repaired.

    ``own_id`` tells whether the id is the user's (else it is the text's hash);
    ``encoding`` names the legacy encoding the line was read in, if not UTF-8.
    """

    document: Document
    warnings: tuple[InputError, ...] = ()
    own_id: bool = False
    encoding: str | None = None


def document_from_line(data: bytes, origin: str, legacy: str | None = None) -> LineDocument | None:
    """The document on one JSONL line, or None for a blank line.

    The user's ``id`` (a string or an integer) becomes the document id; without
    one, the id is a hash of the text. A line that is not UTF-8 is read in
    ``legacy`` (the encoding an earlier line of the file was found in) when it
    fits, else decoded by detection (warning DW118). An unreadable optional field (``id``, ``date``,
    ``url``, ``title``, ``publisher``) is dropped with a DW117 warning: the text
    is what matters. Raises InputError DW102 (binary), DW103 (no encoding
    fits), DW105 (not a JSON object) or DW106 (no usable ``text``).
    """
    warnings: list[InputError] = []
    line, encoding = _decode_line(data, legacy, warnings)
    record = _parse_object(line)
    if record is None:
        return None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        detail = "missing" if text is None else f"expected a non-empty string, got {text!r:.40}"
        raise InputError(Errors.DW106, detail=detail)
    fields = _Fields(record, warnings)
    doc_id = fields.doc_id()
    document = Document.from_text(
        text,
        date=fields.date(),
        url=fields.url(),
        title=fields.string("title"),
        publisher=fields.string("publisher"),
        origin=origin,
        doc_id=doc_id,
    )
    return LineDocument(document, tuple(warnings), doc_id is not None, encoding)


def _decode_line(
    data: bytes, legacy: str | None, warnings: list[InputError]
) -> tuple[str, str | None]:
    """The line's text and its legacy encoding (None for UTF-8)."""
    try:  # the common case, first and fast: JSON is UTF-8
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if legacy is not None:
        # Detection costs milliseconds a line; a file is nearly always in one encoding.
        try:
            return data.decode(legacy), legacy
        except UnicodeDecodeError:
            pass
    decoded = decode_bytes(data)
    warnings.append(InputError(Errors.DW118, encoding=decoded.encoding))
    return decoded.text, decoded.encoding


def _parse_object(line: str) -> dict[str, object] | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(Errors.DW105, detail=f"{exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise InputError(Errors.DW105, detail=f"expected an object, got {type(record).__name__}")
    return record


@dataclass(frozen=True, slots=True)
class _Fields:
    """Reads the optional fields of one record; a bad value becomes None and a warning."""

    record: dict[str, object]
    warnings: list[InputError]

    def doc_id(self) -> str | None:
        value = self.record.get("id")
        if _is_int(value):
            return str(value)
        if isinstance(value, str) and value.strip() and value.isprintable():
            return value.strip()
        self._warn(value, "id", "expected a non-empty printable string or an integer")
        return None

    def date(self) -> dt.date | None:
        value = self.record.get("date")
        # 20210815 written as a JSON number is a common slip; accept it like the string.
        text = str(value) if _is_int(value) else value
        if isinstance(text, str) and text.strip():
            try:
                return parse_date(text)
            except InputError:
                pass
        self._warn(value, "date", "expected a real day as YYYY-MM-DD or YYYYMMDD")
        return None

    def url(self) -> str | None:
        value = self.record.get("url")
        if isinstance(value, str) and is_absolute_url(value.strip()):
            return value.strip()
        self._warn(value, "url", "expected an absolute URL such as https://host/path")
        return None

    def string(self, name: str) -> str | None:
        value = self.record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        self._warn(value, name, "expected a string")
        return None

    def _warn(self, value: object, name: str, reason: str) -> None:
        # Missing, null and blank are simply absent; anything else was a mistake worth a word.
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        shown = value if isinstance(value, str) else json.dumps(value)
        shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
        self.warnings.append(InputError(Errors.DW117, field=name, value=shown, reason=reason))


def is_absolute_url(text: str) -> bool:
    """Whether ``text`` is a URL with a scheme and a host, and no space or control character."""
    return text.isprintable() and _ABSOLUTE_URL.fullmatch(text) is not None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
