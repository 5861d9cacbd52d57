"""The words and phrases the temporal resolver reads, loaded from its data files.

``phrases.tsv`` lists fixed phrases ("last week", "the next day") with the date
they count from and how far; ``words.tsv`` lists quantities, parts of months
and years, seasons, fixed-date holidays and future markers. A malformed line
raises ``DictionaryError`` (DW207) naming the file and the line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NoReturn, cast, get_args

from dyadwatch.errors import DictionaryError, Errors

__all__ = ["Base", "FixedPhrase", "Mode", "TemporalLexicon", "Unit", "load_temporal_lexicon"]

Base = Literal["published", "anchor"]
Unit = Literal["day", "week", "weekend", "month", "year"]
Mode = Literal["whole", "until_base", "early", "mid", "late"]
_WORD_KINDS = frozenset(
    {
        "quantity",
        "part_of_month",
        "part_of_year",
        "season",
        "holiday",
        "future_aux",
        "future_head",
        "independence",
        "incident",
    }
)


@dataclass(frozen=True, slots=True)
class FixedPhrase:
    """A phrase whose date is ``offset`` units from its base ("last week": week -1)."""

    base: Base
    unit: Unit
    offset: int
    mode: Mode


@dataclass(frozen=True, slots=True)
class TemporalLexicon:
    """Everything lexical the resolver needs; immutable once loaded."""

    phrases: Mapping[str, FixedPhrase]
    quantities: Mapping[str, tuple[int, int]]
    parts_of_month: Mapping[str, tuple[int, int]]
    parts_of_year: Mapping[str, tuple[int, int]]
    seasons: Mapping[str, tuple[int, int]]
    holidays: Mapping[str, tuple[int, int]]
    future_aux: frozenset[str]
    future_heads: frozenset[str]
    independence: Mapping[str, tuple[int, int]]
    """Country names and adjectives to the month and day of their independence day."""
    incidents: frozenset[str]
    """Nouns that name back an event told before ("the attack", "the killing")."""


@functools.cache
def _builtin() -> TemporalLexicon:
    root = resources.files("dyadwatch.temporal") / "data"
    return _build(
        (root / "phrases.tsv").read_text(encoding="utf-8"),
        "temporal/phrases.tsv",
        (root / "words.tsv").read_text(encoding="utf-8"),
        "temporal/words.tsv",
    )


def load_temporal_lexicon(directory: Path | None = None) -> TemporalLexicon:
    """The built-in lexicon, or the one in ``directory`` (same two TSV files)."""
    if directory is None:
        return _builtin()
    phrases, words = directory / "phrases.tsv", directory / "words.tsv"
    return _build(
        phrases.read_text(encoding="utf-8"),
        str(phrases),
        words.read_text(encoding="utf-8"),
        str(words),
    )


def _build(phrases: str, phrases_path: str, words: str, words_path: str) -> TemporalLexicon:
    tables: dict[str, dict[str, tuple[int, int]]] = {kind: {} for kind in _WORD_KINDS}
    for line, cells in _rows(words, words_path, 4):
        kind, word, low, high = cells
        if kind not in _WORD_KINDS:
            _fail(words_path, line, f"unknown kind {kind!r}")
        tables[kind][word.lower()] = (_int(low, words_path, line), _int(high, words_path, line))
    return TemporalLexicon(
        phrases=MappingProxyType(dict(_phrases(phrases, phrases_path))),
        quantities=MappingProxyType(tables["quantity"]),
        parts_of_month=MappingProxyType(tables["part_of_month"]),
        parts_of_year=MappingProxyType(tables["part_of_year"]),
        seasons=MappingProxyType(tables["season"]),
        holidays=MappingProxyType(tables["holiday"]),
        future_aux=frozenset(tables["future_aux"]),
        future_heads=frozenset(tables["future_head"]),
        independence=MappingProxyType(tables["independence"]),
        incidents=frozenset(tables["incident"]),
    )


def _phrases(text: str, path: str) -> Iterator[tuple[str, FixedPhrase]]:
    for line, (phrase, base, unit, offset, mode) in _rows(text, path, 5):
        yield (
            phrase.lower(),
            FixedPhrase(
                cast(Base, _choice(base, Base, path, line)),
                cast(Unit, _choice(unit, Unit, path, line)),
                _int(offset, path, line),
                cast(Mode, _choice(mode, Mode, path, line)),
            ),
        )


def _rows(text: str, path: str, width: int) -> Iterator[tuple[int, list[str]]]:
    """Data rows (after the header) with their line numbers; comments and blanks skipped."""
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        if len(cells) != width or not all(cells):
            _fail(path, number, f"expected {width} non-empty tab-separated columns")
        if header_seen:
            yield number, cells
        header_seen = True


def _choice(value: str, kind: object, path: str, line: int) -> str:
    allowed: tuple[str, ...] = get_args(kind)
    if value not in allowed:
        _fail(path, line, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _int(value: str, path: str, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        _fail(path, line, f"{value!r} is not a whole number")


def _fail(path: str, line: int, detail: str) -> NoReturn:
    raise DictionaryError(Errors.DW207, path=path, line=line, detail=detail)
