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

import pandas as pd

from dyadwatch.analytics._sql import Scope, invalid, query, scope_where
from dyadwatch.analytics.uncertainty import DEFAULT_Z, MIN_HISTORY, departure_at
from dyadwatch.store import Store

__all__ = ["RANKING_COLUMNS", "dyads_at_low"]

RANKING_COLUMNS = (
    "dyad", "since", "until", "events", "net_coop", "low", "high", "baseline",
    "history_periods", "z", "at_low",
)  # fmt: skip

_PAIRS_SQL = """
SELECT least(source_country, target_country) AS a,
    greatest(source_country, target_country) AS b,
    date_trunc('month', date)::DATE AS period,
    count(*) FILTER (WHERE quad IN (1, 2)) AS coop,
    count(*) FILTER (WHERE quad IN (3, 4)) AS conflict
FROM events
WHERE date IS NOT NULL AND source_country IS NOT NULL AND target_country IS NOT NULL
    AND source_country <> target_country AND date <= $until AND {scope}
GROUP BY ALL
"""


def dyads_at_low(
    store: Store,
    since: dt.date,
    *,
    until: dt.date | None = None,
    lookback: int | None = 36,
    min_events: int = 10,
    min_history: int = MIN_HISTORY,
    z: float = DEFAULT_Z,
    **scope: Unpack[Scope],
) -> pd.DataFrame:
    """Every country pair with ``min_events`` events from ``since`` to ``until`` and
    ``min_history`` scored months in the ``lookback`` months before, ranked by how
    far below its own history its net cooperation sits (columns: RANKING_COLUMNS).
    ``min_confidence`` and ``date_basis`` choose the events counted
    (:class:`~dyadwatch.analytics._sql.Scope`).

    Bad values raise StoreError DW303.
    """
    if not isinstance(since, dt.date):
        invalid("since", since, "expected a date")
    until = until or dt.date.today()
    if until < since:
        invalid("until", until, "expected a date on or after since")
    trusted, params = scope_where(**scope)
    counts = query(store, _PAIRS_SQL.format(scope=trusted), {**params, "until": until})
    start = pd.Timestamp(since).to_period("M").start_time
    rows = [
        row
        for (a, b), pair in counts.groupby(["a", "b"], sort=True)
        if (row := _rank_one(f"{a}–{b}", pair, start, until, lookback, min_events, min_history, z))
    ]
    frame = pd.DataFrame(rows, columns=list(RANKING_COLUMNS))
    return frame.sort_values("z", kind="stable").reset_index(drop=True)


def _rank_one(
    dyad: str, pair: pd.DataFrame, start: pd.Timestamp, until: dt.date,
    lookback: int | None, min_events: int, min_history: int, z: float,
) -> list[object] | None:  # fmt: skip
    months = pd.date_range(
        min(pd.Timestamp(pair["period"].min()), start), pd.Timestamp(until), freq="MS"
    )
    filled = pair.assign(period=pd.to_datetime(pair["period"])).set_index("period")
    filled = filled[["coop", "conflict"]].reindex(months, fill_value=0)
    scored = ((filled["coop"] + filled["conflict"]) > 0).to_numpy().nonzero()[0]
    first = int((filled.index < start).sum())
    if len(scored) == 0 or scored.max() < first:
        return None  # nothing since ``since``: no window to test
    filled = filled.iloc[: int(scored.max()) + 1]  # a window must end on an event
    frame = pd.DataFrame(
        {
            "verbal_coop": filled["coop"].to_numpy(), "material_coop": 0,
            "verbal_conflict": filled["conflict"].to_numpy(), "material_conflict": 0,
        }
    )  # fmt: skip
    found = departure_at(
        frame, "net_coop", width=len(filled) - first, lookback=lookback,
        min_history=min_history, min_events=min_events,
    )  # fmt: skip
    if found is None:
        return None
    low, high = found.bounds("net_coop")
    return [
        dyad, start.date(), until, found.events, 2 * found.value - 1, 2 * low - 1, 2 * high - 1,
        2 * found.level - 1, found.history.periods, found.z, found.z <= -z,
    ]  # fmt: skip
