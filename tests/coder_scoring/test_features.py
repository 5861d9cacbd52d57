"""Scorer features: hashing, dependency paths, what a candidate's features say."""

from __future__ import annotations

import math

from spacy.language import Language

from dyadwatch.coder.scoring.features import (
    HASH_BITS,
    dependency_path,
    hash_features,
    sentence_features,
)


def test_features_hashing_is_stable_and_groups_are_unit_length() -> None:
    features = ("lem=shell", "u=rohan", "u=gondor", "u=town", "u=dawn")
    first = hash_features(features)
    assert first == hash_features(tuple(reversed(features)))
    indexes, values = first
    assert list(indexes) == sorted(indexes)
    assert all(0 <= i < 2**HASH_BITS for i in indexes)
    # "lem" alone weighs 1; the four "u" words share a unit norm.
    assert sorted(values) == [0.5, 0.5, 0.5, 0.5, 1.0]
    assert math.isclose(sum(v * v for v in values), 2.0)


def test_features_dependency_path_subject_and_object(nlp: Language) -> None:
    doc = nlp("Rohan shelled the town.")
    verb, subject, obj = doc[1], doc[0], doc[3]
    assert dependency_path(verb, subject) == "vnsubj"
    assert dependency_path(verb, obj) == "vdobj"
    assert dependency_path(subject, obj) == "^nsubjvdobj"
    assert dependency_path(verb, verb) == "self"


def test_features_sentence_bag_skips_stop_words_and_punctuation(nlp: Language) -> None:
    found = sentence_features(next(nlp("Rohan shelled the town, again.").sents))
    words = {f for f in found if f.startswith("u=")}
    assert words == {"u=rohan", "u=shell", "u=town"}
    assert "b=rohan_shell" in found


def test_features_hash_is_crc32_not_the_salted_builtin_hash() -> None:
    # The shipped weights are indexed by these numbers in every process.
    assert hash_features(("lem=shell",)) == ((2143351,), (1.0,))
