"""Session 13's type features: the clause's reading crossed with the lexicon's type,
the object's head, and what the candidate's own pair says (docs/MODEL.md)."""

from __future__ import annotations

from _scoring_support import worded_event
from spacy.language import Language

from dyadwatch.coder.scoring.features import (
    Known,
    TriggerParts,
    hash_features,
    mode_features,
    object_features,
    pair_type_features,
    type_features,
)


def test_type_groups_future_act_is_crossed_with_its_type(nlp: Language) -> None:
    text = "Rohan said it would send grain to Gondor."
    doc = nlp(text)
    send = next(t for t in doc if t.text == "send")
    found = mode_features(worded_event(text, "send", "Rohan", "Gondor"), send, "AID")
    assert "mxf=True|AID" in found
    assert not [f for f in found if f.startswith("mx=")]


def test_type_groups_past_act_and_flags(nlp: Language) -> None:
    text = "Rohan did not send grain to Gondor."
    doc = nlp(text)
    send = next(t for t in doc if t.text == "send")
    event = worded_event(text, "send", "Rohan", "Gondor", negated=True, reported=True)
    found = mode_features(event, send, "AID")
    assert "mxf=False|AID" in found
    assert {"mx=neg|AID", "mx=rep|AID"} <= set(found)
    assert "mx=hyp|AID" not in found


def test_type_groups_future_reaches_through_an_open_clause(nlp: Language) -> None:
    doc = nlp("Rohan will try to send grain to Gondor.")
    send = next(t for t in doc if t.text == "send")
    assert any(f.startswith("mxf=True|") for f in mode_features(
        worded_event(doc.text, "send", "Rohan", "Gondor"), send, "AID"))  # fmt: skip


def test_type_groups_object_head_skips_quantities(nlp: Language) -> None:
    doc = nlp("Rohan delivered four million dollars worth of medicine to Gondor.")
    delivered = next(t for t in doc if t.text == "delivered")
    found = object_features(delivered)
    assert "obj=medicine" in found
    assert "objsuf=ine" in found


def test_type_groups_object_of_a_passive_is_its_subject(nlp: Language) -> None:
    doc = nlp("The border crossings were closed by Rohan.")
    closed = next(t for t in doc if t.text == "closed")
    assert "obj=crossing" in object_features(closed)


def test_type_groups_pair_reads_the_target_preposition(nlp: Language) -> None:
    text = "Rohan imposed sanctions on Gondor."
    doc = nlp(text)
    imposed = next(t for t in doc if t.text == "imposed")
    sentence = next(doc.sents)
    found = pair_type_features(worded_event(text, "imposed", "Rohan", "Gondor"), imposed, sentence)
    assert "ptlca=self" in found
    assert any(f.startswith("ptvia=impose|on|") for f in found)


def test_type_groups_pair_of_another_predicate_names_it(nlp: Language) -> None:
    text = "Rohan said that Gondor attacked Mordor."
    doc = nlp(text)
    said = next(t for t in doc if t.text == "said")
    sentence = next(doc.sents)
    found = pair_type_features(worded_event(text, "said", "Gondor", "Mordor"), said, sentence)
    assert "ptlca=attack" in found
    assert "ptvia=say|none" not in found


def test_type_groups_trigger_parts_give_the_same_features_for_each_pair(nlp: Language) -> None:
    text = "Rohan and Gondor will not ship a batch of grain to Mordor, Harad said."
    doc = nlp(text)
    sentence = next(iter(doc.sents))
    ship = next(t for t in doc if t.text == "ship")
    parts = TriggerParts.of(ship, sentence)
    pairs = [("Rohan", "Mordor"), ("Gondor", "Mordor"), ("Harad", None), ("Rohan", "Harad")]
    for source, target in pairs:
        event = worded_event(text, "ship", source, target, negated=True)
        shared = type_features(event, ship, ["AID"], None, sentence, parts)
        assert shared == type_features(event, ship, ["AID"], None, sentence)
        assert "obj=grain" in shared and "mxf=True|none" in shared


def test_type_groups_hash_memo_gives_the_same_vector() -> None:
    known: Known = {}
    first = ("u=grain", "kid=nsubj|rohan", "u=ship", "lem=ship", "u=grain", "w-1=will")
    second = ("lem=ship", "u=ship", "code=070", "u=mordor")
    for features in (first, second, first, second):
        assert hash_features(features, known) == hash_features(features)
    assert set(known) == set(first) | set(second)
    assert known["kid=nsubj|rohan"][0] == "kid"
