"""Read input files, directories and stdin into Documents, one error record per bad item.

A batch never stops on bad input: every unreadable file, oversize document or
malformed JSONL line becomes an :class:`~dyadwatch.errors.ErrorRecord` in the
stream and reading goes on with the next item.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from dyadwatch.config import MAX_DOCUMENT_BYTES
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.ingest._html import extract_html
from dyadwatch.ingest._jsonl import document_from_line, iter_lines
from dyadwatch.ingest._text import decode_text
from dyadwatch.model import Document

__all__ = ["STDIN", "SUFFIXES", "StdinFormat", "read_inputs"]

STDIN = "-"
"""The path that means standard input."""

STDIN_ORIGIN = "<stdin>"

SUFFIXES = frozenset({".txt", ".html", ".htm", ".jsonl"})
"""File types read from a directory; any other file named explicitly is DW107."""

StdinFormat = Literal["text", "jsonl"]

Item = Document | ErrorRecord


def read_inputs(
    paths: Iterable[Path | str],
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    stdin_format: StdinFormat = "text",
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Documents and error records from files, directories and ``-`` (stdin), in order.

    Directories are walked recursively in sorted order for the :data:`SUFFIXES`,
    skipping hidden entries. ``max_bytes`` limits one document: a .txt or .html
    file, one JSONL line, or the text on stdin. ``stdin`` replaces
    ``sys.stdin.buffer`` (for tests and servers). Errors are DW1xx records.
    """
    for item in paths:
        if str(item) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stdin(stream, stdin_format, max_bytes)
        else:
            yield from _read_path(Path(item), max_bytes)


def _read_path(path: Path, max_bytes: int) -> Iterator[Item]:
    if not path.is_dir():
        yield from _read_file(path, max_bytes)
        return
    try:
        files = _walk(path)
    except OSError as exc:
        yield _os_record(exc, path)
        return
    for file in files:
        yield from _read_file(file, max_bytes)


def _walk(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in SUFFIXES and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield _os_record(exc, path)
        return
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield _record(InputError(Errors.DW107, suffix=path.suffix), path)
    elif suffix == ".jsonl":
        yield from _read_jsonl_file(path, max_bytes)
    elif size > max_bytes:
        # Refused from its size alone: an oversize file is never read.
        yield _record(InputError(Errors.DW104, size=size, limit=max_bytes), path)
    else:
        yield _read_single(path, suffix)


def _read_single(path: Path, suffix: str) -> Item:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _os_record(exc, path)
    try:
        return _document(data, suffix, str(path))
    except InputError as exc:
        return _record(exc, path)


def _document(data: bytes, suffix: str, origin: str) -> Document:
    if suffix == ".txt":
        return Document.from_text(decode_text(data), origin=origin)
    page = extract_html(data)
    return Document.from_text(
        page.text,
        date=page.date,
        url=page.url,
        title=page.title,
        publisher=page.publisher,
        origin=origin,
    )


def _read_jsonl_file(path: Path, max_bytes: int) -> Iterator[Item]:
    try:
        with path.open("rb") as stream:
            yield from _read_jsonl(stream, str(path), max_bytes)
    except OSError as exc:
        yield _os_record(exc, path)


def _read_jsonl(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[Item]:
    for line in iter_lines(stream, max_bytes):
        if line.data is None:
            oversize = InputError(Errors.DW104, size=line.size, limit=max_bytes)
            yield _record(oversize, name, line.number)
            continue
        try:
            document = document_from_line(line.data, f"{name}:{line.number}")
        except InputError as exc:
            yield _record(exc, name, line.number)
            continue
        if document is not None:
            yield document


def _read_stdin(stream: BinaryIO, stdin_format: StdinFormat, max_bytes: int) -> Iterator[Item]:
    if stdin_format == "jsonl":
        yield from _read_jsonl(stream, STDIN_ORIGIN, max_bytes)
        return
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        yield _os_record(exc, STDIN_ORIGIN)
        return
    if len(data) > max_bytes:
        oversize = InputError(Errors.DW104, size=f"more than {max_bytes}", limit=max_bytes)
        yield _record(oversize, STDIN_ORIGIN)
        return
    try:
        yield Document.from_text(decode_text(data), origin=STDIN_ORIGIN)
    except InputError as exc:
        yield _record(exc, STDIN_ORIGIN)


def _record(exc: InputError, path: Path | str, line: int | None = None) -> ErrorRecord:
    # Helpers raise without a location; the reader knows it and adds it here.
    return dataclasses.replace(exc.to_record(), path=str(path), line=line)


def _os_record(exc: OSError, path: Path | str) -> ErrorRecord:
    detail = exc.strerror or type(exc).__name__
    return _record(InputError(Errors.DW108, detail=detail), path)
