"""Linear models over hashed features, stored as plain numpy arrays.

Only the feature slots seen in training carry weights: ``rows`` lists those
slots in increasing order and ``weights`` holds one row of class weights per
slot. Inference is a sum of a few dozen rows, a softmax and nothing else, so
it needs numpy alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dyadwatch.coder.scoring.features import FeatureVector

__all__ = ["Calibrator", "LinearModel", "sigmoid", "softmax"]

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
        if self.dense is not None and dense is not None and len(dense) == len(self.dense):
            total += dense @ self.dense  # float32: the block's share needs no more
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
