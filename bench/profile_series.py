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

Session 12 added the rollup's layouts side by side: the periods query over
``dyad_days`` (the pair's row group) and over ``dyad_pairs`` (the pair's rows by
key), the series through a reader that checks the rollup per call and one that
trusts its writer (``thread_reader(sole_writer=True)``, as the server's hub), and
lows, shifts and alliances, the last from the events table and from the rollup.

Session 14 added the pair's rows read from ``dyad_pairs``' ten lists against
``dyad_packed``'s one blob per direction (weekly, the units the API serves most).

Issue 20 added the handlers' bodies, former and current: the former returned the
frame as rows and FastAPI validated them against ``AnalyticsOut`` and wrote
pydantic's JSON; the current writes the same bytes from the columns (no frame, no
validation). Both include the trusted reader's store read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import TypeAdapter

from dyadwatch.analytics import alliances, dyad_lows, dyad_series, dyad_shifts
from dyadwatch.analytics.series import series_arrays
from dyadwatch.api._queries import to_jsonable
from dyadwatch.api.models import AnalyticsOut
from dyadwatch.api.routes_analytics import _columns_response, _json_response, _result, frame_rows
from dyadwatch.store import EventFilter, Store, _rollup
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


def _sql(store: Store, built: tuple[str, dict[str, object]] | None, **more: object) -> object:
    sql, params = built or ("SELECT 1", {})
    return store.select(sql, {**params, **more})


_YEAR = {"start": dt.date(2017, 1, 1), "end": dt.date(2017, 12, 31)}


_OUT = TypeAdapter(AnalyticsOut)


def _former(name: str, value: object) -> bytes:
    """What FastAPI did with a handler's dict: validate it, then pydantic's JSON."""
    return _OUT.dump_json(_OUT.validate_python(_result(name, value)))


def _current_series(trusted: Store, pair: tuple[str, str]) -> object:
    periods, columns = series_arrays(trusted, *pair, freq="M")
    return _columns_response("dyad_series", {"period": periods.tolist(), **columns})


def handler_steps(trusted: Store) -> dict[str, Callable[[tuple[str, str]], object]]:
    """The series, lows and shifts handlers' bodies, former and current (issue 20)."""
    return {
        "series handler body, former (frame, rows, validation, JSON)": lambda p: _former(
            "dyad_series", dyad_series(trusted, *p, freq="M")
        ),
        "series handler body, current (columns straight to JSON)": lambda p: _current_series(
            trusted, p
        ),
        "`series_arrays` alone (the store read and the arithmetic)": lambda p: series_arrays(
            trusted, *p, freq="M"
        ),
        "lows handler body, former": lambda p: _former("dyad_lows", dyad_lows(trusted, *p)),
        "lows handler body, current": lambda p: _json_response(
            "dyad_lows", _result("dyad_lows", dyad_lows(trusted, *p))["result"]
        ),
        "shifts handler body, former": lambda p: _former("dyad_shifts", dyad_shifts(trusted, *p)),
        "shifts handler body, current": lambda p: _json_response(
            "dyad_shifts", _result("dyad_shifts", dyad_shifts(trusted, *p))["result"]
        ),
    }


def steps(store: Store, trusted: Store) -> dict[str, Callable[[tuple[str, str]], object]]:
    weekly = dyad_series(store, "USA", "PAK", freq="W")

    def country(p: tuple[str, str]) -> EventFilter:
        return EventFilter(p, level="country")

    return {
        "raw scan of the events table (baseline)": lambda p: store.dyad_period_arrays(
            EventFilter(p)
        ),
        "freshness check of the rollup": lambda p: fresh(store._con),
        "periods from the rollup (`dyad_period_arrays`)": lambda p: store.dyad_period_arrays(
            EventFilter(p, level="country")
        ),
        "pair rows from `dyad_pairs`' lists, weekly (`pair_arrays`)": lambda p: _rollup.pair_arrays(
            store._con, country(p), "week", packed=False
        ),
        "pair rows from `dyad_packed`'s blobs, weekly (`pair_arrays`)": lambda p: (
            _rollup.pair_arrays(store._con, country(p), "week", packed=True)
        ),
        "periods query over `dyad_days` (the pair's row groups)": lambda p: _sql(
            store, _rollup.periods_sql(country(p)), unit="month"
        ),
        "periods query over `dyad_pairs` (the pair's rows by key)": lambda p: _sql(
            store, _rollup.pair_periods_sql(country(p)), unit="month"
        ),
        "`dyad_series`, monthly": lambda p: dyad_series(store, *p, freq="M"),
        "`dyad_series`, monthly, trusted reader (no freshness check)": lambda p: dyad_series(
            trusted, *p, freq="M"
        ),
        "`dyad_series`, weekly": lambda p: dyad_series(store, *p, freq="W"),
        "`dyad_lows`, trusted reader": lambda p: dyad_lows(trusted, *p),
        "`dyad_shifts`, trusted reader": lambda p: dyad_shifts(trusted, *p),
        "alliances' pair totals (one year) from the events table": lambda p: _sql(
            store, _rollup.pair_totals_sql(EventFilter()), **_YEAR
        ),
        "alliances' pair totals (one year) from `dyad_days`": lambda p: _sql(
            store, _rollup.pair_totals_sql(EventFilter(), rollup=True), **_YEAR
        ),
        "`alliances` (one year), trusted reader": lambda p: alliances(
            trusted, _YEAR["start"], _YEAR["end"]
        ),
        f"weekly frame ({len(weekly)} rows) to JSON rows, `frame_rows`": lambda p: frame_rows(
            weekly
        ),
        "the same, cell by cell (`to_jsonable`)": lambda p: to_jsonable(weekly),
        **handler_steps(trusted),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    with Store.open(args.store, read_only=True) as opened:
        reader = opened.thread_reader()
        trusted = opened.thread_reader(sole_writer=True)
        current, events = fresh(reader._con)
        sys.stdout.write(
            f"{events:,} events, rollup {'current' if current else 'STALE'}, "
            f"series read {reader.rollup_layout()}; "
            f"load average {os.getloadavg()[0]:.1f}\n\n| step | CPU ms/call | × raw scan |\n"
            "|---|---|---|\n"
        )
        baseline = None
        for name, call in steps(reader, trusted).items():
            ms = cpu_ms(call, args.repeat)
            baseline = baseline or ms
            sys.stdout.write(f"| {name} | {ms:.2f} | {ms / baseline:.2f} |\n")
        reader.close()
        trusted.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
