"""Finding event triggers: which words, under which rule, code an event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Token

from dyadwatch.coder.rules import RuleMatch, TriggerRule, Word, match_rule
from dyadwatch.nlp.syntax import after_window, before_window
from dyadwatch.nlp.words import DocWords, word_ids

__all__ = ["RuleIndex", "TriggerHit"]

_VERB_TAGS = frozenset({"VERB"})
_NOUN_TAGS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class TriggerHit:
    """A trigger word, the rule it matched, and the words its role slots bound."""

    token: Token
    rule: TriggerRule
    source: Token | None = None
    target: Token | None = None


class RuleIndex:
    """Rules indexed by (part of speech, head word) for constant-time lookup."""

    def __init__(self, rules: Iterable[TriggerRule]) -> None:
        index: dict[tuple[str, str], list[TriggerRule]] = defaultdict(list)
        for rule in rules:
            index[(rule.pos, rule.lemma)].append(rule)
            for form in rule.forms:
                index[(rule.pos, form.lower())].append(rule)
        self._index = {key: tuple(value) for key, value in index.items()}
        self.lemmas = frozenset(lemma for _, lemma in self._index)
        self._needs = {id(rule): _needed_words(rule) for rule in _rules_of(self._index)}
        self._word_ids = {
            pos: word_ids({word for tag, word in self._index if tag == pos})
            for pos in ("VERB", "NOUN")
        }

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def candidates(self, token: Token) -> tuple[TriggerRule, ...]:
        pos = "VERB" if token.pos_ in _VERB_TAGS else "NOUN" if token.pos_ in _NOUN_TAGS else None
        if pos is None:
            return ()
        found = self._index.get((pos, token.lemma_.lower()), ())
        if not found:
            found = self._index.get((pos, token.lower_), ())
        return found

    def may_trigger(self, words: DocWords) -> list[bool]:
        """For each token of a document: whether :meth:`candidates` can find it a rule.

        The same test as ``candidates``, on the document's word ids, so that
        only those tokens are looked at one by one.
        """
        verbs, nouns = self._word_ids["VERB"], self._word_ids["NOUN"]
        found: list[bool] = []
        for pos, lower, lemma in zip(words.pos, words.lower, words.lemma, strict=True):
            ids = verbs if pos == VERB else nouns if pos in (NOUN, PROPN) else None
            found.append(ids is not None and (lower in ids or lemma in ids))
        return found

    def best(self, token: Token, is_actor: Sequence[bool]) -> TriggerHit | None:
        """The most specific rule matching ``token`` in its clause, if any.

        ``is_actor[i]`` tells whether an actor mention starts at doc token i.
        """
        rules = self.candidates(token)
        if not rules:
            return None
        particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
        before_tokens = before_window(token)
        after_tokens = after_window(token)
        before = [_word(t, is_actor) for t in before_tokens]
        after = [_word(t, is_actor) for t in after_tokens]
        seen = {w.lower for w in (*before, *after)} | {w.lemma for w in (*before, *after)}
        best: RuleMatch | None = None
        for rule in rules:
            if rule.particle is not None and rule.particle not in particles:
                continue
            if rule.clause and not _governs_clause(token):
                continue
            if any(seen.isdisjoint(words) for words in self._needs[id(rule)]):
                continue  # a slot's words are all absent: no need to match it
            found = match_rule(rule, before, after)
            if found and (best is None or _rank(rule) > _rank(best.rule)):
                best = found
        if best is None:
            return None
        return TriggerHit(
            token,
            best.rule,
            _bound(best.source_index, before_tokens, after_tokens),
            _bound(best.target_index, before_tokens, after_tokens),
        )


def _governs_clause(token: Token) -> bool:
    return any(c.dep_ == "ccomp" for c in token.children)


def _rules_of(index: dict[tuple[str, str], tuple[TriggerRule, ...]]) -> list[TriggerRule]:
    return [rule for rules in index.values() for rule in rules]


def _needed_words(rule: TriggerRule) -> tuple[frozenset[str], ...]:
    """For each words slot, the words one of which any match must contain.

    A cheap pre-check before slot matching: a slot's preposition, or the first
    words of its alternatives. Slots with prefix alternatives ("attack*") are
    left to the full match.
    """
    needed: list[frozenset[str]] = []
    for slot in (*rule.before, *rule.after):
        if slot.kind != "words":
            continue
        if slot.prep:
            needed.append(frozenset({slot.prep}))
            continue
        firsts = {option[0] for option in slot.options if option}
        if firsts and not any(word.endswith("*") for word in firsts):
            needed.append(frozenset(firsts))
    return tuple(needed)


def _rank(rule: TriggerRule) -> tuple[int, int]:
    """Specificity first; on a tie the finer CAMEO code wins ("195" over "190")."""
    code = rule.code
    detail = 0 if rule.is_null else len(code) + (0 if code.endswith("0") else 1)
    return (rule.specificity, detail)


def _bound(index: int | None, before: Sequence[Token], after: Sequence[Token]) -> Token | None:
    if index is None:
        return None
    return after[index] if index >= 0 else before[index]


_LIGHT_POS = frozenset({"DET", "ADJ", "NUM", "ADV"})


def _word(token: Token, is_actor: Sequence[bool]) -> Word:
    light = token.pos_ in _LIGHT_POS or token.dep_ == "poss"
    return Word(token.lower_, token.lemma_.lower(), is_actor[token.i], light)
