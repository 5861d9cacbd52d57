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

__all__ = [
    "FALLBACK_SIGNAL",
    "Binary",
    "Calibrator",
    "LinearModel",
    "Stacked",
    "sigmoid",
    "softmax",
    "softmax_list",
]

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
    dense: npt.NDArray[np.float32] | None = None
    """Weights of the dense block (width x classes); None for a sparse-only model."""

    def scores(
        self, vector: FeatureVector, dense: npt.NDArray[np.float32] | None = None
    ) -> FloatArray:
        """Raw scores (logits) of one feature vector and, when the model has one, its dense block.

        A block of another width (a pipeline without the same tensor) is left out.
        """
        indexes, values = vector
        total = self.bias.astype(np.float64).copy()
        if (part := _dense_part(dense, self.dense)) is not None:
            total += part
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

    def probabilities(
        self, vector: FeatureVector, dense: npt.NDArray[np.float32] | None = None
    ) -> FloatArray:
        """Class probabilities (a softmax; for a binary model, P(right) as one value)."""
        scores = self.scores(vector, dense)
        if len(self.classes) == 1:
            return sigmoid(scores)
        return softmax(scores)

    def to_arrays(self, name: str) -> dict[str, npt.NDArray[np.generic]]:
        arrays: dict[str, npt.NDArray[np.generic]] = {
            f"{name}_classes": np.asarray(self.classes, dtype=np.str_),
            f"{name}_rows": self.rows,
            f"{name}_weights": self.weights,
            f"{name}_bias": self.bias,
        }
        if self.dense is not None:
            arrays[f"{name}_dense"] = self.dense
        return arrays

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
        dense = None
        if f"{name}_dense" in arrays:  # weights written before the dense block have none
            dense = np.asarray(arrays[f"{name}_dense"], dtype=np.float32)
            if dense.ndim != 2 or dense.shape[1] != len(classes):
                raise ValueError(f"{name}: dense weights {dense.shape} do not fit the classes")
        return cls(classes, rows, weights, bias, dense)


def _dense_part(
    block: npt.NDArray[np.float32] | None, weights: npt.NDArray[np.float32] | None
) -> npt.NDArray[np.float32] | None:
    """The dense block's share of the scores (float32: it needs no more), or None when
    the model reads no block or this one is of another width (a pipeline without
    the same tensor): the block is then left out."""
    if weights is None or block is None or len(block) != len(weights):
        return None
    return block @ weights


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
    dense: npt.NDArray[np.float32] | None = None
    """The dense block's weights side by side (zeros for a model without one)."""

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
        return cls(models, positions, weights, bias, tuple(edges), _stacked_dense(models, edges))

    def scores(
        self, vector: FeatureVector, dense: npt.NDArray[np.float32] | None = None
    ) -> tuple[list[float], ...]:
        """Each model's raw scores (logits) of one feature vector and its dense block
        (left out, as ``LinearModel.scores`` does, when its width differs)."""
        rows: list[int] = []
        values: list[float] = []
        find = self.positions.get
        for index, value in zip(*vector, strict=True):
            row = find(index)
            if row is not None:
                rows.append(row)
                values.append(value)
        total = self.bias.copy()
        if (part := _dense_part(dense, self.dense)) is not None:
            total += part
        if rows:
            total += np.asarray(values, dtype=np.float64) @ self.weights[rows].astype(np.float64)
        found, edges = total.tolist(), self.edges
        return tuple(found[edges[k] : edges[k + 1]] for k in range(len(self.models)))


def _stacked_dense(
    models: Sequence[LinearModel], edges: Sequence[int]
) -> npt.NDArray[np.float32] | None:
    """The models' dense weights side by side, or None when no model reads a block."""
    widths = {len(m.dense) for m in models if m.dense is not None}
    if not widths:
        return None
    if len(widths) > 1:
        raise ValueError(f"stacked models read dense blocks of widths {sorted(widths)}")
    dense = np.zeros((widths.pop(), edges[-1]), dtype=np.float32)
    for model, start, end in zip(models, edges, edges[1:], strict=False):
        if model.dense is not None:
            dense[:, start:end] = model.dense
    return dense


@dataclass(frozen=True, slots=True)
class Binary:
    """A one-column model as a dictionary: a dot product in plain Python.

    Its vector is small (a pair's 16 features; the fallback's predicate and
    sentence), and one number comes out: numpy's per-call cost would dominate.
    """

    weights: Mapping[int, float]
    bias: float
    dense: npt.NDArray[np.float32] | None = None
    """The dense block's weights (one column), if the model reads one."""

    @classmethod
    def of(cls, model: LinearModel) -> Binary:
        if len(model.classes) != 1:
            raise ValueError(f"a binary model has one column, not {len(model.classes)}")
        column = model.weights[:, 0].astype(np.float64).tolist()
        dense = None if model.dense is None else np.ascontiguousarray(model.dense[:, 0])
        return cls(dict(zip(model.rows.tolist(), column, strict=True)), float(model.bias[0]), dense)

    def logit(self, vector: FeatureVector, dense: npt.NDArray[np.float32] | None = None) -> float:
        find = self.weights.get
        total = 0.0
        for index, value in zip(*vector, strict=True):
            weight = find(index)
            if weight is not None:
                total += value * weight
        if (part := _dense_part(dense, self.dense)) is not None:
            total += float(part)
        return self.bias + total

    def probability(
        self, vector: FeatureVector, dense: npt.NDArray[np.float32] | None = None
    ) -> float:
        """P(right), as ``LinearModel.probabilities`` gives it."""
        return 1.0 / (1.0 + math.exp(-self.logit(vector, dense)))


FALLBACK_SIGNAL = 5
"""Index of the fallback flag among the calibrator's signals (``Scorer.signals``)."""


@dataclass(frozen=True, slots=True)
class Calibrator:
    """Platt scaling: P(right) = sigmoid(coef · signals + intercept).

    ``fallback``, when given, calibrates the events whose fallback flag
    (``signals[FALLBACK_SIGNAL]``) is set instead: fitted on fallback events
    alone, with the news negatives at their own weight (docs/MODEL_LOG.md, session
    16), since one flag in a fit dominated by drafted events cannot follow them.
    """

    coef: tuple[float, ...]
    intercept: float
    fallback: Calibrator | None = None

    def probability(self, signals: Sequence[float]) -> float:
        if len(signals) != len(self.coef):
            raise ValueError(f"expected {len(self.coef)} signals, got {len(signals)}")
        if self.fallback is not None and signals[FALLBACK_SIGNAL] > 0.5:
            return self.fallback.probability(signals)
        z = float(np.dot(self.coef, signals)) + self.intercept
        return float(sigmoid(z))

    def to_arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "calibration": np.asarray([*self.coef, self.intercept], dtype=np.float64)
        }
        if self.fallback is not None:
            arrays["calibration_fallback"] = self.fallback.to_arrays()["calibration"]
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[np.generic]]) -> Calibrator:
        values = [float(v) for v in np.asarray(arrays["calibration"], dtype=np.float64)]
        fallback = None
        if "calibration_fallback" in arrays:
            fallback = cls.from_arrays({"calibration": arrays["calibration_fallback"]})
            if len(fallback.coef) != len(values) - 1:
                raise ValueError("the fallback calibrator reads other signals")
        return cls(tuple(values[:-1]), values[-1], fallback)
