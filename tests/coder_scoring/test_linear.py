"""The coding-time forms of the linear models give the sums the models give."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dyadwatch.coder.scoring.features import FeatureVector
from dyadwatch.coder.scoring.linear import (
    Binary,
    LinearModel,
    Stacked,
    sigmoid,
    softmax,
    softmax_list,
)


def _model(classes: int, slots: list[int], seed: int) -> LinearModel:
    rng = np.random.default_rng(seed)
    rows = np.asarray(sorted(slots), dtype=np.int64)
    weights = rng.normal(size=(len(rows), classes)).astype(np.float32)
    names = tuple(f"c{i}" for i in range(classes)) if classes > 1 else ("right",)
    return LinearModel(names, rows, weights, rng.normal(size=classes))


# Slots shared by both models, some only in one, and a vector reaching into neither.
TYPES = _model(4, [3, 10, 17, 40, 99], seed=1)
PENTA = _model(2, [10, 17, 41, 500], seed=2)
VECTORS: list[FeatureVector] = [
    ((3, 10, 41, 77, 500), (0.5, 0.5, 1.0, 0.25, 0.7)),
    ((17,), (1.0,)),
    ((1, 2), (1.0, 1.0)),  # no slot any model knows
    ((), ()),
]


@pytest.mark.parametrize("vector", VECTORS)
def test_linear_stacked_scores_equal_each_models_own(vector: FeatureVector) -> None:
    stacked = Stacked.of(TYPES, PENTA)
    types, penta = stacked.scores(vector)
    assert np.allclose(types, TYPES.scores(vector), rtol=0, atol=1e-12)
    assert np.allclose(penta, PENTA.scores(vector), rtol=0, atol=1e-12)
    assert len(types) == 4 and len(penta) == 2


@pytest.mark.parametrize("vector", VECTORS)
def test_linear_binary_probability_equals_the_model(vector: FeatureVector) -> None:
    model = _model(1, [3, 17, 500], seed=3)
    binary = Binary.of(model)
    expected = float(model.probabilities(vector)[0])
    assert math.isclose(binary.probability(vector), expected, rel_tol=0, abs_tol=1e-12)
    assert math.isclose(binary.logit(vector), float(model.scores(vector)[0]), abs_tol=1e-12)


def test_linear_binary_refuses_a_multiclass_model() -> None:
    with pytest.raises(ValueError, match="one column"):
        Binary.of(TYPES)


def test_linear_softmax_list_equals_numpy_softmax() -> None:
    scores = [2.0, -1.5, 0.25, 30.0, 29.5]
    assert np.allclose(softmax_list(scores), softmax(np.asarray(scores)), rtol=0, atol=1e-15)
    assert math.isclose(sum(softmax_list(scores)), 1.0)
    assert float(sigmoid(0.0)) == 0.5
