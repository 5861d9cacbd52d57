"""The fallback events' own calibrator (docs/MODEL_LOG.md, session 16): dispatch on the
fallback flag, storage, weighted fitting and which events it is fitted on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _scoring_support import candidate

from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.linear import FALLBACK_SIGNAL, Calibrator
from dyadwatch.coder.scoring.model import SIGNALS, Scored, load_weights
from dyadwatch.coder.scoring.train import (
    EVENT_CONFIG,
    FALLBACK_CALIBRATION,
    NEGATIVE,
    Corpus,
    FallbackCalibration,
    _calibrate,
    fallback_calibration_data,
    fit_calibrator,
)
from dyadwatch.model import Actor, Event, Evidence


def _signals(p_event: float, fallback: bool, p_type: float = 0.5) -> tuple[float, ...]:
    values = [math.log(p_type), math.log(0.5), math.log(0.6), 0.0, math.log(p_event), 0.0]
    values[FALLBACK_SIGNAL] = 1.0 if fallback else 0.0
    return tuple(values)


def test_calibration_fallback_flag_picks_the_fallback_calibrator() -> None:
    zeros = (0.0,) * SIGNALS
    shared = Calibrator(zeros, 2.0, fallback=Calibrator(zeros, -2.0))
    drafted, fallen = _signals(0.9, False), _signals(0.9, True)
    assert shared.probability(drafted) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert shared.probability(fallen) == pytest.approx(1 / (1 + math.exp(2.0)))
    # Without its own calibrator a fallback event reads the shared one, as before.
    assert Calibrator(zeros, 2.0).probability(fallen) == shared.probability(drafted)


def test_calibration_fallback_calibrator_survives_storage() -> None:
    inner = Calibrator(tuple(float(i) / 10 for i in range(SIGNALS)), -0.7)
    stored = Calibrator((0.5,) * SIGNALS, 0.3, fallback=inner).to_arrays()
    assert set(stored) == {"calibration", "calibration_fallback"}
    back = Calibrator.from_arrays(stored)
    assert back.fallback == inner and back.coef == (0.5,) * SIGNALS
    assert "calibration_fallback" not in Calibrator((0.5,) * SIGNALS, 0.3).to_arrays()
    stored["calibration_fallback"] = np.asarray([1.0, 2.0])
    with pytest.raises(ValueError, match="other signals"):
        Calibrator.from_arrays(stored)


def test_calibration_weights_count_as_repeated_rows() -> None:
    signals = [[0.0], [1.0], [2.0], [0.5], [1.5]]
    right = [False, True, True, False, False]
    weighted = fit_calibrator(signals, right, [1.0, 1.0, 1.0, 3.0, 2.0])
    repeated = fit_calibrator([*signals, [0.5], [0.5], [1.5]], [*right, False, False, False])
    assert weighted.coef == pytest.approx(repeated.coef, abs=1e-6)
    assert weighted.intercept == pytest.approx(repeated.intercept, abs=1e-6)


def _fallback_candidate() -> Candidate:
    # "Police marched to the square." read by its predicate: our own sentence.
    event = Event(
        "e", "d", 0, "Police marched to the square.", Actor("Police", "COP"), None, "190",
        None, None, None, Evidence((7, 14)), rule="fallback",
    )  # fmt: skip
    return Candidate(event, ("lem=march",), ("pair_fallback=1",), False, fallback=True)


def _scored(item: Candidate, signals: tuple[float, ...]) -> Scored:
    p_event = math.exp(signals[4])
    return Scored(item, "190", 0.5, 0.5, 0.6, None, None, signals, 0.5, p_event)


def _corpus() -> tuple[Corpus, list[tuple[Scored, ...]]]:
    """Fallback events (some right, some on news negatives, one with a penta-only
    label) and drafted events, all kept by selection."""
    rows: list[tuple[Label, tuple[Scored, ...]]] = []
    for i in range(6):
        # A labelled fallback sentence: right when P(type) is high.
        p_type = 0.8 if i % 2 == 0 else 0.2
        kind = "ASSAULT" if i % 2 == 0 else "PROTEST"
        lab = Label(f"f{i}", "plv", plover_type=kind, source_codes=frozenset({"COP"}))
        rows.append((lab, (_scored(_fallback_candidate(), _signals(0.8, True, p_type)),)))
    for i in range(6):
        rows.append((Label(f"n{i}", NEGATIVE),
                     (_scored(_fallback_candidate(), _signals(0.7, True)),)))  # fmt: skip
    rows.append((Label("p0", "penta", penta=4),
                 (_scored(_fallback_candidate(), _signals(0.8, True)),)))  # fmt: skip
    for i in range(8):
        kind = "ASSAULT" if i % 3 else "PROTEST"
        lab = Label(f"d{i}", "plv", plover_type=kind, source_codes=frozenset({"COP"}))
        rows.append((lab, (_scored(candidate("190"), _signals(1.0, False, 0.3 + i / 20)),)))
    corpus = Corpus(
        tuple(lab.text for lab, _ in rows),
        tuple((lab,) for lab, _ in rows),
        tuple(() for _ in rows),
        tuple(None for _ in rows),
    )
    return corpus, [s for _, s in rows]


def test_calibration_fallback_data_holds_fallback_events_alone() -> None:
    corpus, scored = _corpus()
    every = range(len(corpus.texts))
    heavier = FallbackCalibration(negative_weight=3.0)
    signals, right, weights = fallback_calibration_data(corpus, scored, every, heavier)
    assert len(signals) == 13  # 6 labelled, 6 negatives, the penta-only one; no drafted event
    assert all(s[FALLBACK_SIGNAL] == 1.0 for s in signals)
    assert sum(right) == 4  # three right types and the penta class of 190 (4)
    assert sorted(weights) == [1.0] * 7 + [3.0] * 6
    strict = fallback_calibration_data(corpus, scored, every, FallbackCalibration(strict=True))
    assert len(strict[0]) == 12 and sum(strict[1]) == 3  # the penta-only label left out


def test_calibration_negatives_weight_lowers_fallback_confidence_only() -> None:
    corpus, scored = _corpus()
    every = range(len(corpus.texts))
    light = _calibrate(corpus, scored, every, FallbackCalibration(negative_weight=1.0))
    heavy = _calibrate(corpus, scored, every, FallbackCalibration(negative_weight=4.0))
    off = _calibrate(corpus, scored, every, FallbackCalibration(on=False))
    assert off.fallback is None and light.fallback is not None
    drafted = _signals(1.0, False, 0.6)
    assert light.probability(drafted) == off.probability(drafted) == heavy.probability(drafted)
    fallen = _signals(0.8, True, 0.8)
    assert heavy.probability(fallen) < light.probability(fallen)
    # Its own fit follows the fallback events: about 4 of 13 right (heavier negatives: fewer).
    rows = fallback_calibration_data(corpus, scored, every, FallbackCalibration())[0]
    assert np.mean([light.probability(s) for s in rows]) == pytest.approx(4 / 13, abs=0.02)


def test_calibration_shipped_setting_is_strict_with_the_event_models_weight() -> None:
    assert FALLBACK_CALIBRATION.on and FALLBACK_CALIBRATION.strict
    assert FALLBACK_CALIBRATION.negative_weight == EVENT_CONFIG.negative_weight


def test_calibration_shipped_weights_calibrate_fallback_events_apart() -> None:
    calibrator = load_weights().calibrator
    assert calibrator.fallback is not None
    signals = (*_signals(0.8, True, 0.6), math.log(0.7))  # with the second stage's signal
    shared = Calibrator(calibrator.coef, calibrator.intercept)
    # Fitted on fallback events alone, news negatives among them: lower than the shared fit.
    assert calibrator.probability(signals) < shared.probability(signals)
    drafted = (*_signals(1.0, False, 0.6), math.log(0.7))
    assert calibrator.probability(drafted) == shared.probability(drafted)


def test_calibration_few_fallback_events_keep_the_shared_calibrator() -> None:
    corpus, scored = _corpus()
    few = [i for i, label in enumerate(corpus.labels) if label[0].text[0] in "fd"][:9]
    fitted = _calibrate(corpus, scored, [*few, 6], FallbackCalibration())
    assert fitted.fallback is None  # 6 labelled fallback events and one negative: too few
    assert _calibrate(corpus, scored, range(len(corpus.texts))).fallback is not None
