"""Split an evidence sentence into pieces marked source, target or trigger."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Piece", "pieces"]

_ROLES = ("trigger", "source", "target")
"""Where spans overlap, the first role listed wins."""


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of sentence text and the role of the span covering it (None: plain text)."""

    text: str
    role: str | None


def pieces(sentence: str, evidence: Mapping[str, Sequence[int] | None] | None) -> list[Piece]:
    """``sentence`` cut at every span boundary; spans out of range are clipped, bad ones ignored."""
    spans = _spans(sentence, evidence or {})
    cuts = sorted({0, len(sentence), *(edge for _, start, end in spans for edge in (start, end))})
    result: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        role = next((r for r, s, e in spans if s <= start and end <= e), None)
        result.append(Piece(sentence[start:end], role))
    return [piece for piece in result if piece.text]


def _spans(
    sentence: str, evidence: Mapping[str, Sequence[int] | None]
) -> list[tuple[str, int, int]]:
    spans = []
    for role in _ROLES:
        span = evidence.get(role)
        if not span or len(span) != 2 or not all(isinstance(x, int) for x in span):
            continue
        start, end = max(0, span[0]), min(len(sentence), span[1])
        if start < end:
            spans.append((role, start, end))
    return spans
