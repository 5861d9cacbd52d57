"""Bytes to text: the checks and the decoding every plain-text input goes through."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from dyadwatch.errors import Errors, InputError

__all__ = ["Decoded", "check_not_binary", "codec_name", "decode_bytes", "decode_text"]

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
"""Control bytes that real text files contain (tabs, line ends, ANSI escapes)."""

_OTHER_CONTROLS = bytes(b for b in [*range(0x20), 0x7F] if b not in _TEXT_CONTROLS)

_MAX_CONTROL_SHARE = 0.10
"""Above this share of other control bytes, a file is data, not prose."""

_SAMPLE_BYTES = 65_536
"""Binary-ness shows in the first block; no need to scan a whole file."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte order marks, UTF-32 first: its little-endian mark starts like UTF-16's."""

_PREFERRED = "cp1252"
"""Among equally plausible guesses, the legacy encoding of English-language news.

Detection cannot tell cp1250 from cp1252 on a text whose only non-ASCII
letters are é and ’; for the English news dyadwatch codes, Windows-1252 is
by far the likelier, and it is what browsers read a latin-1 label as.
"""

_CHAOS_MARGIN = 0.02
_COHERENCE_MARGIN = 0.05
"""How close to the best guess another guess must be to count as equally plausible."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and how it was read; ``guessed`` names an encoding found by detection."""

    text: str
    encoding: str
    guessed: bool = False


def check_not_binary(data: bytes) -> None:
    """Raise InputError DW102 when ``data`` looks like a binary file."""
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        raise InputError(Errors.DW102, detail=f"NUL byte at offset {sample.index(0)}")
    if not sample:
        return
    # Counted by deleting them (in C): every JSONL line passes here.
    controls = len(sample) - len(sample.translate(None, _OTHER_CONTROLS))
    share = controls / len(sample)
    if share > _MAX_CONTROL_SHARE:
        raise InputError(Errors.DW102, detail=f"{share:.0%} control characters")


def codec_name(label: str) -> str | None:
    """Python's name for a charset label (``"ISO-8859-1"`` → ``"cp1252"``), None if unknown.

    Latin-1 labels are read as Windows-1252, as browsers do: pages that say
    latin-1 use the curly quotes and dashes of 0x80-0x9F all the time.
    """
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return _PREFERRED if name == "iso8859-1" else name


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Text of ``data``: by its BOM, its ``declared`` charset, UTF-8 or else detection.

    A declared charset that does not decode the bytes is ignored. Raises
    InputError DW102 (binary) or DW103 (no encoding fits). Empty text is
    returned as such: whether it is an error is the caller's call.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, bom_length=len(bom))
    check_not_binary(data)
    codec = codec_name(declared) if declared else None
    if codec is not None and codec != "utf-8":
        try:
            return Decoded(data.decode(codec), codec)
        except UnicodeDecodeError:
            pass  # the page is not what it says: read it as if it said nothing
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        return _detect(data, f"{exc.reason} at byte offset {exc.start}")


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """As :func:`decode_bytes`, refusing empty text with DW101."""
    decoded = decode_bytes(data, declared)
    if not decoded.text.strip():
        raise InputError(Errors.DW101)
    return decoded


def _strict(data: bytes, encoding: str, bom_length: int) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding.removesuffix("-sig"))
    except UnicodeDecodeError as exc:
        # The codec's offsets count from after the BOM for utf-8-sig only.
        start = exc.start + (bom_length if encoding == "utf-8-sig" else 0)
        detail = f"{exc.reason} at byte offset {start} ({encoding.removesuffix('-sig')} BOM)"
        raise InputError(Errors.DW103, detail=detail) from exc


def _detect(data: bytes, utf8_error: str) -> Decoded:
    matches = list(from_bytes(data))
    if not matches:
        raise InputError(Errors.DW103, detail=f"{utf8_error}, and no other encoding fits")
    best = matches[0]
    for match in matches:
        plausible = (
            match.chaos <= best.chaos + _CHAOS_MARGIN
            and match.coherence >= best.coherence - _COHERENCE_MARGIN
        )
        if plausible and _PREFERRED in match.could_be_from_charset:
            return Decoded(data.decode(_PREFERRED), _PREFERRED, guessed=True)
    return Decoded(str(best), codec_name(best.encoding) or best.encoding, guessed=True)
