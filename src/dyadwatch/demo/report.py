"""The report ``make demo`` prints: what the demo corpus became."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from dyadwatch.analytics import dyad_monthly_goldstein, events_per_root, top_dyads
from dyadwatch.store import Store

__all__ = ["render_report"]


def _table(title: str, frame: pd.DataFrame) -> Table:
    table = Table(*map(str, frame.columns), title=title)
    for row in frame.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    return table


def render_report(store: Store, console: Console) -> None:
    """Events per CAMEO root, the top dyads and the USA–PAK monthly Goldstein series."""
    counts = store.counts()
    console.print(
        f"Store {store.path}: {counts['documents']} documents, {counts['events']} events, "
        f"{counts['errors']} errors"
    )
    console.print(_table("Events per CAMEO root (factual events)", events_per_root(store)))
    console.print(_table("Top dyads", top_dyads(store, 10)))
    series = dyad_monthly_goldstein(store, "USA", "PAK")
    console.print(_table("USA–PAK monthly Goldstein", series))
