"""Finding date expressions in a sentence: what each says, not yet which date it is.

``ExpressionFinder.find`` returns the longest non-overlapping expressions with
their character offsets. Month and weekday names must be capitalised ("May",
not the modal "may"; "March", not the verb); other words match in any case.
Bare numbers are never years: a year needs a month, a preposition ("in 2018")
or a part ("early 2018") beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from dyadwatch.temporal.feasts import FEASTS
from dyadwatch.temporal.lexicon import TemporalLexicon

__all__ = ["Expression", "ExpressionFinder", "Kind"]

Kind = Literal[
    "date", "absolute", "day_month", "month", "year", "weekday", "phrase", "holiday", "counted"
]

_KIND_RANK = MappingProxyType(
    {"date": 0, "absolute": 0, "day_month": 1, "weekday": 1, "holiday": 1, "phrase": 2,
     "counted": 2, "month": 3, "year": 4}
)  # fmt: skip
_MONTHS = MappingProxyType(
    {
        name: number
        for number, names in enumerate(
            (
                ("January", "Jan"),
                ("February", "Feb"),
                ("March", "Mar"),
                ("April", "Apr"),
                ("May",),
                ("June", "Jun"),
                ("July", "Jul"),
                ("August", "Aug"),
                ("September", "Sept", "Sep"),
                ("October", "Oct"),
                ("November", "Nov"),
                ("December", "Dec"),
            ),
            start=1,
        )
        for name in names
    }
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)\b"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_WEEKDAY_PREFIX = r"(?:(?:" + "|".join(_WEEKDAYS) + r"),?\s+)?"
_PARTS = ("early", "mid", "late")
_PART = r"(?:(?P<part>(?i:" + "|".join(_PARTS) + r"))[\s-]+)?"
_YEAR_PREPS = "in|during|since|of|by|until|from|throughout|before|after"
_MONTH_WORDS = "|".join((_YEAR_PREPS, "last|next|this", *_PARTS))
_APOSTROPHE = "['\u2019]"
_SEASON_WORDS = "last|next|this|this past|the past|over the|in the|during the|early|late|that"
_PREMODIFIERS = "a|an|the|its|his|her|their|this|that"
"""Words before a bare year that make it a date: "a 1996 law", "the 2010 raid"."""
_NOUN_DETERMINERS = "a|an|the|its|his|her|their"
_NOUN_AFTER = r"(?!(?:on|of|in|to|for|and|or|from|at|by|with|is|was)\b)[a-z]"
"""A month between a determiner and a noun is a date ("the March accession",
"the October slaying"); not before a preposition ("the March on the capital")."""


@dataclass(frozen=True, slots=True)
class Expression:
    """One date expression: its kind, offsets in the searched text, and its parts.

    ``word`` is the lower-cased lead word ("last", "next", "in", "ago", "later");
    ``part`` a part of a period ("early", "mid", "late") or a season; ``key`` the
    phrase or holiday as listed in the lexicon; ``quantity`` a counted range.
    """

    kind: Kind
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    word: str | None = None
    part: str | None = None
    key: str | None = None
    quantity: tuple[int, int] | None = None
    unit: str | None = None


_Builder = Callable[[re.Match[str]], "Expression | None"]


@dataclass(frozen=True, slots=True)
class _Row:
    """A compiled pattern, what builds its expression, and what lets a text skip it.

    ``needs``: literals a match cannot do without (searched once per text).
    ``starts``: the lower-cased words a match can begin with (None: any
    position); a number may always begin one. A pattern is tried only where
    such a word begins, instead of at every position of the text: Python's
    regular expressions find no literal to skip ahead to in a pattern that
    opens with a case-insensitive word list ("in|during|since…").
    """

    pattern: re.Pattern[str]
    build: _Builder
    needs: tuple[re.Pattern[str], ...] = ()
    starts: frozenset[str] | None = None


# Literals a pattern cannot match without, searched once per text: most
# sentences hold no year and no month name, and skip the patterns that need one.
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
_HAS_MONTH = re.compile("|".join(sorted({name[:3] for name in _MONTHS})))
_HAS_WEEKDAY = re.compile("day")
_UNIT_WORDS = ("day", "week", "month", "year")
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS = MappingProxyType(
    {word: value for values in (
        zip(_ONES, range(1, 10), strict=True), zip(_TEENS, range(10, 20), strict=True),
        zip(_TENS, range(20, 100, 10), strict=True),
    ) for word, value in values}
)  # fmt: skip
_TWO_DIGITS = rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]+(?:{'|'.join(_ONES)}))?|{'|'.join(_TEENS)})"
_SPELLED_YEAR = (
    rf"(?P<spelled>(?i:(?:nineteen|twenty)[\s-]+(?:{_TWO_DIGITS}|hundred)"
    rf"|two[\s-]+thousand(?:[\s-]+(?:and[\s-]+)?(?:{_TWO_DIGITS}|{'|'.join(_ONES)}))?))\b"
    rf"(?![\s-]+(?:(?i:hundred|thousand|{'|'.join(_ONES)})\b|[a-z]+s\b))"
)
"""A year read out in a transcript: "nineteen ninety-one", "two thousand and two"
(not a count: "in two thousand homes")."""
_HAS_SPELLED = re.compile("(?i:nineteen|twenty|thousand)")
_HAS_UNIT = re.compile("(?i:" + "|".join(_UNIT_WORDS) + ")")
_WORD = re.compile(r"\w+")
_HAS_INDEPENDENCE = re.compile("(?i:independence)")
_HEDGES = ("just", "only", "barely", "about", "around", "nearly", "almost", "roughly", "some")
_UNITS = (*_UNIT_WORDS, *(unit + "s" for unit in _UNIT_WORDS))
_UNIT = "|".join(unit + "s?" for unit in _UNIT_WORDS)


class ExpressionFinder:
    """Compiled patterns over one lexicon; ``find`` is pure and thread-safe."""

    def __init__(self, lexicon: TemporalLexicon) -> None:
        self._lexicon = lexicon
        self._patterns: tuple[_Row, ...] = tuple(self._table())
        self._literals = tuple({literal: None for row in self._patterns for literal in row.needs})

    def find(self, text: str) -> list[Expression]:
        """The longest non-overlapping expressions in ``text``, in text order."""
        found = [e for e in self._all(text) if e is not None]
        # Longest first; of two as long, the more specific ("of Oct." and "Oct. 23").
        found.sort(key=lambda e: (e.start - e.end, _KIND_RANK[e.kind], e.start))
        chosen: list[Expression] = []
        for expression in found:
            if all(expression.end <= c.start or expression.start >= c.end for c in chosen):
                chosen.append(expression)
        return sorted(chosen, key=lambda e: e.start)

    def _all(self, text: str) -> Iterator[Expression | None]:
        # The few literals are searched once each; a row whose literals are not
        # all there is skipped without a look at its pattern.
        present = {literal for literal in self._literals if literal.search(text) is not None}
        words = _Words(text)
        for row in self._patterns:
            if not present.issuperset(row.needs):
                continue
            if row.starts is None:
                matches = row.pattern.finditer(text)
            else:
                matches = _anchored(row.pattern, text, words.starting(row.starts))
            for match in matches:
                yield row.build(match)

    def _table(self) -> list[_Row]:
        lex = self._lexicon
        year, month, both = (_HAS_YEAR,), (_HAS_MONTH,), (_HAS_YEAR, _HAS_MONTH)
        week = _words(_WEEKDAYS)
        dated = week | {"the"}  # a weekday, "the" or the day's number
        named = week | _words(_MONTHS)  # a weekday or the month's name
        seasons = lex.seasons
        holidays = {**lex.holidays, **dict.fromkeys(FEASTS)}
        return [
            _row(r"\b(?P<year>(?:19|20)\d\d)-(?P<a>\d\d?)-(?P<b>\d\d?)\b", _iso, year, set()),
            _row(r"\b(?P<a>\d\d?)(?P<sep>[/.])(?P<b>\d\d?)(?P=sep)" + _YEAR, _numeric, year, set()),
            _row(
                rf"\b{_WEEKDAY_PREFIX}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}",
                _absolute, both, dated,
            ),
            _row(rf"\b{_WEEKDAY_PREFIX}{_MONTH}\s+{_DAY},?\s+{_YEAR}", _absolute, both, named),
            _row(
                rf"\b{_WEEKDAY_PREFIX}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}",
                _day_month, month, dated,
            ),
            _row(
                rf"\b(?:(?P<word>(?i:last|next|this))\s+)?{_WEEKDAY_PREFIX}{_MONTH}\s+{_DAY}",
                _day_month, month, named | {"last", "next", "this"},
            ),
            _row(rf"\b{_PART}{_MONTH},?\s+{_YEAR}", _month, both, _words(_PARTS) | named),
            _row(
                rf"\b(?P<word>(?i:{_MONTH_WORDS}))[\s-]+{_MONTH}", _month, month,
                _words(_MONTH_WORDS.split("|")),
            ),
            _row(
                rf"\b(?i:{_NOUN_DETERMINERS})\s+{_MONTH}(?=\s+{_NOUN_AFTER})", _month, month,
                _words(_NOUN_DETERMINERS.split("|")),
            ),
            _row(
                rf"\b{_MONTH}\s+(?P<word>(?i:last|next|this))\s+year\b", _month_of_year, month,
                named,
            ),
            _row(
                rf"\b(?P<word>(?i:{_SEASON_WORDS}))\s+(?P<season>(?i:{_alternation(seasons)}))\b",
                _seasonal(seasons), (), _words(w.split()[0] for w in _SEASON_WORDS.split("|")),
            ),
            _row(
                rf"\b(?P<word>(?i:{_PREMODIFIERS}))\s+{_YEAR}(?=\s+[a-z])", _year, year,
                _words(_PREMODIFIERS.split("|")),
            ),
            _row(
                rf"\b(?:(?P<word>(?i:last|next|this))\s+)?(?:(?P<country>[A-Z][a-z]+)(?:{_APOSTROPHE}s)?\s+)?"
                r"(?P<key>(?i:independence\s+day))\b",
                _independence, (_HAS_INDEPENDENCE,), None,
            ),
            _row(
                rf"\b(?:(?P<word>(?i:{_YEAR_PREPS}))\s+)?{_PART}{_YEAR}", _year, year,
                _words((*_YEAR_PREPS.split("|"), *_PARTS)),
            ),
            _row(
                rf"\b(?P<word>(?i:{_YEAR_PREPS}))\s+{_SPELLED_YEAR}", _spelled_year,
                (_HAS_SPELLED,), _words(_YEAR_PREPS.split("|")),
            ),
            _row(rf"\b(?P<word>(?i:the\s+year))\s+{_YEAR}", _year, year, {"the"}),
            _row(
                rf"\b(?P<season>(?i:{_alternation(seasons)}))(?:\s+of)?\s+{_YEAR}",
                _seasonal(seasons), year, _first_words(seasons),
            ),
            _row(
                _weekday_pattern(), _weekday, (_HAS_WEEKDAY,),
                week | {"this", "last", "next", "on"},
            ),
            _row(
                rf"\b(?P<key>(?i:{_alternation(lex.phrases)}))\b",
                _keyed("phrase", lex.phrases), (), _first_words(lex.phrases),
            ),
            _row(
                rf"\b(?:(?P<word>(?i:last|next|this))\s+)?"
                rf"(?P<key>(?i:{_alternation(holidays)}))\b",
                _keyed("holiday", holidays), (),
                _first_words((*holidays, "last", "next", "this")),
            ),
            _row(
                _counted_pattern(_alternation(lex.quantities)), self._counted, (_HAS_UNIT,),
                _first_words((*_HEDGES, *lex.quantities, *_UNITS)),
            ),
        ]  # fmt: skip

    def _counted(self, match: re.Match[str]) -> Expression | None:
        unit = _folded(match["unit"])
        qty = match["qty"]
        if qty is None and not unit.endswith("s"):
            return None  # "day later" is not an expression; "days later" is
        quantity: tuple[int, int] | None
        if qty is None:
            quantity = self._lexicon.quantities.get("some", (2, 7))
        elif qty.isdigit():
            quantity = (int(qty), int(qty))
        else:
            quantity = self._lexicon.quantities.get(_folded(qty))
        if quantity is None:
            return None  # a look-alike of a listed word ("\u0131" for "i"), not the word
        return _expression(
            match, "counted", quantity=quantity, unit=unit.rstrip("s"), word=_folded(match["dir"])
        )


def _alternation(words: Mapping[str, object]) -> str:
    """Longest first, spaces as any whitespace, apostrophes straight or curly."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = r"\s+".join(re.escape(piece) for piece in word.split())
        parts.append(escaped.replace("'", _APOSTROPHE))
    return "|".join(parts)


class _Words:
    """Where each word of a text begins, indexed once and only when a pattern asks."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._index: tuple[dict[str, list[int]], list[int]] | None = None

    def starting(self, first: frozenset[str]) -> list[int]:
        """Offsets, ascending, of the words in ``first``, of numbers, and of every
        word with a non-ASCII letter.

        A case-insensitive pattern may match a non-ASCII letter that ``lower()``
        does not map to its ASCII twin (the long s, the Kelvin sign): such words
        are always tried, so the anchored search finds all that a scan would.
        """
        at, always = self._indexed()
        # The smaller of the two is walked: a sentence has a few dozen words,
        # a pattern's lead words are up to a few dozen too.
        if len(first) <= len(at):
            hits = [at[word] for word in first if word in at]
        else:
            hits = [starts for word, starts in at.items() if word in first]
        if not hits:
            return always
        return sorted({start for starts in (*hits, always) for start in starts})

    def _indexed(self) -> tuple[dict[str, list[int]], list[int]]:
        """Offsets by lower-cased word, and the offsets always tried (ascending)."""
        if self._index is None:
            at: dict[str, list[int]] = {}
            always: list[int] = []
            for match in _WORD.finditer(self._text):
                word, start = match.group(), match.start()
                at.setdefault(word.lower(), []).append(start)
                if word[0].isdigit() or not word.isascii():
                    always.append(start)
            self._index = (at, always)
        return self._index


def _anchored(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` when a match can begin only at ``starts`` (ascending)."""
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the last match: finditer resumes after it
        match = pattern.match(text, start)
        if match is not None and match.end() > start:
            end = match.end()
            yield match


def _row(
    pattern: str,
    build: _Builder,
    needs: tuple[re.Pattern[str], ...],
    starts: frozenset[str] | set[str] | None,
) -> _Row:
    return _Row(re.compile(pattern), build, needs, None if starts is None else frozenset(starts))


def _words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word.lower() for word in words)


def _first_words(phrases: Iterable[str]) -> frozenset[str] | None:
    """The lower-cased first words of ``phrases``; None when one does not begin with one."""
    found: set[str] = set()
    for phrase in phrases:
        first = _WORD.match(phrase.lower())
        if first is None:
            return None
        found.add(first.group())
    return frozenset(found)


def _weekday_pattern() -> str:
    return (
        r"\b(?:(?P<word>(?i:this\s+past|this\s+coming|last|next|this|on))\s+)?"
        r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
        r"(?:\s+(?i:morning|afternoon|evening|night))?"
    )


def _counted_pattern(quantities: str) -> str:
    hedges = rf"(?:(?i:{'|'.join(_HEDGES)})\s+)?"
    return (
        rf"\b{hedges}(?:(?P<qty>\d{{1,3}}|(?i:{quantities}))\s+)?"
        rf"(?P<unit>(?i:{_UNIT}))\s+"
        r"(?P<dir>(?i:ago|later|earlier|afterwards|after|before))\b"
    )


def _expression(match: re.Match[str], kind: Kind, **parts: object) -> Expression:
    return Expression(kind, match.start(), match.end(), match.group(), **parts)  # type: ignore[arg-type]


def _iso(match: re.Match[str]) -> Expression:
    month, day = int(match["a"]), int(match["b"])
    return _expression(match, "date", year=int(match["year"]), month=month, day=day)


def _numeric(match: re.Match[str]) -> Expression | None:
    """Day-first or month-first, whichever the numbers allow; neither when both could be."""
    first, second = int(match["a"]), int(match["b"])
    if first > 12 >= second or first == second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        return None  # "02/03/2019": 2 March or February 3 -- we do not guess
    return _expression(match, "date", year=int(match["year"]), month=month, day=day)


def _absolute(match: re.Match[str]) -> Expression:
    return _expression(
        match,
        "absolute",
        year=int(match["year"]),
        month=_MONTHS[match["month"]],
        day=int(match["day"]),
    )


def _day_month(match: re.Match[str]) -> Expression:
    word = match.groupdict().get("word")
    return _expression(
        match, "day_month", month=_MONTHS[match["month"]], day=int(match["day"]),
        word=_folded(word) if word else None,
    )  # fmt: skip


def _month_of_year(match: re.Match[str]) -> Expression:
    """ "June last year": the month of the year named relative to publication."""
    return _expression(
        match, "month", month=_MONTHS[match["month"]], word=_folded(match["word"]) + " year"
    )


def _independence(match: re.Match[str]) -> Expression:
    word, country = match["word"], match["country"]
    return _expression(
        match, "holiday", key="independence day", word=_folded(word) if word else None,
        part=_folded(country) if country else None,
    )  # fmt: skip


def _month(match: re.Match[str]) -> Expression:
    groups = match.groupdict()
    word = _folded(groups.get("word") or groups.get("part") or "") or None
    year = int(groups["year"]) if groups.get("year") else None
    part = word if word in _PARTS else None
    return _expression(
        match, "month", year=year, month=_MONTHS[match["month"]], word=word, part=part
    )


def _year(match: re.Match[str]) -> Expression | None:
    word = _folded(match["word"] or "") or None
    part = match.groupdict().get("part")
    if word is None and part is None:
        return None  # a bare number is a count as often as a year
    return _expression(
        match, "year", year=int(match["year"]), word=word, part=_folded(part) if part else None
    )


def _spelled_year(match: re.Match[str]) -> Expression | None:
    """ "in nineteen ninety-one": 1991; "since two thousand and two": 2002."""
    words = [w for w in re.split(r"[\s-]+", _folded(match["spelled"])) if w != "and"]
    if words[:2] == ["two", "thousand"]:
        year = 2000 + sum(_NUMBER_WORDS[w] for w in words[2:])
    else:
        rest = words[1:]
        year = (19 if words[0] == "nineteen" else 20) * 100 + (
            0 if rest == ["hundred"] else sum(_NUMBER_WORDS[w] for w in rest)
        )
    return _expression(match, "year", year=year, word=_folded(match["word"]))


def _seasonal(seasons: Mapping[str, object]) -> _Builder:
    """A season with its year ("summer 2018"), or told from publication ("last summer")."""

    def build(match: re.Match[str]) -> Expression | None:
        season = _folded(match["season"])
        if season not in seasons:
            return None  # a look-alike of a listed word, not the word
        groups = match.groupdict()
        if groups.get("year"):
            return _expression(match, "year", year=int(groups["year"]), part=season)
        return _expression(match, "year", part=season, word=_folded(groups.get("word") or ""))

    return build


def _weekday(match: re.Match[str]) -> Expression:
    word = _folded(match["word"] or "") or None
    return _expression(match, "weekday", weekday=_WEEKDAYS.index(match["weekday"]), word=word)


def _keyed(kind: Kind, listed: Mapping[str, object]) -> _Builder:
    def build(match: re.Match[str]) -> Expression | None:
        key = _folded(match["key"])
        if key not in listed:
            return None  # a look-alike of a listed phrase, not the phrase
        word = match.groupdict().get("word")
        return _expression(match, kind, key=key, word=_folded(word) if word else None)

    return build


def _folded(words: str) -> str:
    """Matched words as the lexicon lists them: case-folded, spaced once, straight apostrophes.

    Case-folding, not lower-casing: a case-insensitive pattern also matches
    look-alikes such as the long s ("\u017f", folded to "s") or the Kelvin sign.
    """
    return " ".join(words.casefold().replace("\u2019", "'").split())
