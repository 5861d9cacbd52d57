"""Small, pure classification and ranking metrics for the benchmark suites.

Conventions follow the usual scorers (scikit-learn's ``zero_division=0``): a
ratio whose denominator is zero is 0.0. ``None`` in a prediction means "no
label"; it never matches a gold label and is not a label of its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "LabelScore",
    "accuracy",
    "average_precision",
    "binary_scores",
    "macro_f1",
    "per_label_scores",
    "prf",
    "prop_read_at_recall",
    "set_scores",
    "spearman",
    "weighted_f1",
]

L = TypeVar("L", bound=Hashable)


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Precision, recall and F1 of one label (or one micro-averaged pool)."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        """How many gold items carry the label."""
        return self.tp + self.fn

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def prf(tp: int, fp: int, fn: int) -> LabelScore:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    return LabelScore(
        precision, recall, _ratio(2 * precision * recall, precision + recall), tp, fp, fn
    )


def _check_lengths(gold: Sequence[object], pred: Sequence[object]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold items but {len(pred)} predictions")


def accuracy(gold: Sequence[L], pred: Sequence[L | None]) -> float:
    """Share of items whose prediction equals the gold label."""
    _check_lengths(gold, pred)
    return _ratio(sum(g == p for g, p in zip(gold, pred, strict=True)), len(gold))


def per_label_scores(
    gold: Sequence[L], pred: Sequence[L | None], labels: Iterable[L] | None = None
) -> dict[L, LabelScore]:
    """One-vs-rest P/R/F1 per label, single-label items.

    ``labels`` defaults to every label seen in gold or predictions.
    """
    _check_lengths(gold, pred)
    tp: Counter[L] = Counter()
    fp: Counter[L] = Counter()
    fn: Counter[L] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
            continue
        fn[g] += 1
        if p is not None:
            fp[p] += 1
    if labels is None:
        labels = set(gold) | {p for p in pred if p is not None}
    return {label: prf(tp[label], fp[label], fn[label]) for label in labels}


def macro_f1(
    gold: Sequence[L], pred: Sequence[L | None], labels: Iterable[L] | None = None
) -> float:
    """Unweighted mean of per-label F1 over ``labels`` (default: seen in gold or pred)."""
    scores = per_label_scores(gold, pred, labels)
    return _ratio(sum(s.f1 for s in scores.values()), len(scores))


def weighted_f1(
    gold: Sequence[L], pred: Sequence[L | None], labels: Iterable[L] | None = None
) -> float:
    """Mean of per-label F1 weighted by gold support (labels absent from gold weigh 0)."""
    scores = per_label_scores(gold, pred, labels)
    total = sum(s.support for s in scores.values())
    return _ratio(sum(s.f1 * s.support for s in scores.values()), total)


def binary_scores(gold: Sequence[bool], pred: Sequence[bool]) -> LabelScore:
    """P/R/F1 of the positive class of a yes/no question."""
    _check_lengths(gold, pred)
    pairs = list(zip(gold, pred, strict=True))
    return prf(
        sum(g and p for g, p in pairs),
        sum(p and not g for g, p in pairs),
        sum(g and not p for g, p in pairs),
    )


def set_scores(gold: Sequence[Collection[L]], pred: Sequence[Collection[L]]) -> LabelScore:
    """Micro P/R/F1 of predicted sets against gold sets, summed over items."""
    _check_lengths(gold, pred)
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return prf(tp, fp, fn)


def _ranking(scores: Sequence[float]) -> list[int]:
    """Indices by descending score; ties keep input order (a stable, documented choice)."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])


def average_precision(scores: Sequence[float], gold: Sequence[bool]) -> float:
    """Mean of precision at each relevant item's rank (0.0 without relevant items)."""
    _check_lengths(gold, scores)
    hits = 0
    total = 0.0
    for rank, i in enumerate(_ranking(scores), start=1):
        if gold[i]:
            hits += 1
            total += hits / rank
    return _ratio(total, hits)


def prop_read_at_recall(
    scores: Sequence[float], gold: Sequence[bool], recall: float = 0.95
) -> float:
    """Share of the ranked corpus one must read to find ``recall`` of the relevant items."""
    _check_lengths(gold, scores)
    relevant = sum(gold)
    if not relevant:
        return 0.0
    needed = recall * relevant
    hits = 0
    for rank, i in enumerate(_ranking(scores), start=1):
        hits += gold[i]
        if hits >= needed - 1e-9:
            return rank / len(scores)
    return 1.0  # unreachable: all relevant items are found by the last rank


def _average_ranks(values: Sequence[float]) -> list[float]:
    positions: defaultdict[float, list[int]] = defaultdict(list)
    for rank, i in enumerate(sorted(range(len(values)), key=lambda i: values[i]), start=1):
        positions[values[i]].append(rank)
    return [sum(positions[v]) / len(positions[v]) for v in values]


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho with average ranks for ties (0.0 when either side is constant)."""
    _check_lengths(x, y)
    rx, ry = _average_ranks(x), _average_ranks(y)
    n = len(rx)
    if n < 2:
        return 0.0
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return _ratio(cov, (vx * vy) ** 0.5)
