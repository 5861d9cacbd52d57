"""Metric helpers against hand-computed answers."""

from __future__ import annotations

import pytest

from dyadwatch.evaluate import metrics

GOLD = ["a", "a", "a", "b", "b", "c"]
PRED = ["a", "a", "b", "b", None, "a"]
# a: tp 2, fp 1 (c->a), fn 1 (a->b)  -> P 2/3 R 2/3 F1 2/3, support 3
# b: tp 1, fp 1 (a->b), fn 1 (b->None) -> P 1/2 R 1/2 F1 1/2, support 2
# c: tp 0, fp 0, fn 1                 -> F1 0, support 1


def test_metrics_accuracy_counts_none_as_wrong() -> None:
    assert metrics.accuracy(GOLD, PRED) == pytest.approx(3 / 6)
    assert metrics.accuracy([], []) == 0.0


def test_metrics_per_label_scores_hand_computed() -> None:
    scores = metrics.per_label_scores(GOLD, PRED)
    assert set(scores) == {"a", "b", "c"}
    assert (scores["a"].tp, scores["a"].fp, scores["a"].fn) == (2, 1, 1)
    assert scores["a"].f1 == pytest.approx(2 / 3)
    assert scores["b"].precision == pytest.approx(0.5)
    assert scores["c"].f1 == 0.0
    assert scores["c"].support == 1


def test_metrics_macro_and_weighted_f1_hand_computed() -> None:
    assert metrics.macro_f1(GOLD, PRED) == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert metrics.weighted_f1(GOLD, PRED) == pytest.approx((3 * 2 / 3 + 2 * 1 / 2) / 6)


def test_metrics_fixed_label_set_includes_unseen_labels_in_macro_only() -> None:
    labels = ["a", "b", "c", "d"]
    assert metrics.macro_f1(GOLD, PRED, labels) == pytest.approx((2 / 3 + 1 / 2) / 4)
    assert metrics.weighted_f1(GOLD, PRED, labels) == pytest.approx(metrics.weighted_f1(GOLD, PRED))


def test_metrics_length_mismatch_is_refused() -> None:
    with pytest.raises(ValueError, match="2 gold items but 1"):
        metrics.accuracy(["a", "b"], ["a"])


def test_metrics_prf_zero_division_gives_zero() -> None:
    assert metrics.prf(0, 0, 0).to_dict() == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0
    }  # fmt: skip


def test_metrics_binary_scores_hand_computed() -> None:
    s = metrics.binary_scores([True, True, False, False], [True, False, True, False])
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert s.f1 == pytest.approx(0.5)


def test_metrics_set_scores_micro_over_items() -> None:
    s = metrics.set_scores([{"USA", "JOR"}, set(), {"ISR"}], [{"USA"}, {"GBR"}, {"ISR"}])
    assert (s.tp, s.fp, s.fn) == (2, 1, 1)
    assert s.precision == pytest.approx(2 / 3)


def test_metrics_average_precision_hand_computed() -> None:
    # ranking: d0 (rel), d2 (non), d1 (rel) -> (1/1 + 2/3) / 2
    assert metrics.average_precision([3.0, 1.0, 2.0], [True, True, False]) == pytest.approx(
        (1 + 2 / 3) / 2
    )
    assert metrics.average_precision([1.0, 0.0], [False, False]) == 0.0


def test_metrics_prop_read_at_recall_hand_computed() -> None:
    gold = [False, True, False, True]
    assert metrics.prop_read_at_recall([0.0, 5.0, 1.0, 4.0], gold) == pytest.approx(0.5)
    # ties keep file order: all scores 0 -> read up to the last relevant item
    assert metrics.prop_read_at_recall([0.0] * 4, gold) == pytest.approx(1.0)
    assert metrics.prop_read_at_recall([0.0], [False]) == 0.0


def test_metrics_spearman_hand_computed() -> None:
    assert metrics.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert metrics.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ranks x (1,2,3), y with a tie (1.5,1.5,3): rho = 1.5 / sqrt(2 * 1.5)
    assert metrics.spearman([1, 2, 3], [5, 5, 9]) == pytest.approx(1.5 / (2 * 1.5) ** 0.5)
    assert metrics.spearman([1, 1, 1], [1, 2, 3]) == 0.0
