"""The time/place/size stage: each coded event gets its own date, place and toll.

Input: a parsed document, its publication date and the events the coder found
in it (document order). Output: the same events with ``date``,
``date_precision``, ``date_range``, ``location`` and ``size`` filled where the
text allows. Each part is optional, so a coder can run without a gazetteer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from dyadwatch.casualties import widen
from dyadwatch.coder.incidents import resolve_incidents
from dyadwatch.coder.knowledge import MATERIAL_ROOTS
from dyadwatch.geo import Gazetteer, PlaceContext, PlaceResolver
from dyadwatch.geo.resolve import far_reaching
from dyadwatch.model import Actor, Event, Location, Modality, PlaceBasis, Size
from dyadwatch.nlp.text import span_text
from dyadwatch.temporal import DateResolver, DocumentDating, EventDate

__all__ = ["Enricher", "SizeFinder"]

_VIOLENT = frozenset({"18", "19", "20"})

SizeFinder = Callable[[Span, Token | None], Size | None]
"""(sentence, trigger) -> casualty figures; no trigger: the sentence's own."""

_DYING = frozenset({"die", "perish", "succumb"})
_TOLL_REACH = 2
"""How many sentences away a toll with no act of its own may find its attack."""


@dataclass(frozen=True, slots=True)
class Enricher:
    """Dates, places and sizes for a document's events."""

    dates: DateResolver
    gazetteer: Gazetteer | None = None
    sizes: SizeFinder | None = None
    incidents: bool = False
    """Fold the document's mentions of one act of violence into one event
    (:mod:`dyadwatch.coder.incidents`); off for a user's PETRARCH scheme."""

    def document(
        self,
        doc: Doc,
        dating: DocumentDating,
        events: Sequence[Event],
        named: Sequence[str] = (),
    ) -> list[Event]:
        """``events`` of ``doc`` with dates, places and sizes; ``dating`` comes from
        ``self.dates.for_document``, made once per document by the caller, which
        also needs the document's year. ``named``: the countries of every actor
        the document names, coded or not, one per mention; they weigh in the
        choice among readings of a place name ("Al Bayda" in a story naming
        Yemeni officials) and place violence the text places nowhere else."""
        sentences = list(doc.sents)
        places = self._places(doc, events, named)
        triggers = [_trigger(sentences[e.sentence_index], e) for e in events]
        enriched: list[Event] = []
        for event, trigger, when in zip(
            events, triggers, dating.resolve_all(triggers), strict=True
        ):
            sentence = sentences[event.sentence_index]
            enriched.append(self._one(event, sentence, trigger, when, places, dating.published))
        tolled = self._attach_tolls(sentences, enriched)
        resolved = resolve_incidents(tolled) if self.incidents else tolled
        return [self._in_country(e, named) for e in resolved]

    def _in_country(self, event: Event, named: Sequence[str]) -> Event:
        """Violence the text places nowhere happened in its victims' country
        ("a strike on Pakistan", "killed five AQAP members"; ``place_basis``
        ``victim``), else in the country the document's actors name most, when
        one leads (``context``); at country precision, never the doer's."""
        gazetteer = self.gazetteer
        if gazetteer is None or event.location is not None or not _violent(event):
            return event
        for basis, country in _countries_of(event, named):
            place = None if country is None else gazetteer.by_code(country)
            if place is not None and place.kind == "country":
                return replace(event, location=place.to_location(), place_basis=basis)
        return event

    def _attach_tolls(self, sentences: Sequence[Span], events: list[Event]) -> list[Event]:
        """A toll told in a sentence with no act of its own ("Two missiles hit a
        house. Reports of the death toll ranged from 5 to 15.") is the toll of
        the violence told just before it (else just after); a figure that
        differs from the event's own widens its range (conflicting reports).
        """
        if self.sizes is None:
            return events
        acted = {e.sentence_index for e in events if e.cameo_root in MATERIAL_ROOTS}
        for index, sentence in enumerate(sentences):
            own_act = index in acted or _natural_death(sentence)
            host = None if own_act else _toll_host(events, index)
            toll = _toll(self.sizes(sentence, None)) if host is not None else None
            if host is not None and toll is not None:
                events[host] = replace(events[host], size=widen([events[host].size, toll]))
        return events

    def _places(self, doc: Doc, events: Sequence[Event], named: Sequence[str]) -> _Places | None:
        if self.gazetteer is None:
            return None
        countries = _countries(events) + list(named)
        resolver = PlaceResolver(self.gazetteer)
        focus = resolver.focus(doc, countries)
        return _Places(resolver, PlaceContext.of(countries, focus=focus))

    def _one(
        self,
        event: Event,
        sentence: Span,
        trigger: Token,
        when: EventDate,
        places: _Places | None,
        published: dt.date | None,
    ) -> Event:
        location, basis = places.locate(trigger, event) if places else (None, None)
        material = event.cameo_root in MATERIAL_ROOTS
        size = self.sizes(sentence, trigger) if self.sizes and material else None
        return replace(
            _target_from_place(event, location, sentence),
            date=when.date,
            date_precision=when.precision,
            date_range=when.range,
            date_basis=when.basis if when.date is not None else None,
            modality=_not_yet(event, when, published),
            location=location,
            place_basis=basis,
            size=size,
        )


@dataclass(frozen=True, slots=True)
class _Places:
    """Place resolution within one document: its resolver and country context."""

    resolver: PlaceResolver
    context: PlaceContext

    def locate(self, trigger: Token, event: Event) -> tuple[Location | None, PlaceBasis | None]:
        """Where the event happened and on what basis (its sentence, else the
        document's focus); the document's focus only for material events.

        A statement or an appeal happens where its speaker is, which the
        document's focus (usually where the fighting is) does not tell.
        """
        own = [a.country for a in (event.source, event.target) if a is not None and a.country]
        context = self.context.with_sentence(own)
        if event.cameo_root not in MATERIAL_ROOTS:
            context = replace(context, focus=None)
        deed = event.cameo_root in _VIOLENT
        found = self.resolver.locate(trigger, context, deed=deed)
        if found is None:
            return None, None
        return found, "document" if found is context.focus else "text"


def _target_from_place(event: Event, location: Location | None, sentence: Span) -> Event:
    """ "Indian jets struck a camp near Balakot": violence in a country is done to it.

    An unknown target ("---", "a camp") names no country: the place's replaces it.
    """
    known = event.target is not None and event.target.code != "---"
    if known or location is None or event.cameo_root not in _VIOLENT:
        return event
    country = location.country
    if country is None or country == event.source.country:
        return event
    start = span_text(sentence).find(location.name)
    span = (start, start + len(location.name)) if start >= 0 else None
    target = Actor(location.name, country, country, None, None)
    return replace(event, target=target, evidence=replace(event.evidence, target=span))


def _countries_of(event: Event, named: Sequence[str]) -> Iterator[tuple[PlaceBasis, str | None]]:
    """Where violence placed nowhere happened, best first (each worked out
    only when the one before is no gazetteer country)."""
    yield "victim", _victims_country(event)
    yield "context", _leading_country(event, named)


def _victims_country(event: Event) -> str | None:
    """The victims' country, unless it is the doer's."""
    country = event.target.country if event.target is not None else None
    return None if country == event.source.country else country


def _leading_country(event: Event, named: Sequence[str]) -> str | None:
    """The country the document's actors name most, when one leads: never the
    doer's, nor one whose forces act far from home (a U.S. drone says nothing
    of where it flew)."""
    doer = event.source.country
    votes = Counter(c for c in named if c != doer and c not in far_reaching())
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _violent(event: Event) -> bool:
    return event.cameo_root in _VIOLENT and not (
        event.modality.negated or event.modality.hypothetical
    )


def _toll_host(events: Sequence[Event], index: int) -> int | None:
    """The violent event a toll in sentence ``index`` belongs to: the latest one
    before it within reach, else the first one after it within reach."""
    violent = [
        i
        for i, e in enumerate(events)
        if e.cameo_root in _VIOLENT
        and not e.modality.negated
        and abs(e.sentence_index - index) <= _TOLL_REACH
    ]
    before = [i for i in violent if events[i].sentence_index < index]
    after = [i for i in violent if events[i].sentence_index > index]
    return before[-1] if before else (after[0] if after else None)


def _natural_death(sentence: Span) -> bool:
    """ "3 died of cholera": a death with a cause of its own is no attack's toll."""
    return any(
        token.lemma_ in _DYING
        and any(c.dep_ == "prep" and c.lower_ in ("of", "from") for c in token.children)
        for token in sentence
    )


def _toll(size: Size | None) -> Size | None:
    """The dead and wounded of a size; arrests are an act of their own."""
    if size is None or (size.killed is None and size.injured is None):
        return None
    return replace(size, arrested=None)


def _not_yet(event: Event, when: EventDate, published: dt.date | None) -> Modality:
    """An event whose own words date it after publication has not happened yet."""
    if when.date is None or published is None or when.date <= published:
        return event.modality
    return replace(event.modality, hypothetical=True)


def _trigger(sentence: Span, event: Event) -> Token:
    start, end = event.evidence.trigger
    span = sentence.doc.char_span(sentence.start_char + start, sentence.start_char + end)
    return span[0] if span is not None and len(span) else sentence.root


def _countries(events: Sequence[Event]) -> list[str]:
    """Countries of the document's actors, one entry per mention."""
    return [
        actor.country
        for event in events
        for actor in (event.source, event.target)
        if actor is not None and actor.country
    ]
