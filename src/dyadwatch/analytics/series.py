"""A dyad over time: event counts by QuadClass, Goldstein and a net-cooperation index.

The series is the store's one definition (:meth:`Store.dyad_periods`): read
from the deduplicated ``events`` table, so self-coded and
imported (GDELT, ICEWS) events count alike, once per happening. Negated and
hypothetical mentions never become events, so they never count here.

**Net-cooperation index** of a period::

    net_coop = (cooperative − conflictual) / (cooperative + conflictual)

where cooperative events have QuadClass 1 or 2 and conflictual ones 3 or 4.
It lies in [−1, 1] and is a share, not a count: twice the coverage with the
same mix gives the same index, so growth in news volume does not read as
hostility. A period without events has no index (NaN), not a neutral one.

Beside each raw index the series carries a shrinkage estimate and a 90%
interval (``net_coop_est``, ``net_coop_low``, ``net_coop_high``, and the same
for ``goldstein_mean``) from the hierarchical model of
:mod:`dyadwatch.analytics.uncertainty`: a month on three events gets a wide
band, and empty months carry the last estimate forward with a widening one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Literal, Unpack

import pandas as pd

from dyadwatch.analytics._sql import ActorLevel, Scope, check_choice, invalid
from dyadwatch.analytics.uncertainty import add_intervals
from dyadwatch.store import EventFilter, Store

__all__ = [
    "SERIES_COLUMNS",
    "Direction",
    "Frequency",
    "dyad_series",
    "dyad_where",
]

Frequency = Literal["D", "W", "M", "Y"]
Direction = Literal["both", "a_to_b", "b_to_a"]

_FREQUENCIES: tuple[str, ...] = ("D", "W", "M", "Y")
_DIRECTIONS: tuple[str, ...] = ("both", "a_to_b", "b_to_a")
_LEVELS: tuple[str, ...] = ("country", "code")
_UNITS = {"D": "day", "W": "week", "M": "month", "Y": "year"}
_PANDAS_FREQ = {"D": "D", "W": "W-MON", "M": "MS", "Y": "YS"}
"""Period starts as DuckDB's date_trunc gives them (weeks start on Monday)."""

SERIES_COLUMNS = (
    "period", "events", "verbal_coop", "material_coop", "verbal_conflict",
    "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop",
    "net_coop_est", "net_coop_low", "net_coop_high",
    "goldstein_mean_est", "goldstein_mean_low", "goldstein_mean_high",
)  # fmt: skip


def dyad_where(
    a: str,
    b: str,
    *,
    direction: str = "both",
    actor_level: str = "country",
    provenance: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    **scope: Unpack[Scope],
) -> tuple[str, dict[str, object]]:
    """The WHERE clause (without ``WHERE``) and parameters selecting a dyad's events.

    Raises StoreError DW303 for a bad actor, direction, level, provenance or scope.
    """
    check_choice("direction", direction, _DIRECTIONS)
    check_choice("actor_level", actor_level, _LEVELS)
    return _filter(a, b, direction, actor_level, provenance, since, until, **scope).where()


def _filter(
    a: str, b: str, direction: str, actor_level: str, provenance: str | None,
    since: dt.date | None, until: dt.date | None, **scope: Unpack[Scope],
) -> EventFilter:  # fmt: skip
    """The store's filter of a dyad's events (the store validates the values, DW303)."""
    dyad = EventFilter(
        (a, b), since, until, provenance=provenance,
        direction=direction, level=actor_level,  # type: ignore[arg-type]
    )  # fmt: skip
    return EventFilter.of(dyad, **scope)


def dyad_series(
    store: Store,
    a: str,
    b: str,
    *,
    freq: Frequency = "M",
    direction: Direction = "both",
    smooth: int | None = None,
    provenance: str | None = None,
    actor_level: ActorLevel = "country",
    since: dt.date | None = None,
    until: dt.date | None = None,
    moments: bool = False,
    publication_weight: float = 1.0,
    **scope: Unpack[Scope],
) -> pd.DataFrame:
    """Events between ``a`` and ``b`` per period, one row per period from first to last.

    Columns: ``period`` (first day, a date), ``events``, the four QuadClass
    counts (``verbal_coop``, ``material_coop``, ``verbal_conflict``,
    ``material_conflict``), ``goldstein_sum``, ``goldstein_mean`` and
    ``net_coop`` (see the module docstring), and for both indices the
    shrinkage estimate with its 90% interval (``*_est``, ``*_low``,
    ``*_high``). Periods without events are kept, with zero counts, NaN raw
    indices and a carried, widening interval. ``smooth=k`` adds ``net_coop_smooth`` and
    ``goldstein_smooth``: the same ratios over the trailing ``k`` periods, so
    busy periods weigh more than thin ones. ``since``/``until`` bound the
    dates and also fix the first and last period. ``moments=True`` keeps what
    the uncertainty model reads: ``goldstein_n`` (scored events) and
    ``goldstein_sq`` (the sum of squared scores). ``min_confidence`` and
    ``date_basis`` (:class:`~dyadwatch.analytics._sql.Scope`) choose the events
    counted; ``publication_weight`` (0–1) is what an event dated only by its
    publication stamp counts for, in every count and sum (so counts may be
    fractional; docs/ANALYTICS.md). Bad values raise DW303.
    """
    check_choice("freq", freq, _FREQUENCIES)
    if smooth is not None and (
        not isinstance(smooth, int) or isinstance(smooth, bool) or smooth < 1
    ):
        invalid("smooth", smooth, "expected a positive number of periods")
    check_choice("direction", direction, _DIRECTIONS)
    check_choice("actor_level", actor_level, _LEVELS)
    _check_weight(publication_weight)
    where = _filter(a, b, direction, actor_level, provenance, since, until, **scope)
    raw = _weighted(store, where, _UNITS[freq], publication_weight)
    frame = _fill(raw, freq, since, until)
    frame = _ratios(frame)
    frame = add_intervals(add_intervals(frame, "net_coop"), "goldstein_mean")
    if smooth is not None:
        frame = _smoothed(frame, smooth)
    return frame if moments else frame.drop(columns=["goldstein_n", "goldstein_sq"])


def _check_weight(weight: object) -> None:
    if (
        not isinstance(weight, int | float)
        or isinstance(weight, bool)
        or not math.isfinite(weight)
        or not 0.0 <= weight <= 1.0
    ):
        invalid("publication_weight", weight, "expected a weight from 0 to 1")


def _weighted(store: Store, where: EventFilter, unit: str, weight: float) -> pd.DataFrame:
    """The store's periods, publication-dated events counting ``weight`` each.

    Their own periods (the same filter, publication basis only) are scaled
    down by ``1 - weight`` and taken off the totals: one extra read, and only
    when a weight is given.
    """
    raw = store.dyad_periods(where, unit=unit).drop(columns="num_mentions")
    if weight == 1.0 or (where.date_basis is not None and "publication" not in where.date_basis):
        return raw
    only = replace(where, date_basis=frozenset({"publication"}))
    found = store.dyad_periods(only, unit=unit).drop(columns="num_mentions")
    less = found.set_index("period").reindex(raw["period"], fill_value=0)
    counted = [c for c in raw.columns if c != "period"]
    raw = raw.astype(dict.fromkeys(counted, "float64"))
    raw[counted] -= (1.0 - weight) * less[counted].to_numpy(dtype=float)
    return raw[raw["events"] > 0].reset_index(drop=True)


def _fill(
    raw: pd.DataFrame, freq: str, since: dt.date | None, until: dt.date | None
) -> pd.DataFrame:
    """Every period from the first to the last, empty ones with zero counts."""
    counts = [c for c in raw.columns if c != "period"]
    if raw.empty and (since is None or until is None):
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in ("period", *counts)})
    raw = raw.assign(period=pd.to_datetime(raw["period"]))
    first = _period_start(pd.Timestamp(since), freq) if since else raw["period"].min()
    last = _period_start(pd.Timestamp(until), freq) if until else raw["period"].max()
    periods = pd.date_range(first, last, freq=_PANDAS_FREQ[freq])
    full = raw.set_index("period").reindex(periods, fill_value=0)
    full.index.name = "period"
    full = full.astype({"goldstein_sum": "float64", "goldstein_sq": "float64"}).reset_index()
    full["period"] = full["period"].dt.date
    return full


def _period_start(day: pd.Timestamp, freq: str) -> pd.Timestamp:
    return day.to_period({"D": "D", "W": "W-SUN", "M": "M", "Y": "Y"}[freq]).start_time


def _ratios(frame: pd.DataFrame) -> pd.DataFrame:
    coop = frame["verbal_coop"] + frame["material_coop"]
    conflict = frame["verbal_conflict"] + frame["material_conflict"]
    scored = (coop + conflict).where(lambda n: n > 0)
    frame["goldstein_mean"] = frame["goldstein_sum"] / frame["goldstein_n"].where(lambda n: n > 0)
    frame["net_coop"] = (coop - conflict) / scored
    return frame


def _smoothed(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    roll = frame.rolling(k, min_periods=1)
    sums = {
        c: roll[c].sum()
        for c in ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
                  "goldstein_sum", "goldstein_n")
    }  # fmt: skip
    coop = sums["verbal_coop"] + sums["material_coop"]
    conflict = sums["verbal_conflict"] + sums["material_conflict"]
    frame["net_coop_smooth"] = (coop - conflict) / (coop + conflict).where(lambda n: n > 0)
    frame["goldstein_smooth"] = sums["goldstein_sum"] / sums["goldstein_n"].where(lambda n: n > 0)
    return frame
