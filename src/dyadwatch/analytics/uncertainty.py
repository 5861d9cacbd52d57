"""How sure a dyad's index is: shrinkage estimates, intervals and departure tests.

A period's index rests on few events more often than not, so a raw share
(−1.00 on three events) says little. Both metrics are read through one
hierarchical model of the dyad's own history:

* **Net cooperation.** A period's cooperative share ``s_t`` of its ``n_t``
  scored events (QuadClass 1–2 against 3–4) varies around the dyad's level
  ``μ`` by binomial noise plus a between-period variation ``B``::

      Var(s_t) = μ(1 − μ) / n_t + B

  The index is ``2·s − 1``. ``μ`` is the pooled share; ``B`` comes from the
  method of moments (the spread of the shares less what binomial noise
  explains, never below zero). The same moments give the Beta prior of the
  Beta-binomial model, ``Beta(μm, (1 − μ)m)`` with ``m = μ(1 − μ)/B − 1``: the
  shrinkage estimate and interval of a period are the quantiles of its
  posterior ``Beta(μm + coop, (1 − μ)m + conflict)``.
* **Mean Goldstein score.** The same with a normal model: a period's mean of
  ``n_t`` scores varies by ``σ²_w / n_t + B``, ``σ²_w`` the pooled variance of
  the scores within periods.

The prior's weight ``m`` is capped at the median number of scored events per
period (at least 10): with no visible between-period variation the model
would otherwise pin every period to the dyad's mean, and the band would hide a
real change for many periods. The cap keeps the prior no heavier than one
typical period's own evidence. The departure tests below use the uncapped
model.

Every event counts once. Mention counts measure coverage, not happenings, and
Goldstein magnitudes are what the second metric measures, so neither weighs
the first; event confidence, once calibrated, may weigh both (not yet).

**Empty periods** carry the last scored period's posterior forward, its own
evidence halving with each empty period, so the interval widens toward the
prior's instead of leaving a gap.

**Departure test.** A window of one or two periods departs from the dyad's
history when its deviate passes ``±z*``, the history being the ``lookback``
periods before the window. The level comes from that history; the
between-period spread, a property of the dyad rather than of the moment, from
every scored period from the history's start to the series' end but the
window's own (a twelve-month history's spread is noisy, and its heavy tails
were what a decade's largest chance departures came from). For shares the
deviate is the exact Beta-binomial tail of the window's count, as a normal
deviate, rescaled by the dyad's volume class (:class:`Calibration`): a decade
of months offers about two hundred windows, and how extreme the most extreme of
them is by chance grows with the volume (at high volume the between-period
variation, itself estimated, rules), so one raw threshold would be too strict
for thin dyads and too loose for busy ones. ``bench/bench_lows.py`` simulates
dyad-decades without change at fixed volumes and finds the raw deviate that 4%
of them reach on the low side (a margin under the 5% promised, for the
simulation's own noise); the deviate is divided by it and multiplied by ``z*
= 4.0``, so the one default threshold holds a false low to 5% of dyad-decades at
every volume (docs/ANALYTICS.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_LEVEL",
    "DEFAULT_Z",
    "MIN_HISTORY",
    "NET_COOP_CALIBRATION",
    "UNCALIBRATED",
    "Z90",
    "Calibration",
    "Departure",
    "History",
    "Scores",
    "add_intervals",
    "departure_at",
    "departures",
    "fit_history",
    "intervals",
    "running_sums",
    "share_windows",
]

UncertainMetric = Literal["net_coop", "goldstein_mean"]
Columns = pd.DataFrame | Mapping[str, np.ndarray]
"""A series' columns: a DataFrame, or arrays by name."""

DEFAULT_LEVEL = 0.90
"""Coverage of the intervals shown with every period."""
DEFAULT_Z = 4.0
"""The departure threshold; calibrated by bench/bench_lows.py (docs/ANALYTICS.md)."""
MIN_HISTORY = 12
"""Scored periods a history needs before anything is said against it."""
Z90 = 1.6448536269514722
"""The normal quantile of a 90% two-sided interval."""
_CARRY = 0.5
"""How much of a scored period's evidence is left after each empty period."""
_MIN_PRIOR_WEIGHT = 10.0
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Calibration:
    """The raw deviate a low must pass at a volume so that a dyad without change
    sees one in at most 5% of decades: ``points`` of (events per period, deviate),
    simulated, interpolated on the log of the volume and flat beyond the ends.
    A window's raw deviate is reported as ``raw · DEFAULT_Z / threshold``."""

    points: tuple[tuple[float, float], ...]

    def threshold(self, volume: np.ndarray) -> np.ndarray:
        """The raw threshold at ``volume`` events per scored period of the history."""
        xs = np.log([x for x, _ in self.points])
        found: np.ndarray = np.interp(
            np.log(np.maximum(volume, 1.0)), xs, [z for _, z in self.points]
        )
        return found

    def scaled(self, score: np.ndarray, volume: np.ndarray) -> np.ndarray:
        """``score`` on the common scale whose threshold is DEFAULT_Z."""
        found: np.ndarray = score * DEFAULT_Z / self.threshold(volume)
        return found


UNCALIBRATED = Calibration(((1.0, DEFAULT_Z),))
"""The raw deviates, unscaled (what bench/bench_lows.py fits the calibration on)."""
NET_COOP_CALIBRATION = Calibration(
    ((10.0, 3.28), (20.0, 3.47), (40.0, 3.52), (80.0, 3.65), (160.0, 3.70), (400.0, 3.70))
)
"""Simulated by ``bench/bench_lows.py --calibrate 1000 --seed 11`` (docs/ANALYTICS.md,
"Calibration")."""


@dataclass(frozen=True, slots=True)
class History:
    """The dyad's level ``mean`` (share or score), its within-period variance
    ``within`` (per event) and between-period variance ``between``, from
    ``periods`` scored periods holding ``events`` events."""

    mean: float
    within: float
    between: float
    periods: int
    events: int


@dataclass(frozen=True, slots=True)
class Departure:
    """A window of ``periods`` periods ending at ``end`` (an index into the series)
    whose value departs from ``history`` by ``z`` standard errors.

    ``value`` and ``level`` (the history's) are in the metric's own terms: a
    cooperative share, or a mean score; ``center`` with its standard error
    ``spread`` is what the shown interval is built on.
    """

    end: int
    periods: int
    value: float
    events: int
    z: float
    history: History
    center: float
    spread: float
    level: float

    def bounds(self, metric: str) -> tuple[float, float]:
        """The 90% bounds of ``value``, kept inside the metric's range (a share's
        [0, 1], a Goldstein score's [−10, 10])."""
        low, high = self.center - Z90 * self.spread, self.center + Z90 * self.spread
        floor, ceiling = (0.0, 1.0) if metric == "net_coop" else (-10.0, 10.0)
        return max(floor, low), min(ceiling, high)


def fit_history(values: np.ndarray, n: np.ndarray, metric: str, within: float) -> History:
    """The hierarchical model's moments from scored periods' ``values`` on ``n`` events.

    ``values`` are shares for ``net_coop`` and mean scores for
    ``goldstein_mean``; ``within`` is the per-event variance of the latter
    (ignored for shares, whose binomial variance follows from the mean).
    """
    total = float(n.sum())
    if metric == "net_coop":
        # Half an event each way keeps a history of all-cooperation off the boundary.
        mean = (float((values * n).sum()) + 0.5) / (total + 1.0)
        within = mean * (1.0 - mean)
    else:
        mean = float((values * n).sum() / total) if total else 0.0
    spread = float(np.mean((values - mean) ** 2)) if len(values) else 0.0
    noise = float(np.mean(within / np.maximum(n, 1))) if len(values) else 0.0
    between = max(0.0, spread - noise)
    return History(mean, max(within, _EPS), between, len(values), int(total))


def add_intervals(
    frame: pd.DataFrame, metric: UncertainMetric, level: float = DEFAULT_LEVEL
) -> pd.DataFrame:
    """``frame`` (a dyad series) with ``{metric}_est``, ``_low`` and ``_high`` columns.

    The estimate is the posterior mean under the dyad's whole-series history;
    bounds are the equal-tailed ``level`` interval. Periods before the first
    scored one have none; empty periods after it carry the last posterior
    forward with a widening interval.
    """
    return frame.assign(**intervals(frame, metric, level))


def intervals(
    columns: Columns, metric: UncertainMetric, level: float = DEFAULT_LEVEL
) -> dict[str, np.ndarray]:
    """The columns :func:`add_intervals` adds, from a series' count columns (a
    DataFrame or a mapping of arrays)."""
    values, n = period_values(columns, metric)
    scored = n > 0
    history = fit_history(values[scored], n[scored], metric, pooled_within(columns, metric))
    cap = max(_MIN_PRIOR_WEIGHT, float(np.median(n[scored])) if scored.any() else 0.0)
    weight = _prior_weight(history, cap)
    evidence = _carried(n.astype(float))
    seen = _carried_values(values, n)
    low, high, est = _posterior(history, weight, seen, evidence, metric, level)
    return {f"{metric}_est": est, f"{metric}_low": low, f"{metric}_high": high}


def _column(columns: Columns, name: str) -> np.ndarray:
    return np.asarray(columns[name], dtype=float)


def period_values(columns: Columns, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Each period's raw value (share, or mean score) and the events behind it."""
    if metric == "net_coop":
        coop = _column(columns, "verbal_coop") + _column(columns, "material_coop")
        conflict = _column(columns, "verbal_conflict") + _column(columns, "material_conflict")
        n = coop + conflict
        return np.divide(coop, n, out=np.zeros_like(n), where=n > 0), n
    n = _column(columns, "goldstein_n")
    sums = _column(columns, "goldstein_sum")
    return np.divide(sums, n, out=np.zeros_like(n), where=n > 0), n


def pooled_within(columns: Columns, metric: str) -> float:
    """The per-event variance of Goldstein scores around their period's mean."""
    if metric == "net_coop":
        return 0.0
    n = _column(columns, "goldstein_n")
    sums = _column(columns, "goldstein_sum")
    squares = _column(columns, "goldstein_sq")
    inside = squares - np.divide(sums**2, n, out=np.zeros_like(n), where=n > 0)
    dof = float((n - 1).clip(min=0).sum())
    return float(inside.sum() / dof) if dof > 0 else 1.0


def _prior_weight(history: History, cap: float) -> float:
    """Pseudo-events of the prior: ``m`` of the Beta-binomial, ``within/B`` of the normal."""
    if history.between <= _EPS:
        return cap
    return float(min(cap, max(history.within / history.between - 1.0, 0.0)))


def _carried(n: np.ndarray) -> np.ndarray:
    """Evidence per period: its own events, or the last scored period's, halving.

    Vectorised (a loop per period cost a tenth of a weekly series): halving ``k``
    times is ``ldexp(x, -k)``, exact while the result stays a normal float; past
    :data:`_EXACT_HALVINGS` empty periods in a row repeated halving may round in
    the subnormal range where one ``ldexp`` does not, so the loop answers."""
    last = _last_scored(n)
    gaps = np.arange(len(n)) - last
    if len(n) and int(gaps.max()) > _EXACT_HALVINGS:
        return _carried_loop(n)
    found: np.ndarray = np.ldexp(n[last], -gaps)  # times _CARRY (a half) per empty period
    return found


_EXACT_HALVINGS = 900
"""Halvings of an event count (at most about 2^63) that stay normal floats (2^-1022)."""


def _carried_loop(n: np.ndarray) -> np.ndarray:
    out = n.copy()
    for i in range(1, len(out)):
        if out[i] == 0:
            out[i] = out[i - 1] * _CARRY
    return out


def _last_scored(n: np.ndarray) -> np.ndarray:
    """For each period the index of the last one at or before it with events (the
    first period stands for itself when none has)."""
    index = np.arange(len(n))
    found: np.ndarray = np.maximum.accumulate(np.where(n != 0, index, 0)) if len(n) else index
    return found


def _carried_values(values: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Each period's value, or the last scored period's for an empty one."""
    found: np.ndarray = values[_last_scored(n)]
    return found


def _posterior(
    history: History, weight: float, values: np.ndarray, evidence: np.ndarray,
    metric: str, level: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Bounds and estimate per period, in the metric's units; NaN before any event."""
    tail = (1.0 - level) / 2.0
    if metric == "net_coop":
        a = history.mean * weight + values * evidence
        b = (1.0 - history.mean) * weight + (1.0 - values) * evidence
        shares = (_beta_ppf(tail, a, b), _beta_ppf(1.0 - tail, a, b), a / (a + b))
        found = tuple(2.0 * np.asarray(x, dtype=float) - 1.0 for x in shares)
    else:
        from scipy.special import ndtri  # imported here: scipy is slow to load

        total = np.maximum(weight + evidence, _EPS)
        est = (history.mean * weight + values * evidence) / total
        spread = np.sqrt(history.within / total)
        bounds = (est + ndtri(tail) * spread, est + ndtri(1.0 - tail) * spread, est)
        found = tuple(np.clip(x, -10.0, 10.0) for x in bounds)
    started = np.cumsum(evidence > 0) > 0
    low, high, est = (np.where(started, x, np.nan) for x in found)
    return low, high, est


def _beta_ppf(q: float, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``scipy.stats.beta.ppf(q, a, b)`` for ``0 < q < 1``: the same inverse of the
    incomplete beta function, NaN where a shape is not positive, without the
    distribution's argument broadcasting and checks (a tenth of a series' CPU).
    ``norm.ppf`` is likewise ``ndtri``; tests/analytics pin both equalities."""
    from scipy.special import betaincinv  # imported here: scipy is slow to load

    found: np.ndarray = np.where((a > 0) & (b > 0), betaincinv(a, b, q), np.nan)
    return found


def departures(
    frame: Columns,
    metric: UncertainMetric,
    *,
    z: float = DEFAULT_Z,
    lookback: int | None = None,
    min_history: int = MIN_HISTORY,
    min_events: int = 1,
    widths: tuple[int, ...] = (1, 2),
    calibration: Calibration = NET_COOP_CALIBRATION,
) -> list[Departure]:
    """Windows of ``widths`` periods whose value departs from the history before them.

    The history of a window is the ``lookback`` periods before it (all of them
    when None), with at least ``min_history`` scored periods; its level is the
    pooled value and its spread the method-of-moments one, as in
    :func:`fit_history`. A share is tested by its exact tail under the
    history's Beta-binomial: the window's cooperative count against
    ``BetaBinomial(events, μm, (1 − μ)m)``, whose Beta carries the
    between-period variation and the uncertainty of ``μ``. A normal test
    misjudges windows near 0 or 1 (twelve conflicts in a dyad that has known
    none), on the share scale and on the logit scale alike. The tail is
    reported as the normal deviate ``z`` of equal tail. Mean scores are tested
    with a normal deviate made as cautious as Student's t for the history's
    length. A window needs ``min_events`` events and an event in its last
    period. Overlapping windows that depart the same way are one departure,
    reported at the largest ``|z|``; ``z < 0`` is a low, ``z > 0`` a high.
    A share's deviate is put on the common scale by ``calibration`` (the
    history's events per period say its volume class; see the module
    docstring); pass :data:`UNCALIBRATED` for the raw deviate.
    """
    sums = _sums_of(frame, metric)
    found: dict[int, Departure] = {}
    for width in widths:
        args = (width, metric, lookback, min_history, min_events, calibration)
        for d in _windows(sums, *args, at_least=z):
            if abs(d.z) >= z and (d.end not in found or abs(d.z) > abs(found[d.end].z)):
                found[d.end] = d
    return _merged([found[end] for end in sorted(found)])


def _merged(found: list[Departure]) -> list[Departure]:
    """One departure per run of overlapping same-signed windows: the strongest."""
    kept: list[Departure] = []
    for d in found:
        last = kept[-1] if kept else None
        overlaps = last is not None and d.end - d.periods < last.end
        if last is not None and overlaps and (d.z < 0) == (last.z < 0):
            if abs(d.z) > abs(last.z):
                kept[-1] = d
            continue
        kept.append(d)
    return kept


class _Sums:
    """Running sums over periods, so that any span's moments cost O(1)."""

    def __init__(self, values: np.ndarray, noise: np.ndarray, n: np.ndarray) -> None:
        scored = (n > 0).astype(float)
        self.n = n
        self.periods = running_sums(scored)
        self.events = running_sums(n)
        self.total = running_sums(values * n)
        self.plain = running_sums(values * scored)
        self.squares = running_sums(values**2 * scored)
        self.noise = running_sums(noise * scored)
        self.noise_weighted = running_sums(noise * n**2)
        self.events_sq = running_sums(n**2)

    def span(self, name: str, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """The sum of ``name`` over periods ``start`` to ``stop - 1``."""
        running: np.ndarray = getattr(self, name)
        found: np.ndarray = running[stop] - running[start]
        return found


def _sums_of(frame: Columns, metric: str) -> _Sums:
    """The running sums of a series' values and their noise per period."""
    shown, n = period_values(frame, metric)
    if metric == "net_coop":
        noise = 1.0 / np.maximum(n, 1.0)  # times μ(1 − μ), once μ is known
    else:
        noise = pooled_within(frame, metric) / np.maximum(n, 1.0)
    return _Sums(shown, noise, n)


def running_sums(x: np.ndarray) -> np.ndarray:
    """``x``'s running sums from 0: the sum of ``x[i:j]`` is ``sums[j] - sums[i]``."""
    return np.concatenate([[0.0], np.cumsum(x, dtype=float)])


_SCORE_FIELDS = (
    "value", "events", "spread", "z", "level", "within", "between", "periods", "history_events",
)  # fmt: skip
_PAST = (
    "periods", "events", "total", "plain", "squares", "noise", "noise_weighted", "events_sq",
)  # fmt: skip
_HERE = ("events", "total", "noise_weighted", "events_sq")
_SPREAD = ("periods", "events", "total", "plain", "squares", "noise")


@dataclass(frozen=True, slots=True)
class Scores:
    """The departure tests of many windows at once, one array entry per window:
    the window's ``value`` (share or mean score) on ``events`` events with its
    standard error ``spread``, the deviate ``z``, and the history's ``level``,
    ``within`` and ``between`` variances, ``periods`` and ``history_events``."""

    value: np.ndarray
    events: np.ndarray
    spread: np.ndarray
    z: np.ndarray
    level: np.ndarray
    within: np.ndarray
    between: np.ndarray
    periods: np.ndarray
    history_events: np.ndarray

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The 90% bounds of shares, kept inside [0, 1]."""
        low = np.maximum(0.0, self.value - Z90 * self.spread)
        return low, np.minimum(1.0, self.value + Z90 * self.spread)


def _windows(
    sums: _Sums, width: int, metric: str, lookback: int | None, min_history: int,
    min_events: int, calibration: Calibration, *, at_least: float = 0.0,
) -> list[Departure]:  # fmt: skip
    """The tested windows of ``width`` periods whose ``|z|`` is at least ``at_least``
    (0: all of them), oldest first."""
    ends = np.arange(width - 1, len(sums.n))
    starts = ends - width + 1
    firsts = np.zeros_like(starts) if lookback is None else np.maximum(0, starts - lookback)
    ok, found = _scored_windows(
        sums, firsts, starts, ends, None, metric, min_history, min_events, calibration, at_least
    )
    # Only the windows that pass become objects: a decade of months offers two hundred.
    kept = np.abs(found.z) >= at_least
    found = Scores(*(getattr(found, f)[kept] for f in _SCORE_FIELDS))
    ends = ends[ok][kept]
    histories = [
        History(float(m), float(w), float(b), int(p), round(e))
        for m, w, b, p, e in zip(
            found.level, found.within, found.between, found.periods, found.history_events,
            strict=True,
        )
    ]  # fmt: skip
    rows = zip(ends, found.value, found.events, found.z, histories, found.spread, strict=True)
    return [
        Departure(int(end), width, float(v), round(e), float(z), h, float(v), float(sd), h.mean)
        for end, v, e, z, h, sd in rows
    ]


def share_windows(
    coop: np.ndarray, n: np.ndarray, firsts: np.ndarray, starts: np.ndarray, ends: np.ndarray,
    *, stops: np.ndarray | None = None, min_history: int = MIN_HISTORY,
    min_events: int = 1, calibration: Calibration = NET_COOP_CALIBRATION,
) -> tuple[np.ndarray, Scores]:  # fmt: skip
    """The net-cooperation test of many windows over one run of periods at once.

    ``coop`` and ``n`` are the cooperative and scored events per period (counts
    may be fractional: weighted events); window ``i`` spans periods
    ``starts[i]`` to ``ends[i]``, its history periods ``firsts[i]`` to
    ``starts[i] - 1``, and its dyad's series ends before ``stops[i]`` (the end
    of the run when None): the between-period spread is estimated from
    ``firsts[i]`` to there, less the window. Several dyads' series may be laid
    end to end, as long as no history or series reaches into another's. Returns which windows could
    be tested (history and event floors, an event in the last period) and their
    :class:`Scores`.
    """
    shares = np.divide(coop, n, out=np.zeros_like(n, dtype=float), where=n > 0)
    sums = _Sums(shares, 1.0 / np.maximum(n, 1.0), n.astype(float))
    return _scored_windows(
        sums, firsts, starts, ends, stops, "net_coop", min_history, min_events, calibration
    )


def _scored_windows(
    sums: _Sums, firsts: np.ndarray, starts: np.ndarray, ends: np.ndarray,
    stops: np.ndarray | None, metric: str, min_history: int, min_events: int,
    calibration: Calibration, at_least: float = 0.0,
) -> tuple[np.ndarray, Scores]:  # fmt: skip
    """Which windows can be tested, and their scores; ``stops``: where each
    window's series ends (None: all at the end of the run). A window whose
    ``|z|`` cannot reach ``at_least`` may carry an estimate of its ``z`` (below
    ``at_least`` too) instead of the exact one (:func:`_score`)."""
    if stops is None:
        stops = np.full_like(starts, len(sums.n))
    ok = (sums.span("periods", firsts, starts) >= max(min_history, 1)) & (sums.n[ends] > 0)
    ok &= sums.span("events", starts, ends + 1) >= max(min_events, 1)
    ends, starts, firsts = ends[ok], starts[ok], firsts[ok]
    past = {k: sums.span(k, firsts, starts) for k in _PAST}
    here = {k: sums.span(k, starts, ends + 1) for k in _HERE}
    # The spread's sample: from the history's start to the series' end, but the
    # window (see _score).
    rest = {k: sums.span(k, firsts, stops[ok]) - sums.span(k, starts, ends + 1) for k in _SPREAD}
    return ok, _score(past, here, rest, metric, calibration, at_least)


def _level(sums: dict[str, np.ndarray], shares: bool) -> tuple[np.ndarray, np.ndarray]:
    """The pooled level of a span and the noise of one event around it."""
    if shares:
        mean = (sums["total"] + 0.5) / (sums["events"] + 1.0)  # half an event each way
        return mean, mean * (1.0 - mean)  # the binomial noise of one event
    mean = sums["total"] / np.maximum(sums["events"], _EPS)
    return mean, np.ones_like(mean)


def _between(sums: dict[str, np.ndarray], shares: bool) -> np.ndarray:
    """The method-of-moments between-period variance of a span's scored periods."""
    mean, unit = _level(sums, shares)
    k = np.maximum(sums["periods"], 1.0)
    spread = (sums["squares"] - 2.0 * mean * sums["plain"]) / k + mean**2
    found: np.ndarray = np.maximum(0.0, spread - unit * sums["noise"] / k)
    return found


def _score(
    past: dict[str, np.ndarray], here: dict[str, np.ndarray], rest: dict[str, np.ndarray],
    metric: str, calibration: Calibration, at_least: float = 0.0,
) -> Scores:  # fmt: skip
    """The windows' deviates. The level is the history's; the between-period spread
    is estimated from every scored period from the history's start to the series'
    end but the window's own (``rest``): a short history gives a noisy spread,
    whose heavy tails a decade's many windows find (docs/ANALYTICS.md measures
    the gain), and the spread is the dyad's, not the moment's. Student's caution
    is for as many periods as it rests on."""
    shares = metric == "net_coop"
    k = past["periods"]
    mean, unit = _level(past, shares)
    between = _between(rest, shares)
    events = np.maximum(here["events"], _EPS)
    value = here["total"] / events
    level_var = (unit * past["noise_weighted"] + between * past["events_sq"]) / np.maximum(
        past["events"], _EPS
    ) ** 2
    own = (unit * here["noise_weighted"] + between * here["events_sq"]) / events**2
    if len(k) == 0:
        score = np.zeros(0)
    elif shares:
        drift = between * here["events_sq"] / events**2 + level_var
        # The between-period part of the spread is estimated from k periods: as
        # much as it weighs in the window's variance, the test takes Student's
        # caution (Satterthwaite's effective degrees of freedom).
        weight = (between * here["events_sq"] / events**2) / np.maximum(own, _EPS)
        dof = (rest["periods"] - 1.0) / np.maximum(weight**2, 1e-6)

        def scaled(raw: np.ndarray) -> np.ndarray:
            return calibration.scaled(_calibrated(raw, dof), past["events"] / k)

        tails = _Tails.of(value * here["events"], here["events"], mean, drift)
        score = _share_scores(tails, scaled, at_least)
    else:
        deviate = (value - mean) / np.sqrt(np.maximum(own + level_var, _EPS))
        score = _calibrated(deviate, np.minimum(k, rest["periods"]) - 1.0)
    return Scores(
        value, here["events"], np.sqrt(own), score, mean, unit, between, k, past["events"]
    )


@dataclass(frozen=True, slots=True)
class _Tails:
    """Windows' beta-binomial tests: ``count`` cooperative events of ``events``
    (whole numbers), the Beta's shapes ``a`` and ``b``, and which tail each is
    tested on (``low``: at most ``count``; else at least ``count``)."""

    count: np.ndarray
    events: np.ndarray
    a: np.ndarray
    b: np.ndarray
    low: np.ndarray

    @classmethod
    def of(
        cls, count: np.ndarray, events: np.ndarray, mean: np.ndarray, drift: np.ndarray
    ) -> _Tails:
        """The tests of ``count`` of ``events`` under a share ``p ~ Beta`` with
        ``mean`` and variance ``drift``."""
        strength = np.clip(mean * (1.0 - mean) / np.maximum(drift, _EPS) - 1.0, 1.0, 1e7)
        a, b = mean * strength, (1.0 - mean) * strength
        # Weighted (publication-dated) events make fractional counts: the exact tail
        # is read at the nearest whole numbers, the share kept.
        whole = np.rint(events)
        count = np.rint(count * whole / np.maximum(events, _EPS))
        count, whole, mean, a, b = np.broadcast_arrays(count, whole, mean, a, b)
        return cls(count, whole, a, b, count < mean * whole)

    def exact(self, chosen: np.ndarray) -> np.ndarray:
        """scipy's tails of the ``chosen`` windows (each period's own tail only:
        scipy sums the probabilities term by term, one Python call per window)."""
        from scipy.stats import betabinom

        tail = np.empty(len(self.low))
        pick = self.low & chosen
        tail[pick] = betabinom.cdf(self.count[pick], self.events[pick], self.a[pick], self.b[pick])
        pick = ~self.low & chosen
        tail[pick] = betabinom.sf(
            self.count[pick] - 1.0, self.events[pick], self.a[pick], self.b[pick]
        )
        found: np.ndarray = tail[chosen]
        return found

    def deviates(self, tail: np.ndarray) -> np.ndarray:
        """Tails as signed normal deviates of equal tail (negative: a low)."""
        from scipy.stats import norm

        found: np.ndarray = np.where(self.low, -1.0, 1.0) * norm.isf(np.clip(tail, 1e-300, 0.5))
        return found


def _beta_binomial_z(
    count: np.ndarray, events: np.ndarray, mean: np.ndarray, drift: np.ndarray
) -> np.ndarray:
    """The normal deviate of the tail of ``count`` cooperative events of ``events``
    under a share ``p ~ Beta`` with ``mean`` and variance ``drift``."""
    tails = _Tails.of(count, events, mean, drift)
    return tails.deviates(tails.exact(np.ones(len(tails.low), dtype=bool)))


def _share_scores(
    tails: _Tails, scaled: Callable[[np.ndarray], np.ndarray], at_least: float
) -> np.ndarray:
    """``scaled`` deviates of ``tails``: exact where ``|z|`` may reach ``at_least``
    (everywhere for 0), elsewhere deviates below it. scipy's exact tails cost half a
    lows request, one Python call and hundreds of terms per window; a tail is at
    least the sum of its terms next to the count (:func:`_tail_sums`, a few dozen),
    and a window whose deviate stays under ``at_least`` even for that smaller tail
    (less the ``_TAIL_`` margins) needs no more: most windows of a series."""
    everywhere = np.ones(len(tails.low), dtype=bool)
    if at_least <= 0:
        return scaled(tails.deviates(tails.exact(everywhere)))
    found = _tail_sums(tails, _BOUND_TERMS)
    floor = _TAIL_FLOOR * np.maximum(tails.events, 1e4)
    tail = np.maximum(found * (1.0 - _TAIL_SLACK) - floor, 0.0)
    bound = scaled(tails.deviates(tail))
    exact = np.abs(bound) >= at_least - _Z_SLACK
    if not exact.any():
        return bound
    tail[exact] = tails.exact(exact)
    return scaled(tails.deviates(tail))


_BOUND_TERMS = 48
"""Terms of a tail summed for its lower bound: near a series' level one term is most
of a tail's threshold already, and a far window is tested exactly anyway."""
_TAIL_SLACK = 1e-6
"""How far, relatively, :func:`_tail_sums` or scipy may be from the sum of the terms:
each term's log-beta formula is exact to about 1e-15 of its arguments' log-gamma,
which grows with the events (below 1e-9 at 300,000), and a few dozen ratios add
1e-13."""
_TAIL_FLOOR = 1e-13
"""And absolutely, per event of the window (at least 10,000): scipy's upper tail is
one less its lower sum, whose terms' rounding (measured: 4e-12 at 2,000 events) stays
in the difference."""
_Z_SLACK = 1e-6


def _tail_sums(tails: _Tails, terms: int | None = None) -> np.ndarray:
    """Each window's beta-binomial tail, ``P(X <= count)`` where ``low`` else
    ``P(X >= count)``, for all windows at once, or (``terms``) the sum of that many
    of its terms next to ``count``, which bounds it from below: each sum's first term
    by its log-beta formula, the next ones by the ratio of successive terms, their
    logarithms summed (scipy computes each term by the formula, in one Python call
    per window: a decade of months offers two hundred windows and 70,000 terms)."""
    from scipy.special import betaln

    count, events, a, b, low = tails.count, tails.events, tails.a, tails.b, tails.low
    first = np.where(low, 0.0, np.maximum(count, 0.0))
    last = np.where(low, np.minimum(count, events), events)
    if terms is not None:  # the terms next to the count only
        first = np.where(low, np.maximum(first, last - terms + 1.0), first)
        last = np.where(low, last, np.minimum(last, first + terms - 1.0))
    size = np.maximum(last - first + 1.0, 0.0).astype(np.int64)
    if not size.sum():
        return np.zeros(len(size))
    window = np.repeat(np.arange(len(size)), size)
    starts = np.minimum(np.cumsum(size) - size, int(size.sum()) - 1)
    offset = np.arange(int(size.sum())) - np.repeat(starts, size)
    n, p, q = events[window], a[window], b[window]
    k = first[window] + offset
    # log(pmf(k) / pmf(k - 1)), 0 at each window's first term (where k may be 0).
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.log((n - k + 1.0) * (k - 1.0 + p)) - np.log(k * (n - k + q))
    step[offset == 0] = 0.0
    running = np.cumsum(step)
    running -= np.repeat(running[starts], size)
    start = first
    head = -np.log(events + 1.0) - betaln(events - start + 1.0, start + 1.0)
    head = head + betaln(start + a, events - start + b) - betaln(a, b)
    found: np.ndarray = np.bincount(
        window, weights=np.exp(head[window] + running), minlength=len(size)
    )
    return found


def _calibrated(score: np.ndarray, dof: np.ndarray) -> np.ndarray:
    """``score`` as the normal deviate of equal tail probability under Student's t
    with ``dof`` degrees of freedom: the history's spread is itself an estimate,
    and a short history must not make an ordinary month look extreme."""
    from scipy.stats import norm, t

    dof = np.minimum(np.maximum(dof, 1.0), 1e6)
    tail = t.sf(np.abs(score), dof)
    equivalent: np.ndarray = np.sign(score) * norm.isf(np.maximum(tail, 1e-300))
    return equivalent


def departure_at(
    frame: pd.DataFrame,
    metric: UncertainMetric,
    *,
    width: int,
    lookback: int | None = None,
    min_history: int = MIN_HISTORY,
    min_events: int = 1,
    calibration: Calibration = NET_COOP_CALIBRATION,
) -> Departure | None:
    """How far the last ``width`` periods of ``frame`` sit from the history before them,
    whatever the answer (None: too little history or too few events)."""
    sums = _sums_of(frame, metric)
    found = _windows(sums, width, metric, lookback, min_history, min_events, calibration)
    last = [d for d in found if d.end == len(sums.n) - 1]
    return last[0] if last else None
