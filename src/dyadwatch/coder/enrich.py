"""The time/place/size stage: each coded event gets its own date, place and toll.

Input: a parsed document, its publication date and the events the coder found
in it (document order). Output: the same events with ``date``,
``date_precision``, ``date_range``, ``location`` and ``size`` filled where the
text allows. Each part is optional, so a coder can run without a gazetteer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from dyadwatch.model import Event, Location, Size
from dyadwatch.temporal import DateResolver, EventDate

__all__ = ["Enricher", "PlaceFinder", "SizeFinder"]

PlaceFinder = Callable[[Token, Sequence[str]], Location | None]
"""(trigger, countries named in the document, most named first) -> place."""
SizeFinder = Callable[[Span, Token], Size | None]
"""(sentence, trigger) -> casualty figures."""


@dataclass(frozen=True, slots=True)
class Enricher:
    """Dates, places and sizes for a document's events."""

    dates: DateResolver
    places: PlaceFinder | None = None
    sizes: SizeFinder | None = None

    def document(self, doc: Doc, published: dt.date | None, events: Sequence[Event]) -> list[Event]:
        sentences = list(doc.sents)
        countries = _countries(events)
        anchor: EventDate | None = None
        enriched: list[Event] = []
        for event in events:
            sentence = sentences[event.sentence_index]
            trigger = _trigger(sentence, event)
            when = self.dates.resolve(trigger, published, anchor)
            anchor = when if when.date is not None else anchor
            enriched.append(self._one(event, sentence, trigger, when, countries))
        return enriched

    def _one(
        self,
        event: Event,
        sentence: Span,
        trigger: Token,
        when: EventDate,
        countries: Sequence[str],
    ) -> Event:
        location = self.places(trigger, countries) if self.places else None
        size = self.sizes(sentence, trigger) if self.sizes else None
        return replace(
            event,
            date=when.date,
            date_precision=when.precision,
            date_range=when.range,
            location=location,
            size=size,
        )


def _trigger(sentence: Span, event: Event) -> Token:
    start, end = event.evidence.trigger
    span = sentence.doc.char_span(sentence.start_char + start, sentence.start_char + end)
    return span[0] if span is not None and len(span) else sentence.root


def _countries(events: Sequence[Event]) -> list[str]:
    """Countries of the document's actors, most named first."""
    counts: dict[str, int] = {}
    for event in events:
        for actor in (event.source, event.target):
            if actor is not None and actor.country:
                counts[actor.country] = counts.get(actor.country, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])
