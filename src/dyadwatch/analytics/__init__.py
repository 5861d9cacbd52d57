"""Analytics over stored events: summaries, dyad series."""

from dyadwatch.analytics.summary import dyad_monthly_goldstein, events_per_root, top_dyads

__all__ = ["dyad_monthly_goldstein", "events_per_root", "top_dyads"]
