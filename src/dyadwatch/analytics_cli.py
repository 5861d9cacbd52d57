"""``dyadwatch analytics …``: dyad series, lows, shifts, alliances and casualty ledgers.

A thin layer over :mod:`dyadwatch.analytics`: each command opens the store
read-only, calls one library function, prints rich tables and, with
``--plot out.png|svg``, writes a chart. Domain errors become a message and
exit status 1, as in :mod:`dyadwatch.cli`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from dyadwatch.analytics import (
    MIN_EVENTS,
    Finding,
    alliances,
    compare_ledgers,
    dyad_lows,
    dyad_series,
    dyad_shifts,
    ledger,
    plots,
    realignments,
)
from dyadwatch.config import Settings
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest import parse_date
from dyadwatch.store import Store

__all__ = ["analytics_app"]

analytics_app = typer.Typer(
    help="Dyad series, lows and shifts, alliance networks and casualty ledgers.",
    no_args_is_help=True,
)

Actor = Annotated[str, typer.Argument(help="An ISO-3 country (USA) or actor code (PAKMIL).")]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="DuckDB store file (default: $DYADWATCH_STORE or ./dyadwatch.duckdb)."
    ),
]
PlotOption = Annotated[
    Path | None, typer.Option("--plot", help="Also draw a chart to this .png or .svg file.")
]
FreqOption = Annotated[str, typer.Option("--freq", help="Period: D, W, M or Y.")]
DirectionOption = Annotated[str, typer.Option("--direction", help="both, a_to_b or b_to_a.")]
SmoothOption = Annotated[
    int | None, typer.Option("--smooth", help="Also smooth over this many trailing periods.")
]
ProvenanceOption = Annotated[
    str | None,
    typer.Option("--provenance", help="Only events from dyadwatch, gdelt1, gdelt2 or icews."),
]
LevelOption = Annotated[
    str, typer.Option("--level", help="Match actors by country (default) or by code.")
]
MetricOption = Annotated[str, typer.Option("--metric", help="net_coop or goldstein_mean.")]
MinEventsOption = Annotated[
    int, typer.Option("--min-events", help="Fewest events a period (or pair) needs to count.")
]


@contextmanager
def _domain_errors() -> Iterator[None]:
    """A DyadwatchError becomes its message on stderr and exit status 1."""
    try:
        yield
    except DyadwatchError as exc:
        Console(stderr=True, highlight=False).print(f"[red]error[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc


@contextmanager
def _open(store: Path | None) -> Iterator[Store]:
    path = store if store is not None else Settings.from_env().store_path
    with Store.open(path, read_only=True) as db:
        yield db


def _date(value: str | None) -> dt.date | None:
    return parse_date(value) if value else None


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.2f}"
    return "" if value is None or value is pd.NA else str(value)


def _table(title: str, frame: pd.DataFrame) -> Table:
    table = Table(*map(str, frame.columns), title=title)
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    return table


def _print_findings(console: Console, findings: Sequence[Finding]) -> None:
    if not findings:
        console.print("no findings")
    for finding in findings:
        console.print(f"[bold]{finding.text}[/bold]", soft_wrap=True)
        for cite in finding.evidence:
            where = cite.sentences[0] if cite.sentences else (cite.url or "")
            console.print(f"  {cite.event_id} {cite.date} {cite.cameo}: {where}", soft_wrap=True)


_FREQ_WORD = {"D": "daily", "W": "weekly", "M": "monthly", "Y": "yearly"}


def _title(a: str, b: str, frame: pd.DataFrame, freq: str, direction: str) -> str:
    arrow = {"a_to_b": "→", "b_to_a": "←"}.get(direction, "–")
    window = ""
    if not frame.empty:
        window = f", {frame['period'].iloc[0]} to {frame['period'].iloc[-1]}"
    return f"{a.upper()}{arrow}{b.upper()}, {_FREQ_WORD.get(freq, freq)}{window}"


@analytics_app.command("series")
def series_command(
    a: Actor,
    b: Actor,
    freq: FreqOption = "M",
    direction: DirectionOption = "both",
    smooth: SmoothOption = None,
    since: Annotated[str | None, typer.Option("--since", help="First date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last date YYYY-MM-DD.")] = None,
    provenance: ProvenanceOption = None,
    level: LevelOption = "country",
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """Events between A and B per period: QuadClass counts, Goldstein, net cooperation."""
    with _domain_errors(), _open(store) as db:
        frame = dyad_series(
            db, a, b, freq=freq, direction=direction, smooth=smooth,  # type: ignore[arg-type]
            provenance=provenance, actor_level=level,  # type: ignore[arg-type]
            since=_date(since), until=_date(until),
        )  # fmt: skip
        title = _title(a, b, frame, freq, direction)
        if plot is not None:
            plots.plot_series(frame, plot, title=f"{title}: net cooperation")
    Console().print(_table(title, frame))


def _plot_findings(
    db: Store,
    a: str,
    b: str,
    options: dict[str, Any],
    findings: list[Finding],
    plot: Path | None,
) -> None:
    """Draw the series the findings were read from, with the findings marked."""
    if plot is None:
        return
    frame = dyad_series(db, a, b, **options)
    title = _title(a, b, frame, options["freq"], options["direction"])
    plots.plot_series(frame, plot, title=title, findings=findings)


@analytics_app.command("lows")
def lows_command(
    a: Actor,
    b: Actor,
    freq: FreqOption = "M",
    direction: DirectionOption = "both",
    metric: MetricOption = "net_coop",
    lookback: Annotated[
        int | None, typer.Option("--lookback", help="Periods to look back (default: all).")
    ] = None,
    smooth: SmoothOption = None,
    min_events: MinEventsOption = MIN_EVENTS,
    provenance: ProvenanceOption = None,
    level: LevelOption = "country",
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """State when A–B stood at its lowest or highest level, with the events behind it."""
    options = {
        "freq": freq, "direction": direction, "smooth": smooth, "provenance": provenance,
        "actor_level": level,
    }  # fmt: skip
    with _domain_errors(), _open(store) as db:
        findings = dyad_lows(
            db, a, b, metric=metric, lookback=lookback, min_events=min_events,  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )  # fmt: skip
        _plot_findings(db, a, b, options, findings, plot)
    _print_findings(Console(), findings)


@analytics_app.command("shifts")
def shifts_command(
    a: Actor,
    b: Actor,
    freq: FreqOption = "M",
    direction: DirectionOption = "both",
    metric: MetricOption = "net_coop",
    penalty: Annotated[
        float | None, typer.Option("--penalty", help="PELT penalty (default: 2·σ²·ln n).")
    ] = None,
    smooth: SmoothOption = None,
    min_events: MinEventsOption = MIN_EVENTS,
    provenance: ProvenanceOption = None,
    level: LevelOption = "country",
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """Find where the level of A–B changed (PELT changepoints), with the events behind it."""
    options = {
        "freq": freq, "direction": direction, "smooth": smooth, "provenance": provenance,
        "actor_level": level,
    }  # fmt: skip
    with _domain_errors(), _open(store) as db:
        findings = dyad_shifts(
            db, a, b, metric=metric, penalty=penalty, min_events=min_events,  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )  # fmt: skip
        _plot_findings(db, a, b, options, findings, plot)
    _print_findings(Console(), findings)


StartOption = Annotated[str, typer.Option("--start", help="First date YYYY-MM-DD.")]
EndOption = Annotated[str, typer.Option("--end", help="Last date YYYY-MM-DD.")]


@analytics_app.command("alliances")
def alliances_command(
    start: StartOption,
    end: EndOption,
    min_events: MinEventsOption = 3,
    provenance: ProvenanceOption = None,
    level: LevelOption = "country",
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """The signed alliance network of a window: edges, unbalanced triads, tension."""
    with _domain_errors(), _open(store) as db:
        network = alliances(
            db, parse_date(start), parse_date(end), min_events=min_events,
            provenance=provenance, actor_level=level,  # type: ignore[arg-type]
        )  # fmt: skip
        if plot is not None:
            plots.plot_network(network, plot)
    console = Console()
    window = f"{network.start} to {network.end}"
    balance = network.balance()
    console.print(_table(f"Alliance edges, {window}", network.edges()))
    triads = network.triads()
    console.print(_table("Unbalanced triads", triads[~triads["balanced"]]))
    console.print(_table("Tension by actor", network.tension()))
    console.print(f"balanced triads: {'n/a' if balance is None else f'{balance:.0%}'}")


@analytics_app.command("realign")
def realign_command(
    first: Annotated[
        tuple[str, str], typer.Option("--first", help="First window: START END (YYYY-MM-DD).")
    ],
    second: Annotated[
        tuple[str, str], typer.Option("--second", help="Second window: START END (YYYY-MM-DD).")
    ],
    min_events: MinEventsOption = 3,
    provenance: ProvenanceOption = None,
    level: LevelOption = "country",
    store: StoreOption = None,
) -> None:
    """Edges whose sign flipped between two windows, and triads that changed balance."""
    with _domain_errors(), _open(store) as db:
        change = realignments(
            db, (parse_date(first[0]), parse_date(first[1])),
            (parse_date(second[0]), parse_date(second[1])),
            min_events=min_events, provenance=provenance, actor_level=level,
        )  # fmt: skip
    console = Console()
    console.print(_table("Sign flips", change.flips))
    console.print(_table("Triads that changed balance", change.triads))
    for line in change.statements():
        console.print(line)


@analytics_app.command("ledger")
def ledger_command(
    new_america: Annotated[
        Path | None, typer.Option("--new-america", help="A table in New America's layout.")
    ] = None,
    tbij: Annotated[Path | None, typer.Option("--tbij", help="A table in TBIJ's layout.")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO-3 country of tables without one.")
    ] = None,
    cameo: Annotated[
        list[str] | None, typer.Option("--cameo", help="CAMEO prefix of a coded strike (195).")
    ] = None,
    coded: Annotated[
        bool, typer.Option("--coded/--no-coded", help="Include the store's coded events.")
    ] = True,
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """Strikes, killed and civilians by country and year, source by source."""
    with _domain_errors():
        if coded:
            with _open(store) as db:
                tally = ledger(
                    db, new_america=new_america, tbij=tbij, country=country,
                    cameo=tuple(cameo or ("195",)),
                )  # fmt: skip
        else:
            tally = ledger(new_america=new_america, tbij=tbij, country=country)
        comparison = compare_ledgers(tally) if not tally.empty else tally
        if plot is not None and not comparison.empty:
            plots.plot_ledger(comparison, plot, country=(country or "PAK").upper())
    Console().print(_table("Casualty ledger: sources side by side", comparison))
