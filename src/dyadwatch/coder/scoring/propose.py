"""Candidate events for the learned scorer: the lexicon's drafts and other pairs.

The lexicon drafts an event per trigger and per (source, target) pair its
syntax rules find. The scorer also considers, for each trigger, the other
pairs the sentence's actor mentions allow ("the first nation to rebuke X",
where the rules miss the source): a pair model then decides which pairs hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from dyadwatch.actors.matcher import Mention
from dyadwatch.coder.arguments import ArgumentResolver
from dyadwatch.coder.scoring.features import (
    Candidate,
    Mentioned,
    pair_features,
    sentence_features,
    type_features,
)
from dyadwatch.model import Actor, Event, Evidence

__all__ = ["MAX_ACTORS", "PAIR_RULE", "SentenceView", "mentioned_actors", "propose"]

MAX_ACTORS = 6
"""Actors per sentence the pair proposer combines (at most 6 x 6 pairs a trigger)."""
PAIR_RULE = "pair:"
"""Prefix of ``Event.rule`` for an event the scorer moved to another pair."""
_NP_LINKS = frozenset({"compound", "poss", "amod", "nmod", "appos"})


@dataclass(frozen=True, slots=True)
class SentenceView:
    """What the scorer needs of a coded sentence: the parse and its actors."""

    sentence: Span
    actors: tuple[tuple[Mentioned, Actor], ...]


def mentioned_actors(
    sentence: Span, mentions: Sequence[Mention], resolver: ArgumentResolver
) -> tuple[tuple[Mentioned, Actor], ...]:
    """Actors the sentence names, resolved at their noun phrase's head, in text order."""
    found: dict[tuple[str, int], tuple[Mentioned, Actor]] = {}
    doc = sentence.doc
    for mention in mentions:
        if mention.kind != "actor" or not sentence.start <= mention.start < sentence.end:
            continue
        head = _phrase_head(doc[mention.start])
        for resolved in resolver.resolve_plain(head):
            key = (resolved.actor.code, head.i)
            if key in found or resolved.start < 0:
                continue
            first, last = doc[resolved.start], doc[resolved.end - 1]
            span = (
                first.idx - sentence.start_char,
                last.idx + len(last.text) - sentence.start_char,
            )
            found[key] = (
                Mentioned(resolved.actor.code, head.i, span, resolved.actor.text),
                resolved.actor,
            )
        if len(found) >= MAX_ACTORS:
            break
    return tuple(sorted(found.values(), key=lambda m: m[0].span))


def _phrase_head(token: Token) -> Token:
    head = token
    while head.dep_ in _NP_LINKS and head.head.i != head.i:
        head = head.head
    return head


def propose(
    events: Sequence[Event], view: SentenceView, *, with_pairs: bool = True
) -> list[Candidate]:
    """Candidates for ``events`` (all from ``view.sentence``), lexicon pairs first."""
    sentence = view.sentence
    bag = sentence_features(sentence)
    types = [e.plover.type if e.plover else "none" for e in events]
    candidates: list[Candidate] = []
    by_trigger: dict[tuple[int, int], list[Event]] = {}
    for event in events:
        by_trigger.setdefault(event.evidence.trigger, []).append(event)
    for trigger_span, group in by_trigger.items():
        trigger = _token_at(sentence, trigger_span)
        if trigger is None:
            continue
        others = [
            t for t, e in zip(types, events, strict=True) if e.evidence.trigger != trigger_span
        ]
        make = _maker(sentence, trigger, bag, others)
        taken: set[tuple[str, str | None]] = set()
        for event in group:
            source = _mentioned_of(event.evidence.source, event.source, view, sentence)
            target = _mentioned_of(event.evidence.target, event.target, view, sentence)
            candidates.append(make(event, source, target, True))
            taken.add((event.source.code, event.target.code if event.target else None))
        if with_pairs:
            candidates.extend(_alternatives(group[0], view, taken, make))
    return candidates


_Make = Callable[[Event, Mentioned | None, Mentioned | None, bool], Candidate]


def _maker(sentence: Span, trigger: Token, bag: tuple[str, ...], others: Sequence[str]) -> _Make:
    doc = sentence.doc

    def make(
        event: Event, source: Mentioned | None, target: Mentioned | None, lexicon: bool
    ) -> Candidate:
        source_token = doc[source.head] if source is not None else None
        target_token = doc[target.head] if target is not None else None
        typed = type_features(event, trigger, source_token, target_token, others)
        paired = pair_features(event, trigger, source, target, lexicon_pair=lexicon)
        return Candidate(event, (*typed, *bag), paired, lexicon)

    return make


def _alternatives(
    template: Event, view: SentenceView, taken: set[tuple[str, str | None]], make: _Make
) -> list[Candidate]:
    """The trigger's event on every other pair of the sentence's actors."""
    found: list[Candidate] = []
    for source, source_actor in view.actors:
        targets: list[tuple[Mentioned, Actor] | None] = [None, *view.actors]
        for pair in targets:
            target_code = pair[0].code if pair is not None else None
            if target_code == source.code or (source.code, target_code) in taken:
                continue
            taken.add((source.code, target_code))
            event = _moved(template, source, source_actor, pair)
            found.append(make(event, source, pair[0] if pair else None, False))
    return found


def _moved(
    template: Event,
    source: Mentioned,
    source_actor: Actor,
    target: tuple[Mentioned, Actor] | None,
) -> Event:
    evidence = Evidence(template.evidence.trigger, source.span, target[0].span if target else None)
    rule = template.rule or ""
    return replace(
        template,
        source=source_actor,
        target=target[1] if target else None,
        evidence=evidence,
        rule=rule if rule.startswith(PAIR_RULE) else f"{PAIR_RULE}{rule}",
    )


def _mentioned_of(
    span: tuple[int, int] | None, actor: Actor | None, view: SentenceView, sentence: Span
) -> Mentioned | None:
    """The event's own argument as a mention (the actor list's, when it is there)."""
    if span is None or actor is None:
        return None
    for mentioned, _ in view.actors:
        if mentioned.code == actor.code and _overlaps(mentioned.span, span):
            return mentioned
    token = _token_at(sentence, span)
    if token is None:
        return None
    return Mentioned(actor.code, token.i, span, actor.text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _token_at(sentence: Span, span: tuple[int, int]) -> Token | None:
    found = sentence.char_span(span[0], span[1], alignment_mode="expand")
    return found.root if found is not None and len(found) else None


def event_id(event: Event) -> str:
    """The event's id from what identifies it (as the coder derives ids)."""
    target = event.target.code if event.target else ""
    parts = (event.doc_id, event.sentence_index, event.evidence.trigger[0], event.source.code,
             target, event.cameo)  # fmt: skip
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
