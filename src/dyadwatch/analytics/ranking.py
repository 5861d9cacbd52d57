"""Which relationships are at a low right now: every dyad against its own history.

:func:`dyads_at_low` answers it in one query: the events of every country pair
by month, then, for each pair with enough history and enough recent events,
the departure of its recent months (``since`` onwards) from its own earlier
months, with the test of :mod:`dyadwatch.analytics.uncertainty`. Pairs are
ranked by ``z``, lowest first; a pair is ``at_low`` when ``z`` passes the
calibrated threshold.
"""

from __future__ import annotations

import datetime as dt
from typing import Unpack

import numpy as np
import pandas as pd

from dyadwatch.analytics._sql import Scope, invalid
from dyadwatch.analytics.uncertainty import DEFAULT_Z, MIN_HISTORY, share_windows
from dyadwatch.store import EventFilter, Store

__all__ = ["RANKING_COLUMNS", "dyads_at_low"]

RANKING_COLUMNS = (
    "dyad", "since", "until", "events", "net_coop", "low", "high", "baseline",
    "history_periods", "z", "at_low",
)  # fmt: skip


def dyads_at_low(
    store: Store,
    since: dt.date,
    *,
    until: dt.date | None = None,
    lookback: int | None = 36,
    min_events: int = 10,
    min_history: int = MIN_HISTORY,
    z: float = DEFAULT_Z,
    publication_weight: float = 1.0,
    **scope: Unpack[Scope],
) -> pd.DataFrame:
    """Every country pair with ``min_events`` events from ``since`` to ``until`` and
    ``min_history`` scored months in the ``lookback`` months before, ranked by how
    far below its own history its net cooperation sits (columns: RANKING_COLUMNS).
    ``min_confidence`` and ``date_basis`` choose the events counted
    (:class:`~dyadwatch.analytics._sql.Scope`); ``publication_weight`` (0–1) is
    what an event dated only by its publication stamp counts for
    (:func:`~dyadwatch.analytics.dyad_series`).

    All pairs are tested in one vectorised pass: their months laid end to end,
    each pair's window from ``since``'s month to its last month with an event.
    Bad values raise StoreError DW303.
    """
    if not isinstance(since, dt.date):
        invalid("since", since, "expected a date")
    until = until or dt.date.today()
    if until < since:
        invalid("until", until, "expected a date on or after since")
    start = pd.Timestamp(since).to_period("M").start_time
    first = dt.date.min if lookback is None else _months_before(since, lookback)
    counts = store.pair_months(
        first, until, EventFilter.of(None, **scope), publication_weight=publication_weight
    )
    frame = _ranked(_pairs(counts), start, lookback, min_events, min_history, z)
    frame.insert(1, "since", start.date())
    frame.insert(2, "until", until)
    return frame[list(RANKING_COLUMNS)].sort_values("z", kind="stable").reset_index(drop=True)


def _pairs(counts: pd.DataFrame) -> pd.DataFrame:
    """Directed counts folded to undirected pairs (a < b) by month."""
    a = counts["s"].where(counts["s"] < counts["t"], counts["t"])
    b = counts["t"].where(counts["s"] < counts["t"], counts["s"])
    folded = counts.assign(a=a, b=b, period=pd.to_datetime(counts["period"]))
    return folded.groupby(["a", "b", "period"], sort=True)[["coop", "conflict"]].sum()


def _ranked(
    pairs: pd.DataFrame, start: pd.Timestamp, lookback: int | None, min_events: int,
    min_history: int, z: float,
) -> pd.DataFrame:  # fmt: skip
    """The departure of every pair's months from ``start`` on, from its own history."""
    columns = [c for c in RANKING_COLUMNS if c not in ("since", "until")]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    index = pairs.index
    keys = pd.MultiIndex.from_arrays([index.get_level_values(0), index.get_level_values(1)])
    pair_codes, names = pd.factorize(keys, sort=True)
    month = _month_number(pd.DatetimeIndex(index.get_level_values(2)))
    first = int(_month_number(pd.DatetimeIndex([start]))[0])
    origin = min(int(month.min()), first)
    month, offset = month - origin, first - origin
    span = max(int(month.max()), offset) + 1
    # Every pair gets the same run of months, laid end to end: pair p's month m sits
    # at p * span + m, so a history clipped at the pair's first month never reaches
    # into the pair before it.
    cells = pair_codes * span + month
    coop = np.zeros(len(names) * span)
    n = np.zeros(len(names) * span)
    coop[cells] = pairs["coop"].to_numpy(dtype=float)
    n[cells] = (pairs["coop"] + pairs["conflict"]).to_numpy(dtype=float)
    blocks = np.arange(len(names)) * span
    last = _last_scored(n.reshape(len(names), span)) + blocks
    starts = blocks + offset
    has_window = last >= starts
    firsts = blocks if lookback is None else np.maximum(blocks, starts - lookback)
    ok, found = share_windows(
        coop, n, firsts[has_window], starts[has_window], last[has_window],
        stops=blocks[has_window] + span,
        min_history=min_history, min_events=min_events,
    )  # fmt: skip
    low, high = found.bounds()
    tested = np.asarray(names)[has_window][ok]
    return pd.DataFrame(
        {
            "dyad": [f"{a}–{b}" for a, b in tested],
            "events": np.rint(found.events).astype(int),
            "net_coop": 2 * found.value - 1,
            "low": 2 * low - 1,
            "high": 2 * high - 1,
            "baseline": 2 * found.level - 1,
            "history_periods": found.periods.astype(int),
            "z": found.z,
            "at_low": found.z <= -z,
        }
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s (the first date there is,
    when that falls before year 1)."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1) if index >= 12 else dt.date.min


def _month_number(periods: pd.DatetimeIndex) -> np.ndarray:
    found: np.ndarray = (periods.year * 12 + periods.month - 1).to_numpy()
    return found


def _last_scored(n: np.ndarray) -> np.ndarray:
    """Per row, the last column with events (-1 for none)."""
    seen = n > 0
    found: np.ndarray = np.where(
        seen.any(axis=1), n.shape[1] - 1 - np.argmax(seen[:, ::-1], axis=1), -1
    )
    return found
