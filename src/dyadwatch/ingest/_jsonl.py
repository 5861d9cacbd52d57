"""JSON Lines input: one document per line, read as a stream."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest._dates import parse_date
from dyadwatch.model import Document

__all__ = ["Line", "document_from_line", "iter_lines"]

_DRAIN_BYTES = 1 << 20


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


def document_from_line(data: bytes, origin: str) -> Document | None:
    """The document on one JSONL line, or None for a blank line.

    Raises InputError DW103 (not UTF-8), DW105 (not a JSON object, or a
    metadata field that is not a string), DW106 (no usable ``text``) or DW109
    (bad ``date``). An ``id`` field is accepted and ignored: document ids are
    content hashes, which is what makes ingest idempotent.
    """
    record = _parse_object(data)
    if record is None:
        return None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        detail = "missing" if text is None else f"expected a non-empty string, got {text!r:.40}"
        raise InputError(Errors.DW106, detail=detail)
    return Document.from_text(
        text,
        date=_date_field(record.get("date")),
        url=_optional_str(record, "url"),
        title=_optional_str(record, "title"),
        publisher=_optional_str(record, "publisher"),
        origin=origin,
    )


def _parse_object(data: bytes) -> dict[str, object] | None:
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            Errors.DW103, detail=f"{exc.reason} at byte {exc.start} of the line"
        ) from exc
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(Errors.DW105, detail=f"{exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise InputError(Errors.DW105, detail=f"expected an object, got {type(record).__name__}")
    return record


def _optional_str(record: dict[str, object], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise InputError(Errors.DW105, detail=f"field {name!r} must be a string or null")


def _date_field(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    # 20210815 written as a JSON number is a common slip; accept it like the string.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InputError(Errors.DW109, value=value)
    return parse_date(value)
