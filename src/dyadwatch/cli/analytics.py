"""``analytics …``: dyad series, lows, shifts, alliances and casualty ledgers.

Each command opens the store read-only, calls one function of
:mod:`dyadwatch.analytics`, prints tables or findings and, with
``--plot out.png|svg``, writes a chart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console

from dyadwatch.analytics import (
    MIN_EVENTS,
    Finding,
    alliances,
    compare_ledgers,
    dyad_lows,
    dyad_series,
    dyad_shifts,
    dyads_at_low,
    ledger,
    plots,
    realignments,
)
from dyadwatch.cli._app import new_app
from dyadwatch.cli._options import (
    FINDING_FILTERS,
    SCOPE_FILTERS,
    SERIES_FILTERS,
    Filters,
    PlotOption,
    StoreOption,
    store_path,
    with_filters,
)
from dyadwatch.cli._tables import frame_table, span
from dyadwatch.errors import Errors, StoreError
from dyadwatch.ingest import parse_date
from dyadwatch.store import Store

__all__ = ["analytics_app", "register"]

analytics_app = new_app("Dyad series, lows and shifts, alliance networks and casualty ledgers.")

ActorA = Annotated[
    str, typer.Argument(metavar="A", help="An ISO-3 country (USA) or actor code (PAKMIL).")
]
ActorB = Annotated[str, typer.Argument(metavar="B", help="The other country or actor code.")]
FreqOption = Annotated[str, typer.Option("--freq", metavar="D|W|M|Y", help="Period.")]
DirectionOption = Annotated[
    str,
    typer.Option(
        "--direction", metavar="both|a_to_b|b_to_a", help="Events either way, or one way only."
    ),
]
SmoothOption = Annotated[
    int | None,
    typer.Option("--smooth", metavar="N", help="Also smooth over this many trailing periods."),
]
LevelOption = Annotated[
    str,
    typer.Option(
        "--level", metavar="country|code", help="Match actors by country (default) or by code."
    ),
]
MetricOption = Annotated[
    str, typer.Option("--metric", metavar="net_coop|goldstein_mean", help="What to follow.")
]
MinEventsOption = Annotated[
    int,
    typer.Option(
        "--min-events", metavar="N", help="Fewest events a period (or pair) needs to count."
    ),
]
PublicationWeightOption = Annotated[
    float,
    typer.Option(
        "--publication-weight", metavar="W",
        help="What an event dated only by its publication stamp counts for, 0 to 1 "
        "(default 1: a full event; docs/ANALYTICS.md).",
    ),
]  # fmt: skip
WideOption = Annotated[
    bool, typer.Option("--wide", help="Every source's figures side by side, as columns.")
]


@contextmanager
def _open(store: Path | None) -> Iterator[Store]:
    with Store.open(store_path(store), read_only=True) as db:
        yield db


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
@with_filters(*SERIES_FILTERS)
def series_command(
    a: ActorA,
    b: ActorB,
    filters: Filters,
    freq: FreqOption = "M",
    direction: DirectionOption = "both",
    smooth: SmoothOption = None,
    level: LevelOption = "country",
    publication_weight: PublicationWeightOption = 1.0,
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:  # fmt: skip
    """Events between A and B per period: counts, Goldstein, net cooperation with its
    shrinkage estimate and 90% interval."""
    with _open(store) as db:
        frame = dyad_series(
            db, a, b, freq=freq, direction=direction, smooth=smooth,  # type: ignore[arg-type]
            actor_level=level, publication_weight=publication_weight,  # type: ignore[arg-type]
            **filters.given(),
        )  # fmt: skip
        title = _title(a, b, frame, freq, direction)
        if plot is not None:
            plots.plot_series(frame, plot, title=f"{title}: net cooperation")
    console = Console()
    console.print(frame_table(title, _series_shown(frame), console))


def _series_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader needs: counts, the raw index, its estimate and 90% interval."""
    coop = frame["verbal_coop"] + frame["material_coop"]
    conflict = frame["verbal_conflict"] + frame["material_conflict"]
    bounds = [
        "" if pd.isna(low) else f"[{low:+.2f}, {high:+.2f}]"
        for low, high in zip(frame["net_coop_low"], frame["net_coop_high"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "period": frame["period"], "events": frame["events"], "coop": coop,
            "conflict": conflict, "goldstein_mean": frame["goldstein_mean"].round(2),
            "net_coop": frame["net_coop"].round(2),
            "estimate": frame["net_coop_est"].round(2), "interval_90": bounds,
        }
    )  # fmt: skip
    for column in ("net_coop_smooth", "goldstein_smooth"):
        if column in frame:
            shown[column] = frame[column].round(2)
    return shown


def _series_options(
    freq: str, direction: str, smooth: int | None, level: str, filters: Filters, weight: float
) -> dict[str, Any]:
    """The series a finding is read from: what ``lows`` and ``shifts`` share."""
    return {
        "freq": freq, "direction": direction, "smooth": smooth, "actor_level": level,
        "publication_weight": weight, **filters.given(),
    }  # fmt: skip


def _findings(
    find: Callable[..., list[Finding]],
    a: str,
    b: str,
    options: dict[str, Any],
    store: Path | None,
    plot: Path | None,
    **specific: Any,
) -> None:
    """Run ``find`` over the A–B series, print its findings and draw them if asked."""
    with _open(store) as db:
        findings = find(db, a, b, **specific, **options)
        if plot is not None:
            frame = dyad_series(db, a, b, **options)
            title = _title(a, b, frame, options["freq"], options["direction"])
            plots.plot_series(frame, plot, title=title, findings=findings)
    _print_findings(Console(), findings)


@analytics_app.command("lows")
@with_filters(*SERIES_FILTERS)
def lows_command(
    filters: Filters,
    a: Annotated[
        str | None,
        typer.Argument(metavar="[A]", help="An ISO-3 country (USA) or actor code (PAKMIL)."),
    ] = None,
    b: Annotated[str | None, typer.Argument(metavar="[B]", help="The other one.")] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Rank every country pair by how far below its own history it sits "
            "since --since (instead of A and B).",
        ),
    ] = False,
    freq: FreqOption = "M",
    direction: DirectionOption = "both",
    metric: MetricOption = "net_coop",
    lookback: Annotated[
        int | None,
        typer.Option(
            "--lookback", metavar="N", help="Periods to look back (default: all; 36 with --all)."
        ),
    ] = None,
    smooth: SmoothOption = None,
    min_events: MinEventsOption = MIN_EVENTS,
    level: LevelOption = "country",
    publication_weight: PublicationWeightOption = 1.0,
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """State when A–B departed below (or above) its own history beyond chance, with the
    interval, the event count and the events behind it; or, with --all, rank every dyad."""
    if every:
        _ranked(filters, lookback, min_events, publication_weight, store)
        return
    if a is None or b is None:
        raise StoreError(Errors.DW303, name="dyad", value=(a, b), reason="give A and B, or --all")
    if filters.since is not None or filters.until is not None:
        reason = "--since and --until go with --all; a dyad's lows read its whole history"
        raise StoreError(Errors.DW303, name="since", value=filters.since, reason=reason)
    options = _series_options(freq, direction, smooth, level, filters, publication_weight)
    _findings(
        dyad_lows, a, b, options, store, plot,
        metric=metric, lookback=lookback, min_events=min_events,
    )  # fmt: skip


def _ranked(
    filters: Filters, lookback: int | None, min_events: int, weight: float, store: Path | None
) -> None:
    if filters.since is None:
        raise StoreError(Errors.DW303, name="since", value=None, reason="--all needs --since")
    with _open(store) as db:
        ranked = dyads_at_low(
            db, filters.since, until=filters.until, lookback=lookback or 36,
            min_events=min_events, min_confidence=filters.min_confidence,
            date_basis=filters.date_basis, publication_weight=weight,
        )  # fmt: skip
    console = Console()
    if ranked.empty:
        console.print("no dyad has enough events and history")
        return
    shown = ranked[["dyad", "events", "net_coop", "low", "high", "baseline", "z", "at_low"]]
    console.print(frame_table(f"Dyads against their own history since {filters.since}",
                              shown.round(2), console))  # fmt: skip


@analytics_app.command("shifts")
@with_filters(*FINDING_FILTERS)
def shifts_command(
    a: ActorA,
    b: ActorB,
    filters: Filters,
    freq: FreqOption = "M",
    direction: DirectionOption = "both",
    metric: MetricOption = "net_coop",
    penalty: Annotated[
        float | None,
        typer.Option("--penalty", metavar="X", help="Penalty per change (default: 4·σ²·ln n)."),
    ] = None,
    smooth: SmoothOption = None,
    min_events: MinEventsOption = MIN_EVENTS,
    level: LevelOption = "country",
    publication_weight: PublicationWeightOption = 1.0,
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """Find where the level of A–B changed (least-squares changepoints), with the events
    behind it."""
    options = _series_options(freq, direction, smooth, level, filters, publication_weight)
    _findings(
        dyad_shifts, a, b, options, store, plot,
        metric=metric, penalty=penalty, min_events=min_events,
    )  # fmt: skip


StartOption = Annotated[str, typer.Option("--start", metavar="DATE", help="First date YYYY-MM-DD.")]
EndOption = Annotated[str, typer.Option("--end", metavar="DATE", help="Last date YYYY-MM-DD.")]


@analytics_app.command("alliances")
@with_filters(*FINDING_FILTERS)
def alliances_command(
    start: StartOption,
    end: EndOption,
    filters: Filters,
    min_events: MinEventsOption = 3,
    level: LevelOption = "country",
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """The signed alliance network of a window: edges, unbalanced triads, tension."""
    with _open(store) as db:
        network = alliances(
            db, parse_date(start), parse_date(end), min_events=min_events,
            actor_level=level, **filters.given(),  # type: ignore[arg-type]
        )  # fmt: skip
        if plot is not None:
            plots.plot_network(network, plot)
    console = Console()
    window = f"{network.start} to {network.end}"
    balance = network.balance()
    console.print(frame_table(f"Alliance edges, {window}", network.edges(), console))
    triads = network.triads()
    console.print(frame_table("Unbalanced triads", triads[~triads["balanced"]], console))
    console.print(frame_table("Tension by actor", network.tension(), console))
    console.print(f"balanced triads: {'n/a' if balance is None else f'{balance:.0%}'}")


@analytics_app.command("realign")
@with_filters(*FINDING_FILTERS)
def realign_command(
    first: Annotated[tuple[str, str], typer.Option("--first", metavar="START END",
                                                   help="First window (YYYY-MM-DD).")],
    second: Annotated[tuple[str, str], typer.Option("--second", metavar="START END",
                                                    help="Second window (YYYY-MM-DD).")],
    filters: Filters,
    min_events: MinEventsOption = 3,
    level: LevelOption = "country",
    store: StoreOption = None,
) -> None:  # fmt: skip
    """Edges whose sign flipped between two windows, and triads that changed balance."""
    with _open(store) as db:
        change = realignments(
            db, (parse_date(first[0]), parse_date(first[1])),
            (parse_date(second[0]), parse_date(second[1])),
            min_events=min_events, actor_level=level, **filters.given(),
        )  # fmt: skip
    console = Console()
    console.print(frame_table("Sign flips", change.flips, console))
    console.print(frame_table("Triads that changed balance", change.triads, console))
    for line in change.statements():
        console.print(line)


@analytics_app.command("ledger")
@with_filters(*SCOPE_FILTERS)
def ledger_command(
    filters: Filters,
    new_america: Annotated[
        Path | None,
        typer.Option("--new-america", metavar="FILE", help="A table in New America's layout."),
    ] = None,
    tbij: Annotated[
        Path | None, typer.Option("--tbij", metavar="FILE", help="A table in TBIJ's layout.")
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="ISO3",
            help="Only this country; also the country of tables without a country column.",
        ),
    ] = None,
    cameo: Annotated[
        list[str] | None,
        typer.Option("--cameo", metavar="CODE", help="CAMEO prefix of a coded strike (195)."),
    ] = None,
    coded: Annotated[
        bool, typer.Option("--coded/--no-coded", help="Include the store's coded events.")
    ] = True,
    wide: WideOption = False,
    store: StoreOption = None,
    plot: PlotOption = None,
) -> None:
    """Strikes, killed and civilians by country and year, source by source."""
    if coded:
        with _open(store) as db:
            tally = ledger(
                db, new_america=new_america, tbij=tbij, country=country,
                cameo=tuple(cameo or ("195",)), **filters.given(),
            )  # fmt: skip
    else:
        tally = ledger(new_america=new_america, tbij=tbij, country=country)
    comparison = compare_ledgers(tally) if not tally.empty else tally
    if plot is not None and not comparison.empty:
        plots.plot_ledger(comparison, plot, country=(country or "PAK").upper())
    console = Console()
    if wide:
        console.print(frame_table("Casualty ledger: sources side by side", comparison, console))
        return
    console.print(frame_table("Casualty ledger by source", _by_source(tally), console))
    disagreement = _disagreement(comparison) if not comparison.empty else comparison
    if not disagreement.empty:  # it needs two sources covering one country and year
        console.print(frame_table("Where sources disagree", disagreement, console))


def _by_source(tally: pd.DataFrame) -> pd.DataFrame:
    """One row per country, year and source: strikes, and killed and civilians as ranges."""
    rows = [
        (r.country, r.year, r.source, r.strikes, span(r.killed_min, r.killed_max),
         span(r.civilians_min, r.civilians_max))
        for r in tally.sort_values(["country", "year", "source"]).itertuples(index=False)
    ]  # fmt: skip
    return pd.DataFrame(
        rows, columns=["country", "year", "source", "strikes", "killed", "civilians"]
    )


def _disagreement(comparison: pd.DataFrame) -> pd.DataFrame:
    """Years two sources both cover: how far apart their strikes and casualty ranges are."""
    columns = {
        "strikes_spread": "strikes apart", "killed_gap": "killed gap",
        "civilians_gap": "civilians gap",
    }  # fmt: skip
    both = comparison[comparison[list(columns)].notna().any(axis=1)]
    return both[["country", "year", *columns]].rename(columns=columns)


def register(app: typer.Typer) -> None:
    """Add the ``analytics`` group to ``app``."""
    app.add_typer(analytics_app, name="analytics")
