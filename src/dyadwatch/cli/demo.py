"""``demo``: code the bundled demo corpus into the store and print what it became."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console

from dyadwatch.analytics import (
    Finding,
    dyad_lows,
    dyad_series,
    dyad_shifts,
    events_per_root,
    realignments,
    top_dyads,
)
from dyadwatch.cli._app import report_errors, summary
from dyadwatch.cli._options import StoreOption, store_path
from dyadwatch.cli._tables import frame_table
from dyadwatch.coder.engine import Coder
from dyadwatch.config import Settings
from dyadwatch.demo import load_corpus
from dyadwatch.store import Store
from dyadwatch.workflows import ingest_items

__all__ = ["demo", "register", "render_report"]


def demo(store: StoreOption = None) -> None:
    """Code the bundled demo corpus into the store and print a report."""
    coder = Coder.builtin(Settings.from_env())
    with Store.open(store_path(store)) as db:
        report = ingest_items(coder, db, load_corpus())
        summary("ingested", report.to_dict())
        render_report(db, Console())
    if report_errors(report.errors):
        raise typer.Exit(1)


_SERIES_COLUMNS = [
    "period", "events", "verbal_coop", "material_coop", "verbal_conflict",
    "material_conflict", "goldstein_mean", "net_coop", "net_coop_smooth",
]  # fmt: skip
_SMOOTH = 3
"""Months the demo smooths over: the corpus has a few USA–PAK events a month."""

_FIRST = (dt.date(2016, 1, 1), dt.date(2017, 12, 31))
_SECOND = (dt.date(2018, 1, 1), dt.date(2019, 12, 31))


def render_report(store: Store, console: Console) -> None:
    """Events per CAMEO root, the top dyads, the USA–PAK series with its lows and
    shifts (each with its evidence), and the alliance realignments of 2016–17 to 2018–19."""
    counts = store.counts()
    console.print(
        f"Store {store.path}: {counts['documents']} documents, {counts['events']} events, "
        f"{counts['errors']} errors"
    )
    console.print(
        frame_table("Events per CAMEO root (factual events)", events_per_root(store), console)
    )
    console.print(frame_table("Top dyads", top_dyads(store, 10), console))
    _render_dyad(store, console)
    _render_alliances(store, console)


def _render_dyad(store: Store, console: Console) -> None:
    series = dyad_series(store, "USA", "PAK", smooth=_SMOOTH)
    busy = series.loc[series["events"] > 0, _SERIES_COLUMNS]
    title = f"USA–PAK by month (net_coop_smooth: trailing {_SMOOTH} months; empty months left out)"
    console.print(frame_table(title, busy, console))
    # The calibrated defaults (docs/ANALYTICS.md): nothing is said on too few events.
    lows = dyad_lows(store, "USA", "PAK", kind="low")
    console.print("[bold]USA–PAK lows[/bold] (beyond chance against its own history)")
    _render_findings(console, lows)
    console.print("[bold]USA–PAK level shifts[/bold] (calibrated changepoints)")
    _render_findings(console, dyad_shifts(store, "USA", "PAK"), evidence=False)


def _render_findings(console: Console, findings: list[Finding], *, evidence: bool = True) -> None:
    if not findings:
        console.print("  none found")
    for finding in findings:
        console.print(f"  {finding.text}", soft_wrap=True)
        shown: set[str] = set()  # one sentence often reports two coded events
        for cite in finding.evidence if evidence else ():
            sentence = cite.sentences[0] if cite.sentences else cite.url or ""
            if sentence not in shown:
                shown.add(sentence)
                console.print(f"    {cite.date} {cite.event_id}: {sentence}", soft_wrap=True)


def _render_alliances(store: Store, console: Console) -> None:
    change = realignments(store, _FIRST, _SECOND, min_events=1)
    second = change.second
    balance = second.balance()
    console.print(
        f"[bold]Alliance shifts[/bold] {_FIRST[0].year}–{_FIRST[1].year} to "
        f"{_SECOND[0].year}–{_SECOND[1].year}: "
        f"{len(second.graph.edges)} signed pairs in the second window, "
        f"{'n/a' if balance is None else f'{balance:.0%}'} of its triads balanced"
    )
    for line in change.statements() or ["  no sign flips"]:
        console.print(f"  {line}")
    tension = second.tension().head(5)
    console.print(
        frame_table(f"Most tension {_SECOND[0].year}–{_SECOND[1].year}", tension, console)
    )


def register(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""
    app.command("demo")(demo)
