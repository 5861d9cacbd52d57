"""Statements about a dyad's level: record lows and highs, and changes of level.

Each statement is a :class:`Finding` whose ``text`` reads like an analyst's
sentence ("USA–PAK: lowest monthly net cooperation since 2016-07, driven by
…") and whose ``evidence`` cites the events behind it with their sentences.

* **Lows and highs** (:func:`dyad_lows`): a period is a low when its value is
  strictly below every scored period of the previous ``lookback`` periods (the
  whole history when ``lookback`` is None), with at least ``min_history`` of
  them; "since X" names the last earlier period that was as low or lower.
* **Shifts** (:func:`dyad_shifts`): changes of mean level found by PELT
  (ruptures, least-squares cost). The default penalty is the BIC-like
  ``2·σ²·ln n`` (two parameters, place and level, per change), with the
  noise σ estimated from the mean absolute first difference (σ = √π/2 ·
  mean|Δx|, exact for Gaussian noise), so a series twice as noisy needs a
  step twice as large to count. The median would be more robust to the
  steps themselves, but index values repeat (counts are small integers) and
  a median difference of zero would make every wiggle a change.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from dyadwatch.analytics._sql import ActorLevel, check_choice, invalid
from dyadwatch.analytics.evidence import Citation, cite, top_events
from dyadwatch.analytics.series import Direction, Frequency, dyad_series, dyad_where
from dyadwatch.store import Store

__all__ = ["Finding", "Metric", "dyad_lows", "dyad_shifts", "findings_frame"]

Metric = Literal["net_coop", "goldstein_mean"]
_METRICS: tuple[str, ...] = ("net_coop", "goldstein_mean")
_SIDES: tuple[Literal["low", "high"], ...] = ("low", "high")
_KINDS: tuple[str, ...] = ("both", "low", "high")
_FREQ_WORD = {"D": "daily", "W": "weekly", "M": "monthly", "Y": "yearly"}
_METRIC_WORDS = {"net_coop": "net cooperation", "goldstein_mean": "mean Goldstein score"}
_MEAN_ABS_TO_SIGMA = math.sqrt(math.pi) / 2.0
"""σ of Gaussian noise from the mean absolute difference of two draws (E|Δ| = 2σ/√π)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One statement about a dyad, with the events it rests on.

    ``kind`` is ``low``, ``high`` or ``shift``. For lows and highs ``since`` is
    the last earlier period as extreme (None: a record over the whole
    series); for shifts ``before`` and ``after`` are the mean levels either
    side of ``period``, the first period of the new level.
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
    series: pd.DataFrame
    where: str
    params: dict[str, object]


def _prepare(
    store: Store, a: str, b: str, freq: str, direction: str, smooth: int | None,
    provenance: str | None, actor_level: str, metric: str,
) -> _Query:  # fmt: skip
    check_choice("metric", metric, _METRICS)
    series = dyad_series(
        store, a, b, freq=freq, direction=direction, smooth=smooth,  # type: ignore[arg-type]
        provenance=provenance, actor_level=actor_level,  # type: ignore[arg-type]
    )  # fmt: skip
    column = metric if smooth is None else metric.replace("_mean", "") + "_smooth"
    series = series.assign(volume=series["events"].rolling(smooth or 1, min_periods=1).sum())
    where, params = dyad_where(
        a, b, direction=direction, actor_level=actor_level, provenance=provenance
    )
    arrow = {"both": "–", "a_to_b": "→", "b_to_a": "←"}[direction]
    label = f"{a.upper()}{arrow}{b.upper()}"
    return _Query(store, label, freq, metric, column, series, where, params)


def _scored(q: _Query, min_events: int) -> pd.DataFrame:
    """Periods with a value and at least ``min_events`` events behind it."""
    frame = q.series
    keep = frame[q.column].notna() & (frame["volume"] >= min_events)
    return frame.loc[keep, ["period", q.column, "volume"]].reset_index()


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
    min_events: int = 1,
    min_history: int = 3,
    provenance: str | None = None,
    actor_level: ActorLevel = "country",
    drivers: int = 3,
) -> list[Finding]:
    """Periods at which the dyad stood at its lowest (or highest) level over
    ``lookback`` periods, oldest first, each citing its ``drivers`` most
    extreme events. Bad values raise StoreError DW303."""
    check_choice("kind", kind, _KINDS)
    _check_count("lookback", lookback, allow_none=True)
    _check_count("min_history", min_history)
    q = _prepare(store, a, b, freq, direction, smooth, provenance, actor_level, metric)
    scored = _scored(q, min_events)
    findings = []
    for pos in range(len(scored)):
        for side in _SIDES:
            if kind in ("both", side) and _is_record(
                scored, q.column, pos, side, lookback, min_history
            ):
                findings.append(_record(q, scored, pos, side, smooth, drivers))
    return findings


def _check_count(name: str, value: object, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        invalid(name, value, "expected a positive integer")


def _is_record(
    scored: pd.DataFrame, column: str, pos: int, side: str, lookback: int | None, min_history: int
) -> bool:
    here = scored.loc[pos]
    prior = scored.iloc[:pos]
    if lookback is not None:
        prior = prior[prior["index"] >= here["index"] - lookback]
    if len(prior) < min_history:
        return False
    if side == "low":
        return bool(here[column] < prior[column].min())
    return bool(here[column] > prior[column].max())


def _record(
    q: _Query, scored: pd.DataFrame, pos: int, side: Literal["low", "high"],
    smooth: int | None, drivers: int,
) -> Finding:  # fmt: skip
    here: dict[Hashable, Any] = scored.iloc[pos].to_dict()
    period: dt.date = here["period"]
    value = float(here[q.column])
    earlier = scored.iloc[:pos]
    as_extreme = earlier[q.column] <= value if side == "low" else earlier[q.column] >= value
    since: dt.date | None = max(earlier.loc[as_extreme, "period"], default=None)
    start: dt.date = q.series["period"].iloc[max(0, int(here["index"]) - (smooth or 1) + 1)]
    ids = top_events(
        q.store, q.where, q.params, start, _next_period(period, q.freq),
        lowest=side == "low", n=drivers,
    )  # fmt: skip
    word = "lowest" if side == "low" else "highest"
    what = f"{word} {_FREQ_WORD[q.freq]} {_METRIC_WORDS[q.metric]} ({value:+.2f})"
    when = (
        f"since {_label(since, q.freq)}"
        if since is not None
        else f"on record (series from {_label(q.series['period'].iloc[0], q.freq)})"
    )
    text = f"{q.label}: {what} in {_label(period, q.freq)}, {when}" + _driven(ids)
    return Finding(q.label, side, period, q.freq, q.column, value, text, cite(q.store, ids), since)


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
    min_events: int = 1,
    provenance: str | None = None,
    actor_level: ActorLevel = "country",
    drivers: int = 3,
) -> list[Finding]:
    """Changes of the dyad's mean level, oldest first (PELT; see the module docstring).

    The changepoint search runs over scored periods only (empty ones carry no
    level); ``min_size`` is the fewest scored periods in a segment. Each
    finding cites the ``drivers`` most extreme events of the period where
    the new level starts. Bad values raise StoreError DW303.
    """
    _check_count("min_size", min_size)
    if penalty is not None and (not isinstance(penalty, int | float) or penalty < 0):
        invalid("penalty", penalty, "expected a non-negative number")
    q = _prepare(store, a, b, freq, direction, smooth, provenance, actor_level, metric)
    scored = _scored(q, min_events)
    values = scored[q.column].to_numpy(dtype=float)
    if len(values) < 2 * min_size:
        return []
    breaks = _changepoints(values, min_size, penalty)
    bounds = [0, *breaks, len(values)]
    periods: list[dt.date] = list(scored["period"])
    findings = []
    for i, cut in enumerate(breaks):
        before = float(values[bounds[i] : cut].mean())
        after = float(values[cut : bounds[i + 2]].mean())
        # Evidence: the first periods of the new level (a smoothed series may
        # change level in a period that has no events of its own).
        last = periods[min(cut + min_size, len(values)) - 1]
        span = (periods[cut], _next_period(last, q.freq))
        findings.append(_shift(q, span, before, after, drivers))
    return findings


def _changepoints(values: np.ndarray, min_size: int, penalty: float | None) -> list[int]:
    import ruptures  # imported here: it loads scipy, which `import dyadwatch` should not pay for

    if penalty is None:
        penalty = default_penalty(values)
    algo = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(values.reshape(-1, 1))
    return [int(b) for b in algo.predict(pen=penalty)[:-1]]


def default_penalty(values: np.ndarray) -> float:
    """``2·σ²·ln n``, σ from the mean absolute first difference (see module docstring)."""
    n = len(values)
    if n < 3:
        return 0.0
    sigma = float(np.mean(np.abs(np.diff(values)))) * _MEAN_ABS_TO_SIGMA
    # A floor keeps a noiseless step series from splitting on rounding error.
    return max(2.0 * sigma * sigma * math.log(n), 1e-9)


def _shift(
    q: _Query, span: tuple[dt.date, dt.date], before: float, after: float, drivers: int
) -> Finding:
    period = span[0]
    fell = after < before
    ids = top_events(q.store, q.where, q.params, *span, lowest=fell, n=drivers)
    verb = "fell" if fell else "rose"
    text = (
        f"{q.label}: {_FREQ_WORD[q.freq]} {_METRIC_WORDS[q.metric]} {verb} from "
        f"{before:+.2f} to {after:+.2f} in {_label(period, q.freq)}" + _driven(ids)
    )
    return Finding(
        q.label, "shift", period, q.freq, q.column, after, text, cite(q.store, ids),
        before=before, after=after,
    )  # fmt: skip


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """One row per finding: dyad, kind, period, value, since, before, after, text, event_ids."""
    columns = ["dyad", "kind", "period", "value", "since", "before", "after", "text", "event_ids"]
    rows = [
        [f.dyad, f.kind, f.period, f.value, f.since, f.before, f.after, f.text, list(f.event_ids)]
        for f in findings
    ]
    return pd.DataFrame(rows, columns=columns)
