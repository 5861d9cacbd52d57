"""Linear models over hashed features, stored as plain numpy arrays.

Only the feature slots seen in training carry weights: ``rows`` lists those
slots in increasing order and ``weights`` holds one row of class weights per
slot. Inference is a sum of a few dozen rows, a softmax and nothing else, so
it needs numpy alone.

At coding time a candidate has a few dozen features, so numpy's cost per call
outweighs the arithmetic (docs/MODEL.md, "Speed"): :class:`Stacked` scores the
models that read the same vector with one dictionary look-up per feature, one
gather and one product, and :class:`Binary` scores a one-column model in plain
Python. Both give the sums :meth:`LinearModel.scores` gives.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dyadwatch.coder.scoring.features import FeatureVector

__all__ = ["Binary", "Calibrator", "LinearModel", "Stacked", "sigmoid", "softmax", "softmax_list"]

FloatArray = npt.NDArray[np.float64]


def softmax(scores: FloatArray) -> FloatArray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def sigmoid(x: FloatArray | float) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A (multinomial or binary) logistic regression over hashed features.

    ``classes`` name the columns; a binary model has one column, the log-odds
    of its single class ("right").
    """

    classes: tuple[str, ...]
    rows: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float32]
    bias: FloatArray

    def scores(self, vector: FeatureVector) -> FloatArray:
        """Raw scores (logits) of one feature vector."""
        indexes, values = vector
        total = self.bias.astype(np.float64).copy()
        if not indexes or not len(self.rows):
            return total
        keys = np.asarray(indexes, dtype=np.int64)
        found = np.searchsorted(self.rows, keys)
        found = np.minimum(found, len(self.rows) - 1)
        known = self.rows[found] == keys
        if known.any():
            picked = self.weights[found[known]].astype(np.float64)
            total += np.asarray(values, dtype=np.float64)[known] @ picked
        return total

    def probabilities(self, vector: FeatureVector) -> FloatArray:
        """Class probabilities (a softmax; for a binary model, P(right) as one value)."""
        scores = self.scores(vector)
        if len(self.classes) == 1:
            return sigmoid(scores)
        return softmax(scores)

    def to_arrays(self, name: str) -> dict[str, npt.NDArray[np.generic]]:
        return {
            f"{name}_classes": np.asarray(self.classes, dtype=np.str_),
            f"{name}_rows": self.rows,
            f"{name}_weights": self.weights,
            f"{name}_bias": self.bias,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[np.generic]], name: str) -> LinearModel:
        rows = np.asarray(arrays[f"{name}_rows"], dtype=np.int64)
        weights = np.asarray(arrays[f"{name}_weights"], dtype=np.float32)
        bias = np.asarray(arrays[f"{name}_bias"], dtype=np.float64)
        classes = tuple(str(c) for c in arrays[f"{name}_classes"])
        if weights.shape != (len(rows), len(classes)) or bias.shape != (len(classes),):
            raise ValueError(f"{name}: weights {weights.shape} do not fit {len(classes)} classes")
        if len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):
            raise ValueError(f"{name}: feature rows are not in increasing order")
        return cls(classes, rows, weights, bias)


def softmax_list(scores: Sequence[float]) -> list[float]:
    """:func:`softmax` of a few scores in plain Python (no numpy call to pay for)."""
    top = max(scores)
    shifted = [math.exp(s - top) for s in scores]
    total = sum(shifted)
    return [e / total for e in shifted]


@dataclass(frozen=True, slots=True)
class Stacked:
    """Linear models that read the same feature vector, scored together.

    Their slots share one index (slot → row) and their weights sit side by
    side, a model's unseen slot weighing 0: a candidate costs one look-up a
    feature, one gather and one product, instead of a search, a gather and a
    product for each model.
    """

    models: tuple[LinearModel, ...]
    positions: Mapping[int, int]
    """Feature slot → row of ``weights``."""
    weights: npt.NDArray[np.float32]
    bias: FloatArray
    edges: tuple[int, ...]
    """Model ``k`` owns columns ``edges[k]:edges[k + 1]``."""

    @classmethod
    def of(cls, *models: LinearModel) -> Stacked:
        slots = np.unique(np.concatenate([m.rows for m in models]))
        edges = [0]
        for model in models:
            edges.append(edges[-1] + len(model.classes))
        weights = np.zeros((len(slots), edges[-1]), dtype=np.float32)
        for model, start, end in zip(models, edges, edges[1:], strict=False):
            weights[np.searchsorted(slots, model.rows), start:end] = model.weights
        bias = np.concatenate([m.bias for m in models]).astype(np.float64)
        positions = dict(zip(slots.tolist(), range(len(slots)), strict=True))
        return cls(models, positions, weights, bias, tuple(edges))

    def scores(self, vector: FeatureVector) -> tuple[list[float], ...]:
        """Each model's raw scores (logits) of one feature vector."""
        rows: list[int] = []
        values: list[float] = []
        find = self.positions.get
        for index, value in zip(*vector, strict=True):
            row = find(index)
            if row is not None:
                rows.append(row)
                values.append(value)
        total = self.bias.copy()
        if rows:
            total += np.asarray(values, dtype=np.float64) @ self.weights[rows].astype(np.float64)
        found, edges = total.tolist(), self.edges
        return tuple(found[edges[k] : edges[k + 1]] for k in range(len(self.models)))


@dataclass(frozen=True, slots=True)
class Binary:
    """A one-column model as a dictionary: a dot product in plain Python.

    Its vector is small (a pair's 16 features; the fallback's predicate and
    sentence), and one number comes out: numpy's per-call cost would dominate.
    """

    weights: Mapping[int, float]
    bias: float

    @classmethod
    def of(cls, model: LinearModel) -> Binary:
        if len(model.classes) != 1:
            raise ValueError(f"a binary model has one column, not {len(model.classes)}")
        column = model.weights[:, 0].astype(np.float64).tolist()
        return cls(dict(zip(model.rows.tolist(), column, strict=True)), float(model.bias[0]))

    def logit(self, vector: FeatureVector) -> float:
        find = self.weights.get
        total = 0.0
        for index, value in zip(*vector, strict=True):
            weight = find(index)
            if weight is not None:
                total += value * weight
        return self.bias + total

    def probability(self, vector: FeatureVector) -> float:
        """P(right), as ``LinearModel.probabilities`` gives it."""
        return 1.0 / (1.0 + math.exp(-self.logit(vector)))


@dataclass(frozen=True, slots=True)
class Calibrator:
    """Platt scaling: P(right) = sigmoid(coef · signals + intercept)."""

    coef: tuple[float, ...]
    intercept: float

    def probability(self, signals: Sequence[float]) -> float:
        if len(signals) != len(self.coef):
            raise ValueError(f"expected {len(self.coef)} signals, got {len(signals)}")
        z = float(np.dot(self.coef, signals)) + self.intercept
        return float(sigmoid(z))

    def to_arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        return {"calibration": np.asarray([*self.coef, self.intercept], dtype=np.float64)}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[np.generic]]) -> Calibrator:
        values = [float(v) for v in np.asarray(arrays["calibration"], dtype=np.float64)]
        return cls(tuple(values[:-1]), values[-1])
