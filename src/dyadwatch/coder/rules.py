"""Trigger rules: the event knowledge that every lexicon compiles to.

Our built-in trigger lexicon and a user's PETRARCH verb dictionary both become
``TriggerRule`` objects. A rule names a head word (a verb or a noun lemma), an
optional particle, and ordered ``Slot`` constraints on the words before and
after the head inside its clause. The coder picks, for each trigger word, the
most specific rule whose slots all match.

Matching is deliberately syntactic-light: slots match in order with gaps
allowed, against the lower-cased form *or* the lemma of each word, so that one
rule covers "agreed to a ceasefire" and "agrees to the ceasefire".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["RuleMatch", "Slot", "SlotKind", "TriggerRule", "Word", "match_outwards", "match_rule"]

SlotKind = Literal["words", "source", "target", "skip"]
NULL_CODE = "---"


@dataclass(frozen=True, slots=True)
class Word:
    """A sentence word as rules see it."""

    lower: str
    lemma: str
    is_actor: bool = False
    """True when an actor mention starts at this word."""
    light: bool = False
    """A determiner, adjective, number or possessive: skippable inside a phrase
    slot, so "(TO PEACE)" matches "to a lasting peace"."""


@dataclass(frozen=True, slots=True)
class _Options:
    """A slot's alternatives, indexed by the word a match must start with.

    Matching tries a slot at every position of a clause, and a slot can have
    dozens of alternatives; looking up the word at hand finds the few that can
    start there. ``sequences`` are in matching order (reversed when matching
    backwards); ``exact`` and ``prefixes`` point into them by position, the
    slot's own order, which decides which alternative wins.
    """

    sequences: tuple[tuple[str, ...], ...]
    exact: Mapping[str, tuple[int, ...]]
    prefixes: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, options: Sequence[tuple[str, ...]], *, backwards: bool) -> _Options:
        sequences = tuple(tuple(reversed(o)) if backwards else o for o in options)
        exact: dict[str, list[int]] = {}
        prefixes: list[tuple[str, int]] = []
        for position, sequence in enumerate(sequences):
            if not sequence:
                continue
            first = sequence[0]
            if first.endswith("*"):
                prefixes.append((first[:-1], position))
            else:
                exact.setdefault(first, []).append(position)
        frozen = {word: tuple(found) for word, found in exact.items()}
        return cls(sequences, frozen, tuple(prefixes))

    def starting_with(self, word: Word) -> list[int]:
        """Positions of the alternatives whose first word ``word`` matches, in order."""
        found = list(self.exact.get(word.lower, ()))
        if word.lemma != word.lower:
            found.extend(self.exact.get(word.lemma, ()))
        for stem, position in self.prefixes:
            if word.lower.startswith(stem) or word.lemma.startswith(stem):
                found.append(position)
        if len(found) > 1:
            found = sorted(set(found))
        return found


@dataclass(frozen=True, slots=True)
class Slot:
    """One constraint of a rule.

    * ``words``: one of ``options`` (each a word sequence) must occur; a word
      ending in ``*`` matches as a prefix. ``prep`` (e.g. "to") must then occur
      before it, as in PETRARCH's ``(TO PEACE)``.
    * ``source`` / ``target``: an actor mention occurs here and takes that role.
    * ``skip``: any words (PETRARCH's ``^``); gaps are allowed anyway.
    """

    kind: SlotKind
    options: tuple[tuple[str, ...], ...] = ()
    prep: str | None = None
    adjacent: bool = False
    """Must match right where the previous slot (or the head word) ends, light
    words aside: "call *on* X", never "called it a camp ... on Monday"."""
    _forward: _Options = field(init=False, repr=False, compare=False)
    _backward: _Options = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_forward", _Options.of(self.options, backwards=False))
        object.__setattr__(self, "_backward", _Options.of(self.options, backwards=True))

    def __reduce__(self) -> tuple[type[Slot], tuple[object, ...]]:
        return Slot, _init_values(self)

    def indexed(self, *, backwards: bool) -> _Options:
        """The alternatives as matched in that direction (built once, with the slot)."""
        return self._backward if backwards else self._forward

    @property
    def weight(self) -> int:
        if self.kind != "words":
            return 1 if self.kind != "skip" else 0
        longest = max((len(o) for o in self.options), default=0)
        return longest + (1 if self.prep else 0)


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """A head word and its context constraints, mapped to a CAMEO code.

    ``code`` "---" means the context codes *no* event (a null pattern).
    ``reverse_code`` gives the paired event target→source ("042:043").
    """

    lemma: str
    code: str
    pos: Literal["VERB", "NOUN"] = "VERB"
    particle: str | None = None
    before: tuple[Slot, ...] = ()
    after: tuple[Slot, ...] = ()
    forms: tuple[str, ...] = ()
    """Extra surface forms (irregular inflections) that also trigger the rule."""
    reverse_code: str | None = None
    origin: str = ""
    """``file:line`` of the rule, so users can debug their dictionaries."""
    clause: bool = False
    """The head must govern a clausal complement (``ccomp``): "charged *that* the
    party had lied" is an accusation, "charged the suspect" is not. A clause lies
    outside the slots' window, so a slot cannot see it."""
    before_outwards: tuple[Slot, ...] = field(init=False, repr=False, compare=False)
    """``before`` nearest the head first, as it is matched."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "before_outwards", self.before[::-1])

    def __reduce__(self) -> tuple[type[TriggerRule], tuple[object, ...]]:
        return TriggerRule, _init_values(self)

    @property
    def specificity(self) -> int:
        weight = sum(s.weight for s in self.before) + sum(s.weight for s in self.after)
        return weight + (1 if self.particle else 0) + (1 if self.clause else 0)

    @property
    def is_null(self) -> bool:
        return self.code == NULL_CODE


def _init_values(rule: Slot | TriggerRule) -> tuple[object, ...]:
    """The constructor's arguments that rebuild ``rule``, derived fields included.

    Pickling rebuilds rules through ``__init__``, so derived fields are worked
    out again rather than trusted from the pickle.
    """
    return tuple(getattr(rule, f.name) for f in dataclasses.fields(rule) if f.init)


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that matched, with the word indexes its role slots bound."""

    rule: TriggerRule
    source_index: int | None = None
    target_index: int | None = None
    """Indexes into the ``after`` words when >= 0, into ``before`` words when
    negative (-1 = the word just before the head)."""


def match_rule(
    rule: TriggerRule, before: Sequence[Word], after: Sequence[Word]
) -> RuleMatch | None:
    """Match ``rule`` against the words before and after its head word.

    ``before`` is in text order; it is matched from the head outwards.
    """
    return match_outwards(rule, before[::-1], after)


def match_outwards(
    rule: TriggerRule, outwards: Sequence[Word], after: Sequence[Word]
) -> RuleMatch | None:
    """As :func:`match_rule`, with the words before the head given nearest first,
    so that a caller trying many rules on one window reverses it once."""
    roles: dict[str, int] = {}
    if not _match_slots(rule.before_outwards, outwards, roles, backwards=True):
        return None
    if not _match_slots(rule.after, after, roles, backwards=False):
        return None
    return RuleMatch(rule, roles.get("source"), roles.get("target"))


def _match_slots(
    slots: Sequence[Slot], words: Sequence[Word], roles: dict[str, int], *, backwards: bool
) -> bool:
    position = 0
    for slot in slots:
        found = _find_slot(slot, words, position, backwards)
        if found is None:
            return False
        start, end = found
        if slot.kind in ("source", "target"):
            roles[slot.kind] = -(start + 1) if backwards else start
        position = end
    return True


def _find_slot(
    slot: Slot, words: Sequence[Word], position: int, backwards: bool
) -> tuple[int, int] | None:
    if slot.kind == "skip":
        return (position, position)
    last = _skip_light(words, position) + 1 if slot.adjacent else len(words)
    for start in range(position, min(last, len(words))):
        if slot.kind in ("source", "target"):
            if words[start].is_actor:
                return (start, start + 1)
            continue
        end = _match_options(slot, words, start, backwards)
        if end is not None:
            return (start, end)
    return None


def _match_options(slot: Slot, words: Sequence[Word], start: int, backwards: bool) -> int | None:
    options = slot.indexed(backwards=backwards)
    if slot.prep is None:
        return _match_any(options, words, start)
    if backwards:
        end = _match_any(options, words, start)
        while end is not None and end < len(words):
            if _word_matches(slot.prep, words[end]):
                return end + 1
            end = end + 1 if words[end].light else None
        return None
    if not _word_matches(slot.prep, words[start]):
        return None
    position = start + 1
    while position < len(words):
        end = _match_any(options, words, position)
        if end is not None or not words[position].light:
            return end
        position += 1
    return None


def _match_any(options: _Options, words: Sequence[Word], start: int) -> int | None:
    if start >= len(words):
        return None
    for position in options.starting_with(words[start]):
        sequence = options.sequences[position]
        end = start + len(sequence)
        # The first word matched already, in starting_with.
        if end <= len(words) and all(
            _word_matches(p, w) for p, w in zip(sequence[1:], words[start + 1 : end], strict=True)
        ):
            return end
    return None


def _skip_light(words: Sequence[Word], position: int) -> int:
    while position < len(words) and words[position].light:
        position += 1
    return position


def _word_matches(pattern: str, word: Word) -> bool:
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return word.lower.startswith(stem) or word.lemma.startswith(stem)
    return pattern in (word.lower, word.lemma)
