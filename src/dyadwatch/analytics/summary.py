"""Summaries of a store: events per CAMEO root, top dyads, a dyad's monthly series.

Country-level dyads: an event counts for the pair of its source and target
countries, in alphabetical order, so USA→PAK and PAK→USA share one dyad.
Negated and hypothetical events are left out: they did not happen. Dyads count
deduplicated events, by the store's one definition (:meth:`Store.top_dyads`,
:meth:`Store.dyad_series`), as the dashboard and the analytics do.
"""

from __future__ import annotations

import pandas as pd

from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.store import Store

__all__ = ["dyad_monthly_goldstein", "events_per_root", "top_dyads"]


def _factual(store: Store) -> pd.DataFrame:
    frame = store.events_frame()
    if frame.empty:
        return frame
    return frame[~frame["negated"].astype(bool) & ~frame["hypothetical"].astype(bool)]


def events_per_root(store: Store) -> pd.DataFrame:
    """Columns: root, label, events (factual events only), by root."""
    frame = _factual(store)
    cameo = load_cameo()
    counts = frame.groupby("cameo_root").size() if not frame.empty else pd.Series(dtype=int)
    rows = [(root, cameo.label(root), int(counts.get(root, 0))) for root in _roots()]
    return pd.DataFrame(rows, columns=["root", "label", "events"])


def _roots() -> list[str]:
    return [f"{i:02d}" for i in range(1, 21)]


def top_dyads(store: Store, n: int = 10) -> pd.DataFrame:
    """Columns: dyad, events, goldstein_mean, for the ``n`` busiest country pairs.

    Deduplicated events, as :meth:`Store.top_dyads` counts them.
    """
    frame = store.top_dyads(n)
    if frame.empty:
        return pd.DataFrame(columns=["dyad", "events", "goldstein_mean"])
    return pd.DataFrame(
        {
            "dyad": frame["country_a"] + "–" + frame["country_b"],
            "events": frame["events"],
            "goldstein_mean": frame["goldstein_mean"].round(2) + 0.0,  # no "-0.0"
        }
    )


def dyad_monthly_goldstein(store: Store, a: str, b: str) -> pd.DataFrame:
    """Columns: month (YYYY-MM), events, goldstein_sum, goldstein_mean, for A–B both ways.

    Deduplicated events, as :meth:`Store.dyad_series` counts them.
    """
    frame = store.dyad_series(a, b)
    if frame.empty:
        return pd.DataFrame(columns=["month", "events", "goldstein_sum", "goldstein_mean"])
    return pd.DataFrame(
        {
            "month": frame["month"].dt.strftime("%Y-%m"),
            "events": frame["events"],
            "goldstein_sum": frame["goldstein_sum"].fillna(0.0),
            "goldstein_mean": frame["goldstein_mean"],
        }
    ).round(2)
