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
from typing import Literal, Unpack

import numpy as np
import pandas as pd

from dyadwatch.analytics._sql import ActorLevel, Scope, check_choice, invalid
from dyadwatch.analytics.uncertainty import intervals, running_sums
from dyadwatch.store import EventFilter, Store

__all__ = [
    "SERIES_COLUMNS",
    "Direction",
    "Frequency",
    "dyad_filter",
    "dyad_series",
    "series_arrays",
]

Frequency = Literal["D", "W", "M", "Y"]
Direction = Literal["both", "a_to_b", "b_to_a"]

_FREQUENCIES: tuple[str, ...] = ("D", "W", "M", "Y")
_DIRECTIONS: tuple[str, ...] = ("both", "a_to_b", "b_to_a")
_LEVELS: tuple[str, ...] = ("country", "code")
_UNITS = {"D": "day", "W": "week", "M": "month", "Y": "year"}

SERIES_COLUMNS = (
    "period", "events", "verbal_coop", "material_coop", "verbal_conflict",
    "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop",
    "net_coop_est", "net_coop_low", "net_coop_high",
    "goldstein_mean_est", "goldstein_mean_low", "goldstein_mean_high",
)  # fmt: skip


def dyad_filter(
    a: str,
    b: str,
    *,
    direction: str = "both",
    actor_level: str = "country",
    provenance: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    **scope: Unpack[Scope],
) -> EventFilter:
    """The store's filter of a dyad's events (``.where()`` writes it as SQL).

    Raises StoreError DW303 for a bad actor, direction, level, provenance or scope.
    """
    check_choice("direction", direction, _DIRECTIONS)
    check_choice("actor_level", actor_level, _LEVELS)
    return _filter(a, b, direction, actor_level, provenance, since, until, **scope)


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
    periods, columns = series_arrays(
        store, a, b, freq=freq, direction=direction, smooth=smooth, provenance=provenance,
        actor_level=actor_level, since=since, until=until, moments=moments,
        publication_weight=publication_weight, **scope,
    )  # fmt: skip
    # One DataFrame at the end: pandas column by column costs more than the arithmetic.
    return pd.DataFrame({"period": pd.Series(periods.tolist(), dtype=object), **columns})


def series_arrays(
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
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """:func:`dyad_series` before its DataFrame: the periods' first days as
    ``datetime64[D]`` and the columns in the frame's order (numpy arrays). The API
    writes these straight to JSON (the periods as ISO days at once: a ``date`` per
    period and ``isoformat`` each cost a tenth of a weekly series); building the
    frame cost more than the arithmetic behind it."""
    check_choice("freq", freq, _FREQUENCIES)
    if smooth is not None and (
        not isinstance(smooth, int) or isinstance(smooth, bool) or smooth < 1
    ):
        invalid("smooth", smooth, "expected a positive number of periods")
    check_choice("direction", direction, _DIRECTIONS)
    check_choice("actor_level", actor_level, _LEVELS)
    where = _filter(a, b, direction, actor_level, provenance, since, until, **scope)
    raw = store.dyad_period_arrays(where, unit=_UNITS[freq], publication_weight=publication_weight)
    periods, columns = _filled(raw, freq, since, until)
    _ratios(columns)
    columns.update(intervals(columns, "net_coop"))
    columns.update(intervals(columns, "goldstein_mean"))
    if smooth is not None:
        _smoothed(columns, smooth)
    if not moments:
        del columns["goldstein_n"], columns["goldstein_sq"]
    return periods, columns


_COUNTS = (
    "events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
    "goldstein_sum", "goldstein_n", "goldstein_sq",
)  # fmt: skip
_FLOATS = frozenset({"goldstein_sum", "goldstein_sq"})
_STEP_DAYS = {"D": 1, "W": 7}
"""Days and weeks are fixed steps of days (a week starts on Monday, as DuckDB's)."""


def _filled(
    raw: dict[str, np.ndarray], freq: str, since: dt.date | None, until: dt.date | None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Every period from the first to the last, empty ones with zero counts (numpy
    throughout: pandas' period ranges step one Python call per period)."""
    found = raw["period"].astype("datetime64[D]")
    if len(found) == 0 and (since is None or until is None):
        empty = {c: np.zeros(0, dtype=float if c in _FLOATS else np.int64) for c in _COUNTS}
        return np.zeros(0, dtype="datetime64[D]"), empty
    first = _period_start(since, freq) if since else found.min()
    last = _period_start(until, freq) if until else found.max()
    periods, where = _period_index(first, last, found, freq)
    kept = (where >= 0) & (where < len(periods))
    columns = {}
    for name in _COUNTS:
        column: np.ndarray = np.zeros(len(periods), dtype=_dtype(name, raw[name]))
        column[where[kept]] = raw[name][kept]
        columns[name] = column
    return periods, columns


def _dtype(name: str, values: np.ndarray) -> type:
    """Float for sums, and for counts that publication weighting made fractional."""
    return float if name in _FLOATS or values.dtype.kind == "f" else np.int64


def _period_index(
    first: np.datetime64, last: np.datetime64, found: np.ndarray, freq: str
) -> tuple[np.ndarray, np.ndarray]:
    """Period starts from ``first`` to ``last`` (``datetime64[D]``) and the place of
    each ``found`` period among them (outside the range: below 0 or past the end)."""
    step = _STEP_DAYS.get(freq)
    if step is not None:
        periods = np.arange(first, last + 1, step).astype("datetime64[D]")
        offsets = (found - first).astype(np.int64)
        return periods, np.where(offsets % step == 0, offsets // step, -1)
    unit = f"datetime64[{freq}]"
    start = first.astype(unit)
    periods = np.arange(start, last.astype(unit) + 1).astype("datetime64[D]")
    return periods, (found.astype(unit) - start).astype(np.int64)


def _period_start(day: dt.date, freq: str) -> np.datetime64:
    """The first day of ``day``'s period: itself, its Monday, its month's or year's first."""
    if freq == "D":
        start = day
    elif freq == "W":
        start = day - dt.timedelta(days=day.weekday())
    elif freq == "M":
        start = day.replace(day=1)
    else:
        start = day.replace(month=1, day=1)
    return np.datetime64(start, "D")


def _ratios(columns: dict[str, np.ndarray]) -> None:
    coop = columns["verbal_coop"] + columns["material_coop"]
    conflict = columns["verbal_conflict"] + columns["material_conflict"]
    columns["goldstein_mean"] = _share(columns["goldstein_sum"], columns["goldstein_n"])
    columns["net_coop"] = _share(coop - conflict, coop + conflict)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole``, NaN where ``whole`` is zero."""
    whole = whole.astype(float)
    found: np.ndarray = np.divide(part, whole, out=np.full(len(whole), np.nan), where=whole > 0)
    return found


def _smoothed(columns: dict[str, np.ndarray], k: int) -> None:
    """The ratios over the trailing ``k`` periods (sums first, then the ratio)."""

    def trailing(x: np.ndarray) -> np.ndarray:
        running = running_sums(x)
        found: np.ndarray = running[1:] - running[np.maximum(np.arange(1, len(x) + 1) - k, 0)]
        return found

    sums = {
        c: trailing(columns[c])
        for c in ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
                  "goldstein_sum", "goldstein_n")
    }  # fmt: skip
    coop = sums["verbal_coop"] + sums["material_coop"]
    conflict = sums["verbal_conflict"] + sums["material_conflict"]
    columns["net_coop_smooth"] = _share(coop - conflict, coop + conflict)
    columns["goldstein_smooth"] = _share(sums["goldstein_sum"], sums["goldstein_n"])
