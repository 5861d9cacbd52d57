"""Training the second stage: nested out-of-fold readings, so no fold judges itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest
from _scoring_support import candidate, corpus_of

import dyadwatch.coder.scoring.train as train
from dyadwatch.coder.scoring.choice import ChoiceModel
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.model import Reading, Scorer, load_weights
from dyadwatch.coder.scoring.train import Corpus, choice_groups, cross_validate, fold_of


def _corpus() -> Corpus:
    kinds = [("COERCE", "173"), ("ASSAULT", "190")] * 6
    rows = [(f"Police held man {i} ", kind, (candidate(code),), None)
            for i, (kind, code) in enumerate(kinds)]  # fmt: skip
    return corpus_of(rows)


def test_train_choice_nested_stage_never_sees_the_held_fold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = _corpus()
    folds = 3
    fitted: list[frozenset[int]] = []
    staged: list[frozenset[int]] = []
    loaded = load_weights()
    # What fit_weights gives: no second stage, the provisional six-signal calibrator.
    six = replace(loaded.calibrator, coef=loaded.calibrator.coef[:6], fallback=None)
    shipped = replace(loaded, choice=None, calibrator=six)

    def fake_fit(data: Corpus, indexes: Sequence[int], *args: object, **kw: object) -> object:
        fitted.append(frozenset(indexes))
        return shipped

    def fake_stage(
        data: Corpus, scorer: Scorer, readings: Mapping[int, Sequence[Reading]], config: object
    ) -> ChoiceModel | None:
        staged.append(frozenset(readings))
        return None

    monkeypatch.setattr(train, "fit_weights", fake_fit)
    monkeypatch.setattr(train, "fit_choice_stage", fake_stage)
    # The calibrators are not what this test is about, and whether the shipped weights
    # get some of these toy sentences wrong (Platt scaling needs both kinds) changes
    # with every retrain: the six-signal one stands for each.
    monkeypatch.setattr(train, "fit_calibrator", lambda signals, right: six)
    oof = cross_validate(corpus, folds=folds, seed=0, choice=True)
    fold = [fold_of(t, 0, folds) for t in corpus.texts]
    assert len(set(fold)) == folds
    every = frozenset(range(len(corpus.texts)))
    # 3 outer fits, then 3 fits each without a pair of folds.
    assert len(fitted) == folds + 3
    for indexes in fitted[folds:]:
        assert len({fold[i] for i in every - indexes}) == 2
    # Each held fold's stage is fitted on the other folds only; the shipped one on all.
    for held, members in enumerate(staged[:folds]):
        assert members == {i for i in every if fold[i] != held}
    assert staged[folds] == every
    assert len(oof.scored) == len(corpus.texts)


def test_train_choice_groups_mark_the_options_a_label_calls_right() -> None:
    corpus = _corpus()
    scorer = Scorer(load_weights())
    readings = {i: tuple(scorer.read(c) for c in corpus.scoring(i)) for i in range(2)}
    groups = choice_groups(corpus, scorer, readings)
    assert len(groups) == 2
    for (view, right, weight), index in zip(groups, range(2), strict=True):
        _, options = scorer.options_of(corpus.candidates[index][0], readings[index][0])
        assert view.own and len(right) == len(options) and weight == 1.0
        kind = corpus.labels[index][0].plover_type
        assert right == [o.type_class == kind for o in options]
        assert right[0]  # the lexicon's own code has the labelled type here


def test_train_choice_silver_labels_teach_the_stage_only_when_weighted() -> None:
    drafted = candidate("173")
    text = "Police held a man "
    silver = Label(text, train.SILVER, "COERCE", 4, trigger=drafted.event.evidence.trigger,
                   weight=train.SILVER_WEIGHT)  # fmt: skip
    corpus = Corpus((text,), ((silver,),), ((drafted,),), (None,))
    scorer = Scorer(load_weights())
    readings = {0: (scorer.read(drafted),)}
    assert choice_groups(corpus, scorer, readings, train.StageConfig(silver_weight=0.0)) == []
    weighted = choice_groups(corpus, scorer, readings, train.StageConfig(silver_weight=0.5))
    assert len(weighted) == 1
    view, right, weight = weighted[0]
    assert weight == pytest.approx(train.SILVER_WEIGHT * 0.5)
    assert view.own and right[0]  # the lexicon's arrest is the right option
    # What make model fits: the silver arrests at their own weight.
    shipped = choice_groups(corpus, scorer, readings)
    assert [w for _, _, w in shipped] == [pytest.approx(train.SILVER_WEIGHT)]
