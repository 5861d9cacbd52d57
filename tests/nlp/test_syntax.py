"""Clause structure read from the parse: subjects, objects, voice and windows."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.nlp import syntax


def word(doc: Doc, text: str) -> Token:
    return next(t for t in doc if t.text == text)


def texts(tokens: object) -> list[str]:
    return [t.text for t in tokens]  # type: ignore[attr-defined]


def test_syntax_subject_is_inherited_along_xcomp(nlp: Language) -> None:
    doc = nlp("Pakistan agreed to hold talks with India.")
    assert texts(syntax.subjects(word(doc, "hold"))) == ["Pakistan"]
    assert texts(syntax.direct_objects(word(doc, "hold"))) == ["talks"]


def test_syntax_object_controls_the_complement(nlp: Language) -> None:
    doc = nlp("China urged Pakistan to exercise restraint.")
    assert texts(syntax.subjects(word(doc, "urged"))) == ["China"]
    assert texts(syntax.subjects(word(doc, "exercise"))) == ["Pakistan"]


def test_syntax_coordinated_subjects_are_shared_by_coordinated_verbs(nlp: Language) -> None:
    doc = nlp("India and Pakistan met and signed a deal.")
    assert texts(syntax.conjuncts(word(doc, "India"))) == ["India", "Pakistan"]
    assert texts(syntax.subjects(word(doc, "met"))) == ["India", "Pakistan"]
    assert texts(syntax.subjects(word(doc, "signed"))) == ["India", "Pakistan"]


def test_syntax_passive_voice_and_its_agent(nlp: Language) -> None:
    doc = nlp("Pakistan was attacked by India.")
    verb = word(doc, "attacked")
    assert syntax.is_passive(verb)
    assert texts(syntax.passive_agents(verb)) == ["India"]
    assert texts(syntax.subjects(verb)) == ["Pakistan"]


def test_syntax_active_voice_has_no_passive_agent(nlp: Language) -> None:
    doc = nlp("India attacked Pakistan.")
    verb = word(doc, "attacked")
    assert not syntax.is_passive(verb)
    assert syntax.passive_agents(verb) == []
    assert texts(syntax.direct_objects(verb)) == ["Pakistan"]


def test_syntax_prepositional_objects_of_a_noun(nlp: Language) -> None:
    doc = nlp("Pakistan agreed to hold talks with India.")
    pairs = [(prep, obj.text) for prep, obj in syntax.prep_objects(word(doc, "talks"))]
    assert pairs == [("with", "India")]


def test_syntax_windows_stop_at_a_reported_clause(nlp: Language) -> None:
    doc = nlp("India said Pakistan attacked its border posts.")
    said, attacked = word(doc, "said"), word(doc, "attacked")
    assert texts(syntax.after_window(said)) == ["."]
    assert texts(syntax.before_window(attacked)) == ["Pakistan"]
    assert texts(syntax.after_window(attacked)) == ["its", "border", "posts"]


def test_syntax_before_window_includes_the_controller(nlp: Language) -> None:
    doc = nlp("Pakistan agreed to hold talks with India.")
    assert texts(syntax.before_window(word(doc, "hold"))) == ["Pakistan", "agreed", "to"]


def test_syntax_participle_clause_inherits_the_subject(nlp: Language) -> None:
    doc = nlp("Indian warplanes struck a camp near Balakot, killing dozens.")
    struck = word(doc, "struck")
    assert texts(syntax.subjects(word(doc, "killing"))) == ["warplanes"]
    # the participle clause is not part of the main verb's window
    assert "dozens" not in texts(syntax.after_window(struck))
    assert [(p, o.text) for p, o in syntax.prep_objects(struck)] == [("near", "Balakot")]


def test_syntax_clause_breaks_are_immutable() -> None:
    assert isinstance(syntax.CLAUSE_BREAKS, frozenset)
    assert {"ccomp", "advcl", "conj", "relcl"} <= syntax.CLAUSE_BREAKS


def test_syntax_doers_of_a_passive_are_its_agents_not_its_subject(nlp: Language) -> None:
    doc = nlp("Three shopkeepers were robbed by two gunmen and a driver.")
    robbed = word(doc, "robbed")
    assert texts(syntax.subjects(robbed)) == ["shopkeepers"]  # the grammatical subject
    assert texts(syntax.doers(robbed)) == ["gunmen", "driver"]
    assert syntax.doers(word(nlp("Three shopkeepers were robbed."), "robbed")) == []


def test_syntax_doers_of_a_reduced_passive_are_not_its_noun(nlp: Language) -> None:
    doc = nlp("The shopkeepers robbed by the gang reopened on Monday.")
    assert texts(syntax.doers(word(doc, "robbed"))) == ["gang"]


def test_syntax_doers_are_inherited_from_an_active_verb_only(nlp: Language) -> None:
    active = nlp("Gunmen stormed the village and robbed four farmers.")
    assert texts(syntax.doers(word(active, "robbed"))) == ["Gunmen"]
    passive = nlp("The engineers were abducted and robbed near the dam.")
    assert syntax.doers(word(passive, "robbed")) == []


def test_syntax_a_participle_with_its_own_subject_is_no_reduced_passive(nlp: Language) -> None:
    # The parse of a live-page label ("Breaking: Kenya has expelled ..."), built by
    # hand so the test does not hang on the parser's choice: the clause is an `acl`
    # of the label, with a subject and an auxiliary of its own.
    words = ["Breaking", ":", "Kenya", "has", "expelled", "the", "envoy", "."]
    heads = [0, 0, 4, 4, 0, 6, 4, 4]
    deps = ["ROOT", "punct", "nsubj", "aux", "acl", "det", "dobj", "punct"]
    tags = ["NN", ":", "NNP", "VBZ", "VBN", "DT", "NN", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags)
    expelled = word(doc, "expelled")
    assert not syntax.is_reduced_passive(expelled)
    assert texts(syntax.subjects(expelled)) == ["Kenya"]
    # The true reduced passive keeps its reading: its noun is what was done to.
    reduced = nlp("The envoy expelled by Kenya left on Monday.")
    assert syntax.is_reduced_passive(word(reduced, "expelled"))
    assert texts(syntax.passive_subjects(word(reduced, "expelled"))) == ["envoy"]
