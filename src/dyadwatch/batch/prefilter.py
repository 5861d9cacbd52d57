"""A cheap, exact test that a text cannot yield an event: skip its parse.

An event needs a trigger hit: a verb or noun whose lemma or lower-cased form
is a head word of the :class:`~dyadwatch.coder.triggers.RuleIndex`, or (with
intent recoding) a deontic auxiliary ("must") for a reported obligation. A
word's lemma is computed by the pipeline's attribute ruler and lemmatizer from
its lower-cased surface, so the surfaces that can carry a head lemma are
found by running the lemmatizer backwards: every suffix rule inverted, every
exception and attribute-ruler lemma read from the loaded pipeline. One
Aho-Corasick scan of the lower-cased text for those surfaces then decides.

Why documents, not sentences: the coder keeps memory across sentences
(pronouns, "the next day"), its sentences come from the parser, and the
tagger reads a few words across sentence boundaries, so parsing sentences
apart would change results. A document with no candidate surface is skipped
whole; any other document is parsed whole, and its events are unchanged.
Actor phrases are not required: violence and protest are coded with an
unnamed source (``---``), so a trigger alone can make an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import cast

import ahocorasick
from spacy.language import Language

from dyadwatch.coder.engine import Coder

__all__ = ["Prefilter", "inflections"]

_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of ``lemma`` (a safety net over the pipeline's rules).

    -s, -es, -ed, -d, -ing with e-drop and final-consonant doubling, -ies/-ied.
    """
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] in _CONSONANTS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] in _CONSONANTS and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@dataclass(frozen=True, slots=True)
class Prefilter:
    """``prefilter(text)`` is False only when coding ``text`` cannot yield an event.

    Build it with :meth:`for_coder`; pass it to ``Coder.code_documents``. A
    prefilter built for one coder says nothing about another coder's rules.
    """

    automaton: ahocorasick.Automaton | None
    """None: every text passes (the pipeline's lemmatizer cannot be inverted)."""

    @classmethod
    def for_coder(cls, coder: Coder) -> Prefilter:
        heads = {rule.lemma.lower() for rule in coder.knowledge.rules}
        heads |= {form.lower() for rule in coder.knowledge.rules for form in rule.forms}
        surfaces = _surfaces(heads, coder.nlp)
        if surfaces is None:
            return cls(None)
        if coder.knowledge.recode_intent:
            surfaces |= {word.lower() for word in coder.knowledge.clauses.deontic_aux}
        return cls(_automaton(surfaces))

    @property
    def size(self) -> int:
        """Surface forms searched for (0 when every text passes)."""
        return 0 if self.automaton is None else len(self.automaton)

    def __call__(self, text: str) -> bool:
        if self.automaton is None:
            return True
        lowered = text.lower()
        for end, length in self.automaton.iter(lowered):
            start = end - length + 1
            # Tokens never start inside a word, so a hit must follow a non-letter.
            if start == 0 or not lowered[start - 1].isalpha():
                return True
        return False


def _automaton(surfaces: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for surface in sorted(set(surfaces)):
        if surface:
            automaton.add_word(surface, len(surface))
    automaton.make_automaton()
    return automaton


def _surfaces(heads: set[str], nlp: Language) -> set[str] | None:
    """Every lower-cased surface whose lemma or form can be one of ``heads``."""
    surfaces = set(heads)
    for head in heads:
        surfaces |= inflections(head)
    found = _ruler_surfaces(heads, nlp)
    if found is None:
        return None
    surfaces |= found
    lemmatizer = _lemmatizer_surfaces(heads, nlp)
    return None if lemmatizer is None else surfaces | lemmatizer


def _lemmatizer_surfaces(heads: set[str], nlp: Language) -> set[str] | None:
    # component_names, not pipe_names: a stock component stays loaded but
    # disabled when nlp.accelerate runs an equivalent in its place.
    if "lemmatizer" not in nlp.component_names:
        return set()
    lemmatizer = nlp.get_pipe("lemmatizer")
    mode = getattr(lemmatizer, "mode", None)
    lookups = getattr(lemmatizer, "lookups", None)
    if mode not in ("rule", "lookup") or lookups is None:
        return None  # a trained lemmatizer: lemmas cannot be enumerated
    found: set[str] = set()
    if mode == "lookup":
        table = lookups.get_table("lemma_lookup", {})
        found |= {str(k) for k, v in _items(table) if str(v).lower() in heads}
        return found
    rules = lookups.get_table("lemma_rules", {})
    for pos in ("verb", "noun", "adj", "adv", "aux", "propn"):
        for old, new in rules.get(pos, ()):
            found |= {h[: len(h) - len(new)] + old for h in heads if h.endswith(new)}
    exceptions = lookups.get_table("lemma_exc", {})
    for pos in ("verb", "noun", "adj", "adv", "aux", "propn"):
        for form, lemmas in _items(exceptions.get(pos, {})):
            if any(str(lemma).lower() in heads for lemma in cast(list[object], lemmas)):
                found.add(str(form).lower())
    return found


def _items(table: object) -> Iterator[tuple[object, object]]:
    items = getattr(table, "items", None)
    if items is None:
        return iter(())
    return iter(cast(Iterable[tuple[object, object]], items()))


def _ruler_surfaces(heads: set[str], nlp: Language) -> set[str] | None:
    """Words an attribute ruler may give a head lemma; None if not enumerable."""
    if "attribute_ruler" not in nlp.component_names:
        return set()
    found: set[str] = set()
    for pattern in nlp.get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
        lemma = pattern["attrs"].get("LEMMA")
        if lemma is None or str(lemma).lower() not in heads:
            continue
        for tokens in pattern["patterns"]:
            for token in tokens:
                words = _pattern_words(token)
                if words is None:
                    return None
                found |= words
    return found


def _pattern_words(token: Mapping[str, object]) -> set[str] | None:
    for key in ("LOWER", "ORTH", "NORM", "TEXT"):
        value = token.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, Mapping) and isinstance(value.get("IN"), list):
            return {str(v).lower() for v in value["IN"]}
    return None
