"""Each event's own date: the expressions its clause carries, else the publication date.

``DateResolver.resolve`` finds the date expressions of the trigger's sentence,
keeps those that syntax ties to this event (see ``attach``), and values the
nearest one against the publication date, the previous event's date
(``anchor``) and the tense. With no usable expression the event gets the
publication date; with no publication date, the year the document is about.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

from spacy.tokens import Doc, Span, Token

from dyadwatch.nlp.text import span_text
from dyadwatch.temporal.attach import event_path, governor, is_future
from dyadwatch.temporal.dates import EventDate, safe_date, year_date
from dyadwatch.temporal.expressions import Expression, ExpressionFinder
from dyadwatch.temporal.lexicon import TemporalLexicon, load_temporal_lexicon
from dyadwatch.temporal.values import Context, Valuer

__all__ = ["DateResolver", "DocumentDating"]

_SPECIFICITY = MappingProxyType(
    {"date": 0, "absolute": 0, "day_month": 0, "weekday": 0, "holiday": 0,
     "phrase": 1, "counted": 1, "month": 2, "year": 3}
)  # fmt: skip
"""Between two expressions on the same word, the more specific one wins."""
_DEADLINE_WORDS = frozenset({"by", "until", "before"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_UNKNOWN = EventDate(None, None)
_OWN_TIME = frozenset({"relcl", "advcl", "acl", "parataxis", "conj", "prep", "pcomp"})
"""Clauses and phrases below a trigger that carry their own time."""


class DateResolver:
    """Dates events by their own words; holds the lexicon, patterns and dateparser."""

    def __init__(self, lexicon: TemporalLexicon | None = None) -> None:
        self._lexicon = lexicon if lexicon is not None else load_temporal_lexicon()
        self._finder = ExpressionFinder(self._lexicon)
        self._valuer = Valuer(self._lexicon)

    def resolve(
        self, trigger: Token, published: dt.date | None, anchor: EventDate | None = None
    ) -> EventDate:
        """The date of the event whose trigger is ``trigger``.

        ``anchor`` is the date this resolver gave the previous event of the same
        document (document order), for "the next day" and "two days later".
        Never raises on odd text; returns ``EventDate(None, None)`` when nothing
        is known. To date many events of one document, use :meth:`for_document`.
        """
        return self.for_document(trigger.doc, published).resolve(trigger, anchor)

    def for_document(self, doc: Doc, published: dt.date | None) -> DocumentDating:
        """Dating for the events of ``doc``: its year is worked out once.

        With no publication date every sentence is read for the year, and
        what each sentence says is kept for dating its events.
        """
        if published is not None:
            return DocumentDating(self, published, published.year)
        found = {sentence.start: self.expressions(span_text(sentence)) for sentence in doc.sents}
        return DocumentDating(self, None, _most_written_year(found.values()), found)

    def date_event(
        self, trigger: Token, dating: DocumentDating, anchor: EventDate | None
    ) -> EventDate:
        """As :meth:`resolve`, with the document's dating state (its year and
        the sentences' expressions, found once); :class:`DocumentDating` calls it."""
        sentence = trigger.sent
        path = event_path(trigger)
        future = is_future(path, self._lexicon.future_aux, self._lexicon.future_heads)
        context = Context(dating.published, anchor, dating.year, future)
        for expression in self._owned(path, dating.governed(sentence)):
            span = (sentence.start_char + expression.start, sentence.start_char + expression.end)
            if anchor is not None and anchor.span == span:
                return anchor  # the same words dated the previous event: do not count twice
            value = self._valuer.value(expression, context)
            if value is not None:
                return value.at(span)
        top = path[-1]
        if top.dep_ in ("ccomp", "parataxis") and top.head.i != top.i:
            # A report with no time of its own happened by the time it was reported.
            return self.date_event(top.head, dating, anchor)
        return _fallback(dating.published, dating.year)

    def expressions(self, text: str) -> list[Expression]:
        """The date expressions written in ``text``, in text order."""
        return self._finder.find(text)

    def document_year(self, doc: Doc) -> int | None:
        """The year a document is about: its most often written year, the latest on a tie.

        Only years in date expressions count ("in May 1998", "early 2018"), not
        bare numbers, nor deadlines ("by 2030"). Expressions are read sentence
        by sentence, as events are dated: none spans two sentences.
        """
        return _most_written_year(self.expressions(span_text(s)) for s in doc.sents)

    def _owned(self, path: list[Token], governed: list[_Governed]) -> list[Expression]:
        """The sentence's expressions (with their governors) that date this event, best first."""
        levels = _levels(path)
        below = _below(path[0], start=len(levels) + len(path))
        ranked: list[tuple[int, int, int, Expression]] = []
        for expression, head in governed:
            level = levels.get(head, below.get(head)) if head is not None else None
            if level is not None:
                rank = (level, _SPECIFICITY[expression.kind], expression.start)
                ranked.append((*rank, expression))
        return [expression for *_, expression in sorted(ranked, key=lambda r: r[:3])]


_Governed = tuple[Expression, int | None]
"""A date expression and the index of the word it modifies (see ``attach.governor``)."""


def _governed(sentence: Span, expressions: list[Expression]) -> list[_Governed]:
    found: list[_Governed] = []
    for expression in expressions:
        words = sentence.char_span(expression.start, expression.end, alignment_mode="expand")
        head = governor(words) if words is not None and len(words) else None
        found.append((expression, head.i if head is not None else None))
    return found


@dataclass(frozen=True, slots=True)
class DocumentDating:
    """Dates the events of one document, in document order.

    ``year`` is the publication year, else the year the document is about
    (:meth:`DateResolver.document_year`); each sentence's date expressions are
    found once, however many events it holds.
    """

    resolver: DateResolver
    published: dt.date | None
    year: int | None
    _found: dict[int, list[Expression]] = field(default_factory=dict, repr=False)
    _governed: dict[int, list[_Governed]] = field(default_factory=dict, repr=False)

    def resolve(self, trigger: Token, anchor: EventDate | None = None) -> EventDate:
        """As :meth:`DateResolver.resolve`, for a trigger of this document."""
        return self.resolver.date_event(trigger, self, anchor)

    def expressions(self, sentence: Span) -> list[Expression]:
        found = self._found.get(sentence.start)
        if found is None:
            found = self._found[sentence.start] = self.resolver.expressions(span_text(sentence))
        return found

    def governed(self, sentence: Span) -> list[_Governed]:
        """The sentence's expressions with the word each modifies, worked out once:
        which word an expression modifies does not depend on the event."""
        found = self._governed.get(sentence.start)
        if found is None:
            found = self._governed[sentence.start] = _governed(sentence, self.expressions(sentence))
        return found


def _most_written_year(sentences: Iterable[list[Expression]]) -> int | None:
    years = Counter(
        e.year
        for expressions in sentences
        for e in expressions
        if e.year is not None and e.word not in _DEADLINE_WORDS and _possible(e)
    )
    if not years:
        return None
    return max(years, key=lambda year: (years[year], year))


def _possible(expression: Expression) -> bool:
    """False for a written date that no calendar has ("30 February 2019")."""
    if expression.day is None or expression.year is None or expression.month is None:
        return True
    return safe_date(expression.year, expression.month, expression.day) is not None


def _levels(path: list[Token]) -> dict[int, int]:
    """Token index to nearness: the climb path first, then its nominal subjects,
    whose dates carry to their verb ("the February 26 strike killed 40")."""
    levels = {token.i: level for level, token in enumerate(path)}
    for level, token in enumerate(path, start=len(path)):
        for child in token.children:
            if child.dep_ in _SUBJECTS and child.pos_ in ("NOUN", "PROPN"):
                levels.setdefault(child.i, level)
    return levels


def _below(trigger: Token, start: int) -> dict[int, int]:
    """Words inside the trigger's own clause complements, ranked after the climb path.

    The small parser often hangs "on 26 February" on a verb inside the object
    ("struck what New Delhi called a camp ... on 26 February"); such a date
    still belongs to the trigger unless a relative clause or a report intervenes.
    """
    found: dict[int, int] = {}
    # Down from the trigger; a word is reachable when no word on its way up
    # (itself included, the trigger not) opens a time of its own.
    stack = [child for child in trigger.children if child.dep_ not in _OWN_TIME]
    while stack:
        token = stack.pop()
        found[token.i] = start
        stack.extend(child for child in token.children if child.dep_ not in _OWN_TIME)
    return found


def _fallback(published: dt.date | None, year: int | None) -> EventDate:
    if published is not None:
        return EventDate(published, "day")
    return (year_date(year) if year is not None else None) or _UNKNOWN
