"""The dyad index's shrinkage estimate, its interval, and the departure test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import dyad_series
from dyadwatch.analytics.uncertainty import (
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
