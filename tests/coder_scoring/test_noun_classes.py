"""Session 18's noun classes: what kind of thing a trigger acts on (docs/MODEL.md, row 251)."""

from __future__ import annotations

import pytest
from _scoring_support import worded_event
from spacy.language import Language

from dyadwatch.coder.scoring.features import (
    NounClasses,
    TriggerParts,
    builtin_noun_classes,
    object_features,
    type_features,
)
from dyadwatch.errors import ScorerError


def _classes_of(nlp: Language, text: str, verb: str) -> list[str]:
    trigger = next(t for t in nlp(text) if t.text == verb)
    return [f for f in object_features(trigger, "MOBILIZE") if f.startswith("objcls=")]


def test_noun_classes_the_shipped_file_reads_and_holds_every_kind() -> None:
    classes = builtin_noun_classes()
    assert classes.words["frigate"] == classes.words["troop"] == "forces"
    assert classes.pairs["joint venture"] == "joint"
    assert len(set(classes.words.values())) >= 20


@pytest.mark.parametrize(
    ("text", "verb", "kind"),
    [
        ("Rohan sent three frigates to the border.", "sent", "forces"),
        ("Rohan sent three battalions to the border.", "sent", "forces"),
        ("Rohan sent tents and blankets to Gondor.", "sent", "relief"),
        ("Rohan expelled two diplomats.", "expelled", "envoys"),
        ("The border crossings were closed by Rohan.", "closed", "territory"),
        ("Rohan delivered four million dollars worth of rifles to Gondor.", "delivered", "weapons"),
    ],
)
def test_noun_classes_a_head_noun_gives_its_kind(
    nlp: Language, text: str, verb: str, kind: str
) -> None:
    assert _classes_of(nlp, text, verb) == [f"objcls={kind}"]


def test_noun_classes_a_two_word_entry_wins_over_its_head(nlp: Language) -> None:
    assert _classes_of(nlp, "Rohan made a phone call to Gondor.", "made") == ["objcls=talks"]
    assert _classes_of(nlp, "Rohan made a call to Gondor.", "made") == ["objcls=demands"]
    assert _classes_of(nlp, "Miners began a hunger strike.", "began") == ["objcls=protests"]


def test_noun_classes_an_unknown_noun_adds_nothing(nlp: Language) -> None:
    trigger = next(t for t in nlp("Rohan sent a letter to Gondor.") if t.text == "sent")
    found = object_features(trigger, "AID")
    assert "obj=letter" in found
    assert not [f for f in found if "cls" in f]


def test_noun_classes_are_crossed_with_the_lemma_and_the_lexicon_type(nlp: Language) -> None:
    text = "Rohan deployed troops to Gondor."
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == "deployed")
    sentence = next(doc.sents)
    event = worded_event(text, "deployed", "Rohan", "Gondor")
    parts = TriggerParts.of(trigger, sentence)
    assert parts.kinds == ("forces",)
    found = type_features(event, trigger, [], sentence=sentence, parts=parts)
    plover = event.plover.type if event.plover else "none"
    assert {"objcls=forces", "lemobjcls=deploy|forces", f"objclsplv=forces|{plover}"} <= set(found)


@pytest.mark.parametrize(
    ("data", "fault"),
    [
        ([], "no 'classes' mapping"),
        ({"classes": {}}, "no 'classes' mapping"),
        ({"classes": {"forces": "troop"}}, "not a list"),
        ({"classes": {"forces": ["troop"], "people": ["troop"]}}, "two classes"),
        ({"classes": {"forces": ["aircraft carrier group"]}}, "one or two"),
        ({"classes": {"truces": ["cease-fire"]}}, "without hyphens"),
        ({"classes": {"forces": ["Troop"]}}, "lower-case"),
        ({"classes": {"forces": [3]}}, "one or two"),
    ],
)
def test_noun_classes_a_malformed_file_is_dw805(data: object, fault: str) -> None:
    with pytest.raises(ScorerError, match=r"\[DW805\]") as caught:
        NounClasses.parse(data, "mine.yaml")
    assert fault in str(caught.value) and "mine.yaml" in str(caught.value)
