"""The type model's view of a drafted trigger: the verbs that govern it."""

from __future__ import annotations

from _scoring_support import Keep
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.scoring.features import governor_features, sentence_features


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


def test_features_drafted_type_features_read_governors_not_paths(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    keep = Keep()
    Coder(nlp, small_knowledge, scorer=keep).code_text("India threatened to attack Pakistan.")
    drafted = [c for c in keep.found if c.lexicon_pair]
    assert drafted
    groups = {f.partition("=")[0] for c in drafted for f in c.type_features}
    assert {"gov", "gov1", "govneg", "lem", "u", "rule"} <= groups
    # Groups that carried no weight under CV (docs/MODEL_LOG.md, rows 401-405).
    assert not groups & {"pos", "dep", "head", "spath", "tpath", "b"}


def test_features_sentence_bag_pairs_are_optional(nlp: Language) -> None:
    sentence = next(nlp("Rohan shelled the town at dawn.").sents)
    with_pairs = sentence_features(sentence)
    without = sentence_features(sentence, pairs=False)
    assert any(f.startswith("b=") for f in with_pairs)
    assert without == tuple(f for f in with_pairs if not f.startswith("b="))
