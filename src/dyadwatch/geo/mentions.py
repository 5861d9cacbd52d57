"""Finding place names in a parsed sentence.

A capitalised word sequence that the gazetteer knows is a place only where it
stands like one: the object of a locative preposition ("in X", "near X") or of
a verb of place ("hit X", "visited X"), the possessor or modifier of a place
noun ("X's Y district", "the X area"),
"X-based", or in apposition to another place ("Datta Khel, North Waziristan").
Multiword names stand on their own unless every word is a given name or
title. A known name inside a longer proper name ("Imran Khan", "Peshawar High
Court") is not a place, and listed words (given names, months, "Police") never
are on their own. The tags and dependencies are enough; NER labels (GPE, LOC,
FAC) are used when the pipeline has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from spacy.tokens import Doc, Span, Token

from dyadwatch.geo.gazetteer import Gazetteer, Place
from dyadwatch.nlp.kept import kept
from dyadwatch.nlp.text import tokens_text

__all__ = ["PLACE_NOUNS", "PLACE_PREPOSITIONS", "PLACE_VERBS", "PlaceMention", "find_mentions"]

PLACE_PREPOSITIONS: Final = frozenset(
    {"in", "near", "at", "outside", "inside", "from", "across", "around", "into", "to",
     "toward", "towards", "within", "along", "through", "throughout", "over", "off",
     "beyond", "between", "nearby", "of", "on", "upon", "via", "in-between"}
)  # fmt: skip
"""Prepositions whose object can be a place (``of``/``on`` only after a place noun)."""

PLACE_NOUNS: Final = frozenset(
    {"town", "city", "village", "district", "province", "region", "area", "agency",
     "valley", "outskirts", "capital", "suburb", "border", "part", "north", "south", "east",
     "west", "centre", "center", "heart", "governorate", "state", "territory", "tehsil",
     "subdivision", "neighbourhood", "neighborhood", "county", "frontier", "mountains",
     "hills", "belt", "zone", "bazaar", "market", "locality", "tribal"}
)  # fmt: skip
"""Nouns that locate: "the X area", "the town of X", "X's Y district"."""

PLACE_VERBS: Final = frozenset(
    {"visit", "enter", "hit", "strike", "shell", "bomb", "raid", "reach", "leave", "capture",
     "seize", "storm", "overrun", "besiege", "cross", "tour", "rock", "pound", "flee"}
)  # fmt: skip
"""Verbs whose direct object is a place ("the strike hit Azzan", "visited Peshawar")."""

_WEAK_PREPOSITIONS: Final = frozenset({"of", "on", "upon"})
_LINK_DEPS: Final = frozenset({"appos", "conj", "npadvmod", "compound", "poss", "nmod"})
_NER_PLACES: Final = frozenset({"GPE", "LOC", "FAC"})
_JOINERS: Final = frozenset({"-", "e", "i", "al", "el", "ul", "ud", "of"})
_ARTICLES: Final = frozenset({"al", "el", "ad", "as", "ash", "at", "az", "ar", "an"})
_MAX_WORDS: Final = 6
_COMPASS: Final = frozenset(
    {"north", "south", "east", "west", "upper", "lower", "central", "northern", "southern",
     "eastern", "western"}
)  # fmt: skip
"""Words that share the rest of a name in a coordination ("North and South Waziristan")."""
_AND: Final = frozenset({"and", "or", "&"})
_FUNCTION_TAGS: Final = frozenset(
    {"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "NUM", "PUNCT", "SYM"}
)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in a sentence: token offsets ``[start, end)`` in the ``Doc``,
    the token that heads it, and every gazetteer reading of it."""

    start: int
    end: int
    text: str
    anchor: int
    candidates: tuple[Place, ...]


_ACTING = frozenset({"nsubj", "nsubjpass", "agent"})
"""Subjects that name a place stand for its government or people."""


def find_mentions(sent: Span, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Place mentions of ``sent``, left to right, longest name first."""
    found: list[PlaceMention] = []
    pending: list[PlaceMention] = []
    capitals = _capitals(sent.doc)
    i = sent.start
    while i < sent.end:
        starts = capitals[i] or _article_before_name(sent, i, capitals)
        mention = _longest(sent, i, gazetteer, capitals) if starts else None
        if mention is not None:
            mention = _completed(sent, mention, gazetteer)
        if mention is None:
            i += 1
            continue
        i = mention.end
        if _inside_longer_name(sent, mention):
            continue
        (found if _stands_alone(sent, mention, gazetteer) else pending).append(mention)
    return _link(sent, found, pending)


_CAPITALS_KEY = "dyadwatch.geo.capitalised"


def _capitals(doc: Doc) -> list[bool]:
    """Per word of ``doc``: whether it is capitalised (see :func:`_capitalised`).

    Names are looked for at every word of every sentence; most words are not
    capitalised, and the test is made once per document for all of them.
    """
    return kept(doc, _CAPITALS_KEY, _read_capitals)


def _read_capitals(doc: Doc) -> list[bool]:
    return [_capitalised(token) for token in doc]


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def _starts_name(token: Token) -> bool:
    # A sentence-initial "A" or "In" is capitalised but starts no name ("A US strike").
    return (
        _capitalised(token)
        and any(ch.isalpha() for ch in token.text)
        and (token.pos_ not in _FUNCTION_TAGS or token.ent_type_ in _NER_PLACES)
    )


def _longest(sent: Span, i: int, gazetteer: Gazetteer, capitals: list[bool]) -> PlaceMention | None:
    doc = sent.doc
    if not (_starts_name(doc[i]) or _article_before_name(sent, i, capitals)):
        return None
    stop = min(sent.end, i + _MAX_WORDS)
    last = i
    while last + 1 < stop and (capitals[last + 1] or doc[last + 1].lower_ in _JOINERS):
        last += 1
    for end in range(last + 1, i, -1):
        if not capitals[end - 1]:
            continue
        name = tokens_text(doc, i, end)
        candidates = gazetteer.lookup(name)
        if candidates:
            return PlaceMention(i, end, name, doc[i:end].root.i, candidates)
    return None


def _article_before_name(sent: Span, i: int, capitals: list[bool]) -> bool:
    """A lower-case Arabic article hyphened to a name starts it ("the town
    of al-Saeed"): the name alone may be a person's ("Saeed")."""
    doc = sent.doc
    # The list look-ups first: this runs on every lower-case word of the text.
    return (
        i + 2 < sent.end
        and capitals[i + 2]
        and doc[i].lower_ in _ARTICLES
        and doc[i + 1].text == "-"
    )


def _completed(sent: Span, mention: PlaceMention, gazetteer: Gazetteer) -> PlaceMention:
    """A direction that shares the rest of its name with the next conjunct is
    that name: "North" in "North and South Waziristan" is North Waziristan,
    not a region called North elsewhere."""
    doc = sent.doc
    first, gap = mention.start, mention.end
    if mention.end - first != 1 or doc[first].lower_ not in _COMPASS or gap + 2 >= sent.end:
        return mention
    if doc[gap].lower_ not in _AND or doc[gap + 1].lower_ not in _COMPASS:
        return mention
    rest = gap + 2
    for end in range(min(sent.end, rest + _MAX_WORDS), rest, -1):
        if not _capitalised(doc[end - 1]):
            continue
        name = f"{doc[first].text} {tokens_text(doc, rest, end)}"
        candidates = gazetteer.lookup(name)
        if candidates:
            return PlaceMention(first, first + 1, name, first, candidates)
    return mention


def _inside_longer_name(sent: Span, mention: PlaceMention) -> bool:
    """True when the name is part of a longer proper name ("Imran Khan",
    "Pakistan Army"); a leading direction or a trailing generic word does not
    count ("North", "Province")."""
    doc = sent.doc
    before = doc[mention.start - 1] if mention.start > sent.start else None
    after = doc[mention.end] if mention.end < sent.end else None
    return any(
        tok is not None
        and tok.pos_ == "PROPN"
        and _capitalised(tok)
        and tok.lower_ not in PLACE_NOUNS
        for tok in (before, after)
    )


def _stands_alone(sent: Span, mention: PlaceMention, gazetteer: Gazetteer) -> bool:
    doc = sent.doc
    words = [t for t in doc[mention.start : mention.end] if t.is_alpha]
    if doc[mention.anchor].dep_ in _ACTING:
        return False  # "New Delhi called it a camp": a government speaking, not a place
    if any(doc[i].ent_type_ in _NER_PLACES for i in range(mention.start, mention.end)):
        return True
    if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in doc[mention.anchor].children):
        return False  # "in a Toyota": places take no indefinite article
    if len(words) == 1 and (gazetteer.is_stopword(words[0].text) or words[0].pos_ != "PROPN"):
        return False
    if len(words) > 1 and not all(gazetteer.is_stopword(w.text) for w in words):
        return True
    return _place_position(doc[mention.anchor])


def _place_position(token: Token) -> bool:
    """True where a name is used as a location: "in X", "X-based", "the X area"."""
    head = token.head
    if token.dep_ in ("pobj", "pcomp") and head.lower_ in PLACE_PREPOSITIONS:
        return head.lower_ not in _WEAK_PREPOSITIONS or _place_noun(head.head)
    if token.dep_ in ("poss", "compound", "nmod", "amod") and _place_noun(head):
        return True
    if token.dep_ == "dobj" and head.lemma_.lower() in PLACE_VERBS:
        return True
    return _based(token)


def _place_noun(token: Token) -> bool:
    return token.lower_ in PLACE_NOUNS or token.lemma_.lower() in PLACE_NOUNS


def _based(token: Token) -> bool:
    doc = token.doc
    nxt = doc[token.i + 1 : token.i + 3]
    return len(nxt) == 2 and nxt[0].text == "-" and nxt[1].lower_ == "based"


def _link(sent: Span, found: list[PlaceMention], pending: list[PlaceMention]) -> list[PlaceMention]:
    """Accept pending names tied to an accepted place ("Datta Khel, North
    Waziristan"; "Pakistan's North Waziristan"), until nothing changes."""
    changed = True
    while changed and pending:
        tokens = {i for m in found for i in range(m.start, m.end)}
        linked = [m for m in pending if _linked(sent.doc[m.anchor], tokens)]
        changed = bool(linked)
        found.extend(linked)
        pending = [m for m in pending if m not in linked]
    return sorted(found, key=lambda m: m.start)


def _linked(token: Token, places: set[int]) -> bool:
    if token.dep_ in _LINK_DEPS and token.head.i in places:
        return True
    return any(child.dep_ in _LINK_DEPS and child.i in places for child in token.children)
