"""Calibration: Platt scaling recovers a known curve; the reliability table and ECE."""

from __future__ import annotations

import numpy as np
import pytest

from dyadwatch.coder.scoring.linear import Calibrator
from dyadwatch.coder.scoring.train import fit_calibrator
from dyadwatch.errors import ScorerError
from dyadwatch.evaluate.crossval import news_rate, reliability


def test_calibration_platt_recovers_a_known_sigmoid() -> None:
    rng = np.random.default_rng(7)
    signals = rng.normal(size=(4000, 2))
    truth = 1 / (1 + np.exp(-(1.5 * signals[:, 0] - 0.5 * signals[:, 1] + 0.25)))
    right = rng.random(4000) < truth
    fitted = fit_calibrator(signals.tolist(), right.tolist())
    assert fitted.coef == pytest.approx((1.5, -0.5), abs=0.15)
    assert fitted.intercept == pytest.approx(0.25, abs=0.15)


def test_calibration_needs_right_and_wrong_events() -> None:
    with pytest.raises(ScorerError) as caught:
        fit_calibrator([[0.1], [0.2]], [True, True])
    assert caught.value.code == "DW802"


def test_calibration_calibrator_checks_its_signal_count() -> None:
    with pytest.raises(ValueError, match="signals"):
        Calibrator((1.0, 2.0), 0.0).probability([1.0])


def test_calibration_reliability_table_and_ece() -> None:
    confidences = [0.05, 0.15, 0.15, 0.95, 0.95, 1.0]
    right = [False, True, False, True, True, False]
    table = reliability(confidences, right)
    assert len(table.bins) == 10
    assert [b.count for b in table.bins] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 3]
    assert table.bins[1].accuracy == pytest.approx(0.5)
    last = table.bins[9]
    assert last.mean_confidence == pytest.approx((0.95 + 0.95 + 1.0) / 3)
    expected = (
        (1 / 6) * 0.05 + (2 / 6) * abs(0.5 - 0.15) + (3 / 6) * abs(2 / 3 - last.mean_confidence)
    )
    assert table.ece == pytest.approx(expected)


def test_calibration_perfect_confidences_have_no_error() -> None:
    table = reliability([0.0, 0.0, 1.0, 1.0], [False, False, True, True])
    assert table.ece == pytest.approx(0.0)


@pytest.mark.slow
def test_calibration_news_rate_counts_sentences_and_fallback_events() -> None:
    texts = [
        "The ferry left the harbour at noon. Gulls followed it out to sea.",
        "Pakistani troops shelled Indian border posts on Sunday.",
    ]
    rate = news_rate(texts)
    assert rate.sentences == 3
    assert rate.without >= 1  # the shelling, drafted by the lexicon
    assert rate.with_fallback == rate.without + rate.fallback
    assert rate.fallback <= 2  # at most one fallback per sentence without a draft
