"""The type model's view of a drafted trigger: the verbs that govern it."""

from __future__ import annotations

from spacy.language import Language

from dyadwatch.coder.scoring.features import governor_features


def test_features_governor_names_a_threat_over_the_act(nlp: Language) -> None:
    doc = nlp("Rohan threatened to shell the harbour of Gondor.")
    shell = next(t for t in doc if t.text == "shell")
    found = governor_features(shell)
    assert "gov1=threaten" in found
    assert f"gov=threaten|{shell.dep_}" in found
    assert f"govneg=False|{shell.dep_}" in found


def test_features_governor_reads_a_negated_governing_verb(nlp: Language) -> None:
    doc = nlp("Gondor did not agree to meet the envoys of Rohan.")
    meet = next(t for t in doc if t.text == "meet")
    found = governor_features(meet)
    assert "gov1=agree" in found
    assert f"govneg=True|{meet.dep_}" in found


def test_features_governor_stops_after_two_verbs(nlp: Language) -> None:
    doc = nlp("Officials said Rohan had promised to try to send grain to Gondor.")
    send = next(t for t in doc if t.text == "send")
    found = governor_features(send)
    governing = [f for f in found if f.startswith("gov=")]
    assert len(governing) == 2
    assert governing[0].startswith("gov=try|")
    assert [f for f in found if f.startswith("gov1=")] == ["gov1=try"]


def test_features_governor_of_the_main_verb_is_empty(nlp: Language) -> None:
    doc = nlp("Rohan shelled the harbour.")
    assert governor_features(doc[1]) == []
