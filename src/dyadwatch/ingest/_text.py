"""Bytes to text: the checks every plain-text input goes through."""

from __future__ import annotations

import codecs

from dyadwatch.errors import Errors, InputError

__all__ = ["check_not_binary", "decode_text"]

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
"""Control bytes that real text files contain (tabs, line ends, ANSI escapes)."""

_MAX_CONTROL_SHARE = 0.10
"""Above this share of other control bytes, a file is data, not prose."""

_SAMPLE_BYTES = 65_536
"""Binary-ness shows in the first block; no need to scan a whole file."""


def check_not_binary(data: bytes) -> None:
    """Raise InputError DW102 when ``data`` looks like a binary file."""
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        raise InputError(Errors.DW102, detail=f"NUL byte at offset {sample.index(0)}")
    if not sample:
        return
    controls = sum(
        1 for byte in sample if (byte < 0x20 or byte == 0x7F) and byte not in _TEXT_CONTROLS
    )
    share = controls / len(sample)
    if share > _MAX_CONTROL_SHARE:
        raise InputError(Errors.DW102, detail=f"{share:.0%} control characters")


def decode_text(data: bytes) -> str:
    """Strict UTF-8 text without its BOM.

    Raises InputError DW102 (binary), DW103 (invalid UTF-8, with the byte offset
    in the original data) or DW101 (empty or whitespace only).
    """
    check_not_binary(data)
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        detail = f"{exc.reason} at byte offset {exc.start + bom}"
        raise InputError(Errors.DW103, detail=detail) from exc
    if not text.strip():
        raise InputError(Errors.DW101)
    return text
