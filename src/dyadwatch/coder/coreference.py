"""Attacks told across sentences: one strike, several sentences.

A narrative often names the attack in one sentence and its toll in another
("Third strike of the day. 5 died in Datta Khel."; "5 people were killed. A
drone fired missiles at their car."). This module finds, per sentence, the
attack it names (:func:`attack_mention`) and lets an unattributed act of
violence in a neighbouring sentence take that attack's precision
(:func:`link_attacks`): plain force (CAMEO 190) becomes aerial (195) when the
attack is an air strike. The doer is never guessed: an unnamed striker stays
``---``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Protocol

import yaml
from spacy.tokens import Span

from dyadwatch.errors import OntologyError
from dyadwatch.model import Event
from dyadwatch.ontology.cameo import CameoOntology
from dyadwatch.ontology.plover import PloverMapping
from dyadwatch.yaml_nodes import compose_knowledge, knowledge_error, mapping_fields

__all__ = [
    "AERIAL",
    "AttackKnowledge",
    "attack_mention",
    "link_attacks",
    "load_attack_knowledge",
    "names_strike",
    "nearby_attack",
]

AERIAL = "195"
"""CAMEO: employ aerial weapons."""
_PLAIN = "190"
"""CAMEO: use conventional military force, not specified."""
_ATTACK = "190"
_UNKNOWN = "---"
_KEYS = ("aerial_nouns", "attack_nouns", "cause_marks", "casualty_verbs")
_NOMINAL = frozenset({"NOUN", "PROPN"})


class _Linking(Protocol):
    """What linking reads of the coder's knowledge bundle (``coder.knowledge.Knowledge``,
    which holds this module's :class:`AttackKnowledge` and so cannot be imported here)."""

    @property
    def attacks(self) -> AttackKnowledge: ...
    @property
    def cameo(self) -> CameoOntology: ...
    @property
    def plover(self) -> PloverMapping: ...


@dataclass(frozen=True, slots=True)
class AttackKnowledge:
    """Word lists of ``data/attacks.yaml`` (see the comments there)."""

    aerial_nouns: frozenset[str]
    attack_nouns: frozenset[str]
    cause_marks: frozenset[str]
    casualty_verbs: frozenset[str]


@functools.cache
def load_attack_knowledge(path: Path | None = None) -> AttackKnowledge:
    """The attack word lists; DW207 naming the file and line if one is malformed."""
    if path is None:
        source = resources.files("dyadwatch.coder") / "data" / "attacks.yaml"
        text, origin = source.read_text(encoding="utf-8"), "dyadwatch/coder/data/attacks.yaml"
    else:
        text, origin = path.read_text(encoding="utf-8"), str(path)
    root = compose_knowledge(text, origin, what="attack file")
    lists = mapping_fields(root, path=origin, key=lambda node: _key(node, origin), required=_KEYS)
    words = {key: _word_list(lists[key], key, origin) for key in _KEYS}
    return AttackKnowledge(**words)


def _key(node: yaml.Node, origin: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise knowledge_error(origin, node, "expected a word as key")
    return str(node.value)


def _word_list(node: yaml.Node, key: str, origin: str) -> frozenset[str]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise knowledge_error(origin, node, f"{key!r} must be a non-empty list")
    words: set[str] = set()
    for item in node.value:
        value = item.value if isinstance(item, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip() or value != value.lower():
            detail = f"{key!r} entries must be lower-case words, not {value!r}"
            raise knowledge_error(origin, item, detail)
        words.add(value)
    return frozenset(words)


def attack_mention(
    sentence: Span, air_weapons: frozenset[str], attacks: AttackKnowledge
) -> str | None:
    """The attack a sentence names: 195 for an air strike or air weapon, 190 for
    another attack noun, None for none.

    Only nouns count ("drones hovered" names the weapon; "he struck a deal"
    names no attack).
    """
    found: str | None = None
    for token in sentence:
        if token.pos_ not in _NOMINAL:
            continue
        word = token.lower_
        if word in air_weapons or word in attacks.aerial_nouns:
            return AERIAL
        if word in attacks.attack_nouns:
            found = _ATTACK
    return found


def names_strike(sentence: Span, attacks: AttackKnowledge) -> bool:
    """Whether the sentence names a strike as a noun ("in a further strike on a truck",
    "Second strike of the day"), however the parser attached it."""
    return any(t.pos_ in _NOMINAL and t.lower_ in attacks.aerial_nouns for t in sentence)


def nearby_attack(mentions: Sequence[str | None], index: int) -> str | None:
    """The attack told in the sentence before ``index``, else the one after, else None."""
    for other in (index - 1, index + 1):
        if 0 <= other < len(mentions) and mentions[other] is not None:
            return mentions[other]
    return None


def link_attacks(
    events: Sequence[Event],
    mentions: Sequence[str | None],
    knowledge: _Linking,
    sentences: Sequence[Span] = (),
) -> list[Event]:
    """Unattributed plain force takes the aerial code of the attack it belongs to.

    An event qualifies when it happened (not negated), its code is plain force
    (190) and its doer is unnamed (``---``); its attack is the one the previous
    sentence names, else the next one's, or a strike its own sentence (of
    ``sentences``) names (:func:`names_strike`). Other events pass unchanged.
    """
    return [_linked(event, mentions, knowledge, sentences) for event in events]


def _linked(
    event: Event, mentions: Sequence[str | None], knowledge: _Linking, sentences: Sequence[Span]
) -> Event:
    if event.cameo != _PLAIN or event.source.code != _UNKNOWN or event.modality.negated:
        return event
    # The event's own sentence had its say through syntax ("intercepted a
    # missile" names the target, not the weapon), except that a strike noun
    # anywhere in it is the attack itself, wherever the parser hung it.
    index = event.sentence_index
    own_strike = index < len(sentences) and names_strike(sentences[index], knowledge.attacks)
    if not own_strike and nearby_attack(mentions, index) != AERIAL:
        return event
    return _recoded(event, AERIAL, knowledge)


def _recoded(event: Event, code: str, knowledge: _Linking) -> Event:
    try:
        known = knowledge.cameo.normalise(code)
    except OntologyError:
        return event
    return replace(
        event,
        cameo=known,
        goldstein=knowledge.cameo.goldstein(known),
        quad=knowledge.cameo.quad(known),
        plover=knowledge.plover.map(known),
    )
