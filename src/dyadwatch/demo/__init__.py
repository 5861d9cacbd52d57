"""The demo corpus behind ``make demo``: our own briefs on public events of 2016–2019.

``corpus.jsonl`` holds one brief per line, sorted by date::

    {"id": "demo-0001", "date": "YYYY-MM-DD", "publisher": "...", "title": "...",
     "text": "...", "url": "https://example.org/..."}

``url`` is optional. The briefs are written by the dyadwatch authors about real,
public events; the outlets are invented (see ``docs/DEMO_CORPUS.md``).
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from dyadwatch.errors import ErrorCode, Errors, InputError
from dyadwatch.ingest import parse_date
from dyadwatch.model import Document

__all__ = ["CORPUS_FILE", "corpus_path", "load_corpus"]

CORPUS_FILE = "corpus.jsonl"
_STRING_FIELDS = ("id", "publisher", "title")


def corpus_path() -> Traversable:
    """Where the bundled corpus lives inside the installed package."""
    return resources.files(__name__).joinpath(CORPUS_FILE)


def load_corpus(path: Traversable | Path | None = None) -> list[Document]:
    """The briefs of ``path`` (default: the bundled corpus) as dated Documents.

    Blank lines are skipped. A bad line raises InputError naming the file and
    line: DW103 (not UTF-8), DW105 (not a JSON object, or ``id``/``publisher``/
    ``title``/``url`` not a non-empty string), DW106 (no usable ``text``) or
    DW109 (``date`` missing or not ``YYYY-MM-DD``); DW108 if it cannot be read.
    """
    source = corpus_path() if path is None else path
    documents = []
    for number, line in enumerate(_read_text(source).splitlines(), start=1):
        if line.strip():
            documents.append(_parse_line(line, source, number))
    return documents


def _read_text(source: Traversable | Path) -> str:
    try:
        return source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Errors.DW103, path=str(source), detail=str(exc)) from exc
    except OSError as exc:
        raise InputError(Errors.DW108, path=str(source), detail=str(exc)) from exc


class _BadField(Exception):
    """What is wrong with a line, raised before we attach where it is."""

    def __init__(self, error: ErrorCode, **fields: object) -> None:
        super().__init__(error.code)
        self.error = error
        self.fields = fields


def _parse_line(line: str, source: Traversable | Path, number: int) -> Document:
    try:
        record = _record(line)
        return Document.from_text(
            _text(record),
            date=_date(record),
            url=_optional_url(record),
            title=_required_str(record, "title"),
            publisher=_required_str(record, "publisher"),
            origin=f"{source.name}:{number}",
        )
    except _BadField as bad:
        raise InputError(bad.error, path=str(source), line=number, **bad.fields) from bad


def _record(line: str) -> dict[str, object]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadField(Errors.DW105, detail=f"{exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise _BadField(Errors.DW105, detail=f"expected an object, got {type(record).__name__}")
    for name in _STRING_FIELDS:
        _required_str(record, name)
    return record


def _required_str(record: dict[str, object], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _BadField(Errors.DW105, detail=f"field {name!r} must be a non-empty string")
    return value


def _optional_url(record: dict[str, object]) -> str | None:
    return _required_str(record, "url") if "url" in record else None


def _text(record: dict[str, object]) -> str:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        detail = "missing" if text is None else f"expected a non-empty string, got {text!r:.40}"
        raise _BadField(Errors.DW106, detail=detail)
    return text


def _date(record: dict[str, object]) -> dt.date:
    value = record.get("date")
    # The demo's monthly series needs every brief dated, so a missing date is an error.
    if not isinstance(value, str):
        raise _BadField(Errors.DW109, value=value)
    try:
        return parse_date(value)
    except InputError as exc:
        raise _BadField(Errors.DW109, value=value) from exc
