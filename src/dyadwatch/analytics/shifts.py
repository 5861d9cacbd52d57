"""Statements about a dyad's level: record lows and highs, and changes of level.

Each statement is a :class:`Finding` whose ``text`` reads like an analyst's
sentence ("USA–PAK: lowest monthly net cooperation since 2016-07, driven by
…") and whose ``evidence`` cites the events behind it with their sentences.

* **Lows and highs** (:func:`dyad_lows`): a period (or the two periods
  ending with it) is a low when it departs below the dyad's own history of the
  previous ``lookback`` periods by more than chance allows: the departure test
  of :mod:`dyadwatch.analytics.uncertainty`, whose threshold is calibrated so
  that a dyad without change sees a low or high in at most 5% of decades
  (bench/bench_lows.py). A period on fewer than ``min_events`` events is never
  a low. "since X" names the last earlier period that was as low or lower.
* **Shifts** (:func:`dyad_shifts`): changes of mean level found by exact
  least-squares segmentation with a penalty per change (the optimum PELT also
  finds) over periods with at least ``min_events``
  events. The default penalty is ``c·σ²·ln n``, with the noise σ estimated
  from the mean absolute first difference (σ = √π/2 · mean|Δx|, exact for
  Gaussian noise), so a series twice as noisy needs a step twice as large to
  count; ``c`` is calibrated like the lows' threshold. The median would be
  more robust to the steps themselves, but index values repeat (counts are
  small integers) and a median difference of zero would make every wiggle a
  change.

Every finding states its value with a 90% interval, the events behind it and
the events it cites.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal, Unpack

import numpy as np
import pandas as pd

from dyadwatch.analytics._sql import ActorLevel, Scope, check_choice, invalid
from dyadwatch.analytics.evidence import Citation, cite_each, top_events_of
from dyadwatch.analytics.series import Direction, Frequency, dyad_filter, series_arrays
from dyadwatch.analytics.uncertainty import (
    DEFAULT_Z,
    MIN_HISTORY,
    Z90,
    Departure,
    departures,
    period_values,
)
from dyadwatch.store import EventFilter, Store

__all__ = [
    "MIN_EVENTS",
    "PENALTY_FACTOR",
    "Finding",
    "Metric",
    "dyad_lows",
    "dyad_shifts",
    "findings_frame",
]

Metric = Literal["net_coop", "goldstein_mean"]
_METRICS: tuple[str, ...] = ("net_coop", "goldstein_mean")
_SIDES: tuple[Literal["low", "high"], ...] = ("low", "high")
_KINDS: tuple[str, ...] = ("both", "low", "high")
_FREQ_WORD = {"D": "daily", "W": "weekly", "M": "monthly", "Y": "yearly"}
_METRIC_WORDS = {"net_coop": "net cooperation", "goldstein_mean": "mean Goldstein score"}
_MEAN_ABS_TO_SIGMA = math.sqrt(math.pi) / 2.0
"""σ of Gaussian noise from the mean absolute difference of two draws (E|Δ| = 2σ/√π)."""
MIN_EVENTS = 10
"""Fewest events a low, high or shift period may rest on (bench/bench_lows.py)."""
PENALTY_FACTOR = 4.0
"""``c`` of the default shift penalty ``c·σ²·ln n``; calibrated by bench/bench_lows.py."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One statement about a dyad, with the events it rests on.

    ``kind`` is ``low``, ``high`` or ``shift``. For lows and highs ``since`` is
    the last earlier period as extreme (None: a record over the whole
    series); for shifts ``before`` and ``after`` are the mean levels either
    side of ``period``, the first period of the new level.

    ``low`` and ``high`` bound ``value`` (90%), ``events`` counts the events
    behind it, ``z`` is its departure from the history in standard errors and
    ``baseline`` the history's level (lows and highs).
    """

    dyad: str
    kind: Literal["low", "high", "shift"]
    period: dt.date
    freq: str
    metric: str
    value: float
    text: str
    evidence: tuple[Citation, ...]
    since: dt.date | None = None
    before: float | None = None
    after: float | None = None
    low: float | None = None
    high: float | None = None
    events: int | None = None
    z: float | None = None
    baseline: float | None = None

    @property
    def event_ids(self) -> tuple[str, ...]:
        return tuple(c.event_id for c in self.evidence)


@dataclass(frozen=True, slots=True)
class _Query:
    """What both detectors share: the dyad, its series and how to find its events."""

    store: Store
    label: str
    freq: str
    metric: str
    column: str
    periods: list[dt.date]
    series: dict[str, np.ndarray]
    where: EventFilter


def _prepare(
    store: Store, a: str, b: str, freq: str, direction: str, smooth: int | None,
    provenance: str | None, actor_level: str, metric: str, publication_weight: float,
    **scope: Unpack[Scope],
) -> _Query:  # fmt: skip
    check_choice("metric", metric, _METRICS)
    # The series' columns, not its DataFrame: the detectors read arrays, and pandas'
    # frame, its assign and its masks cost more than the detectors themselves.
    days, series = series_arrays(
        store, a, b, freq=freq, direction=direction, smooth=smooth,  # type: ignore[arg-type]
        provenance=provenance, actor_level=actor_level, moments=True,  # type: ignore[arg-type]
        publication_weight=publication_weight, **scope,
    )  # fmt: skip
    column = metric if smooth is None else metric.replace("_mean", "") + "_smooth"
    # pandas' rolling sum, as before (its running sum rounds fractional counts its way).
    rolling = pd.Series(series["events"]).rolling(smooth or 1, min_periods=1)
    series["volume"] = rolling.sum().to_numpy()
    where = dyad_filter(
        a, b, direction=direction, actor_level=actor_level, provenance=provenance, **scope
    )
    arrow = {"both": "–", "a_to_b": "→", "b_to_a": "←"}[direction]
    label = f"{a.upper()}{arrow}{b.upper()}"
    periods: list[dt.date] = days.tolist()
    return _Query(store, label, freq, metric, column, periods, series, where)


def _scored(q: _Query, min_events: int) -> tuple[list[dt.date], np.ndarray, np.ndarray]:
    """Periods with a value and at least ``min_events`` events behind it: their first
    days, values and events."""
    values = q.series[q.column]
    keep = ~np.isnan(values) & (q.series["volume"] >= min_events)
    periods = [day for day, kept in zip(q.periods, keep.tolist(), strict=True) if kept]
    return periods, values[keep].astype(float), q.series["volume"][keep].astype(float)


def dyad_lows(
    store: Store,
    a: str,
    b: str,
    *,
    freq: Frequency = "M",
    direction: Direction = "both",
    metric: Metric = "net_coop",
    kind: Literal["both", "low", "high"] = "both",
    lookback: int | None = None,
    smooth: int | None = None,
    min_events: int = MIN_EVENTS,
    min_history: int = MIN_HISTORY,
    provenance: str | None = None,
    actor_level: ActorLevel = "country",
    drivers: int = 3,
    z: float = DEFAULT_Z,
    publication_weight: float = 1.0,
    **scope: Unpack[Scope],
) -> list[Finding]:
    """Periods at which the dyad departed below (or above) its own history of
    ``lookback`` periods by more than ``z`` standard errors, oldest first, each
    with its interval and event count and citing its ``drivers`` most extreme
    events. ``smooth=k`` also tests windows of up to ``k`` periods (default 2).
    ``min_confidence`` and ``date_basis`` choose the events read and
    ``publication_weight`` weighs the publication-dated ones (as
    :func:`dyad_series`). Bad values raise StoreError DW303."""
    check_choice("kind", kind, _KINDS)
    _check_count("lookback", lookback, allow_none=True)
    _check_count("min_history", min_history)
    _check_count("min_events", min_events)
    if not isinstance(z, int | float) or isinstance(z, bool) or not z > 0:
        invalid("z", z, "expected a positive number")
    q = _prepare(
        store, a, b, freq, direction, None, provenance, actor_level, metric,
        publication_weight, **scope,
    )  # fmt: skip
    widths = tuple(range(1, max(2, smooth or 1) + 1))
    found = departures(
        q.series, metric, z=float(z), lookback=lookback, min_history=min_history,
        min_events=min_events, widths=widths,
    )  # fmt: skip
    chosen = [(d, _side(d)) for d in found if kind in ("both", _side(d))]
    # The evidence of every finding in one read of the events and one of their
    # sentences, not five statements per finding.
    spans = [(*_window_days(q, d), side == "low") for d, side in chosen]
    ids = top_events_of(store, q.where, spans, n=drivers)
    cited = cite_each(store, ids)
    return [
        _record(q, d, side, found_ids, citations)
        for (d, side), found_ids, citations in zip(chosen, ids, cited, strict=True)
    ]


def _side(d: Departure) -> Literal["low", "high"]:
    return "low" if d.z < 0 else "high"


def _window_days(q: _Query, d: Departure) -> tuple[dt.date, dt.date]:
    """The first day of a departure's window and the day after its last period."""
    return q.periods[d.end - d.periods + 1], _next_period(q.periods[d.end], q.freq)


def _check_count(name: str, value: object, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        invalid(name, value, "expected a positive integer")


def _record(
    q: _Query, d: Departure, side: Literal["low", "high"], ids: list[str],
    evidence: tuple[Citation, ...],
) -> Finding:  # fmt: skip
    period, start = q.periods[d.end], q.periods[d.end - d.periods + 1]
    value, low, high, baseline = _on_scale(q.metric, d)
    since = _since(q, d, side)
    word = "low" if side == "low" else "high"
    span = (
        _label(period, q.freq)
        if d.periods == 1
        else (f"{_label(start, q.freq)} to {_label(period, q.freq)}")
    )
    what = (
        f"{_FREQ_WORD[q.freq]} {_METRIC_WORDS[q.metric]} {value:+.2f} "
        f"[{low:+.2f}, {high:+.2f}] in {span} on {d.events} events"
    )
    against = (
        f"a {word} against its history ({baseline:+.2f} over {d.history.periods} periods, "
        f"z = {d.z:+.1f})"
    )
    record = (
        f"; {'lowest' if side == 'low' else 'highest'} since {_label(since, q.freq)}"
        if (since is not None)
        else "; a record for the series"
    )
    text = f"{q.label}: {what}, {against}{record}" + _driven(ids)
    return Finding(
        q.label, side, period, q.freq, q.metric, value, text, evidence, since,
        low=low, high=high, events=d.events, z=d.z, baseline=baseline,
    )  # fmt: skip


def _on_scale(metric: str, d: Departure) -> tuple[float, float, float, float]:
    """The window's value, its 90% bounds and the history's level, in the metric's units."""
    low, high = d.bounds(metric)
    if metric == "net_coop":
        return 2.0 * d.value - 1.0, 2.0 * low - 1.0, 2.0 * high - 1.0, 2.0 * d.level - 1.0
    return d.value, low, high, d.level


def _since(q: _Query, d: Departure, side: str) -> dt.date | None:
    """The last earlier period whose own value was as extreme as the window's."""
    values, n = period_values(q.series, q.metric)
    first = d.end - d.periods + 1
    for i in range(first - 1, -1, -1):
        if n[i] > 0 and (values[i] <= d.value if side == "low" else values[i] >= d.value):
            return q.periods[i]
    return None


def _driven(ids: list[str]) -> str:
    return f", driven by events {', '.join(ids)}" if ids else ""


def _label(day: dt.date, freq: str) -> str:
    return {"D": day.isoformat(), "W": f"week of {day.isoformat()}", "M": day.strftime("%Y-%m"),
            "Y": str(day.year)}[freq]  # fmt: skip


def _next_period(day: dt.date, freq: str) -> dt.date:
    if freq == "D":
        return day + dt.timedelta(days=1)
    if freq == "W":
        return day + dt.timedelta(days=7)
    if freq == "M":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day.replace(year=day.year + 1, month=1, day=1)


def dyad_shifts(
    store: Store,
    a: str,
    b: str,
    *,
    freq: Frequency = "M",
    direction: Direction = "both",
    metric: Metric = "net_coop",
    penalty: float | None = None,
    min_size: int = 2,
    smooth: int | None = None,
    min_events: int = MIN_EVENTS,
    provenance: str | None = None,
    actor_level: ActorLevel = "country",
    drivers: int = 3,
    publication_weight: float = 1.0,
    **scope: Unpack[Scope],
) -> list[Finding]:
    """Changes of the dyad's mean level, oldest first (see the module docstring).

    The changepoint search runs over scored periods only (empty ones carry no
    level); ``min_size`` is the fewest scored periods in a segment. Each
    finding cites the ``drivers`` most extreme events of the period where
    the new level starts. ``min_confidence`` and ``date_basis`` choose the
    events read and ``publication_weight`` weighs the publication-dated ones
    (as :func:`dyad_series`). Bad values raise StoreError DW303.
    """
    _check_count("min_size", min_size)
    if penalty is not None and (not isinstance(penalty, int | float) or penalty < 0):
        invalid("penalty", penalty, "expected a non-negative number")
    q = _prepare(
        store, a, b, freq, direction, smooth, provenance, actor_level, metric,
        publication_weight, **scope,
    )  # fmt: skip
    periods, values, counts = _scored(q, min_events)
    if len(values) < 2 * min_size:
        return []
    breaks = _changepoints(values, min_size, penalty)
    bounds = [0, *breaks, len(values)]
    shifts = []
    for i, cut in enumerate(breaks):
        before = float(values[bounds[i] : cut].mean())
        after = float(values[cut : bounds[i + 2]].mean())
        # Evidence: the first periods of the new level (a smoothed series may
        # change level in a period that has no events of its own).
        last = periods[min(cut + min_size, len(values)) - 1]
        span = (periods[cut], _next_period(last, q.freq))
        sides = (slice(bounds[i], cut), slice(cut, bounds[i + 2]))
        shifts.append((span, (before, after), [counts[x] for x in sides]))
    # Every shift's evidence in one read, as the lows'.
    spans = [(*span, levels[1] < levels[0]) for span, levels, _ in shifts]
    ids = top_events_of(store, q.where, spans, n=drivers)
    cited = cite_each(store, ids)
    return [
        _shift(q, span, levels, sums, found_ids, citations)
        for (span, levels, sums), found_ids, citations in zip(shifts, ids, cited, strict=True)
    ]


def _changepoints(values: np.ndarray, min_size: int, penalty: float | None) -> list[int]:
    """Where the least-squares segmentation with ``penalty`` per change starts new segments.

    Optimal partitioning (dynamic programming over every last change point) is
    exact, as PELT is, and for the few hundred periods of a dyad series one
    vectorised pass per period costs about a millisecond.
    """
    if penalty is None:
        penalty = default_penalty(values)
    n = len(values)
    first = np.concatenate([[0.0], np.cumsum(values)])
    second = np.concatenate([[0.0], np.cumsum(values**2)])
    best = np.full(n + 1, np.inf)
    best[0] = -penalty  # the first segment pays no change
    last = np.zeros(n + 1, dtype=int)
    for end in range(min_size, n + 1):
        starts = np.arange(0, end - min_size + 1)
        width = end - starts
        cost = second[end] - second[starts] - (first[end] - first[starts]) ** 2 / width
        total = best[starts] + cost + penalty
        pick = int(np.argmin(total))
        best[end], last[end] = total[pick], starts[pick]
    breaks, end = [], n
    while end > 0:
        end = int(last[end])
        if end > 0:
            breaks.append(end)
    return sorted(breaks)


def default_penalty(values: np.ndarray) -> float:
    """``c·σ²·ln n``, σ from the mean absolute first difference (see module docstring)."""
    n = len(values)
    if n < 3:
        return 0.0
    sigma = float(np.mean(np.abs(np.diff(values)))) * _MEAN_ABS_TO_SIGMA
    # A floor keeps a noiseless step series from splitting on rounding error.
    return max(PENALTY_FACTOR * sigma * sigma * math.log(n), 1e-9)


def _shift(
    q: _Query,
    span: tuple[dt.date, dt.date],
    levels: tuple[float, float],
    counts: list[np.ndarray],
    ids: list[str],
    evidence: tuple[Citation, ...],
) -> Finding:
    period = span[0]
    before, after = levels
    fell = after < before
    verb = "fell" if fell else "rose"
    low, high = _level_bounds(q.metric, after, float(counts[1].sum()))
    text = (
        f"{q.label}: {_FREQ_WORD[q.freq]} {_METRIC_WORDS[q.metric]} {verb} from "
        f"{before:+.2f} ({int(counts[0].sum())} events) to {after:+.2f} [{low:+.2f}, {high:+.2f}] "
        f"({int(counts[1].sum())} events) in {_label(period, q.freq)}" + _driven(ids)
    )
    return Finding(
        q.label, "shift", period, q.freq, q.column, after, text, evidence,
        before=before, after=after, low=low, high=high, events=int(counts[1].sum()),
    )  # fmt: skip


def _level_bounds(metric: str, level: float, events: float) -> tuple[float, float]:
    """A 90% interval of a segment's level from its events alone (binomial or unit scores)."""
    if metric == "net_coop":
        n = max(events, 1.0)
        # Half an event each way: a segment of all cooperation is not certain of it.
        share = ((level + 1.0) / 2.0 * n + 0.5) / (n + 1.0)
        spread = 2.0 * math.sqrt(share * (1.0 - share) / n)
        return max(-1.0, level - Z90 * spread), min(1.0, level + Z90 * spread)
    spread = 3.0 / math.sqrt(max(events, 1.0))  # Goldstein scores spread about ±3 within a dyad
    return max(-10.0, level - Z90 * spread), min(10.0, level + Z90 * spread)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """One row per finding: dyad, kind, period, value with its low/high bounds, events,
    z, baseline, since, before, after, text, event_ids."""
    columns = [
        "dyad", "kind", "period", "value", "low", "high", "events", "z", "baseline",
        "since", "before", "after", "text", "event_ids",
    ]  # fmt: skip
    rows = [
        [f.dyad, f.kind, f.period, f.value, f.low, f.high, f.events, f.z, f.baseline,
         f.since, f.before, f.after, f.text, list(f.event_ids)]
        for f in findings
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
