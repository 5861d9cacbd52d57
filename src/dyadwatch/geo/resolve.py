"""Tying a place to its event, and choosing among places of the same name.

``PlaceResolver.locate`` looks for the event's place in three steps: a place
tied to the trigger through syntax inside its clause ("a strike in X killed
four"), else the place nearest the trigger in its sentence, else the
document's focus. A name with several readings is read by the countries of
the document's actors and places first, then by population ("Punjab" in a
Pakistan story is PK-PB; "Jalalabad" in an Afghan story is not the one in
India).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from spacy.tokens import Doc, Span, Token

from dyadwatch.geo._tables import read_far_reaching
from dyadwatch.geo.gazetteer import Gazetteer, Place
from dyadwatch.geo.mentions import PlaceMention, find_mentions
from dyadwatch.model import Location

__all__ = ["PlaceContext", "PlaceResolver", "document_focus", "doer_tokens", "far_reaching"]

_CLAUSE_DEPS: Final = frozenset({"ROOT", "ccomp", "advcl", "relcl", "parataxis", "csubj"})
_REFINING_DEPS: Final = frozenset({"appos", "poss", "compound", "npadvmod", "nmod", "conj"})
_KIND_RANK: Final = MappingProxyType({"country": 0, "adm1": 1, "district": 2, "city": 3})
_FOCUS_WEIGHT: Final = MappingProxyType({"country": 1.0, "adm1": 2.0, "district": 3.0, "city": 3.0})
_WELL_KNOWN: Final = 100_000
"""Population above which a city abroad is plausible in any story."""
_EMPTY: Final[Mapping[str, int]] = MappingProxyType({})


@dataclass(frozen=True)
class PlaceContext:
    """What a document says about where it is: counts of actor (and place)
    countries (ISO-3) in the sentence and the document, and its focus."""

    sentence: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    document: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    focus: Location | None = None

    @classmethod
    def of(
        cls,
        document: Iterable[str] = (),
        sentence: Iterable[str] = (),
        focus: Location | None = None,
    ) -> PlaceContext:
        """A context from country codes as they occur (repeats count)."""
        return cls(MappingProxyType(Counter(sentence)), MappingProxyType(Counter(document)), focus)

    def with_sentence(self, countries: Iterable[str]) -> PlaceContext:
        """The same context with ``countries`` added to the sentence's."""
        merged = Counter(self.sentence)
        merged.update(countries)
        return PlaceContext(MappingProxyType(merged), self.document, self.focus)

    def countries(self) -> frozenset[str]:
        """Every country the context names."""
        return self._named

    def weight(self, place: Place) -> float:
        """How strongly the context favours ``place``'s country, in [0, 7]."""
        if place.country is None:
            return 0.0
        sentence, document = self._totals
        score = 4 * _share(self.sentence, place.country, sentence)
        score += 2 * _share(self.document, place.country, document)
        if self.focus is not None and self.focus.country == place.country:
            score += 1 + (self.focus.adm1 is not None and self.focus.adm1 == place.adm1)
        return score

    # A context is asked about every reading of every name in its sentence;
    # what it derives from its counts is worked out once (the counts are frozen).

    @functools.cached_property
    def _named(self) -> frozenset[str]:
        focus = {self.focus.country} if self.focus and self.focus.country else set()
        return frozenset(self.sentence) | frozenset(self.document) | focus

    @functools.cached_property
    def _bounding(self) -> frozenset[str]:
        """The named countries that bound where a story happens (see :func:`far_reaching`)."""
        return self._named - far_reaching()

    @functools.cached_property
    def _totals(self) -> tuple[int, int]:
        return sum(self.sentence.values()), sum(self.document.values())


def _share(counts: Mapping[str, int], key: str, total: int) -> float:
    return counts.get(key, 0) / total if total else 0.0


def choose(
    gazetteer: Gazetteer, candidates: tuple[Place, ...], context: PlaceContext
) -> Place | None:
    """The reading of a name the context favours, then the most populous, or
    None when no reading is plausible in this context.

    A reading without a country (a contested region) wins when the context
    favours no other reading; a city wins over the province of the same name
    that holds it ("Khost", "Kabul").
    """
    ranked = sorted(
        (p for p in candidates if _plausible(gazetteer, p, context)),
        key=lambda p: _score(p, context),
        reverse=True,
    )
    if not ranked:
        return None
    best = ranked[0]
    if context.weight(best) == 0:
        neutral = [p for p in candidates if p.country is None]
        if neutral:
            return neutral[0]
    inner = [p for p in ranked if best.contains(p) and _KIND_RANK[p.kind] > _KIND_RANK[best.kind]]
    return inner[0] if inner else best


@functools.cache
def far_reaching() -> frozenset[str]:
    """Countries whose actors do not bound where a story happens (``far_reaching.tsv``)."""
    return read_far_reaching()


def _plausible(
    gazetteer: Gazetteer, place: Place, context: PlaceContext, *, strict: bool = False
) -> bool:
    """A small town far abroad is not plausible in a story whose countries
    are known: "Zharki" in a Pakistan story is not the town in Poland, though
    a town across the border may be. Countries that routinely fight far from
    home bound nothing: "a US drone struck Datta Khel" may be in Pakistan.
    ``strict`` counts them too, for readings that must set the context."""
    if place.kind not in ("city", "district") or place.population >= _WELL_KNOWN:
        return True
    if place.geonames_id is None:
        return True  # our own places.tsv rows: listed because news names them
    countries = context.countries() if strict else context._bounding
    return not countries or gazetteer.near(place.country, countries)


def _score(place: Place, context: PlaceContext) -> float:
    return 10 * context.weight(place) + math.log10(place.population + 1) / 10


@dataclass(frozen=True, slots=True)
class _Reading:
    mention: PlaceMention
    place: Place


class PlaceResolver:
    """Places for events, from one ``Gazetteer``."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # A sentence holding several events is scanned for names once; the
        # memo is for one document at a time (the one last asked about).
        self._doc: Doc | None = None
        self._mentions: dict[int, list[PlaceMention]] = {}

    def mentions(self, sent: Span) -> list[PlaceMention]:
        """The place mentions of ``sent`` (see :func:`find_mentions`)."""
        if sent.doc is not self._doc:
            self._doc, self._mentions = sent.doc, {}
        found = self._mentions.get(sent.start)
        if found is None:
            found = self._mentions[sent.start] = find_mentions(sent, self.gazetteer)
        return found

    def readings(self, sent: Span, context: PlaceContext) -> list[_Reading]:
        """Every place mention of ``sent`` with its chosen reading. Countries of
        the sentence's unambiguous places join the sentence context."""
        mentions = self.mentions(sent)
        local = context.with_sentence(_sure_countries(self.gazetteer, mentions, context))
        chosen = ((m, choose(self.gazetteer, m.candidates, local)) for m in mentions)
        return _in_their_setting([_Reading(m, place) for m, place in chosen if place is not None])

    def focus(self, doc: Doc, countries: Mapping[str, int] | Iterable[str] = ()) -> Location | None:
        """The place a document is about: each mention counts by its precision,
        and a place also counts the mentions of the country or province holding
        it, so that "Pakistan … North Waziristan" is about North Waziristan.
        ``countries`` are the ISO-3 codes of the document's actors."""
        mentions = [m for sent in doc.sents for m in self.mentions(sent)]
        return _focus(self.gazetteer, mentions, Counter(countries))

    def locate(
        self, trigger: Token, context: PlaceContext, *, deed: bool = False
    ) -> Location | None:
        """The place of the event whose trigger is ``trigger``, or None.

        ``deed``: the event is an act of violence, whose place is where it hit,
        never a place naming its doer ("a U.S. drone strike", "Saudi jets",
        "a strike by the United States": :func:`doer_tokens`); a document focus
        that only such a name gives is not used either.
        """
        readings = self.readings(trigger.sent, context)
        doers: list[Place] = []
        if deed:
            # Only a country (or its demonym) names the doer alone: a city in a
            # doer's name is also where it acts ("the Kabul attack", "Peshawar police").
            tokens = doer_tokens(trigger)
            doers = [r.place for r in readings if _names_doer(r, tokens)]
            readings = [r for r in readings if not _names_doer(r, tokens)]
        place = _tied(trigger, readings) or _nearest(trigger, readings)
        focus = context.focus
        if place is None:
            # A focus only the doer's own country gives is no place of the deed.
            home = focus is not None and focus.precision == "country"
            if home and any(focus is not None and p.country == focus.country for p in doers):
                return None
            return focus
        if focus is not None and _refines(focus, place):
            return focus
        return place.to_location()


_CLIMB: Final = frozenset({"advcl", "xcomp", "conj", "acl", "relcl", "dobj", "pobj", "prep"})
"""From a trigger up to the clause whose subject did it ("forces launched an
airstrike *that killed*", "jets bombed a market, *killing*", "killed by the
United States *in a strike*")."""
_DOER_MODIFIERS: Final = frozenset({"compound", "amod", "nmod", "poss"})
_CLIMB_STEPS: Final = 3


def doer_tokens(trigger: Token) -> frozenset[int]:
    """Tokens that name who did the event of ``trigger``, not where.

    The subjects and ``by`` agents of the trigger and of the clauses it hangs
    from, and the modifiers of those and of the trigger noun itself ("a *U.S.*
    drone strike", "*United States* forces", "*Saudi* jets"). Only the names
    themselves: a place inside a doer's own locative ("forces *in* Kurram")
    still counts.
    """
    heads: list[Token] = []
    node = trigger
    for _ in range(_CLIMB_STEPS + 1):
        heads.extend(_doer_heads(node))
        if node.dep_ not in _CLIMB or node.head is node:
            break
        node = node.head
    # The doer of a doer: "a drone strike *by the United States* killed three".
    heads.extend(a for head in list(heads) if head.pos_ in ("NOUN", "PROPN") for a in _agents(head))
    found: set[int] = set()
    for head in heads:
        found.update(_name_tokens(head))
        for child in head.children:
            if child.dep_ in _DOER_MODIFIERS:
                found.update(t.i for t in child.subtree)
    return frozenset(found)


def _names_doer(reading: _Reading, tokens: frozenset[int]) -> bool:
    return reading.place.kind == "country" and reading.mention.anchor in tokens


def _agents(node: Token) -> list[Token]:
    return [
        c
        for child in node.children
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by")
        for c in child.children
        if c.dep_ == "pobj"
    ]


def _doer_heads(node: Token) -> list[Token]:
    heads = [c for c in node.children if c.dep_ in ("nsubj", "csubj")]
    heads.extend(_agents(node))
    if node.pos_ in ("NOUN", "PROPN"):
        heads.append(node)  # the trigger noun (or the noun it hangs from) and its modifiers
    return heads


def _name_tokens(head: Token) -> list[int]:
    """The head and the words of its name ("the United States")."""
    return [head.i, *(c.i for c in head.children if c.dep_ in ("compound", "flat"))]


def _in_their_setting(readings: list[_Reading]) -> list[_Reading]:
    """Readings without the towns placed in another country by the name that
    follows them: in "Norak, Mir Ali, North Waziristan" Norak lies in Pakistan,
    so it is not the Norak of Tajikistan; "Paris, Texas" is not in France.
    The following name still places the event."""
    kept = []
    for n, reading in enumerate(readings):
        setting = readings[n + 1] if n + 1 < len(readings) else None
        place = reading.place
        if (
            setting is not None
            and place.kind in ("city", "district")
            and setting.mention.start == reading.mention.end + 1
            and setting.place.country is not None
            and place.country != setting.place.country
        ):
            continue
        kept.append(reading)
    return kept


def _sure_countries(
    gazetteer: Gazetteer, mentions: Iterable[PlaceMention], context: PlaceContext
) -> list[str]:
    """Countries of the mentions whose plausible readings all lie in one country.

    Plausible here is strict: a small town abroad admitted only because the
    context's countries act far from home does not set the context itself
    ("Zharki, Mir Ali, North Waziristan" stays in Pakistan in a US story)."""
    sure = []
    for mention in mentions:
        plausible = (
            p for p in mention.candidates if _plausible(gazetteer, p, context, strict=True)
        )
        countries = {p.country for p in plausible}
        if len(countries) == 1 and None not in countries:
            sure.append(next(iter(countries)) or "")
    return sure


def _refines(focus: Location, place: Place) -> bool:
    """True when the focus is a more precise place inside a vague one
    ("a strike in Pakistan" in a story about Miranshah)."""
    if place.kind == "country":
        return focus.country == place.country and focus.precision != "country"
    if place.kind == "adm1":
        return place.adm1 is not None and focus.adm1 == place.adm1 and focus.precision == "city"
    return False


def _clause_root(token: Token) -> Token:
    while token.dep_ not in _CLAUSE_DEPS and token.head is not token:
        token = token.head
    return token


def _path_to(token: Token, root: Token) -> list[Token] | None:
    """Tokens from ``token`` up to ``root``, or None if a clause boundary or
    the sentence root comes first."""
    path = [token]
    while token is not root:
        if token.dep_ in _CLAUSE_DEPS or token.head is token:
            return None
        token = token.head
        path.append(token)
    return path


def _distance(a: Token, b: Token) -> int:
    above_a = [a, *a.ancestors]
    above_b = {t.i: n for n, t in enumerate([b, *b.ancestors])}
    for n, token in enumerate(above_a):
        if token.i in above_b:
            return n + above_b[token.i]
    return len(above_a) + len(above_b)


def _tied(trigger: Token, readings: list[_Reading]) -> Place | None:
    """The place in the trigger's clause closest to it in the tree, refined by
    a more precise place attached to it ("in Pakistan's North Waziristan")."""
    root = _clause_root(trigger)
    doc = trigger.doc
    tied = [r for r in readings if _path_to(doc[r.mention.anchor], root) is not None]
    if not tied:
        return None
    best = min(tied, key=lambda r: (_distance(doc[r.mention.anchor], trigger), r.mention.start))
    return _refine(best, tied, doc)


def _refine(best: _Reading, tied: list[_Reading], doc: Doc) -> Place:
    anchor = doc[best.mention.anchor]
    attached = [
        r.place
        for r in tied
        if r is not best
        and _KIND_RANK[r.place.kind] > _KIND_RANK[best.place.kind]
        and _attached(doc[r.mention.anchor], anchor)
    ]
    return max(attached, key=lambda p: _KIND_RANK[p.kind], default=best.place)


def _attached(token: Token, anchor: Token) -> bool:
    if token.head == anchor or anchor.head == token:
        return token.dep_ in _REFINING_DEPS or anchor.dep_ in _REFINING_DEPS
    # "in the Datta Khel area of North Waziristan": both hang on one place noun.
    return token.head == anchor.head and token.head.pos_ == "NOUN"


def _nearest(trigger: Token, readings: list[_Reading]) -> Place | None:
    if not readings:
        return None
    best = min(readings, key=lambda r: (abs(r.mention.anchor - trigger.i), -r.mention.start))
    return best.place


def document_focus(
    doc: Doc, gazetteer: Gazetteer, countries: Mapping[str, int] | Iterable[str] = ()
) -> Location | None:
    """The place a document is about (see :meth:`PlaceResolver.focus`)."""
    return PlaceResolver(gazetteer).focus(doc, countries)


def _focus(
    gazetteer: Gazetteer, mentions: list[PlaceMention], counts: Counter[str]
) -> Location | None:
    counts.update(_sure_countries(gazetteer, mentions, PlaceContext.of(counts.elements())))
    context = PlaceContext(document=MappingProxyType(counts))
    chosen = ((m, choose(gazetteer, m.candidates, context)) for m in mentions)
    readings = _in_their_setting([_Reading(m, p) for m, p in chosen if p is not None])
    places = [r.place for r in readings]
    if not places:
        return None
    scores = {p: _FOCUS_WEIGHT[p.kind] * n for p, n in Counter(places).items()}
    for place in scores:
        scores[place] += sum(
            0.5 * _FOCUS_WEIGHT[other.kind] for other in places if other.contains(place)
        )
    first = {p: n for n, p in reversed(list(enumerate(places)))}
    best = max(scores, key=lambda p: (scores[p], -first[p]))
    return best.to_location()
