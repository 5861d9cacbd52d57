"""Read input files, directories and stdin into Documents, one error record per bad item.

A batch never stops on bad input: every unreadable file, oversize document or
malformed JSONL line becomes an :class:`~dyadwatch.errors.ErrorRecord` in the
stream and reading goes on with the next item. What was repaired on the way (a
bad optional field dropped, a legacy encoding decoded) is a warning record
(:attr:`ErrorRecord.is_warning`) just before its document.

Documents keep the user's ids: a JSONL ``id``, or a file's path relative to
the directory named (the path as given for a file named on its own). An id
seen again in the same run with a different text is DW119 for the second.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from dyadwatch.config import MAX_DOCUMENT_BYTES
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.ingest._html import extract_html
from dyadwatch.ingest._jsonl import document_from_line, iter_lines
from dyadwatch.ingest._text import decode_text
from dyadwatch.ingest._url import NOT_FETCHED, looks_like_url, read_url
from dyadwatch.ingest.fetch import Fetcher
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
    fetcher: Fetcher | None = None,
) -> Iterator[Item]:
    """Documents, warnings and error records from files, directories, ``-`` (stdin) and URLs.

    Directories are walked recursively in sorted order for the :data:`SUFFIXES`,
    skipping hidden entries. ``max_bytes`` limits one document: a .txt or .html
    file, one JSONL line, the text on stdin, or a fetched page. ``stdin``
    replaces ``sys.stdin.buffer`` (for tests and servers). http and https URLs
    are fetched with ``fetcher``; without one, or for another scheme, a URL is
    DW120. Errors and warnings are DW1xx records (DW7xx for a failed fetch).
    """
    reader = _Reader(max_bytes, fetcher)
    for item in paths:
        text = str(item)
        if text == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from reader.stdin(stream, stdin_format)
        elif isinstance(item, str) and looks_like_url(text):
            yield from reader.url(text)
        else:
            yield from reader.path(Path(item))


@dataclass(slots=True)
class _Ids:
    """The user ids seen in one run, with a digest of their text: a reused id is DW119.

    Each id kept costs about 130 bytes plus its origin string (tracemalloc,
    100,000 ids of 14 characters); documents without an id of their own are
    not kept, as their hash id cannot name another text.
    """

    seen: dict[str, tuple[int, str]] = field(default_factory=dict)

    def clash(self, document: Document) -> InputError | None:
        # The run's own str hash: 64 bits, in C, never stored; two texts colliding is moot.
        digest = hash(document.text)
        where = document.origin or "an earlier document"
        first = self.seen.setdefault(document.id, (digest, where))
        if first[0] == digest:
            return None
        return InputError(Errors.DW119, doc_id=document.id, first=first[1])


@dataclass(slots=True)
class _Reader:
    """One run's reading: its limits, its fetcher and the ids it has seen."""

    max_bytes: int
    fetcher: Fetcher | None
    ids: _Ids = field(default_factory=_Ids)

    def path(self, path: Path) -> Iterator[Item]:
        if not path.is_dir():
            yield from self._file(path, path.as_posix())
            return
        try:
            files = _walk(path)
        except OSError as exc:
            yield _os_record(exc, path)
            return
        for file in files:
            yield from self._file(file, file.relative_to(path).as_posix())

    def url(self, url: str) -> Iterator[Item]:
        if self.fetcher is None:
            yield _record(InputError(Errors.DW120, url=url, reason=NOT_FETCHED), url)
            return
        yield from read_url(url, self.fetcher, self.max_bytes)  # ids are text hashes

    def stdin(self, stream: BinaryIO, stdin_format: StdinFormat) -> Iterator[Item]:
        if stdin_format == "jsonl":
            yield from self._jsonl(stream, STDIN_ORIGIN)
            return
        try:
            data = stream.read(self.max_bytes + 1)
        except OSError as exc:
            yield _os_record(exc, STDIN_ORIGIN)
            return
        if len(data) > self.max_bytes:
            size = f"more than {self.max_bytes}"
            yield _record(InputError(Errors.DW104, size=size, limit=self.max_bytes), STDIN_ORIGIN)
            return
        yield from self._single(data, ".txt", STDIN_ORIGIN, None)

    def _file(self, path: Path, doc_id: str) -> Iterator[Item]:
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield _os_record(exc, path)
            return
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            yield _record(InputError(Errors.DW107, suffix=path.suffix), path)
        elif suffix == ".jsonl":
            yield from self._jsonl_file(path)
        elif size > self.max_bytes:
            # Refused from its size alone: an oversize file is never read.
            yield _record(InputError(Errors.DW104, size=size, limit=self.max_bytes), path)
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield _os_record(exc, path)
                return
            yield from self._single(data, suffix, str(path), doc_id)

    def _single(self, data: bytes, suffix: str, origin: str, doc_id: str | None) -> Iterator[Item]:
        try:
            document, guessed = _document(data, suffix, origin, doc_id)
        except InputError as exc:
            yield _record(exc, origin)
            return
        if guessed is not None:
            yield _record(InputError(Errors.DW118, encoding=guessed), origin)
        yield document if doc_id is None else self._checked(document, origin)

    def _jsonl_file(self, path: Path) -> Iterator[Item]:
        try:
            with path.open("rb") as stream:
                yield from self._jsonl(stream, str(path))
        except OSError as exc:
            yield _os_record(exc, path)

    def _jsonl(self, stream: BinaryIO, name: str) -> Iterator[Item]:
        legacy: str | None = None  # warned once: later lines in it are read without a word
        for line in iter_lines(stream, self.max_bytes):
            if line.data is None:
                oversize = InputError(Errors.DW104, size=line.size, limit=self.max_bytes)
                yield _record(oversize, name, line.number)
                continue
            try:
                parsed = document_from_line(line.data, f"{name}:{line.number}", legacy)
            except InputError as exc:
                yield _record(exc, name, line.number)
                continue
            if parsed is not None:
                legacy = parsed.encoding or legacy
                yield from (_record(warning, name, line.number) for warning in parsed.warnings)
                document = parsed.document
                yield self._checked(document, name, line.number) if parsed.own_id else document

    def _checked(self, document: Document, path: str, line: int | None = None) -> Item:
        # Only the user's ids can clash: a hash id names its text, whatever it is.
        clash = self.ids.clash(document)
        return document if clash is None else _record(clash, path, line)


def _walk(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in SUFFIXES and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _document(
    data: bytes, suffix: str, origin: str, doc_id: str | None
) -> tuple[Document, str | None]:
    """The document of a whole file, and the encoding detection chose, if it had to."""
    if suffix == ".txt":
        decoded = decode_text(data)
        guessed = decoded.encoding if decoded.guessed else None
        return Document.from_text(decoded.text, origin=origin, doc_id=doc_id), guessed
    page = extract_html(data)
    document = Document.from_text(
        page.text,
        date=page.date,
        url=page.url,
        title=page.title,
        publisher=page.publisher,
        origin=origin,
        doc_id=doc_id,
    )
    return document, page.guessed_encoding


def _record(exc: InputError, path: Path | str, line: int | None = None) -> ErrorRecord:
    # Helpers raise without a location; the reader knows it and adds it here.
    return dataclasses.replace(exc.to_record(), path=str(path), line=line)


def _os_record(exc: OSError, path: Path | str) -> ErrorRecord:
    detail = exc.strerror or type(exc).__name__
    return _record(InputError(Errors.DW108, detail=detail), path)
