"""The type model's ridge: per-group scales (train.TYPE_GROUP_SCALES) and a ridge
chosen inside the training sentences (train.TYPE_L2_GRID, train.choose_type_l2)."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import HASH_BITS, Candidate
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.train import Corpus, fit_logistic, group_scales
from dyadwatch.model import Actor, Event, Evidence

CLASSES = ("AID", "ACCUSE")


def _column(feature: str) -> int:
    return zlib.crc32(feature.encode()) & ((1 << HASH_BITS) - 1)


def test_train_type_ridge_scale_acts_as_a_ridge_on_its_column_alone() -> None:
    # Two columns that both separate the classes: the scaled one is held harder.
    vectors = [((1, 2), (1.0, 1.0)), ((3, 4), (1.0, 1.0))] * 10
    targets = [0, 1] * 10
    weights = [1.0] * 20
    plain = fit_logistic(vectors, targets, weights, ("a", "b"), l2=1.0)
    scaled = fit_logistic(vectors, targets, weights, ("a", "b"), l2=1.0, scales={1: 0.3})
    first, second = abs(float(scaled.weights[0, 0])), abs(float(scaled.weights[1, 0]))
    assert first < second  # column 1's weight shrinks, column 2 takes over
    assert abs(float(plain.weights[0, 0]) - float(plain.weights[1, 0])) < 1e-4
    # A scale of 1 everywhere is the plain fit, to the bit.
    same = fit_logistic(vectors, targets, weights, ("a", "b"), l2=1.0, scales={1: 1.0})
    assert np.array_equal(same.weights, plain.weights)


def _candidate(text: str, features: tuple[str, ...]) -> Candidate:
    event = Event("e", "d", 0, text, Actor("Rohan", "ROH"), Actor("Gondor", "GON"), "070",
                  7.0, 2, None, Evidence((0, 5), (0, 5), (6, 12)))  # fmt: skip
    return Candidate(event, features, ("pair_lexicon=True",), True)


def test_train_type_ridge_group_scales_map_the_scaled_groups_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "TYPE_GROUP_SCALES", {"u": 0.5})
    text = "Rohan helped Gondor."
    found = _candidate(text, ("lem=help", "u=help", "u=gondor"))
    corpus = Corpus((text,), ((),), ((found,),), (None,))
    scales = group_scales(corpus, [0])
    assert scales == {_column("u=help"): 0.5, _column("u=gondor"): 0.5}
    monkeypatch.setattr(train, "TYPE_GROUP_SCALES", {})
    assert group_scales(corpus, [0]) == {}


def _corpus(count: int) -> Corpus:
    # Our own sentences: the trigger word tells the type; a noise word is drawn per sentence.
    texts, labels, candidates = [], [], []
    for i in range(count):
        kind = CLASSES[i % 2]
        lemma = "help" if kind == "AID" else "blame"
        text = f"Rohan {lemma}ed Gondor on day {i}."
        texts.append(text)
        labels.append((Label(text, "plover", plover_type=kind),))
        candidates.append((_candidate(text, (f"lem={lemma}", f"u=day{i % 7}")),))
    return Corpus(tuple(texts), tuple(labels), tuple(candidates), tuple(None for _ in texts))


def test_train_type_ridge_is_chosen_from_the_grid_inside_the_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "TYPE_L2_GRID", (0.1, 100.0))
    corpus = _corpus(30)
    # A clean signal: the weak ridge predicts the held-out sentences with less loss.
    assert train.choose_type_l2(corpus, range(30), CLASSES) == 0.1
    monkeypatch.setattr(train, "TYPE_L2_GRID", (100.0,))
    assert train.choose_type_l2(corpus, range(30), CLASSES) == 100.0
