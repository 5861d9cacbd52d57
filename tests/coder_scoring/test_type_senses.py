"""The lexicon's senses of a trigger lemma as type features (features.sense_features;
docs/MODEL.md, experiment log rows 100+)."""

from __future__ import annotations

from dyadwatch.coder.rules import TriggerRule
from dyadwatch.coder.scoring.features import (
    builtin_senses,
    lexicon_senses,
    sense_features,
)


def test_type_senses_collect_every_type_a_lemma_can_take() -> None:
    rules = [
        TriggerRule("hand", "0841"),  # release of persons: RETREAT
        TriggerRule("hand", "070"),  # aid: AID
        TriggerRule("hand", "010"),  # a statement: PLOVER drops it
        TriggerRule("hand", "---"),  # a null pattern codes nothing
        TriggerRule("meet", "040", reverse_code="040"),
    ]
    assert lexicon_senses(rules) == {"hand": ("AID", "RETREAT"), "meet": ("CONSULT",)}


def test_type_senses_features_name_each_sense_and_the_set() -> None:
    senses = {"hand": ("AID", "RETREAT"), "meet": ("CONSULT",)}
    assert sense_features("hand", senses) == ["sense=AID", "sense=RETREAT", "senses=AID|RETREAT"]
    assert sense_features("meet", senses) == ["sense=CONSULT"]  # one sense: no set
    assert sense_features("stroll", senses) == []


def test_type_senses_builtin_lexicon_knows_an_ambiguous_verb() -> None:
    # "withdraw" pulls troops back (RETREAT) or withdraws an ambassador (SANCTION).
    assert {"RETREAT", "SANCTION"} <= set(builtin_senses()["withdraw"])
