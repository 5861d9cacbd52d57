"""The dyad index's shrinkage estimate, its interval, and the departure test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import dyad_series
from dyadwatch.analytics.uncertainty import (
    _carried,
    _carried_loop,
    _carried_values,
    departures,
    fit_history,
    running_sums,
    share_windows,
)


def _frame(mix: list[tuple[int, int]]) -> pd.DataFrame:
    coop = np.array([c for c, _ in mix])
    conflict = np.array([k for _, k in mix])
    return pd.DataFrame(
        {
            "verbal_coop": coop, "material_coop": 0, "verbal_conflict": conflict,
            "material_conflict": 0, "goldstein_n": coop + conflict,
            "goldstein_sum": 0.0, "goldstein_sq": 0.0,
        }
    )  # fmt: skip


def _series(mix: list[tuple[int, int]]) -> pd.DataFrame:
    events = []
    for i, (coop, conflict) in enumerate(mix):
        events += [event("USA", "PAK", month(2016, i, 1 + 2 * k), COOP) for k in range(coop)]
        events += [
            event("USA", "PAK", month(2016, i, 2 + 2 * k), CONFLICT) for k in range(conflict)
        ]
    return dyad_series(store_with(events), "USA", "PAK")


def test_uncertainty_thin_periods_get_wide_intervals_and_are_shrunk() -> None:
    series = _series([(10, 10)] * 6 + [(0, 2)] + [(10, 10)] * 5 + [(0, 12)])
    thin, busy = series.iloc[6], series.iloc[12]
    assert thin["net_coop"] == -1.0 and busy["net_coop"] == -1.0
    thin_width = thin["net_coop_high"] - thin["net_coop_low"]
    busy_width = busy["net_coop_high"] - busy["net_coop_low"]
    assert thin_width > busy_width
    assert thin["net_coop_high"] > 0.0 > busy["net_coop_high"], (
        "two events do not rule out the past"
    )
    assert thin["net_coop_est"] > busy["net_coop_est"], "two events move the estimate less"
    assert (series["net_coop_low"] <= series["net_coop_est"]).all()
    assert (series["net_coop_est"] <= series["net_coop_high"]).all()


def test_uncertainty_empty_periods_carry_a_widening_interval() -> None:
    series = _series([(8, 2)] * 4 + [(0, 0)] * 3 + [(8, 2)])
    assert series["net_coop"].iloc[4:7].isna().all(), "the raw index stays undefined"
    widths = (series["net_coop_high"] - series["net_coop_low"]).to_numpy()
    assert not np.isnan(widths[4:7]).any(), "no gap in the band"
    assert widths[3] < widths[4] < widths[5] < widths[6]
    assert widths[7] < widths[6], "a scored period narrows it again"


def test_uncertainty_goldstein_interval_brackets_its_estimate() -> None:
    series = _series([(3, 1)] * 5)
    assert (series["goldstein_mean_low"] < series["goldstein_mean_est"]).all()
    assert (series["goldstein_mean_est"] < series["goldstein_mean_high"]).all()
    assert series["goldstein_mean_low"].min() >= -10.0


def test_uncertainty_history_separates_binomial_noise_from_real_variation() -> None:
    rng = np.random.default_rng(5)
    n = np.full(200, 40.0)
    steady = rng.binomial(40, 0.6, 200) / 40
    varying = rng.binomial(40, np.clip(rng.normal(0.6, 0.15, 200), 0, 1)) / 40
    assert fit_history(steady, n, "net_coop", 0.0).between < 0.002
    assert fit_history(varying, n, "net_coop", 0.0).between == pytest.approx(0.0225, rel=0.35)


def test_uncertainty_departures_find_a_planted_drop_and_not_the_noise() -> None:
    rng = np.random.default_rng(9)
    volume = rng.poisson(80, 60)
    share = np.full(60, 0.7)
    share[40:42] = 0.4
    coop = rng.binomial(volume, share)
    found = departures(_frame(list(zip(coop, volume - coop, strict=True))), "net_coop")
    assert [(d.end, d.z < 0) for d in found] in ([(40, True)], [(41, True)])
    quiet = rng.binomial(volume, 0.7)
    assert departures(_frame(list(zip(quiet, volume - quiet, strict=True))), "net_coop") == []


def test_uncertainty_short_history_says_nothing() -> None:
    frame = _frame([(10, 0)] * 5 + [(0, 10)])
    assert departures(frame, "net_coop", min_history=6) == []
    assert [d.end for d in departures(frame, "net_coop", min_history=5)] == [5]


def test_uncertainty_running_sums_give_any_span_by_subtraction() -> None:
    x = np.array([2.0, 0.0, 3.5, 1.0])
    sums = running_sums(x)
    assert list(sums) == [0.0, 2.0, 2.0, 5.5, 6.5]
    assert sums[4] - sums[1] == pytest.approx(x[1:4].sum())


def test_uncertainty_share_windows_run_to_the_end_unless_told() -> None:
    # Without ``stops`` every window's series runs to the end of the run.
    rng = np.random.default_rng(3)
    n = rng.integers(1, 30, size=40).astype(float)
    coop = np.floor(n * rng.uniform(0.2, 0.9, size=40))
    ends = np.arange(14, 40)
    starts, firsts = ends, np.zeros_like(ends)
    ok, found = share_windows(coop, n, firsts, starts, ends)
    told_ok, told = share_windows(coop, n, firsts, starts, ends, stops=np.full_like(ends, 40))
    assert ok.any() and (ok == told_ok).all()
    assert np.array_equal(found.z, told.z) and np.array_equal(found.spread, told.spread)
    _, shorter = share_windows(coop, n, firsts, starts, ends, stops=ends + 1)
    assert not np.array_equal(found.spread, shorter.spread)  # the stop is read


def test_uncertainty_beta_ppf_equals_scipy_stats() -> None:
    from scipy.stats import beta, norm

    from dyadwatch.analytics.uncertainty import _beta_ppf

    rng = np.random.default_rng(20)
    a = np.concatenate([rng.gamma(1.5, 20.0, 20_000), [0.0, -1.0, np.nan, 3.0, 1e-9]])
    b = np.concatenate([rng.gamma(1.5, 20.0, 20_000), [2.0, 2.0, 2.0, 0.0, 1e-9]])
    for q in (0.05, 0.95, 0.5, 0.001):
        expected = beta.ppf(q, a, b)
        assert np.isnan(expected[-5:-1]).all()  # the invalid shapes: NaN both ways
        np.testing.assert_array_equal(_beta_ppf(q, a, b), expected)
    from scipy.special import ndtri

    assert [ndtri(q) for q in (0.05, 0.95)] == [norm.ppf(q) for q in (0.05, 0.95)]


def test_uncertainty_tail_sums_bound_scipys_tail_from_below() -> None:
    from scipy.stats import betabinom

    from dyadwatch.analytics.uncertainty import (
        _BOUND_TERMS,
        _TAIL_FLOOR,
        _TAIL_SLACK,
        _tail_sums,
        _Tails,
    )

    rng = np.random.default_rng(20)
    events = rng.integers(1, 3000, 400).astype(float)
    mean = rng.uniform(0.02, 0.98, 400)
    # Counts about the mean (ordinary windows) and anywhere (far tails).
    near = np.clip(mean + rng.normal(0, 0.05, 400), 0, 1)
    count = np.floor(events * np.where(np.arange(400) % 2, near, rng.uniform(0, 1, 400)))
    drift = mean * (1 - mean) / rng.uniform(2, 5000, 400)
    tails = _Tails.of(count, events, mean, drift)
    found = _tail_sums(tails)
    low = tails.low
    exact = np.where(
        low,
        betabinom.cdf(tails.count, tails.events, tails.a, tails.b),
        betabinom.sf(tails.count - 1, tails.events, tails.a, tails.b),
    )
    assert low.any() and (~low).any()
    scored = exact > 1e-6
    assert scored.sum() > 150
    error = np.abs(found[scored] - exact[scored]) / exact[scored]
    assert error.max() < 1e-5  # every term summed: the tail itself
    # The bound the lows rely on: scipy's tail is never below the sum of the terms
    # next to the count, less the margins (an upper tail scipy rounds to nothing is
    # a deviate past any threshold), and that sum is most of an ordinary tail.
    some = _tail_sums(tails, _BOUND_TERMS)
    floor = _TAIL_FLOOR * np.maximum(tails.events, 1e4)
    assert (exact >= some * (1 - _TAIL_SLACK) - floor).all()
    assert (some <= found * (1 + 1e-9)).all()
    assert (some[scored] > 0.1 * exact[scored]).mean() > 0.5


def test_uncertainty_departures_equal_the_exact_test_of_every_window() -> None:
    """Only windows that may pass the threshold get scipy's exact tail: the
    departures equal those of the exact test of every window, then thresholded."""
    from dyadwatch.analytics import uncertainty

    rng = np.random.default_rng(13)
    found = 0
    for trial in range(30):
        months = 60 + trial * 3
        n = rng.integers(5, 400 if trial % 2 else 30, months)
        share = np.clip(0.6 + rng.normal(0, 0.08, months), 0.01, 0.99)
        share[rng.integers(12, months, 3)] = rng.uniform(0.0, 1.0, 3)
        coop = rng.binomial(n, share)
        frame = _frame([(int(c), int(k - c)) for c, k in zip(coop, n, strict=True)])
        for z in (2.0, 3.0, 4.0):
            fast = departures(frame, "net_coop", z=z, widths=(1, 2, 3))
            sums = uncertainty._sums_of(frame, "net_coop")
            every = []
            for width in (1, 2, 3):
                every += uncertainty._windows(
                    sums, width, "net_coop", None, 12, 1, uncertainty.NET_COOP_CALIBRATION
                )
            kept: dict[int, uncertainty.Departure] = {}
            for d in every:
                if abs(d.z) >= z and (d.end not in kept or abs(d.z) > abs(kept[d.end].z)):
                    kept[d.end] = d
            assert fast == uncertainty._merged([kept[end] for end in sorted(kept)])
            found += len(fast)
    assert found > 20  # departures were found, not only empty lists


def test_uncertainty_carried_evidence_equals_the_period_loop() -> None:
    """The vectorised carry (one ``ldexp`` per run of empty periods) equals halving
    period by period, bit for bit, with gaps up to the loop's own fallback and
    beyond it, fractional counts and series that start empty."""
    rng = np.random.default_rng(5)
    for size, empty in ((1, 0.0), (8, 1.0), (60, 0.5), (400, 0.9), (3000, 0.999)):
        for _ in range(20):
            n = rng.integers(1, 2**40, size).astype(float) * rng.choice((1.0, 0.37), size)
            n[rng.random(size) < empty] = 0.0
            values = rng.random(size)
            assert np.array_equal(_carried(n), _carried_loop(n))
            expected = values.copy()
            for i in range(1, size):
                if n[i] == 0:
                    expected[i] = expected[i - 1]
            assert np.array_equal(_carried_values(values, n), expected)
    long_gap = np.array([3.0] + [0.0] * 1200 + [5.0])  # past the exact halvings: the loop
    assert np.array_equal(_carried(long_gap), _carried_loop(long_gap))
