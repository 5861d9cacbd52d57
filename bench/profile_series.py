"""Where a dyad series' CPU goes on a large store, step by step, in this process.

Usage::

    .venv/bin/python bench/profile_series.py --store /tmp/dwapi/s10m.duckdb --repeat 40

Opens the store read-only through a thread reader (as the API server reads) and
times, over the same cycle of country pairs, each step of ``GET
/dyads/{a}/{b}/series``: the rollup's freshness check, the periods from the
rollup (``Store.dyad_period_arrays``), the same periods from the events table
(a side at any level matches codes too, which the rollup does not hold, so the
raw scan answers: what every series paid while the rollup was stale), the
whole ``dyad_series`` (monthly and weekly), and turning the weekly frame into
JSON rows (``frame_rows`` against ``to_jsonable``). CPU milliseconds per call
(this process, DuckDB's threads included), and each step as a ratio of the raw
scan measured in the same run, which does not depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from dyadwatch.analytics import dyad_series
from dyadwatch.api._queries import to_jsonable
from dyadwatch.api.routes_analytics import frame_rows
from dyadwatch.store import EventFilter, Store
from dyadwatch.store._rollup import fresh

_COUNTRIES = ("USA", "PAK", "IND", "CHN", "RUS", "IRN", "ISR", "UKR", "GBR", "FRA")
PAIRS = [(a, b) for a in _COUNTRIES for b in _COUNTRIES if a < b]


def cpu_ms(call: Callable[[tuple[str, str]], object], repeat: int) -> float:
    """CPU milliseconds per call of ``call`` over the pairs (one warm call first)."""
    call(PAIRS[0])
    started = time.process_time()
    for pair in itertools.islice(itertools.cycle(PAIRS), repeat):
        call(pair)
    return (time.process_time() - started) / repeat * 1000


def steps(store: Store) -> dict[str, Callable[[tuple[str, str]], object]]:
    weekly = dyad_series(store, "USA", "PAK", freq="W")
    return {
        "raw scan of the events table (baseline)": lambda p: store.dyad_period_arrays(
            EventFilter(p)
        ),
        "freshness check of the rollup": lambda p: fresh(store._con),
        "periods from the rollup (`dyad_period_arrays`)": lambda p: store.dyad_period_arrays(
            EventFilter(p, level="country")
        ),
        "`dyad_series`, monthly": lambda p: dyad_series(store, *p, freq="M"),
        "`dyad_series`, weekly": lambda p: dyad_series(store, *p, freq="W"),
        f"weekly frame ({len(weekly)} rows) to JSON rows, `frame_rows`": lambda p: frame_rows(
            weekly
        ),
        "the same, cell by cell (`to_jsonable`)": lambda p: to_jsonable(weekly),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    with Store.open(args.store, read_only=True) as opened:
        reader = opened.thread_reader()
        current, events = fresh(reader._con)
        sys.stdout.write(
            f"{events:,} events, rollup {'current' if current else 'STALE'}; "
            f"load average {os.getloadavg()[0]:.1f}\n\n| step | CPU ms/call | × raw scan |\n"
            "|---|---|---|\n"
        )
        baseline = None
        for name, call in steps(reader).items():
            ms = cpu_ms(call, args.repeat)
            baseline = baseline or ms
            sys.stdout.write(f"| {name} | {ms:.2f} | {ms / baseline:.2f} |\n")
        reader.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
