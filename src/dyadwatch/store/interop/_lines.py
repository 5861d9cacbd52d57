"""Tab-separated lines of an event file, numbered, with unreadable lines as error records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dyadwatch.errors import ErrorRecord, Errors, InputError

__all__ = ["bad_row", "tab_lines"]


def tab_lines(path: Path, format_name: str) -> Iterator[tuple[int, list[str]] | ErrorRecord]:
    """``(line number, fields)`` for each non-blank line; bad UTF-8 gives a DW112 record.

    Raises InputError DW108 when the file cannot be opened.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(Errors.DW108, path=path, detail=str(exc)) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield bad_row(path, number, format_name, f"not UTF-8 ({exc.reason})")
                continue
            line = line.rstrip("\r\n")
            if line:
                yield number, line.split("\t")


def bad_row(path: Path, line: int, format_name: str, detail: str) -> ErrorRecord:
    """The DW112 record of one rejected row."""
    error = InputError(Errors.DW112, path=path, line=line, format=format_name, detail=detail)
    return error.to_record()
