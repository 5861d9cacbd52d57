"""Clause readings (negation, condition, report, control) and the recode tables."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest
import yaml
from spacy.language import Language
from spacy.tokens import Token

from dyadwatch.coder.modality import (
    ClauseKnowledge,
    ClauseReading,
    _according_to,
    load_clause_knowledge,
    read_clause,
)
from dyadwatch.errors import DictionaryError

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


@pytest.fixture(scope="module")
def clauses() -> ClauseKnowledge:
    return load_clause_knowledge()


def reading(nlp: Language, clauses: ClauseKnowledge, text: str, trigger: str) -> ClauseReading:
    token: Token = next(t for t in nlp(text) if t.text == trigger)
    return read_clause(token, clauses)


def test_modality_plain_clause_reads_as_fact(nlp: Language, clauses: ClauseKnowledge) -> None:
    found = reading(nlp, clauses, "India attacked Pakistan.", "attacked")
    assert found == ClauseReading()


@pytest.mark.parametrize(
    ("text", "trigger"),
    [("India did not attack Pakistan.", "attack"), ("Pakistan never attacked India.", "attacked")],
)
def test_modality_negation(
    nlp: Language, clauses: ClauseKnowledge, text: str, trigger: str
) -> None:
    found = reading(nlp, clauses, text, trigger)
    assert found.negated is True
    assert not (found.hypothetical or found.reported)


def test_modality_negated_controller_negates_the_complement(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    found = reading(nlp, clauses, "India did not agree to hold talks.", "hold")
    assert (found.negated, found.control) == (True, "intent")


@pytest.mark.parametrize("trigger", ["attacks", "attack"])
def test_modality_condition_and_modal_are_hypothetical(
    nlp: Language, clauses: ClauseKnowledge, trigger: str
) -> None:
    text = "If India attacks Pakistan, China would attack India."
    assert reading(nlp, clauses, text, trigger).hypothetical is True


@pytest.mark.parametrize(
    ("text", "trigger", "wanted"),
    [
        ("Protesters demanded the arrest of the officer.", "arrest", True),
        ("The rebels promised aid to the villagers.", "aid", True),
        ("Pakistan refused talks with India.", "talks", True),
        ("India and Pakistan began talks in Delhi.", "talks", False),
        ("Police made the arrest at dawn.", "arrest", False),
        ("Israel and Hamas agreed a ceasefire on Sunday.", "ceasefire", False),
        ("Soldiers committed a massacre in the village.", "massacre", False),
    ],
)
def test_modality_object_of_a_wish_or_refusal_has_not_happened(
    nlp: Language, clauses: ClauseKnowledge, text: str, trigger: str, wanted: bool
) -> None:
    assert reading(nlp, clauses, text, trigger).hypothetical is wanted


def test_modality_reported_claim_names_its_reporter(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    text = "Pakistan's military said it had shot down two Indian jets."
    found = reading(nlp, clauses, text, "shot")
    assert found.reported is True
    assert found.reporter is not None and found.reporter.text == "said"


def test_modality_according_to_is_reported(nlp: Language, clauses: ClauseKnowledge) -> None:
    text = "According to Pakistan, India attacked the border."
    found = reading(nlp, clauses, text, "attacked")
    assert found.reported is True
    assert found.reporter is None


@pytest.mark.parametrize(
    ("text", "control", "controller"),
    [
        ("Pakistan agreed to hold talks with India.", "intent", "agreed"),
        ("Pakistan refused to hold talks with India.", "refusal", "refused"),
        ("China urged Pakistan to hold talks.", "request", "urged"),
        ("Pakistan tried to hold talks.", "attempt", "tried"),
    ],
)
def test_modality_control_verbs(
    nlp: Language, clauses: ClauseKnowledge, text: str, control: str, controller: str
) -> None:
    found = reading(nlp, clauses, text, "hold")
    assert found.control == control
    assert found.controller is not None and found.controller.text == controller


def test_modality_threat_is_hypothetical(nlp: Language, clauses: ClauseKnowledge) -> None:
    found = reading(nlp, clauses, "Pakistan threatened to attack India.", "attack")
    assert (found.control, found.hypothetical) == ("threat", True)


def test_modality_future_auxiliary(nlp: Language, clauses: ClauseKnowledge) -> None:
    found = reading(nlp, clauses, "Pakistan will attack India.", "attack")
    assert (found.future, found.hypothetical) == (True, False)


def test_modality_negators_include_no(clauses: ClauseKnowledge) -> None:
    assert "no" in clauses.negators
    assert "False" not in clauses.negators


def test_modality_no_determiner_negates_a_noun_trigger(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    assert reading(nlp, clauses, "India held no talks with Pakistan.", "talks").negated is True


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        ("intent", "190", "1384"),  # via "19"
        ("intent", "191", "1381"),  # its own row beats "19"
        ("intent", "0871", "0356"),  # longest prefix "087"
        ("intent", "08", "035"),
        ("intent", "043", "036"),
        ("intent", "010", None),  # no row: the caller keeps the code
        ("refusal", "040", "125"),
        ("refusal", "0611", "1211"),
        ("refusal", "190", None),
    ],
)
def test_modality_recode_uses_the_longest_prefix(
    clauses: ClauseKnowledge, kind: str, code: str, expected: str | None
) -> None:
    assert clauses.recode(kind, code) == expected  # type: ignore[arg-type]


def test_modality_recode_ignores_one_digit_prefixes(clauses: ClauseKnowledge) -> None:
    assert clauses.recode("intent", "1") is None
    assert clauses.recode("refusal", "") is None


def test_modality_tables_are_read_only(clauses: ClauseKnowledge) -> None:
    with pytest.raises(TypeError):
        clauses.intent["01"] = "030"  # type: ignore[index]


def test_modality_custom_file_is_loaded(tmp_path: Path) -> None:
    # Start from the built-in file so the test follows its layout as it grows.
    data = yaml.safe_load(
        (resources.files("dyadwatch.coder") / "data" / "clauses.yaml").read_text("utf-8")
    )
    data["control"] = {"intent": ["plan"]}
    data["collective"] = [["both", "sides"]]
    data["intent"] = {"19": "138"}
    path = tmp_path / "clauses.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = load_clause_knowledge(path)
    assert dict(loaded.control) == {"plan": "intent"}
    assert loaded.collective == (("both", "sides"),)
    assert loaded.recode("intent", "190") == "138"


@pytest.mark.parametrize(
    "text", ["communication: [say]\n", "control: [unclosed\n", "- just\n- a list\n"]
)
def test_modality_bad_file_raises_dw207_naming_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "clauses.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        load_clause_knowledge(path)
    assert info.value.code == "DW207"
    assert info.value.path == str(path)


def test_modality_according_to_pre_test_agrees_with_reading_every_word(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    """The text pre-test may only skip clauses with no such word, whatever the case."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[:60]]
    texts += ["ACCORDING to Police, SAID he. Per the \u017ftatement, \u212aabul said so."]
    words = dataclasses.replace(clauses, according_to=frozenset({"according", "said", "per"}))
    found = 0
    for doc in nlp.pipe(texts):
        for verb in doc:
            expected = any(c.lower_ in words.according_to for c in verb.subtree)
            assert _according_to(verb, words) == expected
            found += expected
    assert found > 30  # the pre-test is put to the proof on clauses that hold one


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The constables are free to arrest anyone on the street.", "arrest"),
        ("The officers found it difficult to arrest the contractor.", "arrest"),
        ("The judge gave the police ten days to arrest the accused.", "arrest"),
        ("The two priests are likely to be arrested on Friday.", "arrested"),
        ("The inspector went to the village to arrest the headman.", "arrest"),
    ],
)
def test_modality_unasserted_infinitive_is_hypothetical(
    nlp: Language, clauses: ClauseKnowledge, text: str, trigger: str
) -> None:
    assert reading(nlp, clauses, text, trigger).hypothetical is True


@pytest.mark.parametrize(
    "text",
    [
        "The police were quick to arrest the gang leaders.",
        "Our district was the first to arrest the smugglers.",
    ],
)
def test_modality_implicative_head_keeps_the_infinitive_factual(
    nlp: Language, clauses: ClauseKnowledge, text: str
) -> None:
    assert reading(nlp, clauses, text, "arrest").hypothetical is False


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Nobody was arrested after the march.", "arrested"),
        ("Not a single rioter has been arrested so far.", "arrested"),
    ],
)
def test_modality_denying_subject_negates(
    nlp: Language, clauses: ClauseKnowledge, text: str, trigger: str
) -> None:
    assert reading(nlp, clauses, text, trigger).negated is True


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The looters must be arrested at once.", "arrested"),
        ("Members of such groups can be arrested without a warrant.", "arrested"),
    ],
)
def test_modality_must_and_can_are_hypothetical(
    nlp: Language, clauses: ClauseKnowledge, text: str, trigger: str
) -> None:
    assert reading(nlp, clauses, text, trigger).hypothetical is True


def test_modality_joined_verb_shares_modal_and_negation(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    found = reading(nlp, clauses, "The looters must be caught and jailed.", "jailed")
    assert found.hypothetical is True
    own = reading(nlp, clauses, "The looters must be caught and the police jailed them.", "jailed")
    assert own.hypothetical is False


def test_modality_negated_implicative_negates_its_infinitive(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    text = "The town police have not been able to arrest the smugglers."
    found = reading(nlp, clauses, text, "arrest")
    assert (found.negated, found.hypothetical) == (True, False)


def test_modality_act_named_as_a_possibility_is_hypothetical(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    text = "The minister was asked about the possibility of his arrest."
    assert reading(nlp, clauses, text, "arrest").hypothetical is True
    done = reading(nlp, clauses, "The news of his arrest spread quickly.", "arrest")
    assert done.hypothetical is False


def test_modality_inverted_auxiliary_opens_a_condition(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    text = "Had the leader been detained in the capital, the trouble would have been smaller."
    assert reading(nlp, clauses, text, "detained").hypothetical is True
    plain = reading(nlp, clauses, "The leader had been detained in the capital.", "detained")
    assert plain.hypothetical is False


def test_modality_inverted_condition_inside_a_that_clause(
    nlp: Language, clauses: ClauseKnowledge
) -> None:
    text = "Officials believe that had the leader been detained earlier the riots would have ended."
    assert reading(nlp, clauses, text, "detained").hypothetical is True
