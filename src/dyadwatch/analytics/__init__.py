"""Analytics over stored events: summaries, dyad series, lows and shifts, alliances, ledgers.

See ``docs/ANALYTICS.md``. Every function reads the store's deduplicated
events (self-coded and imported alike) and returns pandas DataFrames or
frozen records whose statements cite the events behind them.
"""

from dyadwatch.analytics.alliances import AllianceNetwork, Realignment, alliances, realignments
from dyadwatch.analytics.evidence import Citation, cite
from dyadwatch.analytics.ledger import (
    coded_strikes,
    compare_ledgers,
    ledger,
    read_strike_table,
)
from dyadwatch.analytics.ranking import dyads_at_low
from dyadwatch.analytics.series import dyad_series
from dyadwatch.analytics.shifts import (
    MIN_EVENTS,
    Finding,
    dyad_lows,
    dyad_shifts,
    findings_frame,
)
from dyadwatch.analytics.summary import dyad_monthly_goldstein, events_per_root, top_dyads

__all__ = [
    "MIN_EVENTS",
    "AllianceNetwork",
    "Citation",
    "Finding",
    "Realignment",
    "alliances",
    "cite",
    "coded_strikes",
    "compare_ledgers",
    "dyad_lows",
    "dyad_monthly_goldstein",
    "dyad_series",
    "dyad_shifts",
    "dyads_at_low",
    "events_per_root",
    "findings_frame",
    "ledger",
    "read_strike_table",
    "realignments",
    "top_dyads",
]
