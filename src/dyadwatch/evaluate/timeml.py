"""Scoring event dates against TimeML event-time links (the ``timeml_dates`` suite).

The suite's own metric: a coded event matches a gold event when its trigger
overlaps the gold trigger; it is dated right when its date agrees at the gold
precision (day: the same day, or a ``date_range`` that holds it; month: the
same year and month; year: the same year). Gold rows flagged ``suspect`` are
left out. The caller reads the suite's files; this module only scores.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from dyadwatch.errors import Errors, EvaluationError
from dyadwatch.model import DatePrecision, Event
from dyadwatch.temporal import DateResolver

__all__ = [
    "CONSTRUCTIONS",
    "DatedSpan",
    "GoldDate",
    "Tally",
    "TimemlScore",
    "by_construction",
    "construction",
    "dated_right",
    "gold_dates",
    "matched",
    "placed",
    "score",
]


@dataclass(frozen=True, slots=True)
class GoldDate:
    """One gold event: where its trigger is, its date and what kind of case it is.

    ``other_sentence``: the time expression it is linked to is in another
    sentence (False for events linked to the publication date).
    """

    doc: str
    span: tuple[int, int]
    gold: str
    precision: DatePrecision
    off_dct: bool
    other_sentence: bool


@dataclass(frozen=True, slots=True)
class DatedSpan:
    """A coded event placed in its document: trigger offsets and its date."""

    doc: str
    span: tuple[int, int]
    date: dt.date | None
    range: tuple[dt.date, dt.date] | None = None


@dataclass(slots=True)
class Tally:
    right: int = 0
    total: int = 0

    def add(self, right: bool) -> None:
        self.right += right
        self.total += 1

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.rate:.3f} ({self.right}/{self.total})"


@dataclass(slots=True)
class TimemlScore:
    """Accuracy over matched gold events, split as the suite's README asks.

    ``moved_off``: matched events on the publication date that were dated
    elsewhere (``right`` counts the moved ones).
    """

    matched: Tally = field(default_factory=Tally)
    """right: gold events matched by a coded event; total: all gold events."""
    all: Tally = field(default_factory=Tally)
    off_dct: Tally = field(default_factory=Tally)
    off_own_sentence: Tally = field(default_factory=Tally)
    off_other_sentence: Tally = field(default_factory=Tally)
    moved_off: Tally = field(default_factory=Tally)
    publication_baseline: Tally = field(default_factory=Tally)
    """Stamping the publication date on every matched event."""


def gold_dates(docs: Mapping[str, str], rows: Iterable[Mapping[str, object]]) -> list[GoldDate]:
    """Gold events from the suite's rows (``docs``: document id to text), suspect ones left out.

    Raises EvaluationError (DW401) for a row that is not the suite's format.
    """
    found: list[GoldDate] = []
    for number, row in enumerate(rows, start=1):
        if row.get("suspect") is not None:
            continue
        try:
            found.append(_gold(docs, row))
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(
                Errors.DW401, path="events.dev.jsonl", line=number, detail=repr(exc)
            ) from exc
    return found


def _gold(docs: Mapping[str, str], row: Mapping[str, object]) -> GoldDate:
    doc = str(row["doc"])
    start, end = _pair(row["span"])
    timex = row.get("timex_span")
    sentence = _sentence_bounds(docs[doc], str(row["sentence"]), (start, end))
    other = timex is not None and not sentence[0] <= _pair(timex)[0] < sentence[1]
    precision = str(row["precision"])
    if precision not in ("day", "month", "year"):
        raise ValueError(f"precision {precision!r}")
    return GoldDate(doc, (start, end), str(row["gold"]), precision, bool(row["off_dct"]), other)  # type: ignore[arg-type]


def _pair(value: object) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"not an offset pair: {value!r}")
    return int(value[0]), int(value[1])


def _sentence_bounds(text: str, sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """Where the gold sentence holding ``span`` lies in ``text`` (its spaces may differ)."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in sentence.split()))
    for match in pattern.finditer(text):
        if match.start() <= span[0] and span[1] <= match.end():
            return match.start(), match.end()
    raise ValueError(f"sentence of {span} not found")


def dated_right(
    date: dt.date | None, bounds: tuple[dt.date, dt.date] | None, gold: str, precision: str
) -> bool:
    """Whether a date agrees with ``gold`` (YYYY, YYYY-MM or YYYY-MM-DD) at ``precision``."""
    if date is None:
        return False
    if precision == "day":
        day = dt.date.fromisoformat(gold)
        return date == day or (bounds is not None and bounds[0] <= day <= bounds[1])
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}" == gold[:7]
    return f"{date.year:04d}" == gold[:4]


def score(
    gold: Sequence[GoldDate], coded: Iterable[DatedSpan], published: Mapping[str, dt.date]
) -> TimemlScore:
    """The suite's figures; each gold event takes the first coded event overlapping it."""
    result = TimemlScore()
    for item, match in zip(gold, matched(gold, coded), strict=True):
        result.matched.add(match is not None)
        if match is None:
            continue
        right = dated_right(match.date, match.range, item.gold, item.precision)
        day = published[item.doc]
        result.all.add(right)
        result.publication_baseline.add(dated_right(day, None, item.gold, item.precision))
        if item.off_dct:
            result.off_dct.add(right)
            part = result.off_other_sentence if item.other_sentence else result.off_own_sentence
            part.add(right)
        else:
            result.moved_off.add(not right)
    return result


def matched(gold: Sequence[GoldDate], coded: Iterable[DatedSpan]) -> list[DatedSpan | None]:
    """Per gold event, the first coded event of its document whose trigger overlaps
    its own (None: no match): how :func:`score` and a comparison of two coders match."""
    by_doc: dict[str, list[DatedSpan]] = {}
    for event in coded:
        by_doc.setdefault(event.doc, []).append(event)
    return [
        next((e for e in by_doc.get(item.doc, ()) if _overlap(e.span, item.span)), None)
        for item in gold
    ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def placed(events: Iterable[Event], sentence_starts: Sequence[int]) -> list[DatedSpan]:
    """Coded events with their trigger offsets made document offsets.

    ``sentence_starts``: the character offset of each sentence of the parse the
    coder read (``Event.evidence`` offsets are relative to their sentence).
    """
    found: list[DatedSpan] = []
    for event in events:
        base = sentence_starts[event.sentence_index]
        start, end = event.evidence.trigger
        found.append(
            DatedSpan(event.doc_id, (base + start, base + end), event.date, event.date_range)
        )
    return found


CONSTRUCTIONS = (
    "main clause",
    "subordinate clause (when/as/after, participial, infinitival, relative)",
    "joined verb",
    "noun",
    "time expression in another sentence",
)


def construction(trigger: Token, item: GoldDate) -> str:
    """The construction a gold event is told in, for figures per construction."""
    if item.other_sentence:
        return CONSTRUCTIONS[4]
    if trigger.pos_ in ("NOUN", "PROPN"):
        return CONSTRUCTIONS[3]
    if trigger.dep_ == "conj":
        return CONSTRUCTIONS[2]
    if trigger.dep_ in ("advcl", "acl", "relcl", "xcomp", "pcomp", "ccomp"):
        return CONSTRUCTIONS[1]
    return CONSTRUCTIONS[0]


def by_construction(
    gold: Sequence[GoldDate], parsed: Mapping[str, Doc], resolver: DateResolver,
    published: Mapping[str, dt.date],
) -> dict[str, tuple[Tally, Tally]]:  # fmt: skip
    """The temporal stage alone on every gold trigger (no coder in between),
    per construction: (all events, events off the publication date)."""
    tallies = {name: (Tally(), Tally()) for name in CONSTRUCTIONS}
    by_doc: dict[str, list[GoldDate]] = {}
    for item in gold:
        by_doc.setdefault(item.doc, []).append(item)
    for doc_id, items in by_doc.items():
        doc = parsed[doc_id]
        located = [(item, doc.char_span(*item.span, alignment_mode="expand")) for item in items]
        found = sorted(((i, s.root) for i, s in located if s is not None and len(s)),
                       key=lambda pair: pair[1].i)  # fmt: skip
        dating = resolver.for_document(doc, published[doc_id])
        dates = dating.resolve_all([token for _, token in found])
        for (item, token), when in zip(found, dates, strict=True):
            right = dated_right(when.date, when.range, item.gold, item.precision)
            every, off = tallies[construction(token, item)]
            every.add(right)
            if item.off_dct:
                off.add(right)
    return tallies
