"""Training the scorer: the solver, determinism given a seed, a user's labels file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from _scoring_support import candidate, corpus_of

from dyadwatch.coder.scoring.features import Candidate, hash_features
from dyadwatch.coder.scoring.model import Scorer, load_weights
from dyadwatch.coder.scoring.train import (
    NEGATIVE,
    NEWS_CHECK,
    NEWS_TRAIN,
    SILVER,
    SILVER_WEIGHT,
    Corpus,
    EventConfig,
    builtin_labels,
    fit_event,
    fit_logistic,
    fit_weights,
    fold_of,
    negatives,
    news_half,
    news_negatives,
    news_sentences,
    silver_labels,
    statement_silver,
    train_from_labels,
)
from dyadwatch.errors import ScorerError
from dyadwatch.model import Actor, Event, Evidence

# Our own sentences: four types, each with its (source, target) pair.
SENTENCES = [
    ("Russian troops shelled Ukrainian positions near the border.", "ASSAULT",
     "Russian troops", "Ukrainian positions"),
    ("Israeli jets bombed targets in Syria on Monday.", "ASSAULT", "Israeli jets", "Syria"),
    ("Pakistani forces attacked militants in Afghanistan.", "ASSAULT", "Pakistani forces",
     "Afghanistan"),
    ("Turkish artillery struck Kurdish fighters in Iraq.", "ASSAULT", "Turkish artillery",
     "Iraq"),
    ("India accused Pakistan of sheltering militants.", "ACCUSE", "India", "Pakistan"),
    ("China criticized Japan over its defence budget.", "ACCUSE", "China", "Japan"),
    ("France condemned Iran for the missile test.", "ACCUSE", "France", "Iran"),
    ("Germany blamed Russia for the cyber attack.", "ACCUSE", "Germany", "Russia"),
    ("The Indian prime minister met the Chinese president in Beijing.", "CONSULT",
     "The Indian prime minister", "the Chinese president"),
    ("Egypt held talks with Sudan on the dam.", "CONSULT", "Egypt", "Sudan"),
    ("Japanese officials visited South Korea last week.", "CONSULT", "Japanese officials",
     "South Korea"),
    ("Brazil consulted Argentina about the trade dispute.", "CONSULT", "Brazil", "Argentina"),
    ("The United States sent food aid to Haiti.", "AID", "The United States", "Haiti"),
    ("Britain gave military assistance to Ukraine.", "AID", "Britain", "Ukraine"),
    ("Saudi Arabia provided economic aid to Yemen.", "AID", "Saudi Arabia", "Yemen"),
    ("Canada delivered humanitarian aid to Lebanon.", "AID", "Canada", "Lebanon"),
]  # fmt: skip


def _labels(tmp_path: Path) -> Path:
    path = tmp_path / "mine.jsonl"
    rows = [{"text": t, "plover_type": k, "source": s, "target": o} for t, k, s, o in SENTENCES]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_train_logistic_is_deterministic_and_learns_a_separable_rule() -> None:
    vectors = [((1, 5), (1.0, 1.0)), ((2, 5), (1.0, 1.0))] * 10
    targets = [0, 1] * 10
    weights = [1.0] * 20
    first = fit_logistic(vectors, targets, weights, ("a", "b"), l2=0.1)
    second = fit_logistic(vectors, targets, weights, ("a", "b"), l2=0.1)
    assert np.array_equal(first.weights, second.weights)
    assert list(first.rows) == [1, 2, 5]
    assert first.probabilities(((1,), (1.0,)))[0] > 0.9
    assert first.probabilities(((2,), (1.0,)))[1] > 0.9


def test_train_binary_logistic_gives_one_column_of_log_odds() -> None:
    vectors = [((3,), (1.0,)), ((4,), (1.0,))] * 5
    model = fit_logistic(vectors, [1, 0] * 5, [1.0] * 10, ("right",), l2=0.1)
    assert model.weights.shape == (2, 1)
    assert float(model.probabilities(((3,), (1.0,)))[0]) > 0.8
    assert float(model.probabilities(((4,), (1.0,)))[0]) < 0.2


def test_train_folds_keep_a_sentence_whole() -> None:
    text = "India accused Pakistan of sheltering militants."
    assert fold_of(text, 0, 5) == fold_of(
        "  india ACCUSED pakistan of sheltering militants. ", 0, 5
    )
    assert {fold_of(t, 0, 5) for t, *_ in SENTENCES} <= set(range(5))


@pytest.mark.slow
def test_train_same_seed_same_weights(tmp_path: Path) -> None:
    labels = _labels(tmp_path)
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    train_from_labels(labels, first, seed=3, folds=2)
    train_from_labels(labels, second, seed=3, folds=2)
    assert first.read_bytes() == second.read_bytes()  # `make model` twice: the same file
    with np.load(first) as a, np.load(second) as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name
    scorer = Scorer(load_weights(first))
    assert scorer.weights.types.classes  # the user's weights load like the shipped ones
    assert set(scorer.weights.pair.classes) == {"right"}


def test_train_silver_labels_take_only_drafted_arrests() -> None:
    corpus = Corpus(
        ("a", "b"),
        ((), ()),
        (
            (candidate("173"), candidate("190", lexicon=False), candidate("111")),
            (candidate("173", negated=True), candidate("182")),
        ),
        (None, None),
    )
    first, second = silver_labels(corpus)
    assert [(label.plover_type, label.penta, label.trigger) for label in first] == [
        ("COERCE", 4, (7, 15))
    ]
    assert second == ()
    assert all(label.suite == "silver" and label.weight < 1.0 for label in first)


def _fallback(lemma: str) -> Candidate:
    event = Event(
        "e", "d", 0, "It rained.", Actor("", "---"), None, "---", None, None, None,
        Evidence((3, 10)), rule="fallback",
    )  # fmt: skip
    return Candidate(event, (f"lem={lemma}", f"fblem={lemma}"), ("pair_fallback=1",), False,
                     fallback=True)  # fmt: skip


def test_train_negatives_are_sentences_without_drafts() -> None:
    corpus = Corpus(
        ("a", "b", "c"),
        ((), (), ()),
        ((candidate("173"),), (), ()),
        (_fallback("arrest"), _fallback("rain"), None),
    )
    picked = negatives(corpus)
    assert picked.texts == ("b",)
    assert [label.suite for (label,) in picked.labels] == [NEGATIVE]


def test_train_event_model_learns_from_labelled_and_negative_sentences() -> None:
    other = candidate("190", lexicon=False, source="ROH")
    rows = [
        ("x", "ASSAULT", (candidate("190"), other), None),
        ("y", "ACCUSE", (candidate("111"), other), None),
        ("z", "ASSAULT", (), _fallback("shell")),
        ("w", None, (), _fallback("rain")),
    ]
    rows = rows * 3
    corpus = corpus_of(rows)
    weights = fit_weights(corpus, range(len(rows)))
    shell = weights.event.probabilities(hash_features(_fallback("shell").type_features))
    rain = weights.event.probabilities(hash_features(_fallback("rain").type_features))
    assert float(shell[0]) > 0.5 > float(rain[0])
    without = fit_weights(corpus, [i for i, r in enumerate(rows) if r[1]])
    assert float(without.event.probabilities(hash_features(("lem=shell",)))[0]) < 1e-6


def _event_rows() -> Corpus:
    # "shell" is a positive only in sentences the lexicon drafts for; "march" in one it does not.
    other = candidate("190", lexicon=False, source="ROH")
    rows = [
        ("x", "ASSAULT", (candidate("190"), other), _fallback("shell")),
        ("y", "ACCUSE", (candidate("111"), other), None),
        ("z", "PROTEST", (), _fallback("march")),
        ("w", None, (), _fallback("rain")),
        ("v", None, (), _fallback("shell")),
    ]
    return corpus_of(rows * 3)


def _p_event(model: object, lemma: str) -> float:
    vector = hash_features(_fallback(lemma).type_features)
    return float(model.probabilities(vector)[0])  # type: ignore[attr-defined]


def test_train_event_config_weighs_drafted_positives_and_negatives() -> None:
    corpus = _event_rows()
    every = range(len(corpus.texts))
    plain = fit_event(corpus, every)
    undrafted = fit_event(corpus, every, EventConfig(drafted_weight=0.0))
    # Without the drafted sentences' positives, "shell" is taught by its negatives alone.
    assert _p_event(undrafted, "shell") < _p_event(plain, "shell")
    assert _p_event(undrafted, "march") > 0.5
    heavier = fit_event(corpus, every, EventConfig(negative_weight=3.0))
    assert _p_event(heavier, "rain") < _p_event(plain, "rain")
    looser = fit_event(corpus, every, EventConfig(l2=0.1))
    assert _p_event(looser, "march") > _p_event(plain, "march")


def test_train_fit_event_is_the_event_model_of_fit_weights() -> None:
    corpus = _event_rows()
    every = range(len(corpus.texts))
    alone, whole = fit_event(corpus, every), fit_weights(corpus, every).event
    assert np.array_equal(alone.rows, whole.rows) and np.allclose(alone.weights, whole.weights)


def test_train_missing_eval_folder_is_dw802(tmp_path: Path) -> None:
    with pytest.raises(ScorerError) as caught:
        builtin_labels(tmp_path)
    assert caught.value.code == "DW802"


def test_train_bad_eval_line_is_dw801(tmp_path: Path) -> None:
    folder = tmp_path / "plv_train"
    folder.mkdir()
    (folder / "pairs.jsonl").write_text("{broken\n", encoding="utf-8")
    with pytest.raises(ScorerError) as caught:
        builtin_labels(tmp_path)
    assert caught.value.code == "DW801" and caught.value.line == 1


def test_train_news_half_splits_documents_stably() -> None:
    docs = [f"doc-{i}" for i in range(200)]
    halves = [news_half(d) for d in docs]
    assert halves == [news_half(d) for d in docs]
    assert 60 < halves.count(NEWS_TRAIN) < 140 and set(halves) == {NEWS_TRAIN, NEWS_CHECK}


@pytest.mark.slow
def test_train_news_negatives_come_from_the_training_half_only(tmp_path: Path) -> None:
    folder = tmp_path / "timeml_dates"
    folder.mkdir()
    # Two documents per half; each document's sentences name it, so a stray one shows.
    docs = {}
    for i in range(40):
        name = f"wire-{i}"
        if len([d for d in docs.values() if d == news_half(name)]) < 2:
            docs[name] = news_half(name)
    rows = [
        {"doc": name, "text": f"The ferry company {name} reported higher fares. "
                              f"Pakistani troops shelled Indian posts near {name}."}
        for name in docs
    ]  # fmt: skip
    (folder / "docs.dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    corpus = news_negatives(tmp_path)
    named = {name for name in docs for text in corpus.texts if name in text}
    assert named == {name for name, half in docs.items() if half == NEWS_TRAIN}
    assert all(label.suite == NEGATIVE for (label,) in corpus.labels)
    assert all("shelled" not in text for text in corpus.texts)  # drafted: not a negative
    assert all(f is not None and f.fallback for f in corpus.fallbacks)
    same, docs = news_sentences(tmp_path, NEWS_TRAIN)
    assert same == corpus and len(docs) == len(corpus.texts)
    assert all(doc in text for doc, text in zip(docs, corpus.texts, strict=True))
    check, check_docs = news_sentences(tmp_path, NEWS_CHECK)
    assert {news_half(d) for d in check_docs} == {NEWS_CHECK} and len(check.texts) == 2


def test_train_news_negatives_without_the_suite_are_none(tmp_path: Path) -> None:
    assert news_negatives(tmp_path).texts == ()


def _two_halves(tmp_path: Path, train_text: str, check_text: str) -> None:
    """A timeml_dates folder with one document in each news half."""
    folder = tmp_path / "timeml_dates"
    folder.mkdir()
    names = {news_half(f"wire-{i}"): f"wire-{i}" for i in range(40)}
    rows = [{"doc": names[NEWS_TRAIN], "text": train_text},
            {"doc": names[NEWS_CHECK], "text": check_text}]  # fmt: skip
    (folder / "docs.dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows))


def test_train_statement_silver_labels_plain_statements_of_the_training_half(
    tmp_path: Path,
) -> None:
    plain = "Indian officials said on Tuesday that the harvest was larger than expected."
    _two_halves(
        tmp_path,
        f"{plain} Pakistani troops shelled Indian posts near the border. "
        "The French minister said on Friday that the death toll was still unclear.",
        "The French minister said the budget was balanced.",
    )
    corpus = statement_silver(tmp_path)
    # The act's sentence drafts no statement; the toll may report violence the lexicon
    # missed; the check half's statement is never read.
    assert corpus.texts == (plain,)
    (label,) = corpus.labels[0]
    assert (label.suite, label.penta, label.plover_type) == (SILVER, 0, None)
    assert label.weight == SILVER_WEIGHT
    assert label.trigger == corpus.candidates[0][0].event.evidence.trigger


def test_train_statement_silver_without_the_suite_is_none(tmp_path: Path) -> None:
    assert statement_silver(tmp_path).texts == ()
