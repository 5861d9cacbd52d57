"""Which date expressions belong to which event, read from the dependency tree.

An expression modifies one word, its *governor*: the head of its preposition
("struck on Monday"), or the head it hangs from ("struck yesterday", "the
February 26 strike"). An event owns the expressions governed by its trigger or
by the words its trigger climbs to: the verb a noun trigger is an argument of
("a strike killed five on Monday"), the first conjunct, a participial clause's
head. The climb stops at clauses with their own time: complements of
reporting verbs, relative clauses, and "after"/"before"/"since" phrases, so
"tests" in "struck after its tests in May 1998" keeps May 1998 to itself.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

__all__ = ["event_path", "governor", "is_future"]

_CLIMB = frozenset(
    {"nsubj", "nsubjpass", "csubj", "csubjpass", "dobj", "attr", "oprd", "dative", "conj",
     "xcomp", "acomp", "compound", "amod", "advcl"}
)  # fmt: skip
_SAME_TIME_PREPS = frozenset({"in", "by", "during", "amid", "amidst", "with", "at", "through"})
_ORDER_MARKS = frozenset({"after", "before", "since", "until", "till", "once", "following"})
_NOT_WHEN = frozenset(
    {"since", "until", "till", "by", "before", "after", "following", "from", "for", "to", "ahead"}
)  # a date after these bounds the event; it is not the event's date


def governor(span: Span) -> Token | None:
    """The word the expression modifies, or None when it dates no event."""
    root = span.root
    doc = span.doc
    before = doc[span.start - 1] if span.start > span.sent.start else None
    prep: Token | None = None
    if root.dep_ == "prep":
        prep = root
    elif before is not None and before.dep_ == "prep" and before.tag_ == "IN":
        prep = before  # "On 26/02/2019 jets bombed": the tagger may hang the date elsewhere
    elif root.dep_ == "pobj":
        prep = root.head
    leading = span[0].lower_ if span[0].tag_ == "IN" else None
    if leading in _NOT_WHEN or (prep is not None and prep.lower_ in _NOT_WHEN):
        return None
    head = prep.head if prep is not None else root.head
    return None if head is root or head in span else head


def event_path(trigger: Token) -> list[Token]:
    """The trigger and the words it climbs to, nearest first."""
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
    if token.dep_ == "advcl" and any(
        child.dep_ == "mark" and child.lower_ in _ORDER_MARKS for child in token.children
    ):
        return None
    return token.head


def is_future(path: list[Token], future_aux: frozenset[str], future_heads: frozenset[str]) -> bool:
    """Whether the event is yet to happen: "will meet", "is scheduled to meet"."""
    for index, token in enumerate(path):
        if any(
            child.dep_ in ("aux", "auxpass") and child.lower_ in future_aux
            for child in token.children
        ):
            return True
        reached_by_xcomp = index > 0 and path[index - 1].dep_ == "xcomp"
        if reached_by_xcomp and token.lemma_ in future_heads and token.tag_ != "VBD":
            return True
    return False
