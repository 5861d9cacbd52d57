"""The words between a candidate's pair (features.between_features, docs/MODEL.md)."""

from __future__ import annotations

from _scoring_support import worded_event
from spacy.language import Language

from dyadwatch.coder.scoring.features import between_features, type_features


def test_type_between_reads_the_words_that_join_the_pair(nlp: Language) -> None:
    text = "Rohan said it would send the grain to Gondor."
    sentence = next(nlp(text).sents)
    found = between_features(worded_event(text, "send", "Rohan", "Gondor"), sentence)
    between = {f for f in found if f.startswith("bst=")}
    assert between == {"bst=say", "bst=it", "bst=would", "bst=send", "bst=grain", "bst=to"}
    assert {f for f in found if f.startswith("btt=")} == {"btt=grain", "btt=to"}


def test_type_between_two_pairs_of_one_sentence_differ(nlp: Language) -> None:
    text = "Rohan blamed Gondor after Mordor attacked Harad."
    sentence = next(nlp(text).sents)
    first = between_features(worded_event(text, "blamed", "Rohan", "Gondor"), sentence)
    second = between_features(worded_event(text, "attacked", "Mordor", "Harad"), sentence)
    assert "bst=blame" in first and "bst=attack" not in first
    assert "bst=attack" in second and "bst=blame" not in second


def test_type_between_a_target_before_its_source_and_a_far_pair(nlp: Language) -> None:
    text = "Gondor was attacked by Rohan."
    sentence = next(nlp(text).sents)
    found = between_features(worded_event(text, "attacked", "Rohan", "Gondor"), sentence)
    assert "bst=by" in found and "bst=attack" in found
    far = "Rohan, whose many old ships were seen last week near the southern coast, hit Gondor."
    sentence = next(nlp(far).sents)
    assert "bst=far" in between_features(worded_event(far, "hit", "Rohan", "Gondor"), sentence)


def test_type_between_needs_a_target_and_stays_out_of_the_type_features(
    nlp: Language,
) -> None:
    text = "Rohan protested loudly."
    doc = nlp(text)
    assert between_features(worded_event(text, "protested", "Rohan", None), next(doc.sents)) == []
    text = "Rohan sent grain to Gondor."
    doc = nlp(text)
    sent = next(t for t in doc if t.text == "sent")
    found = type_features(worded_event(text, "sent", "Rohan", "Gondor"), sent, [])
    assert not [f for f in found if f.startswith(("bst=", "btt="))]  # row 142: not kept
