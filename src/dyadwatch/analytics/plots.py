"""Charts of the analytics, written to PNG or SVG with matplotlib's Agg renderer.

Figures are built with the object API (``matplotlib.figure.Figure``), never
``pyplot``: no global figure state and no GUI backend, so plotting is safe in
a server thread and headless.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from dyadwatch.analytics._sql import invalid
from dyadwatch.analytics.alliances import AllianceNetwork
from dyadwatch.analytics.shifts import Finding
from dyadwatch.errors import Errors, InputError

__all__ = ["PLOT_SUFFIXES", "plot_ledger", "plot_network", "plot_series"]

PLOT_SUFFIXES = (".png", ".svg")
_COOP, _CONFLICT, _NEUTRAL = "#2b7bba", "#c0392b", "#7f8c8d"


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure  # imported here: matplotlib is slow to load

    return Figure(figsize=(width, height), layout="constrained")


def _save(figure: object, path: Path | str) -> Path:
    out = Path(path)
    if out.suffix.lower() not in PLOT_SUFFIXES:
        invalid("plot", str(out), "expected a .png or .svg file")
    try:
        figure.savefig(out, dpi=150)  # type: ignore[attr-defined]
    except OSError as exc:
        raise InputError(Errors.DW108, detail=str(exc), path=str(out)) from exc
    return out


def plot_series(
    series: pd.DataFrame,
    path: Path | str,
    *,
    title: str,
    findings: Sequence[Finding] = (),
) -> Path:
    """The net-cooperation index with its estimate and 90% band (and its smoothing) over
    event counts, with findings marked.

    ``series`` is a :func:`~dyadwatch.analytics.series.dyad_series` frame;
    ``path`` ends in .png or .svg (else StoreError DW303); a path that cannot
    be written is InputError DW108. Returns the path written.
    """
    figure = _figure(10, 6)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    periods = pd.to_datetime(series["period"])
    top.axhline(0, color=_NEUTRAL, linewidth=0.8)
    if "net_coop_low" in series:
        top.fill_between(
            periods, series["net_coop_low"], series["net_coop_high"], color=_COOP, alpha=0.18,
            linewidth=0, label="90% interval",
        )  # fmt: skip
        top.plot(periods, series["net_coop_est"], color=_COOP, linewidth=1, label="estimate")
    top.plot(periods, series["net_coop"], "o", color=_COOP, markersize=4, label="net cooperation")
    if "net_coop_smooth" in series:
        top.plot(periods, series["net_coop_smooth"], color=_COOP, label="smoothed")
    _mark(top, findings)
    top.set_ylim(-1.1, 1.1)
    top.set_ylabel("net cooperation\n(coop − conflict) / events")
    top.set_title(title)
    top.legend(loc="best", fontsize="small")
    coop = series["verbal_coop"] + series["material_coop"]
    conflict = series["verbal_conflict"] + series["material_conflict"]
    width = _bar_width(periods)
    bottom.bar(periods, coop, width=width, color=_COOP, label="cooperative")
    bottom.bar(periods, -conflict, width=width, color=_CONFLICT, label="conflictual")
    bottom.axhline(0, color=_NEUTRAL, linewidth=0.8)
    bottom.set_ylabel("events")
    bottom.legend(loc="best", fontsize="small")
    return _save(figure, path)


def _bar_width(periods: pd.Series) -> float:
    if len(periods) < 2:
        return 20.0
    return float(periods.diff().dt.days.median()) * 0.8


def _mark(axes: object, findings: Sequence[Finding]) -> None:
    """Triangles at the findings' values: down for lows and falls, up for highs and rises."""
    for kind, marker, colour, label in (
        ("low", "v", _CONFLICT, "low"), ("high", "^", _COOP, "high"),
        ("shift", "D", "black", "level shift"),
    ):  # fmt: skip
        chosen = [f for f in findings if f.kind == kind]
        if chosen:
            when = [pd.Timestamp(f.period) for f in chosen]
            axes.scatter(  # type: ignore[attr-defined]
                when, [f.value for f in chosen], s=120, marker=marker, color=colour,
                edgecolors="black", zorder=5, label=label,
            )  # fmt: skip


def plot_network(network: AllianceNetwork, path: Path | str, *, title: str | None = None) -> Path:
    """Actors on a circle, cooperative edges blue and conflictual red, width by volume."""
    figure = _figure(8, 8)
    axes = figure.subplots()
    nodes = sorted(network.graph)
    places = {
        n: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
        for i, n in enumerate(nodes)
    }
    edges = network.edges()
    most = max(int(edges["events"].max()), 1) if not edges.empty else 1
    for edge in edges.to_dict("records"):
        (x1, y1), (x2, y2) = places[edge["a"]], places[edge["b"]]
        colour = _COOP if edge["sign"] > 0 else _CONFLICT
        style = "-" if edge["sign"] > 0 else "--"
        width = 0.8 + 5 * math.sqrt(edge["events"] / most)
        axes.plot([x1, x2], [y1, y2], style, color=colour, linewidth=width, alpha=0.7)
    for node, (x, y) in places.items():
        axes.scatter([x], [y], s=900, color="white", edgecolors="black", zorder=3)
        axes.annotate(node, (x, y), ha="center", va="center", fontsize=9, zorder=4)
    axes.set_axis_off()
    axes.set_aspect("equal")
    axes.set_title(
        title
        or f"Alliance network {network.start.isoformat()} to {network.end.isoformat()}\n"
        "blue solid: cooperative; red dashed: conflictual; width: events"
    )
    return _save(figure, path)


def plot_ledger(comparison: pd.DataFrame, path: Path | str, *, country: str) -> Path:
    """Killed per year as a min–max range for each source, for one country."""
    figure = _figure(10, 5)
    axes = figure.subplots()
    rows = comparison[comparison["country"] == country].sort_values("year")
    columns = [str(c) for c in rows.columns]
    sources = sorted({c[: -len("_killed_min")] for c in columns if c.endswith("_killed_min")})
    step = 0.8 / max(len(sources), 1)
    for i, source in enumerate(sources):
        low = rows[f"{source}_killed_min"].astype("float64")
        high = rows[f"{source}_killed_max"].astype("float64")
        years = rows["year"].astype("float64") - 0.4 + step * (i + 0.5)
        # A point figure (min = max) still shows as a thin bar.
        height = (high - low).clip(lower=max(float(high.max()) * 0.01, 0.5))
        axes.bar(years, height, bottom=low, width=step * 0.9, label=source)
    axes.set_xlabel("year")
    axes.set_ylabel("killed (bar spans minimum to maximum)")
    axes.set_title(f"Reported killed in strikes, {country}: sources side by side")
    axes.legend(fontsize="small")
    return _save(figure, path)
