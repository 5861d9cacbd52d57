"""Time the relations analytics over many events: a dyad series, lows, shifts, a network.

Usage::

    .venv/bin/python bench/bench_analytics.py          # 10M events; writes docs/PERFORMANCE.md
    .venv/bin/python bench/bench_analytics.py --events 1000000 --out /tmp/perf.md

The synthetic events are generated inside DuckDB by ``bench_store.build``
(INSERT … SELECT from ``range()``: 30 countries, skewed so some dyads are
busy, ten years from 2015). Figures replace the "Analytics" section of the
output file and leave its other sections alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from _sections import replace_section
from bench_store import build, peak_rss_mb, timed
from dyadwatch.analytics import alliances, dyad_lows, dyad_series, dyad_shifts, dyads_at_low
from dyadwatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
YEAR = (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
BARE_SERIES = """
SELECT date_trunc('month', date) AS period, count(*) AS events, sum(goldstein) AS goldstein
FROM events
WHERE date IS NOT NULL AND ((source_country = 'USA' AND target_country = 'PAK')
    OR (source_country = 'PAK' AND target_country = 'USA'))
GROUP BY period ORDER BY period
"""
"""The baseline of the series: its bare grouped query, no pandas, no intervals."""
RECENT = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
"""The window ``dyads_at_low`` ranks: the last quarter of the synthetic decade."""


def measure(events: int, workdir: Path, repeat: int) -> dict[str, str]:
    path = workdir / "bench.duckdb"
    load = os.getloadavg()[0]
    figures = {"build": f"{build(path, events):.1f} s"}
    with Store.open(path) as store:
        started = time.perf_counter()
        figures["rollup_rows"] = f"{store.refresh_rollup():,}"
        figures["rollup"] = f"{time.perf_counter() - started:.1f} s"
    with Store.open(path, read_only=True) as store:
        cases = {
            "bare": lambda: store.select(BARE_SERIES),
            "series": lambda: dyad_series(store, "USA", "PAK", freq="M"),
            "smooth": lambda: dyad_series(store, "USAGOV", "PAKMIL", freq="W", smooth=4),
            "lows": lambda: dyad_lows(store, "USA", "PAK", lookback=12),
            "shifts": lambda: dyad_shifts(store, "USA", "PAK"),
            "network": lambda: alliances(store, *YEAR),
            "balance": lambda: alliances(store, *YEAR).tension(),
        }
        medians = {}
        for name, call in cases.items():
            medians[name], worst = timed(call, repeat)
            figures[name] = f"{medians[name]:.0f} ms (worst {worst:.0f})"
        figures["ratio"] = f"{medians['series'] / medians['bare']:.1f}"
        network = alliances(store, *YEAR)
        figures["nodes"] = str(network.graph.number_of_nodes())
        figures["edges"] = str(network.graph.number_of_edges())
        figures["triads"] = str(len(network.triads()))
        figures["rows"] = str(len(dyad_series(store, "USA", "PAK")))
        # Seconds per call, not milliseconds: two warm runs are enough to show its scale.
        ranked: list[int] = []
        at_low = timed(
            lambda: ranked.append(len(dyads_at_low(store, RECENT[0], until=RECENT[1]))), 2
        )
        figures["at_low"] = "{:.0f} ms (worst {:.0f}), 2 warm runs".format(*at_low)
        figures["ranked"] = str(ranked[-1])
    figures["rss"] = f"{peak_rss_mb():,.0f} MiB"
    figures["load"] = f"{load:.1f}, {os.getloadavg()[0]:.1f}"
    return figures


def section(events: int, repeat: int, f: dict[str, str], command: str) -> str:
    cpu = platform.processor() or platform.machine()
    return f"""## Analytics

Measured by `{command}` on {dt.date.today().isoformat()}: {os.cpu_count()} cores ({cpu}),
Python {platform.python_version()}, DuckDB {duckdb.__version__}, file store opened read-only.
{events:,} synthetic events generated inside DuckDB in {f["build"]} (as for "Store"
above: 30 countries, six sectors, 2015-2024); the dyad × day rollup
(`Store.refresh_rollup`, docs/STORE.md) then took {f["rollup"]} ({f["rollup_rows"]} rows).
Timings are the median of {repeat} warm runs.

| call over {events:,} events | time | target |
|---|---|---|
| `dyad_series(store, "USA", "PAK", freq="M")` ({f["rows"]} months) | {f["series"]} | < 300 ms |
| baseline: its bare grouped query (`Store.select`, no pandas, no intervals) | {f["bare"]} | |
| `alliances(store, 2019-01-01, 2019-12-31)` ({f["nodes"]} actors, {f["edges"]} edges) \
| {f["network"]} | < 2 s |
| `dyad_series(store, "USAGOV", "PAKMIL", freq="W", smooth=4)`, code level | {f["smooth"]} | |
| `dyad_lows(store, "USA", "PAK", lookback=12)`, with evidence | {f["lows"]} | |
| `dyad_shifts(store, "USA", "PAK")` (PELT), with evidence | {f["shifts"]} | |
| `alliances(...)` plus `tension()` over its {f["triads"]} triangles | {f["balance"]} | |
| `dyads_at_low(store, 2024-10-01, until=2024-12-31)` ({f["ranked"]} dyads ranked) \
| {f["at_low"]} | |

The series costs {f["ratio"]}× the bare grouped query over the events table, measured in
the same process: that ratio, unlike the milliseconds, does not depend on how busy the
machine is. A country series reads the rollup; the code-level series (actor codes are
not in the rollup) and a stale rollup read the events table.
Load average (1 min) at start and end: {f["load"]}; above {os.cpu_count()} the machine
was shared with other work and every figure is pessimistic.
Peak resident memory of the whole run: {f["rss"]}. The network and the ranking are
one grouped DuckDB query each over the `events` table; the ranking then tests every
dyad in one vectorised numpy pass (their months laid end to end), the series and
findings are pandas over at most a few hundred rows per dyad, plus one query per cited
event.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    args = parser.parse_args(argv)
    command = "python bench/bench_analytics.py" + (
        f" --events {args.events}" if args.events != 10_000_000 else ""
    )
    with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as workdir:
        figures = measure(args.events, Path(workdir), args.repeat)
    text = section(args.events, args.repeat, figures, command)
    replace_section(args.out, "Analytics", text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
