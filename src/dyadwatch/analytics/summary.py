"""Summaries of a store: events per CAMEO root, top dyads, a dyad's monthly series.

Country-level dyads: an event counts for the pair of its source and target
countries, in alphabetical order, so USA→PAK and PAK→USA share one dyad.
Negated and hypothetical events are left out: they did not happen.
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
    """Columns: dyad, events, goldstein_mean, for the ``n`` busiest country pairs."""
    frame = _factual(store)
    frame = frame[frame["source_country"].notna() & frame["target_country"].notna()]
    frame = frame[frame["source_country"] != frame["target_country"]]
    if frame.empty:
        return pd.DataFrame(columns=["dyad", "events", "goldstein_mean"])
    pairs = frame.apply(lambda r: "–".join(sorted((r.source_country, r.target_country))), axis=1)
    grouped = frame.assign(dyad=pairs).groupby("dyad")["goldstein"].agg(["size", "mean"])
    grouped = grouped.rename(columns={"size": "events", "mean": "goldstein_mean"})
    grouped["goldstein_mean"] = grouped["goldstein_mean"].round(2) + 0.0  # no "-0.0"
    return grouped.sort_values("events", ascending=False).head(n).reset_index()


def dyad_monthly_goldstein(store: Store, a: str, b: str) -> pd.DataFrame:
    """Columns: month (YYYY-MM), events, goldstein_sum, goldstein_mean, for A–B both ways."""
    frame = _factual(store)
    if not frame.empty:
        forward = (frame["source_country"] == a) & (frame["target_country"] == b)
        backward = (frame["source_country"] == b) & (frame["target_country"] == a)
        frame = frame[(forward | backward) & frame["date"].notna()]
    if frame.empty:
        return pd.DataFrame(columns=["month", "events", "goldstein_sum", "goldstein_mean"])
    months = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m")
    grouped = frame.assign(month=months).groupby("month")["goldstein"].agg(["size", "sum", "mean"])
    grouped.columns = ["events", "goldstein_sum", "goldstein_mean"]
    return grouped.round(2).reset_index()
