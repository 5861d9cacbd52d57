"""English number phrases as ranges of whole numbers.

``parse_number("at least 5")`` is ``Range(5, 5)``; ``"between 4 and 6"`` is
``Range(4, 6)``; ``"dozens"`` is ``Range(24, 99)``. The phrase must be a number
phrase and nothing else: ``"two days"`` or ``"$60bn"`` give ``None``. Which
phrases mean what lives in ``data/numbers.yaml``; the conventions are in
docs/CASUALTIES.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dyadwatch.casualties.vocabulary import BoundKind, NumberWords, load_number_words
from dyadwatch.model import Range

__all__ = ["parse_number", "split_words"]

_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z%]+|-|\S")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})
_RANGE_OPENERS = {"between": "and", "from": "to"}
_RANGE_SEPARATORS = ("-", "to", "or")
_MAX_WORDS = 12
"""Longer texts are not number phrases; the cap also bounds the work done."""


def split_words(text: str) -> list[str]:
    """``text`` as the lower-case words a number phrase is read from."""
    text = _THOUSANDS_COMMA.sub("", text.lower().translate(_DASHES))
    return _TOKEN.findall(_WORD_HYPHEN.sub(" ", text))


def parse_number(text: str, words: NumberWords | None = None) -> Range | None:
    """The range of whole numbers a number phrase stands for, or ``None``.

    ``words`` defaults to the built-in number words.
    """
    tokens = split_words(text)
    if not tokens or len(tokens) > _MAX_WORDS:
        return None
    return _phrase(tokens, words or load_number_words())


def _phrase(tokens: Sequence[str], words: NumberWords) -> Range | None:
    if tuple(tokens) in words.zero:
        return Range(0, 0)
    if len(tokens) > 1 and tokens[-1] == "of":
        tokens = tokens[:-1]
    kind, rest = _bound(tokens, words)
    found = _span(rest, words)
    if found is None:
        return None
    return _apply(kind, found)


def _bound(tokens: Sequence[str], words: NumberWords) -> tuple[BoundKind, Sequence[str]]:
    """The bounding phrase the tokens open ("at least 5") or close with ("4 or more"),
    and the rest."""
    for size in (3, 2, 1):
        kind = words.bounds.get(tuple(tokens[:size]))
        if kind is not None and len(tokens) > size:
            return kind, tokens[size:]
        kind = words.trailing.get(tuple(tokens[-size:]))
        if kind is not None and len(tokens) > size:
            return kind, tokens[:-size]
    return "about", tokens


def _apply(kind: BoundKind, found: Range) -> Range:
    if kind == "above":
        low = found.min + 1
        return Range(low, max(low, found.max))
    if kind == "ceiling":
        return Range(min(1, found.max), found.max)
    if kind == "below":
        high = found.min - 1
        return Range(1, high) if high >= 1 else Range(0, 0)
    return found


def _span(tokens: Sequence[str], words: NumberWords) -> Range | None:
    """One amount, or a range of two: "6-8", "4 to 6", "between 4 and 6", "5 or 6"."""
    single = _amount(tokens, words)
    if single is not None or len(tokens) < 3:
        return single
    closer = _RANGE_OPENERS.get(tokens[0])
    if closer is not None:
        return _split(tokens[1:], (closer,), words)
    return _split(tokens, _RANGE_SEPARATORS, words)


def _split(tokens: Sequence[str], separators: Sequence[str], words: NumberWords) -> Range | None:
    for at, token in enumerate(tokens):
        if token not in separators or at == 0:
            continue
        low, high = _amount(tokens[:at], words), _amount(tokens[at + 1 :], words)
        if low is not None and high is not None and low.min <= high.max:
            return Range(low.min, high.max)
    return None


def _amount(tokens: Sequence[str], words: NumberWords) -> Range | None:
    """A single amount: digits, number words, a vague word, or one multiplied."""
    if not tokens:
        return None
    key = tuple(tokens)
    if key in words.vague:
        return words.vague[key]
    if tokens[0] == "half" and len(tokens) > 1:
        whole = _amount(tokens[1:], words)
        return Range(whole.min // 2, whole.max // 2) if whole else None
    scaled = _scaled(tokens, words)
    if scaled is not None:
        return scaled
    value = _cardinal(tokens, words)
    return Range(value, value) if value is not None else None


def _scaled(tokens: Sequence[str], words: NumberWords) -> Range | None:
    """Digits or a vague word times multipliers: "1.5 million", "several hundred",
    "tens of thousands"."""
    head, tail = tokens[:-1], tokens[-1]
    factor = words.multipliers.get(tail) or words.multipliers.get(tail.removesuffix("s"))
    if factor is None or not head:
        return None
    if len(head) > 1 and head[-1] == "of" and tail.endswith("s"):
        head = head[:-1]
    elif tail.endswith("s"):
        return None
    if tuple(head) in words.vague:
        base = words.vague[tuple(head)]
        return Range(base.min * factor, base.max * factor)
    if len(head) == 1 and _is_decimal(head[0]):
        value = float(head[0]) * factor
        return Range(int(value), int(value)) if value.is_integer() else None
    inner = _scaled(head, words)
    return Range(inner.min * factor, inner.max * factor) if inner else None


def _is_decimal(token: str) -> bool:
    return _is_digits(token.replace(".", "", 1))


def _is_digits(token: str) -> bool:
    # ASCII only: str.isdigit() also accepts "²", which int() refuses.
    return token.isascii() and token.isdigit()


def _cardinal(tokens: Sequence[str], words: NumberWords) -> int | None:
    """Digits, or number words with the usual order: "two hundred and five"."""
    if len(tokens) == 1 and _is_digits(tokens[0]):
        return int(tokens[0])
    reader = _CardinalReader(words)
    for at, token in enumerate(tokens):
        if not reader.read(token, first=at == 0):
            return None
    return reader.result()


class _CardinalReader:
    """Reads number words left to right; refuses orders English does not use."""

    def __init__(self, words: NumberWords) -> None:
        self.words = words
        self.total = 0
        self.group = 0
        self.last = ""

    def read(self, token: str, *, first: bool) -> bool:
        words = self.words
        if token in ("a", "an") and first:
            self.group, self.last = 1, "a"
            return True
        if token == "and":
            return self._step("and", self.last == "mult", 0)
        if token in words.units:
            value = words.units[token]
            fits = self.last in ("", "mult", "and") or (self.last == "ten" and 0 < value < 10)
            return self._step("unit", fits, value)
        if token in words.tens:
            return self._step("ten", self.last in ("", "mult", "and"), words.tens[token])
        if token in words.multipliers and self.last in ("unit", "ten", "a", "mult"):
            self._multiply(words.multipliers[token])
            return True
        return False

    def _step(self, kind: str, fits: bool, value: int) -> bool:
        if fits:
            self.group += value
            self.last = kind
        return fits

    def _multiply(self, factor: int) -> None:
        if factor >= 1000:
            self.total += max(self.group, 1) * factor
            self.group = 0
        else:
            self.group = max(self.group, 1) * factor
        self.last = "mult"

    def result(self) -> int | None:
        if self.last in ("", "a", "and"):
            return None
        return self.total + self.group
