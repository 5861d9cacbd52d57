"""Date scope: which time expression belongs to which event, read from the parse.

All scope rules live here. An expression modifies one word, its *governor*:
the head of its preposition ("struck on Monday"), or the head it hangs from
("struck yesterday", "the February 26 strike"). Its scope is what shares that
word's time:

* up from an event: the verb a noun trigger is an argument of ("a strike
  killed five on Monday"), the first of joined verbs, the clause a
  ``when``/``as``/``while`` clause, a participial or infinitival frame or a
  relative clause hangs from ("tension rose on 24 January, when Pakistan
  condemned a strike"; "the first nation to rebuke"; "the 1998 bombing that
  killed 270");
* down from an event: its own phrases, the participial frames opening its
  sentence ("Speaking in 1995, he said") and its ``when`` clauses;
* a date between an article and a noun is the noun's ("the Dec. 21, 1988,
  bombing"); a ``when`` clause right after a time is that time's ("from 1989
  when the union won"); a count ending in ``before``/``after`` counts from
  the event it names ("ten days before the murder", ``named_event``).

The climb stops at clauses with their own time: complements of reporting
verbs ("said on Monday that troops had left") and ``after``/``before``
clauses, whose time only bounds the event (``Bound``). The nearest own time
always wins: ``event_path`` and ``scope`` return words nearest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span, Token

__all__ = [
    "FRAMING",
    "REPORTING",
    "Governed",
    "Order",
    "bounding_clauses",
    "event_path",
    "governor",
    "is_future",
    "named_event",
    "phrase_scope",
    "scope",
    "time_before_when",
]

Order = Literal["at", "after", "before"]
"""How an expression relates to the event it governs: its time, or a bound."""

_CLIMB = frozenset(
    {"nsubj", "nsubjpass", "csubj", "csubjpass", "dobj", "attr", "oprd", "dative", "conj",
     "xcomp", "acomp", "compound", "amod", "advcl", "relcl", "acl", "appos"}
)  # fmt: skip
_SAME_TIME_PREPS = frozenset(
    {"in", "by", "during", "amid", "amidst", "with", "at", "through", "of"}
)
_ORDER_MARKS = frozenset({"after", "before", "since", "until", "till", "once", "following"})
_SAME_TIME_MARKS = frozenset({"when", "as", "while", "whilst"})
_AFTER = frozenset({"after", "following", "since"})
_BEFORE = frozenset({"before", "ahead"})
_NOT_WHEN = frozenset({"until", "till", "by", "from", "for", "to"})
"""A date after these is a deadline or a duration: neither the event's date nor a bound."""
_OWN_TIME = frozenset({"relcl", "advcl", "acl", "parataxis", "conj", "prep", "pcomp"})
"""Clauses and phrases below an event that carry their own time."""
REPORTING = frozenset(
    {"say", "tell", "add", "report", "announce", "state", "claim", "confirm", "insist", "warn"}
)
"""Reporting verbs: what they report keeps its own time, and they do not take it."""
_PREMODIFIERS = frozenset({"nummod", "compound", "nmod", "amod", "poss", "npadvmod"})
_FRAME_TAGS = frozenset({"VBG", "VBN"})
_ARTICLES = frozenset({"the", "a", "an", "its", "his", "her", "their"})
FRAMING = frozenset({"in", "at", "during", "amid", "amidst"})
"""Prepositions whose phrase, opening a clause, sets its scene ("In Sunday's
debate, the senator attacked ...")."""
_PHRASE_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Governed:
    """The word an expression modifies (its index), how, and whether the
    expression is a phrase of its own ("on Friday", not "Friday's")."""

    head: int
    order: Order
    phrase: bool


def governor(span: Span) -> Governed | None:
    """The word the expression modifies and how, or None when it dates no event."""
    special = _premodified(span) or _before_clause(span)
    if special is not None:
        return special
    root = span.root
    prep = _preposition(span)
    leading = span[0].lower_ if span[0].tag_ == "IN" else None
    word = leading or (prep.lower_ if prep is not None else None)
    if word in _NOT_WHEN:
        return None
    order: Order = "after" if word in _AFTER else "before" if word in _BEFORE else "at"
    if prep is not None and prep.i == span.end - 1 and len(span) > 1:
        order = "at"  # "ten days before the murder": a time counted from the event named
    head = prep.head if prep is not None else root.head
    if head is root or head in span:
        return None
    if head.lemma_ == "date" and head.tag_ == "VBN" and head.dep_ == "acl":
        # "said in a letter dated Monday": the letter's date, a phrase of the noun
        return Governed(head.head.i, order, phrase=True)
    # "was found Thanksgiving Day clinging to a tube": a bare date the parser
    # compounds onto a verb, or makes the subject of a participle (which a
    # time cannot be), is still an adverb of time
    bare = (root.dep_ == "compound" and head.pos_ in ("VERB", "AUX")) or (
        root.dep_ == "nsubj" and head.tag_ in _FRAME_TAGS
    )
    phrase = prep is not None or bare or root.dep_ in ("npadvmod", "advmod", "tmod")
    return Governed(head.i, order, phrase)


def _preposition(span: Span) -> Token | None:
    """The preposition the expression is the object of, if any."""
    root = span.root
    before = span.doc[span.start - 1] if span.start > span.sent.start else None
    if root.dep_ == "prep":
        return root
    if (
        before is not None
        and before.dep_ == "prep"
        and before.tag_ == "IN"
        and not (root.dep_ in _PREMODIFIERS and root.head.pos_ == "NOUN")
    ):
        # "On 26/02/2019 jets bombed": the tagger may hang the date elsewhere
        # (not "after the 1998 tests": there the date is the noun's).
        return before
    return root.head if root.dep_ == "pobj" else None


def _before_clause(span: Span) -> Governed | None:
    """ "One year before the president spoke, a drone killed four": a count
    ending in the ``before``/``after`` of a clause dates the clause that
    clause hangs from (counted from the clause's event, ``named_event``)."""
    last = span[-1]
    if last.dep_ != "mark" or last.lower_ not in _AFTER | _BEFORE or len(span) < 2:
        return None
    clause = last.head
    return Governed(clause.head.i, "at", True) if clause.head is not clause else None


def _premodified(span: Span) -> Governed | None:
    """The noun a date between a determiner and that noun modifies ("the Dec.
    21, 1988, bombing", "a March 12 ceremony"), whatever the parser made of
    it: such a date is the noun's."""
    doc = span.doc
    opened = span[0].lower_ in _ARTICLES  # "the October slaying", found with its article
    if not opened and (
        span.start == span.sent.start or doc[span.start - 1].lower_ not in _ARTICLES
    ):
        return None
    after = span.end
    while after < span.sent.end and doc[after].is_punct:
        after += 1
    if after >= span.sent.end or doc[after].pos_ not in ("NOUN", "PROPN"):
        return None
    noun = doc[after]
    while noun.dep_ == "compound" and noun.head.i > noun.i:
        noun = noun.head
    return Governed(noun.i, "at", phrase=False)


def named_event(span: Span) -> Token | None:
    """The event a counted time is counted from: a noun ("ten days before *the
    murder*", "the day after *his death*") or the verb of a clause ("a year
    before the president *spoke*"); None when the expression ends the phrase
    ("two days later", "a week before,")."""
    last = span[-1]
    if last.lower_ not in _AFTER | _BEFORE or span.end >= span.sent.end:
        return None
    if last.dep_ == "mark":
        return last.head  # "a year before the president spoke": counted from "spoke"
    noun = next((c for c in last.children if c.dep_ == "pobj"), None)
    if noun is None:
        # the parser may hang the noun elsewhere: the first noun within three words
        ahead = span.doc[span.end : min(span.end + 4, span.sent.end)]
        noun = next((t for t in ahead if t.pos_ in ("NOUN", "PROPN")), None)
        if noun is not None and any(
            t.is_punct or t.pos_ == "VERB" for t in ahead[: noun.i - span.end]
        ):
            return None
    return noun if noun is not None and noun.pos_ in ("NOUN", "PROPN") else None


def time_before_when(path: list[Token]) -> int | None:
    """The index of the word just before the ``when`` of the nearest ``when``
    clause on the event's path ("a poster from 1989 *when* the union won",
    "In contrast to Thursday, *when* 133 were arrested"): a time written
    there is the clause's, wherever the parser hung the clause."""
    for token in path:
        if token.dep_ not in ("advcl", "relcl"):
            continue
        when = next((c for c in token.children if c.lower_ == "when" and c.i < token.i), None)
        if when is None:
            continue
        before = when.i - 1
        while before > token.sent.start and token.doc[before].is_punct:
            before -= 1
        return before
    return None


def event_path(trigger: Token) -> list[Token]:
    """The trigger and the words whose time it shares going up, nearest first."""
    path = [trigger]
    current: Token | None = trigger
    while current is not None and len(path) < 12:
        current = _climb(current)
        if current is not None and current not in path:
            path.append(current)
        else:
            break
    return path


def _climb(token: Token) -> Token | None:
    if token.head is token:
        return None
    if token.dep_ == "pobj":
        prep = token.head
        if prep.lower_ in _SAME_TIME_PREPS and prep.head is not prep:
            return prep.head  # "killed in a drone strike": same time
        return None
    if token.dep_ not in _CLIMB:
        return None
    if token.dep_ == "advcl" and _marks(token) & _ORDER_MARKS:
        return None
    return token.head


def scope(token: Token) -> Iterator[Token]:
    """Words below ``token`` that share its time (itself not included).

    A word is reached when no word on its way up opens a time of its own; a
    participial frame or a ``when`` clause shares its head's time.
    """
    stack = [child for child in token.children if _shares_down(child)]
    while stack:
        word = stack.pop()
        yield word
        stack.extend(child for child in word.children if _shares_down(child))


def phrase_scope(words: Iterable[Token]) -> Iterator[Token]:
    """Nouns inside the phrases of ``words`` ("shot in the back", "helped them
    to the summit"): a date *phrase* the parser hung on such a noun ("in the
    back on Friday night") is most often the verb's, though the noun keeps
    the dates that premodify it ("the 1988 bombing")."""
    nouns = list(words)
    for _ in range(_PHRASE_DEPTH):  # "killed in the blasts at the embassies in Kenya on Friday"
        nouns = [
            noun
            for word in nouns
            for child in word.children
            if child.dep_ == "prep" and child.lower_ not in _ORDER_MARKS | _NOT_WHEN
            for noun in child.children
            if noun.dep_ == "pobj"
        ]
        yield from nouns


def _shares_down(child: Token) -> bool:
    if child.dep_ == "advcl":
        marks = _marks(child)
        # A frame opening the sentence sets the scene ("Speaking in 1995, he
        # said"); one trailing it adds a thought ("..., citing its tests in 1998").
        frame = not marks and child.tag_ in _FRAME_TAGS and child.i < child.head.i
        return frame or bool(marks & _SAME_TIME_MARKS)
    if child.dep_ == "ccomp":
        # '"They fled on 3 January," the police said': a report keeps its time;
        # "struck what New Delhi called a camp on 26 February" is one clause.
        return child.head.lemma_ not in REPORTING
    return child.dep_ not in _OWN_TIME


def bounding_clauses(token: Token) -> Iterator[tuple[Token, Order]]:
    """The ``after``/``before`` clauses and phrases of ``token``: their time bounds its own.

    "imposed sanctions after it conducted tests in May 1998": "conducted".
    """
    for child in token.children:
        word = next(iter(_marks(child)), None) if child.dep_ == "advcl" else None
        if child.dep_ == "prep" and child.lower_ in _AFTER | _BEFORE:
            word = child.lower_
            child = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), child)
        if word in _AFTER:
            yield child, "after"
        elif word in _BEFORE:
            yield child, "before"


def _infinitive_ahead(trigger: Token) -> bool:
    """An infinitive telling what is still to be done: "an agreement to buy",
    "a ceremony to mark", "is due to meet" (not "declined to comment")."""
    if trigger.tag_ != "VB" or not any(
        c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children
    ):
        return False
    if trigger.dep_ in ("acl", "advcl", "relcl"):
        return True
    return trigger.dep_ == "xcomp" and trigger.head.tag_ not in ("VBD", "VBN")


def _plan_told_now(trigger: Token, future_heads: frozenset[str]) -> bool:
    """A plan told in the present ("plans to hold a rally on Tuesday", "is
    scheduled to meet"): a date on the plan verb is the planned event's."""
    return (
        trigger.lemma_ in future_heads
        and trigger.tag_ in ("VBZ", "VBP", "VBN")
        and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in trigger.children)
        and any(c.dep_ == "xcomp" for c in trigger.children)
    )


def _marks(token: Token) -> set[str]:
    """The subordinators of a clause: "after", "as", and "when" (which the
    parser makes an adverb of its clause)."""
    return {
        child.lower_
        for child in token.children
        if child.dep_ == "mark" or (child.dep_ == "advmod" and child.lower_ == "when")
    }


def is_future(path: list[Token], future_aux: frozenset[str], future_heads: frozenset[str]) -> bool:
    """Whether the event is yet to happen: "will meet", "is scheduled to meet",
    "planned a rally", "an agreement to buy the bank in January", "will be
    named for a mission in December"."""
    trigger = path[0]
    if _infinitive_ahead(trigger) or _plan_told_now(trigger, future_heads):
        return True
    clause = next((a for a in trigger.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if trigger.pos_ == "NOUN" and clause is not None and clause not in path:
        path = [*path, clause]
    for index, token in enumerate(path):
        if any(
            child.dep_ in ("aux", "auxpass") and child.lower_ in future_aux
            for child in token.children
        ):
            return True
        if token.lemma_ not in future_heads or index == 0:
            continue
        below = path[index - 1]
        # "is scheduled to meet" (not "decided to meet" told in the past);
        # "planned a rally", "scheduled a news conference" (a planned thing).
        if (below.dep_ == "xcomp" and token.tag_ != "VBD") or (
            below.dep_ == "dobj" and below.pos_ == "NOUN"
        ):
            return True
    return False
