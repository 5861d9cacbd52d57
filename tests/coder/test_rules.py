"""Trigger rules: slot matching (match_rule) and rule lookup in a clause (RuleIndex)."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.rules import (
    RuleMatch,
    Slot,
    TriggerRule,
    Word,
    _match_any,
    match_outwards,
    match_rule,
)
from dyadwatch.coder.triggers import RuleIndex, RuleWords
from dyadwatch.nlp import syntax
from dyadwatch.nlp.words import WordReader

ACTORS = frozenset({"Pakistan", "India", "China"})

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def words(text: str) -> list[Word]:
    """Words with lemma = lower form; capitalised country names are actor starts."""
    return [Word(w.lower(), w.lower(), w in ACTORS) for w in text.split()]


def phrase(*options: str, prep: str | None = None) -> Slot:
    return Slot("words", tuple(tuple(o.split()) for o in options), prep)


# -- match_rule ---------------------------------------------------------------


def test_rules_bare_rule_matches_anything() -> None:
    rule = TriggerRule("attack", "190")
    assert match_rule(rule, [], []) == RuleMatch(rule)
    assert match_rule(rule, words("India"), words("Pakistan today")) == RuleMatch(rule)


def test_rules_after_words_match_in_order_with_gaps() -> None:
    rule = TriggerRule("hold", "043", after=(phrase("peace talks"),))
    assert match_rule(rule, [], words("fresh peace talks with India")) is not None
    assert match_rule(rule, [], words("talks peace")) is None
    assert match_rule(rule, [], words("peace and talks")) is None


def test_rules_star_matches_a_prefix_of_form_or_lemma() -> None:
    rule = TriggerRule("strike", "195", before=(phrase("warplane*"),))
    assert match_rule(rule, words("Indian warplanes"), []) is not None
    assert match_rule(rule, [Word("jets", "warplane")], []) is not None
    assert match_rule(rule, words("Indian war planes"), []) is None


def test_rules_plain_word_matches_lemma_as_well_as_form() -> None:
    rule = TriggerRule("agree", "057", after=(phrase("ceasefire"),))
    assert match_rule(rule, [], [Word("ceasefires", "ceasefire")]) is not None
    assert match_rule(rule, [], [Word("ceasefires", "ceasefires")]) is None


def test_rules_preposition_must_precede_the_words() -> None:
    rule = TriggerRule("accuse", "112", after=(Slot("target"), phrase("spying", prep="of")))
    found = match_rule(rule, [], words("China of spying"))
    assert found is not None and found.target_index == 0
    assert match_rule(rule, [], words("China spying")) is None


def test_rules_role_slots_bind_actor_words() -> None:
    rule = TriggerRule("accuse", "112", before=(Slot("source"),), after=(Slot("target"),))
    found = match_rule(rule, words("yesterday India sharply"), words("the Pakistan army"))
    assert found is not None
    assert (found.source_index, found.target_index) == (-2, 1)
    assert match_rule(rule, words("yesterday"), words("Pakistan")) is None


def test_rules_before_slots_are_in_text_order() -> None:
    rule = TriggerRule("attack", "190", before=(phrase("suspected"), phrase("rebel")))
    assert match_rule(rule, words("suspected rebel"), []) is not None
    assert match_rule(rule, words("rebel suspected"), []) is None


def test_rules_before_phrase_keeps_its_word_order() -> None:
    rule = TriggerRule("attack", "190", before=(phrase("armed rebel"),))
    assert match_rule(rule, words("the armed rebel group"), []) is not None
    assert match_rule(rule, words("the rebel armed"), []) is None


def test_rules_skip_slot_consumes_nothing() -> None:
    rule = TriggerRule("meet", "040", after=(Slot("skip"), Slot("target")))
    found = match_rule(rule, [], words("with India"))
    assert found is not None and found.target_index == 1


def test_rules_specificity_counts_words_prepositions_roles_and_particle() -> None:
    assert TriggerRule("hold", "043").specificity == 0
    assert TriggerRule("hold", "043", after=(phrase("peace talks", "talks"),)).specificity == 2
    assert TriggerRule("x", "010", after=(phrase("spying", prep="of"),)).specificity == 2
    assert TriggerRule("x", "010", before=(Slot("source"),), after=(Slot("skip"),)).specificity == 1
    assert TriggerRule("shoot", "190", particle="down").specificity == 1


def test_rules_null_code_marks_a_null_pattern() -> None:
    assert TriggerRule("hold", "---").is_null
    assert not TriggerRule("hold", "043").is_null


# -- RuleIndex ----------------------------------------------------------------

RULES = (
    TriggerRule("hold", "---"),
    TriggerRule("hold", "043", after=(phrase("talks"),)),
    TriggerRule("shoot", "190", particle="down"),
    TriggerRule("strike", "190"),
    TriggerRule("strike", "195", before=(phrase("warplane*"),)),
    TriggerRule("talk", "043", pos="NOUN"),
    TriggerRule("meet", "040", after=(Slot("target"),), forms=("mett",)),
)


@pytest.fixture(scope="module")
def index() -> RuleIndex:
    return RuleIndex(RULES)


def rule_words(index: RuleIndex, doc: Doc, is_actor: list[bool] | None = None) -> RuleWords:
    actors = is_actor if is_actor is not None else [t.text in ACTORS for t in doc]
    return index.words(doc, WordReader().read(doc), actors)


def hits(nlp: Language, index: RuleIndex, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    words = rule_words(index, doc)
    return [(h.token.text, h.rule.code) for t in doc if (h := index.best(t, words))]


def test_rules_index_counts_rules_and_forms(index: RuleIndex) -> None:
    assert len(index) == len(RULES) + 1
    assert index.lemmas == {"hold", "shoot", "strike", "talk", "meet", "mett"}


def test_rules_index_picks_the_most_specific_rule(nlp: Language, index: RuleIndex) -> None:
    assert hits(nlp, index, "Indian warplanes struck a camp.") == [("struck", "195")]
    assert hits(nlp, index, "Pakistan struck a camp.") == [("struck", "190")]
    assert ("held", "043") in hits(nlp, index, "Pakistan held talks with India.")
    assert hits(nlp, index, "Pakistan held a rally.") == [("held", "---")]


def test_rules_index_requires_the_particle(nlp: Language, index: RuleIndex) -> None:
    assert hits(nlp, index, "Pakistan shot down two jets.") == [("shot", "190")]
    assert hits(nlp, index, "Pakistan shot two jets.") == []


def test_rules_index_separates_verbs_and_nouns(nlp: Language, index: RuleIndex) -> None:
    assert hits(nlp, index, "The talks failed.") == [("talks", "043")]
    doc = nlp("They talk often.")
    assert index.candidates(doc[1]) == ()


def test_rules_index_binds_role_slots_to_tokens(nlp: Language, index: RuleIndex) -> None:
    doc = nlp("China met India.")
    hit = index.best(doc[1], rule_words(index, doc))
    assert hit is not None
    assert hit.target is not None and hit.target.text == "India"
    assert hit.source is None


def test_rules_index_ignores_words_without_rules(nlp: Language, index: RuleIndex) -> None:
    doc = nlp("Pakistan condemned India.")
    words = rule_words(index, doc, [False] * len(doc))
    assert all(index.best(t, words) is None for t in doc)
    assert len(RuleIndex(())) == 0


def test_rules_adjacent_slot_must_follow_the_head() -> None:
    rule = TriggerRule("call", "020", after=(Slot("words", (("on",),), adjacent=True),))
    near = [Word("on", "on"), Word("pakistan", "pakistan")]
    far = [Word("it", "it"), Word("a", "a", light=True), Word("camp", "camp"), Word("on", "on")]
    light = [Word("again", "again", light=True), Word("on", "on")]
    assert match_rule(rule, [], near) is not None
    assert match_rule(rule, [], far) is None
    assert match_rule(rule, [], light) is not None


# -- the option index ------------------------------------------------------------

_VOCAB = ["talks", "talk", "peace", "to", "a", "war*", "warplanes", "ta*", "the", "on"]


def _reference_match_any(
    options: tuple[tuple[str, ...], ...], found: list[Word], start: int, backwards: bool
) -> int | None:
    """Every alternative tried in the slot's order, as matching was before the index."""

    def matches(pattern: str, word: Word) -> bool:
        if pattern.endswith("*"):
            return word.lower.startswith(pattern[:-1]) or word.lemma.startswith(pattern[:-1])
        return pattern in (word.lower, word.lemma)

    for option in options:
        sequence = tuple(reversed(option)) if backwards else option
        end = start + len(sequence)
        window = found[start:end]
        if option and end <= len(found) and all(map(matches, sequence, window)):
            return end
    return None


@settings(max_examples=300, deadline=None)
@given(
    options=st.lists(st.lists(st.sampled_from(_VOCAB), max_size=3).map(tuple), max_size=6),
    sentence=st.lists(
        st.tuples(st.sampled_from([*_VOCAB[:5], "warships", "tanks"]), st.sampled_from(_VOCAB)),
        max_size=6,
    ),
    backwards=st.booleans(),
)
def test_the_option_index_matches_as_trying_every_alternative(
    options: list[tuple[str, ...]], sentence: list[tuple[str, str]], backwards: bool
) -> None:
    slot = Slot("words", tuple(options))
    found = [Word(lower, lemma.rstrip("*")) for lower, lemma in sentence]
    indexed = slot.indexed(backwards=backwards)
    for start in range(len(found) + 1):
        expected = _reference_match_any(slot.options, found, start, backwards)
        assert _match_any(indexed, found, start) == expected


def test_a_slot_index_survives_replace_and_pickle() -> None:
    slot = phrase("peace talks", "cease*")
    for copy in (dataclasses.replace(slot, prep="to"), pickle.loads(pickle.dumps(slot))):
        assert copy.indexed(backwards=False).sequences == (("peace", "talks"), ("cease*",))
    assert slot == Slot("words", (("peace", "talks"), ("cease*",)))


def test_a_rule_survives_pickle_with_its_derived_fields() -> None:
    """Rules are rebuilt through ``__init__``, compiled (mypyc) or not."""
    rule = TriggerRule(
        "call",
        "0256",
        before=(Slot("source"), phrase("urgently")),
        after=(phrase("restraint"), Slot("target")),
        origin="rules.yaml:7",
    )
    back = pickle.loads(pickle.dumps(rule))
    assert back == rule
    assert back.before_outwards == (phrase("urgently"), Slot("source"))
    assert back.after[0].indexed(backwards=True).sequences == (("restraint",),)


def test_rules_index_may_trigger_agrees_with_candidates_on_every_token(
    nlp: Language, builtin_coder: Coder
) -> None:
    """The array pre-test must keep every token ``candidates`` would give a rule."""
    index = builtin_coder._rules
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    texts += ["MET the Talks. Police Arrested men; STRUCK.", "Attacks on Monday", ""]
    checked = kept = 0
    for doc in nlp.pipe(texts):
        expected = [bool(index.candidates(token)) for token in doc]
        assert index.may_trigger(WordReader().read(doc)) == expected
        checked, kept = checked + len(doc), kept + sum(expected)
    assert 0 < kept < checked / 3  # a real filter, over a real corpus


def _word_of(token: Token, is_actor: list[bool]) -> Word:
    """A word as rules see it, read from its Token (the definition RuleWords follows)."""
    light = token.pos_ in ("DET", "ADJ", "NUM", "ADV") or token.dep_ == "poss"
    return Word(token.lower_, token.lemma_.lower(), is_actor[token.i], light)


def test_rule_words_match_each_token_across_documents(nlp: Language, builtin_coder: Coder) -> None:
    """Words made from word ids, and reused from earlier documents, are the tokens' own."""
    index = builtin_coder._rules
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:60]
    texts = [json.loads(line)["text"] for line in lines]
    texts += ["The Army's POSS men; its ten old Jets ran off.", "Tanks of the Army"]
    for number, doc in enumerate(nlp.pipe(texts)):
        is_actor = [(token.i + number) % 3 == 0 for token in doc]
        words = index.words(doc, WordReader().read(doc), is_actor)
        assert words.window(range(len(doc))) == [_word_of(t, is_actor) for t in doc]
        backwards = list(range(len(doc)))[::-1]
        assert words.window(backwards) == [_word_of(doc[i], is_actor) for i in backwards]


def test_rule_windows_by_index_are_the_token_windows(nlp: Language) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:40]
    for doc in nlp.pipe(json.loads(line)["text"] for line in lines):
        for token in doc:
            assert syntax.before_indices(token) == [t.i for t in syntax.before_window(token)]
            assert syntax.after_indices(token) == [t.i for t in syntax.after_window(token)]


def test_match_outwards_is_match_rule_on_the_reversed_words() -> None:
    rule = TriggerRule(
        "hold",
        "043",
        before=(Slot("source"), phrase("peace")),
        after=(phrase("talks"), Slot("target")),
    )
    before = words("India and peace")
    after = words("talks with Pakistan")
    expected = match_rule(rule, before, after)
    assert expected == RuleMatch(rule, -3, 2)
    assert match_outwards(rule, before[::-1], after) == expected
    assert rule.before_outwards == (phrase("peace"), Slot("source"))
