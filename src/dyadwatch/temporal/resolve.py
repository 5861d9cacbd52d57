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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from spacy.tokens import Doc, Span, Token

from dyadwatch.model import DateBasis
from dyadwatch.nlp.text import span_text
from dyadwatch.temporal.attach import (
    FRAMING,
    REPORTING,
    Governed,
    Order,
    bounding_clauses,
    event_path,
    governor,
    is_future,
    named_event,
    phrase_scope,
    scope,
    time_before_when,
)
from dyadwatch.temporal.dateline import Dateline, find_dateline
from dyadwatch.temporal.dates import EventDate, add_days, safe_date, span_date, year_date
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
_LEDE_LOOKAHEAD = 2
_LEDE_DAYS = 7


class DateResolver:
    """Dates events by their own words; holds the lexicon, patterns and dateparser."""

    def __init__(self, lexicon: TemporalLexicon | None = None) -> None:
        self._lexicon = lexicon if lexicon is not None else load_temporal_lexicon()
        self._finder = ExpressionFinder(self._lexicon)
        self._valuer = Valuer(self._lexicon)
        self._incidents = frozenset(_stem_word(word) for word in self._lexicon.incidents)

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
        country = self.focus_country(doc)
        if published is not None:
            line = self.dateline(doc, published)
            if line is None:
                return DocumentDating(self, published, published.year, country)
            return DocumentDating(self, line.day, line.day.year, country, dateline=line.end)
        found = {sentence.start: self.expressions(span_text(sentence)) for sentence in doc.sents}
        return DocumentDating(self, None, _most_written_year(found.values()), country, _found=found)

    def dateline(self, doc: Doc, published: dt.date) -> Dateline | None:
        """The day the story's dateline gives ("BUDAPEST, March 12 (Xinhua)
        --"), when it lies up to three days before ``published``: the story's
        today, which its reports and weekdays count from (``temporal.dateline``)."""
        return find_dateline(doc.text, self.expressions, published)

    def focus_country(self, doc: Doc) -> str | None:
        """The country a document about an Independence Day is about: the one
        it names most often (by name or adjective, "India", "Indian"), for an
        "Independence Day" said without a country. None when it names none,
        or never says "Independence Day" (the names are not read then)."""
        if "independence day" not in doc.text.lower():
            return None
        days = self._lexicon.independence
        counts: Counter[tuple[int, int]] = Counter()
        names: dict[tuple[int, int], str] = {}
        for token in doc:
            key = token.lower_
            if key in days and (token.is_title or token.is_upper):
                counts[days[key]] += 1  # "India" and "Indian" are one country
                names.setdefault(days[key], key)
        if not counts:
            return None
        return names[max(counts, key=lambda day: counts[day])]

    def event_country(self, trigger: Token) -> str | None:
        """The country an event's own sentence names nearest its trigger ("Ghanaian
        troops paraded on Independence Day" in a story about Kenya: Ghana), for
        an "Independence Day" said without a country; None when it names none."""
        days = self._lexicon.independence
        named = [t for t in trigger.sent if t.lower_ in days and (t.is_title or t.is_upper)]
        if not named:
            return None
        return min(named, key=lambda t: abs(t.i - trigger.i)).lower_

    def date_event(
        self, trigger: Token, dating: DocumentDating, anchor: EventDate | None
    ) -> EventDate:
        """As :meth:`resolve`, with the document's dating state (its year and
        the sentences' expressions, found once); :class:`DocumentDating` calls it.

        ``anchor`` is what relative phrases ("the next day") count from; None
        leaves them undated (a range before publication), not stamped.
        """
        found = self.own_date(trigger, dating, anchor)
        if found is not None:
            return found
        top = event_path(trigger)[-1]
        if top.dep_ in ("ccomp", "parataxis") and top.head.i != top.i:
            # A report with no time of its own happened by the time it was reported.
            return self.date_event(top.head, dating, anchor)
        return _fallback(dating.published, dating.year)

    def own_date(
        self, trigger: Token, dating: DocumentDating, anchor: EventDate | None
    ) -> EventDate | None:
        """The date the event's own clause gives (a time, else a bound), or None."""
        sentence = trigger.sent
        path = event_path(trigger)
        future = is_future(path, self._lexicon.future_aux, self._lexicon.future_heads)
        owned = self._owned(path, dating.governed(sentence))
        country = dating.country
        if any(e.key == "independence day" and e.part is None for e, _, _ in owned):
            country = self.event_country(trigger) or country
        context = Context(dating.published, anchor, dating.year, future, country)
        for expression, tokens, order in owned:
            span = (sentence.start_char + expression.start, sentence.start_char + expression.end)
            named = self._named_anchor(expression, sentence.doc[tokens.start : tokens.stop], dating)
            if named is not None:
                # "ten days before the murder": counted from the murder's date,
                # undated (a range) when the text never dates it
                value = self._valuer.value(expression, replace(context, anchor=named[0]))
                if value is not None:
                    return value.at(span).based("anchored")
                continue
            if (
                anchor is not None
                and anchor.span == span
                and order == "at"
                and self._valuer.is_anchored(expression)
            ):
                # "Two days later, jets struck and captured ...": the same
                # words dated the previous event; do not count twice. Other
                # words are valued again: the tense may differ ("On Tuesday
                # the league plans to hold a rally").
                return anchor
            value = self._valuer.value(expression, context)
            if value is None:
                continue
            basis: DateBasis = "anchored" if self._valuer.is_anchored(expression) else "text"
            bounded = _bounded(value, order, dating.published)
            if bounded is not None:
                return bounded.at(span).based(basis)
        return self._bound_by_clause(path, dating, anchor)

    def _named_anchor(
        self, expression: Expression, words: Span, dating: DocumentDating
    ) -> tuple[EventDate | None] | None:
        """For a time counted from a named event ("the day after his death"),
        that event's date (None inside when the text does not date it); None
        for any other expression."""
        if not self._valuer.is_anchored(expression):
            return None
        noun = named_event(words)
        return None if noun is None else (dating.named_date(noun),)

    def _bound_by_clause(
        self, path: list[Token], dating: DocumentDating, anchor: EventDate | None
    ) -> EventDate | None:
        """A bound from an ``after``/``before`` clause of the event ("imposed
        sanctions after it conducted tests in May 1998": from May 1998 on)."""
        for token in path[:2]:
            for clause, order in bounding_clauses(token):
                other = self.own_date(clause, dating, anchor)
                if other is not None and other.basis != "publication":
                    bounded = _bounded(other, order, dating.published)
                    if bounded is not None:
                        return bounded.based(other.basis)
        return None

    def sentence_date(
        self, sentence: Span, dating: DocumentDating, anchor: EventDate | None
    ) -> EventDate | None:
        """The time the sentence tells of: the date its text gives its main
        clause, else the first verb of it dated by a plain time expression
        ("sent shares plunging yesterday"), or None. Bounds and future times
        set no reference."""
        root = sentence.root
        heads = [root, *(c for c in root.children if c.dep_ == "conj")]
        heads += [
            sentence.doc[ruled.head]
            for _, _, ruled in dating.governed(sentence)
            if ruled is not None and ruled.order == "at"
        ]
        for head in heads:
            if head.pos_ not in ("VERB", "AUX") or head.tag_ in ("VB", "MD"):
                continue
            found = self.own_date(head, dating, anchor)
            if found is None or found.basis != "text" or found.range is not None:
                continue
            if dating.published is None or found.date is None or found.date <= dating.published:
                return found
        return None

    @property
    def incidents(self) -> frozenset[str]:
        """Stems of the incident nouns ("attack", "shoot", "kill")."""
        return self._incidents

    def dated_mentions(
        self, sentence: Span, dating: DocumentDating, anchor: EventDate | None
    ) -> list[tuple[int, str, EventDate]]:
        """The words of ``sentence`` a time expression dates ("the Oct. 23
        killing", "was shot on Friday"), with their stems and dates."""
        found: list[tuple[int, str, EventDate]] = []
        for _, _, ruled in dating.governed(sentence):
            if ruled is None or ruled.order != "at":
                continue
            head = sentence.doc[ruled.head]
            if head.pos_ not in ("NOUN", "VERB"):
                continue
            when = self.own_date(head, dating, anchor)
            if when is not None and when.basis == "text" and when.date is not None:
                found.append((head.i, _stem(head), when.based("anchored")))
        return found

    def narrative_date(
        self, trigger: Token, dating: DocumentDating, reference: EventDate
    ) -> EventDate | None:
        """The running reference time, for a past event told with no time of its
        own in a sentence that has none: news goes on telling the day it
        opened with ("Bombs hit two embassies on Friday. ... Rescuers
        searched the rubble.")."""
        if dating.expressions(trigger.sent) or not _narrated(trigger):
            return None
        return reference.based("anchored")

    def value(self, expression: Expression, context: Context) -> EventDate | None:
        """What ``expression`` means in ``context``, or None."""
        return self._valuer.value(expression, context)

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

    def _owned(
        self, path: list[Token], governed: list[_Governed]
    ) -> list[tuple[Expression, range, Order]]:
        """The sentence's expressions (with their token indices and how they
        relate to the event) that date this event, best first."""
        levels = _levels(path)
        inside = {token.i: level for level, token in enumerate(path)}
        before_when = time_before_when(path)
        if before_when is not None:
            inside.setdefault(before_when, 0)
        ranked: list[tuple[int, int, int, Expression, range, Order]] = []
        for expression, tokens, ruled in governed:
            level = _level(levels, tokens, ruled, inside)
            if level is not None:
                order = ruled.order if ruled is not None else "at"
                rank = (level, _SPECIFICITY[expression.kind], expression.start)
                ranked.append((*rank, expression, tokens, order))
        ranked.sort(key=lambda r: r[:3])
        return [(expression, tokens, order) for *_, expression, tokens, order in ranked]


def _level(
    levels: _Levels, tokens: range, ruled: Governed | None, inside: dict[int, int]
) -> int | None:
    """How near the expression is to the event, or None when it is not the event's.

    An event inside the expression's own clause is as near as can be ("on
    Thursday, when 133 people were arrested": "arrested" climbs to "Thursday").
    """
    within = [inside[i] for i in tokens if i in inside]
    if within:
        return min(within)
    if ruled is None:
        return None
    if not ruled.phrase:
        # "recalled the March 1998 bombing": a date before a noun is the noun's,
        # and reaches only the words the noun climbs to.
        return levels.own.get(ruled.head)
    level = levels.near.get(ruled.head)
    return level if level is not None else levels.phrases.get(ruled.head)


_Governed = tuple[Expression, range, Governed | None]
"""A date expression, its token indices and what it modifies (see ``attach.governor``)."""


def _governed(sentence: Span, expressions: list[Expression]) -> list[_Governed]:
    found: list[_Governed] = []
    for expression in expressions:
        words = sentence.char_span(expression.start, expression.end, alignment_mode="expand")
        if words is None or not len(words):
            continue
        found.append((expression, range(words.start, words.end), governor(words)))
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
    """The story's today: the publication date, or the day its dateline gives
    (:meth:`DateResolver.dateline`)."""
    year: int | None
    country: str | None = None
    """The country the document is about (:meth:`DateResolver.focus_country`)."""
    dateline: int = 0
    """Where the dateline ends: a date in it dates no event of the sentence."""
    _found: dict[int, list[Expression]] = field(default_factory=dict, repr=False)
    _governed: dict[int, list[_Governed]] = field(default_factory=dict, repr=False)
    _references: dict[int, EventDate | None] = field(default_factory=dict, repr=False)
    _mentions: list[tuple[int, str, EventDate]] = field(default_factory=list, repr=False)
    """(token index, stem, date) of the words the text dated, for naming back."""
    _lede: list[int] = field(default_factory=list, repr=False)
    """The start of the story's first sentence that tells something (-1: none), once found."""
    _lede_dates: dict[int, EventDate | None] = field(default_factory=dict, repr=False)
    """The lede's date (:meth:`_lede_date`) by how many dated mentions were known."""

    def resolve(self, trigger: Token, anchor: EventDate | None = None) -> EventDate:
        """As :meth:`DateResolver.resolve`, for a trigger of this document."""
        return self.resolver.date_event(trigger, self, anchor)

    def resolve_all(self, triggers: Sequence[Token]) -> list[EventDate]:
        """Dates for the events of ``triggers`` (document order).

        Relative phrases ("the next day", "two days later") count from the
        latest date the text gave before them: the previous event's, or the
        running reference time of the sentences before (:meth:`reference`).
        A past event told with no time of its own, in a sentence with none,
        takes the running reference time (``basis="anchored"``).
        """
        dates: list[EventDate] = []
        last: tuple[int, EventDate] | None = None  # (sentence start, date) of the previous event
        for trigger in triggers:
            sentence = trigger.sent
            reference = self.reference(sentence)
            anchor = (
                last[1]
                if last is not None and (reference is None or last[0] == sentence.start)
                else reference
            )
            when = self.resolver.date_event(trigger, self, anchor)
            if when.basis == "publication" or self._named_in_frame(trigger, when):
                when = self._named_back(trigger) or when
            if when.basis == "publication" and reference is not None:
                when = self.resolver.narrative_date(trigger, self, reference) or when
            if when.basis == "publication" and reference is None and _past(trigger):
                when = self._lede_date(sentence) or when
            if when.basis != "publication":
                last = (sentence.start, when)
                self._mentions.append((trigger.i, _stem(trigger), when.based("anchored")))
            dates.append(when)
        return dates

    def _named_in_frame(self, trigger: Token, when: EventDate) -> bool:
        """A definite event noun that another noun frames ("searched the site
        of the shooting on Monday") and that no time of its own dates: it
        names back an earlier event rather than taking the search's date."""
        head = trigger.head
        if trigger.pos_ != "NOUN" or when.basis != "text" or not _definite(trigger):
            return False
        if trigger.dep_ != "pobj" or head.lower_ != "of" or head.head.pos_ != "NOUN":
            return False
        return not any(
            ruled is not None and ruled.head == trigger.i
            for _, _, ruled in self.governed(trigger.sent)
        )

    def _named_back(self, trigger: Token) -> EventDate | None:
        """The date of the event a definite noun names back ("Gunmen attacked a
        bus on Friday. ... The attack was condemned"): the latest earlier
        dated mention of the same word, or of another incident noun. A verb
        takes the date of the definite noun of a phrase opening its clause
        ("The union sent a letter dated Monday. In the letter, it demanded
        talks")."""
        if trigger.pos_ in ("VERB", "AUX"):
            for noun in _scene_nouns(trigger):
                if noun.pos_ == "NOUN" and _definite(noun):
                    return self.named_date(noun)
            return None
        if trigger.pos_ != "NOUN" or not _definite(trigger):
            return None
        return self.named_date(trigger)

    def named_date(self, trigger: Token) -> EventDate | None:
        """The date of the event a noun or clause names: a date written on it
        ("last Tuesday's hearing", "the minister resigned in 2016"), else the
        latest earlier dated mention of the same word or of another incident
        noun ("the murder" after "was shot on Friday"), or None."""
        for expression, _, ruled in self.governed(trigger.sent):
            if ruled is not None and ruled.head == trigger.i and ruled.order == "at":
                context = Context(self.published, None, self.year, future=False)
                own = self.resolver.value(expression, context)
                if own is not None and own.date is not None:
                    return own.based("anchored")
        self.reference(trigger.sent)  # reads the sentences before for their dated mentions
        stem = _stem(trigger)
        incidents = self.resolver.incidents
        earlier = sorted(
            (m for m in self._mentions if m[0] < trigger.i), key=lambda m: m[0], reverse=True
        )
        # the same word first ("the murder" after "the murder on Oct. 23", not
        # after a later "shooting" of the range); then any incident word
        same = next((when for _, other, when in earlier if other == stem), None)
        if same is not None or stem not in incidents:
            return same
        return next((when for _, other, when in earlier if other in incidents), None)

    def _lede_date(self, sentence: Span) -> EventDate | None:
        """For the story's first sentence, which often leaves its day to the
        next ones ("HAVANA -- Thousands marched ... . The march on Friday
        ..."): the day one of the next two sentences gives its main clause,
        when it is a recent day (a week before publication at most)."""
        if not self._lede:
            # the first sentence that tells something (a dateline may stand alone)
            first = next((s for s in sentence.doc.sents if s.root.pos_ in ("VERB", "AUX")), None)
            self._lede.append(-1 if first is None else first.start)
        if sentence.start != self._lede[0] or self.published is None:
            return None
        # A later sentence may date its event from one the text named before
        # ("the day after the attack"): the date holds while no mention is added.
        known = len(self._mentions)
        if known not in self._lede_dates:
            self._lede_dates[known] = self._next_day_told(sentence, self.published)
        return self._lede_dates[known]

    def _next_day_told(self, sentence: Span, published: dt.date) -> EventDate | None:
        following = [s for s in sentence.doc.sents if s.start > sentence.start][:_LEDE_LOOKAHEAD]
        for later in following:
            own = self.resolver.sentence_date(later, self, None)
            if own is None or own.date is None or own.precision != "day":
                continue
            if 0 < (published - own.date).days <= _LEDE_DAYS:
                return own.based("anchored")
        return None

    def reference(self, sentence: Span) -> EventDate | None:
        """The running reference time before ``sentence``: the date the text
        gave the main clause of the latest earlier sentence with one."""
        if sentence.start in self._references:
            return self._references[sentence.start]
        running: EventDate | None = None
        for earlier in sentence.doc.sents:
            if earlier.start >= sentence.start:
                break
            if earlier.start in self._references:
                running = self._references[earlier.start]
            else:
                self._references[earlier.start] = running
            own = self.resolver.sentence_date(earlier, self, running)
            if own is not None:
                running = own
            elif _reported_today(earlier, self):
                running = None
            self._mentions.extend(self.resolver.dated_mentions(earlier, self, running))
        self._references[sentence.start] = running
        return running

    def expressions(self, sentence: Span) -> list[Expression]:
        found = self._found.get(sentence.start)
        if found is None:
            found = self.resolver.expressions(span_text(sentence))
            start = sentence.start_char
            if start < self.dateline:
                found = [e for e in found if start + e.start >= self.dateline]
            self._found[sentence.start] = found
        return found

    def governed(self, sentence: Span) -> list[_Governed]:
        """The sentence's expressions with the word each modifies, worked out once:
        which word an expression modifies does not depend on the event."""
        found = self._governed.get(sentence.start)
        if found is None:
            found = self._governed[sentence.start] = _governed(sentence, self.expressions(sentence))
        return found


def _past(trigger: Token) -> bool:
    """A verb told in the simple past ("said", "were killed")."""
    return trigger.tag_ == "VBD" or (
        trigger.tag_ == "VBN"
        and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in trigger.children)
    )


def _definite(noun: Token) -> bool:
    return any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in noun.children
    )


def _reported_today(sentence: Span, dating: DocumentDating) -> bool:
    """A sentence told as a report of the story's day ("She also told the
    envoys ...", no time of its own): the story is back on its today, and
    the day told before no longer runs on."""
    root = sentence.root
    return (
        root.lemma_ in _SPEECH
        and root.tag_ in ("VBD", "VBZ", "VBP")
        and not dating.expressions(sentence)
    )


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


@dataclass(frozen=True, slots=True)
class _Levels:
    """Token index to nearness (lower is nearer) for the words whose dates are
    the event's (``near``), and for nouns inside its phrases, whose date
    phrases are (``phrases``)."""

    near: dict[int, int]
    phrases: dict[int, int]
    own: dict[int, int]
    """The climb path and its nominal subjects only."""


def _levels(path: list[Token]) -> _Levels:
    """The climb path first, then its nominal subjects, whose dates carry to
    their verb ("the February 26 strike killed 40"), then the words in the
    scope below the trigger, then below the words it climbed to.

    The small parser often hangs "on 26 February" on a verb inside the object
    ("struck what New Delhi called a camp ... on 26 February"); such a date
    still belongs to the trigger unless a relative clause or a report intervenes.
    """
    near = {token.i: level for level, token in enumerate(path)}
    level = len(path)
    for token in path:
        for child in token.children:
            if child.dep_ in _SUBJECTS and child.pos_ in ("NOUN", "PROPN"):
                near.setdefault(child.i, level)
    for token in path:
        for noun in _scene_nouns(token):
            near.setdefault(noun.i, level)
    own = dict(near)
    phrases: dict[int, int] = {}
    if _present(path[0]):
        # "investigators think the killer buried it in the days before": a
        # present state or report is of the publication day, not of what it tells
        return _Levels(near, phrases, own)
    for token in path:
        level += 1
        below = [token, *scope(token)]
        for word in below[1:]:
            near.setdefault(word.i, level)
        for noun in phrase_scope(below):
            phrases.setdefault(noun.i, level + len(path))
    return _Levels(near, phrases, own)


def _present(trigger: Token) -> bool:
    """A verb in the simple present ("says", "think"), not a historical one
    told with a date of its own (that date is on the path, not below)."""
    return trigger.tag_ in ("VBZ", "VBP") and not any(
        c.dep_ in ("aux", "auxpass") for c in trigger.children
    )


def _scene_nouns(token: Token) -> Iterator[Token]:
    """Nouns of the framing phrases opening ``token``'s clause ("In Sunday's
    debate, the senator attacked"), and the participles framing those nouns
    ("In a poll completed on Saturday, ..."): their dates are the clause's."""
    if token.pos_ not in ("VERB", "AUX"):
        return
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in FRAMING and child.i < token.i:
            for noun in child.children:
                if noun.dep_ == "pobj":
                    yield noun
                    # "In a poll completed on Saturday, ...": the noun's own frame
                    yield from (c for c in noun.children if c.dep_ == "acl")


_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_SPEECH = frozenset({"say", "tell", "add"})
"""Plain speech: told with no time, it is of the story's day (a warning or an
announcement may still be the running day's news)."""
_SUFFIXES = ("ings", "ing", "ions", "ion", "ments", "ment", "s")


def _stem(token: Token) -> str:
    """A crude stem shared by a verb and the noun made from it ("shot",
    "shooting": "shoot"; "bombed", "bombing": "bomb")."""
    return _stem_word(token.lemma_.lower())


def _stem_word(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    word = word.rstrip("e")
    # "stabbing" and "stab", "killing" and "kill": a doubled last consonant is one
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


_BEFORE_WINDOW = MappingProxyType({"day": 7, "month": 31, "year": 365})


def _narrated(trigger: Token) -> bool:
    """A simple-past event of the story line (not a report, not a hypothetical)."""
    if trigger.tag_ != "VBD" and not (
        trigger.tag_ == "VBN"
        and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in trigger.children)
    ):
        return False
    if trigger.lemma_ in REPORTING:  # a report is told on the day it is published
        return False
    return not any(c.dep_ == "aux" and c.tag_ == "MD" for c in trigger.children)


def _bounded(value: EventDate, order: Order, published: dt.date | None) -> EventDate | None:
    """``value`` as the event's date ("at"), or the range it bounds: from its
    start to the publication date ("after"), up to its start ("before": within
    a week of a day, a month of a month, a year of a year)."""
    if order == "at" or value.date is None:
        return value
    first, last = value.range or (value.date, value.date)
    if order == "after":
        # Only a bound of at most a year says something: "after the 1998
        # tests" in a 2010 story would put the event in 1998 for analytics.
        near = published is not None and published > last and (published - first).days <= 366
        return span_date(first, published) if near and published is not None else None
    window = _BEFORE_WINDOW[value.precision or "day"]
    return span_date(add_days(first, -window), first)


def _fallback(published: dt.date | None, year: int | None) -> EventDate:
    if published is not None:
        return EventDate(published, "day", basis="publication")
    found = year_date(year) if year is not None else None
    return found.based("anchored") if found is not None else _UNKNOWN
