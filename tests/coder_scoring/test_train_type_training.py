"""Training choices of the type model: a copy without the lexicon's proposal
(train.LEXICON_DROPOUT); the labelled act's other pairs teach only the pair model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.train import Corpus, examples
from dyadwatch.model import Actor, Event, Evidence

TEXT = "Rohan handed over grain to Gondor."
CLASSES = ("AID", "YIELD", "CONSULT")


def _candidate(source: tuple[str, tuple[int, int]], lexicon: bool) -> Candidate:
    event = Event(
        "e", "d", 0, TEXT, Actor(TEXT[slice(*source[1])], source[0]), Actor("Gondor", "GON"),
        "084", 7.0, 2, None, Evidence((6, 12), source[1], (27, 33)),
    )  # fmt: skip
    features = ("code=084", "plover=RETREAT", "rule=hand", "lem=hand", "obj=grain")
    return Candidate(event, features, ("pair_lexicon=True",), lexicon)


def _corpus() -> Corpus:
    label = Label(TEXT, "plv", plover_type="AID", source=(0, 5), target=(27, 33))
    drafted = _candidate(("ROH", (0, 5)), lexicon=True)
    moved = _candidate(("GRA", (18, 23)), lexicon=False)  # the same act, another pair
    other = replace(moved, event=replace(moved.event, evidence=Evidence((19, 23), (18, 23))))
    return Corpus((TEXT,), ((label,),), ((drafted, moved, other),), (None,))


def test_train_type_training_without_switches_teaches_the_labelled_pair_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "LEXICON_DROPOUT", 0.0)
    training = examples(_corpus(), [0], CLASSES)
    assert training.types.targets == [0]
    assert training.types.weights == [1.0]
    # The two candidates off the labelled pair teach the pair model only, as wrong pairs.
    assert training.pair.targets == [1, 0, 0]


def test_train_type_training_dropout_adds_a_copy_without_the_lexicon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "LEXICON_DROPOUT", 0.5)
    training = examples(_corpus(), [0], CLASSES)
    assert training.types.targets == [0, 0]
    assert training.types.weights == [1.0, 0.5]
    full, copy = training.types.vectors
    # The copy keeps the lemma and the object, not the code, type or rule.
    assert len(copy[0]) == 2 and len(full[0]) == 5
    assert set(copy[0]) < set(full[0])
    assert len(training.penta.targets) == 1  # the penta model is taught once


def test_train_type_training_dropout_needs_something_lexical_to_drop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "LEXICON_DROPOUT", 0.5)
    corpus = _corpus()
    bare = replace(corpus.candidates[0][0], type_features=("lem=hand", "obj=grain"))
    training = examples(replace(corpus, candidates=((bare,),)), [0], CLASSES)
    assert training.types.weights == [1.0]  # no copy: it would only reweight
