"""The dense block: the pipeline's own token vectors as scorer features."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from _scoring_support import candidate, corpus_of
from spacy.language import Language

from dyadwatch.coder.scoring.features import DENSE_PARTS, Candidate, DenseReader
from dyadwatch.coder.scoring.linear import LinearModel
from dyadwatch.coder.scoring.model import write_npz
from dyadwatch.coder.scoring.train import DENSE_MODELS, fit_logistic, fit_weights
from dyadwatch.model import Actor, Event, Evidence


def _event(sentence: str, trigger: tuple[int, int], source: tuple[int, int] | None,
           target: tuple[int, int] | None) -> Event:  # fmt: skip
    return Event(
        "e", "d", 0, sentence, Actor("Rohan", "ROH"), None, "190", -10.0, 4, None,
        Evidence(trigger, source, target),
    )  # fmt: skip


def test_dense_reader_block_is_trigger_source_target_and_sentence(nlp: Language) -> None:
    text = "Rohan shelled the town at dawn."
    sentence = next(nlp(text).sents)
    reader = DenseReader(sentence)
    width = sentence.doc.tensor.shape[1]
    assert width > 0  # the tagger's and parser's tok2vec fills doc.tensor
    assert reader.width == width * len(DENSE_PARTS)
    block = reader.block(_event(text, (6, 13), (0, 5), None))
    assert block.shape == (reader.width,) and block.dtype == np.float32
    trigger, source, target, mean = np.split(block, len(DENSE_PARTS))
    # Each part is unit length, an absent target all zeros.
    assert np.isclose(np.linalg.norm(trigger), 1.0) and np.isclose(np.linalg.norm(mean), 1.0)
    assert np.isclose(np.linalg.norm(source), 1.0) and not target.any()
    tensor = np.asarray(sentence.doc.tensor)
    assert np.allclose(trigger, tensor[1] / np.linalg.norm(tensor[1]), atol=1e-6)
    # Another trigger, another block; the sentence mean is shared.
    other = reader.block(_event(text, (18, 22), (0, 5), None))
    assert not np.allclose(other[:width], trigger)
    assert np.allclose(other[-width:], mean)


def test_dense_reader_without_tensor_gives_an_empty_block(nlp: Language) -> None:
    doc = nlp.make_doc("Rohan shelled the town.")
    doc[0].is_sent_start = True
    reader = DenseReader(doc[:])
    assert reader.width == 0
    event = _event(doc.text, (6, 13), (0, 5), None)
    assert len(reader.block(event)) == 0
    candidate = Candidate(event, ("lem=shell",), (), True)
    assert len(reader.attach([candidate])[0].dense) == 0


def test_dense_linear_model_adds_the_block_and_ignores_another_width() -> None:
    model = LinearModel(
        ("a", "b"), np.asarray([7], dtype=np.int64), np.asarray([[1.0, 0.0]], dtype=np.float32),
        np.zeros(2), np.asarray([[0.0, 2.0], [0.0, -2.0]], dtype=np.float32),
    )  # fmt: skip
    vector = ((7,), (1.0,))
    assert np.allclose(model.scores(vector), [1.0, 0.0])
    assert np.allclose(model.scores(vector, np.asarray([1.0, 0.5], dtype=np.float32)), [1.0, 1.0])
    assert np.allclose(model.scores(vector, np.zeros(3, dtype=np.float32)), [1.0, 0.0])


def test_dense_weights_round_trip_through_npz(tmp_path: Path) -> None:
    dense = np.asarray([[0.5], [-0.25]], dtype=np.float32)
    model = LinearModel(("right",), np.asarray([3], dtype=np.int64),
                        np.ones((1, 1), dtype=np.float32), np.zeros(1), dense)  # fmt: skip
    path = tmp_path / "m.npz"
    write_npz(path, model.to_arrays("pair"))
    with np.load(path, allow_pickle=False) as arrays:
        loaded = LinearModel.from_arrays(arrays, "pair")
    assert loaded.dense is not None and np.array_equal(loaded.dense, dense)
    sparse_only = LinearModel(("right",), model.rows, model.weights, model.bias)
    write_npz(path, sparse_only.to_arrays("pair"))
    with np.load(path, allow_pickle=False) as arrays:
        assert LinearModel.from_arrays(arrays, "pair").dense is None


def test_dense_fit_learns_from_the_block_alone() -> None:
    # The hashed features say nothing (one shared slot); the dense block tells the classes apart.
    vectors = [((1,), (1.0,))] * 20
    blocks = [np.asarray([1.0, 0.0] if i % 2 else [0.0, 1.0], dtype=np.float32) for i in range(20)]
    targets = [i % 2 for i in range(20)]
    model = fit_logistic(vectors, targets, [1.0] * 20, ("a", "b"), l2=0.1, dense=blocks)
    again = fit_logistic(vectors, targets, [1.0] * 20, ("a", "b"), l2=0.1, dense=blocks)
    assert model.dense is not None and model.dense.shape == (2, 2)
    assert np.array_equal(model.dense, again.dense)  # deterministic
    assert model.probabilities(vectors[0], blocks[1])[1] > 0.8
    assert model.probabilities(vectors[0], blocks[0])[0] > 0.8
    assert fit_logistic(vectors, targets, [1.0] * 20, ("a", "b"), l2=0.1).dense is None


def _fallback(lemma: str) -> Candidate:
    event = Event(
        "e", "d", 0, "It rained.", Actor("", "---"), None, "---", None, None, None,
        Evidence((3, 10)), rule="fallback",
    )  # fmt: skip
    return Candidate(event, (f"lem={lemma}",), ("pair_fallback=1",), False, fallback=True)


def _with_block(candidate: Candidate, hot: int) -> Candidate:
    block = np.zeros(8, dtype=np.float32)
    block[hot] = 1.0
    return replace(candidate, dense=block)


def test_dense_models_that_read_the_block_are_those_of_dense_models() -> None:
    # Built from the train tests' helpers: drafted candidates and fallbacks, labelled
    # and negative sentences; the block says which label it is.
    other = candidate("190", lexicon=False, source="ROH")
    rows = [
        ("x", "ASSAULT", (_with_block(candidate("190"), 0), _with_block(other, 1)), None),
        ("y", "ACCUSE", (_with_block(candidate("111"), 2), _with_block(other, 1)), None),
        ("z", "ASSAULT", (), _with_block(_fallback("shell"), 3)),
        ("w", None, (), _with_block(_fallback("rain"), 4)),
    ] * 3
    corpus = corpus_of(rows)
    weights = fit_weights(corpus, range(len(rows)))
    read = {
        name: model.dense is not None
        for name, model in (("types", weights.types), ("penta", weights.penta),
                            ("pair", weights.pair), ("event", weights.event))
    }  # fmt: skip
    assert read == {name: name in DENSE_MODELS for name in read}
    assert weights.penta.dense is not None and weights.penta.dense.shape == (8, 5)
