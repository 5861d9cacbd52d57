"""Batch inputs: what :func:`dyadwatch.ingest.read_inputs` reads, gzipped or not.

A ``.jsonl.gz``, ``.txt.gz``, ``.html.gz`` or ``.htm.gz`` file is read as
the file it compresses; documents and error records name the ``.gz`` path.
Directories are walked recursively in sorted order, hidden entries skipped,
so the same inputs always give the same items in the same order.
"""

from __future__ import annotations

import dataclasses
import gzip
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from dyadwatch.config import MAX_DOCUMENT_BYTES
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.ingest import SUFFIXES, read_inputs
from dyadwatch.model import Document

__all__ = ["Item", "estimate_items", "input_files", "read_batch_inputs"]

Item = Document | ErrorRecord

_GZ = ".gz"
_STDIN_ORIGIN = "<stdin>"
_GZIP_ERRORS = (OSError, EOFError, zlib.error)


def _inner_suffix(path: Path) -> str:
    """The file type: ``.jsonl`` for both ``a.jsonl`` and ``a.jsonl.gz``."""
    if path.suffix.lower() == _GZ:
        return Path(path.stem).suffix.lower()
    return path.suffix.lower()


def _wanted(path: Path) -> bool:
    return _inner_suffix(path) in SUFFIXES


def input_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files ``paths`` name, directories expanded, in reading order."""
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if not path.is_dir():
            files.append(path)
            continue
        found = [
            p
            for p in path.rglob("*")
            if not any(part.startswith(".") for part in p.relative_to(path).parts)
            and _wanted(p)
            and p.is_file()
        ]
        files.extend(sorted(found, key=lambda p: p.relative_to(path).as_posix()))
    return files


def read_batch_inputs(
    paths: Iterable[Path | str], *, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Item]:
    """Documents and error records of ``paths`` (files or directories), in order.

    Errors are the DW1xx records of ``read_inputs``; an unreadable or corrupt
    ``.gz`` file is DW108 and reading goes on.
    """
    for path in input_files(paths):
        if path.suffix.lower() == _GZ and _wanted(path):
            yield from _read_gzip(path, max_bytes)
        else:
            yield from read_inputs([path], max_bytes=max_bytes)


def _read_gzip(path: Path, max_bytes: int) -> Iterator[Item]:
    try:
        if _inner_suffix(path) == ".jsonl":
            with gzip.open(path, "rb") as stream:
                binary = cast(BinaryIO, stream)
                items = read_inputs(["-"], stdin=binary, stdin_format="jsonl", max_bytes=max_bytes)
                yield from (_renamed(item, _STDIN_ORIGIN, path) for item in items)
            return
        yield from _read_gzip_file(path, max_bytes)
    except _GZIP_ERRORS as exc:
        error = InputError(Errors.DW108, detail=f"corrupt gzip data ({exc})")
        yield dataclasses.replace(error.to_record(), path=str(path))


def _read_gzip_file(path: Path, max_bytes: int) -> Iterator[Item]:
    """A compressed .txt or .html, decompressed (at most ``max_bytes`` + 1) and read."""
    with gzip.open(path, "rb") as stream:
        data = stream.read(max_bytes + 1)
    with tempfile.TemporaryDirectory(prefix="dyadwatch-gz-") as folder:
        plain = Path(folder) / Path(path.stem).name
        plain.write_bytes(data)
        items = list(read_inputs([plain], max_bytes=max_bytes))
    yield from (_renamed(item, str(plain), path) for item in items)


def _renamed(item: Item, old: str, path: Path) -> Item:
    """``item`` with its origin (and a path id) naming the .gz file instead of ``old``."""
    if isinstance(item, Document):
        origin = item.origin or old
        # A decompressed file's id is its temporary path: the .gz file's own is the stable one.
        doc_id = path.as_posix() if item.id == Path(old).as_posix() else item.id
        return dataclasses.replace(item, origin=origin.replace(old, str(path), 1), id=doc_id)
    return dataclasses.replace(item, path=str(path))


def estimate_items(paths: Iterable[Path | str]) -> int:
    """About how many items ``read_batch_inputs`` yields: for progress bars.

    One per .txt/.html file and one per non-blank JSONL line, counted without
    parsing. Unreadable files count one.
    """
    total = 0
    for path in input_files(paths):
        if _inner_suffix(path) != ".jsonl":
            total += 1
            continue
        try:
            total += _count_lines(path)
        except _GZIP_ERRORS:
            total += 1
    return total


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.suffix.lower() == _GZ else open
    count = 0
    with opener(path, "rb") as stream:
        for line in stream:
            count += bool(line.strip())
    return count
