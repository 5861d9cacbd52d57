"""The listwise pair model: its examples, its fit, its weights and how selection reads it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from dyadwatch.coder.scoring import model as scoring
from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate, FeatureVector, hash_features
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.linear import Binary
from dyadwatch.coder.scoring.model import Scored, load_weights, select
from dyadwatch.coder.scoring.train import (
    Corpus,
    _Lists,
    _rank_examples,
    fit_listwise,
    fit_weights,
)
from dyadwatch.model import Actor, Event, Evidence

_NONE = np.zeros(0, dtype=np.float32)
TEXT = "Rohan shelled Gondor near Mordor."


def _row(*slots: int) -> tuple[FeatureVector, np.typing.NDArray[np.float32]]:
    return (tuple(slots), (1.0,) * len(slots)), _NONE


def _lists(groups: int = 12) -> _Lists:
    """Groups of three rows: the right one has slot 1, the wrong ones slot 2 or 3;
    slot 9 (everyone's) says nothing."""
    lists = _Lists()
    for number in range(groups):
        rows = [_row(1, 9), _row(2, 9), _row(3, 9)]
        turn = number % 3  # the right row's place moves: order must not matter
        rows = rows[turn:] + rows[:turn]
        lists.add(rows, [r[0][0][0] == 1 for r in rows], 1.0)
    return lists


def test_train_listwise_learns_which_row_of_a_group_is_right() -> None:
    model = fit_listwise(_lists(), l2=0.1)
    assert model is not None and model.classes == ("rank",)
    assert float(model.bias[0]) == 0.0  # a constant cancels in the softmax
    rank = Binary.of(model)
    right, wrong = rank.logit(((1, 9), (1.0, 1.0))), rank.logit(((2, 9), (1.0, 1.0)))
    assert right > wrong + 1.0
    assert rank.logit(((9,), (1.0,))) == pytest.approx(0.0, abs=1e-6)


def test_train_listwise_is_deterministic_and_none_without_groups() -> None:
    first, second = fit_listwise(_lists()), fit_listwise(_lists())
    assert first is not None and second is not None
    assert np.array_equal(first.weights, second.weights)
    assert fit_listwise(_Lists()) is None


def _candidate(source: str, span: tuple[int, int], *, slot: str, lexicon: bool) -> Candidate:
    event = Event(
        "e", "d", 0, TEXT, Actor(source, source, source), Actor("Gondor", "GON", "GON"), "190",
        -10.0, 4, None, Evidence((6, 13), source=span, target=(14, 20)), rule="triggers.yaml:1",
    )  # fmt: skip
    return Candidate(event, ("lem=shell",), (f"pair_slot={slot}",), lexicon)


def test_train_rank_examples_take_a_trigger_with_some_right_pairs_only() -> None:
    right = _candidate("ROH", (0, 5), slot="right", lexicon=False)
    wrong = _candidate("MOR", (26, 32), slot="wrong", lexicon=True)
    labelled = Label(TEXT, "plv", plover_type="ASSAULT", source=(0, 5), target=(14, 20))
    elsewhere = Label(TEXT, "plv", plover_type="ASSAULT", source=(21, 25), target=(14, 20))
    lists = _Lists()
    corpus = Corpus((TEXT,), ((labelled, elsewhere),), ((wrong, right),), (None,))
    _rank_examples(corpus, 0, lists)
    assert lists.starts == [0] and lists.right == [False, True]  # "elsewhere": no pair right
    assert lists.vectors[1] == hash_features(right.pair_features)
    alone = Corpus((TEXT,), ((labelled,),), ((right,),), (None,))
    _rank_examples(alone, 0, empty := _Lists())
    assert not empty.starts  # one candidate: nothing to compare


def _scored(source: str, pair: float, rank: float) -> Scored:
    candidate = _candidate(source, (0, 5), slot=source, lexicon=False)
    return Scored(candidate, "190", 0.5, 0.5, pair, None, None, (0.0,) * 6, 0.5, pair_rank=rank)


def test_model_select_keeps_the_best_ranked_pair_when_none_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    likely = _scored("ROH", 0.45, -1.0)
    ranked = _scored("MOR", 0.30, 2.0)
    assert select([likely, ranked]) == [ranked]
    monkeypatch.setattr(scoring, "PAIR_RANKING", "off")
    assert select([likely, ranked]) == [likely]  # P(pair) alone, as before the ranker


def test_model_select_best_keeps_the_best_ranked_pair_beside_the_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = _scored("ROH", 0.8, -1.0)
    ranked = _scored("MOR", 0.30, 2.0)
    assert select([accepted, ranked]) == [accepted]
    monkeypatch.setattr(scoring, "PAIR_RANKING", "best")
    assert set(map(id, select([accepted, ranked]))) == {id(accepted), id(ranked)}


def test_model_rank_weights_round_trip_and_old_weights_load_without(tmp_path: Path) -> None:
    shipped = load_weights()
    rank = fit_listwise(_lists())
    assert rank is not None
    path = tmp_path / "with.npz"
    replace(shipped, rank=rank).save(path)
    loaded = load_weights(path)
    assert loaded.rank is not None and np.array_equal(loaded.rank.weights, rank.weights)
    without = tmp_path / "without.npz"
    replace(shipped, rank=None).save(without)
    assert load_weights(without).rank is None


def test_model_without_ranker_ranks_by_the_pair_models_logit() -> None:
    weights = replace(load_weights(), rank=None)
    scorer = scoring.Scorer(weights)
    candidate = _candidate("ROH", (0, 5), slot="x", lexicon=True)
    p_pair, rank = scorer.pair_reading(candidate)
    assert p_pair == pytest.approx(1.0 / (1.0 + np.exp(-rank)))
    assert scorer.pair_probability(candidate) == p_pair


def test_train_fit_weights_fits_the_ranker_from_labelled_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "RANK", True)
    right = _candidate("ROH", (0, 5), slot="right", lexicon=False)
    wrong = _candidate("MOR", (26, 32), slot="wrong", lexicon=True)
    labels = tuple(
        (Label(f"{TEXT}{i}", "plv", plover_type=kind, source=(0, 5), target=(14, 20)),)
        for i, kind in enumerate(["ASSAULT", "ACCUSE"] * 3)
    )
    corpus = Corpus(tuple(lab.text for (lab,) in labels), labels,
                    tuple((wrong, right) for _ in labels), tuple(None for _ in labels))  # fmt: skip
    weights = fit_weights(corpus, range(len(labels)))
    assert weights.rank is not None
    monkeypatch.setattr(train, "RANK", False)
    assert fit_weights(corpus, range(len(labels))).rank is None
    rank = Binary.of(weights.rank)
    assert rank.logit(hash_features(right.pair_features)) > rank.logit(
        hash_features(wrong.pair_features)
    )


def _main(p_event: float, pair: float) -> Scored:
    event = replace(_candidate("ROH", (0, 5), slot="main", lexicon=False).event,
                    evidence=Evidence((21, 25), source=(0, 5), target=(14, 20)),
                    cameo="---", rule="fallback")  # fmt: skip
    candidate = Candidate(event, ("pred=near",), ("pair_fallback=1",), False, fallback=True)
    return Scored(candidate, "190", 0.5, 0.5, pair, None, None, (0.0,) * 6, 0.5, p_event)


def test_model_select_keeps_a_main_predicate_beside_drafts_when_its_pair_is_likely(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafted = _scored("ROH", 0.8, 0.0)
    likely, doubtful, quiet = _main(0.9, 0.8), _main(0.9, 0.3), _main(0.5, 0.8)
    assert select([drafted, likely]) == [drafted, likely]
    assert select([drafted, doubtful]) == [drafted]  # P(pair) under MAIN_THRESHOLD
    assert select([drafted, quiet]) == [drafted]  # the event model does not fire
    assert select([doubtful]) == [doubtful]  # alone, a fallback needs P(event) only
    monkeypatch.setattr(scoring, "MAIN_THRESHOLD", None)
    assert select([drafted, likely]) == [drafted]


def test_train_main_predicate_is_scored_beside_drafts_not_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafted = _candidate("ROH", (0, 5), slot="draft", lexicon=True)
    main = _main(0.9, 0.9).candidate
    labelled = Label(TEXT, "plv", plover_type="ASSAULT", source=(0, 5), target=(14, 20))
    corpus = Corpus((TEXT,), ((labelled,),), ((drafted,),), (main,))
    assert corpus.scoring(0) == (drafted, main)
    on_draft = replace(main, event=replace(main.event, evidence=drafted.event.evidence))
    same = Corpus((TEXT,), ((labelled,),), ((drafted,),), (on_draft,))
    assert same.scoring(0) == (drafted,)  # the lexicon drafted the predicate itself
    alone = Corpus((TEXT,), ((labelled,),), ((),), (main,))
    assert alone.scoring(0) == (main,) and alone.main(0) is None
    training = train._Training()
    train._main_examples(corpus, 0, training)
    assert training.pair.targets == [1]  # its subject and object are the labelled pair
    monkeypatch.setattr(scoring, "MAIN_THRESHOLD", None)
    assert corpus.scoring(0) == (drafted,)


@pytest.mark.slow
def test_model_main_predicate_is_read_only_when_no_draft_is_on_it(nlp: Language) -> None:
    from _scoring_support import Recording

    from dyadwatch.coder.engine import Coder
    from dyadwatch.coder.scoring.features import DenseReader
    from dyadwatch.coder.scoring.propose import propose
    from dyadwatch.config import Settings

    scorer = scoring.Scorer.load()
    recording = Recording(scorer)
    base = Coder.builtin(Settings(), nlp=nlp, learned=False)
    Coder(base.nlp, base.knowledge, scorer=recording).code_texts(
        ["Rohan's army attacked the border posts of Gondor on Sunday."]
    )
    (events, view), *_ = recording.seen
    assert events  # the lexicon drafts the attack, the sentence's root
    dense = DenseReader(view.sentence)
    proposed = dense.attach(propose(events, view))
    assert scorer._main_predicate(view, proposed, dense) is None
    assert scoring.Scorer(scorer.weights, fallback=False)._main_predicate(view, [], dense) is None
