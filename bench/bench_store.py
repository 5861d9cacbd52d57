"""Time the store: dyad queries over many events, ingest throughput, peak memory.

Usage::

    .venv/bin/python bench/bench_store.py          # 10M events; writes docs/PERFORMANCE.md
    .venv/bin/python bench/bench_store.py --events 1000000 --out /tmp/perf.md

The synthetic events are generated inside DuckDB (INSERT … SELECT from
``range()``), so ten million rows take seconds. Figures replace the "Store"
section of the output file and leave its other sections alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from _sections import replace_section
from dyadwatch.model import Actor, Document, Event, Evidence, Location, PloverCode, Range, Size
from dyadwatch.store import Store, StoredEvent

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = (
    "USA", "PAK", "AFG", "IND", "CHN", "RUS", "UKR", "IRN", "IRQ", "SYR", "ISR", "PSE", "NGA",
    "EGY", "TUR", "GBR", "FRA", "DEU", "JPN", "KOR", "PRK", "SAU", "YEM", "SOM", "ETH", "SDN",
    "MEX", "BRA", "VEN", "COL",
)  # fmt: skip
SECTORS = ("GOV", "MIL", "REB", "CVL", "BUS", "")
CODES = ("010", "020", "036", "040", "042", "051", "057", "111", "112", "120", "130", "173",
         "180", "181", "190", "193", "0231", "1823")  # fmt: skip

_GENERATE = """
INSERT INTO events
SELECT
    'bench:' || i AS id, 'gdelt2', CAST(i AS VARCHAR),
    DATE '2015-01-01' + CAST(i * 3652 // $n AS INTEGER),
    sc || ss, sc, nullif(ss, ''), 'source', NULL,
    tc || ts, tc, nullif(ts, ''), 'target', NULL,
    code, left(code, 2), CAST((hash(i) % 20) AS DOUBLE) - 10.0, CAST(1 + hash(i) % 4 AS INTEGER),
    NULL, NULL, NULL, NULL, NULL,
    CAST(1 + hash(i * 7) % 9 AS INTEGER), 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM (
    SELECT i,
        -- A skewed pick, so that some dyads are busy and most are not.
        $countries[1 + CAST(floor(pow(random(), 2) * $nc) AS INTEGER)] AS sc,
        $countries[1 + CAST(floor(pow(random(), 2) * $nc) AS INTEGER)] AS tc,
        $sectors[1 + CAST(floor(random() * $ns) AS INTEGER)] AS ss,
        $sectors[1 + CAST(floor(random() * $ns) AS INTEGER)] AS ts,
        $codes[1 + CAST(floor(random() * $nk) AS INTEGER)] AS code
    FROM range($n) r(i)
)
"""


def build(path: Path, events: int) -> float:
    """A store holding ``events`` synthetic imported events; returns the seconds taken."""
    Store.open(path).close()
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        con.execute("SELECT setseed(0.42)")
        con.execute(
            _GENERATE,
            {
                "n": events, "countries": list(COUNTRIES), "nc": len(COUNTRIES),
                "sectors": list(SECTORS), "ns": len(SECTORS), "codes": list(CODES),
                "nk": len(CODES),
            },
        )  # fmt: skip
        con.execute("CHECKPOINT")
    return time.perf_counter() - started


def timed(call: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    """Median and worst wall time in ms of ``repeat`` warm runs (after one cold run)."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def reports(count: int, start: int) -> list[tuple[Document, list[Event]]]:
    """``count`` documents of five mentions each, some of one happening."""
    items = []
    for n in range(start, start + count):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=n % 365)
        doc = Document.from_text(
            f"Synthetic report {n}.", date=day, url=f"https://s{n % 7}.example/{n}"
        )
        events = []
        for i in range(5):
            source, target = COUNTRIES[(n + i) % 12], COUNTRIES[(n * 3 + i) % 12 + 1]
            events.append(
                Event(
                    id=f"{doc.id}-{i}", doc_id=doc.id, sentence_index=i, sentence=doc.text,
                    source=Actor(source, source + "GOV", source, "GOV"),
                    target=Actor(target, target + "MIL", target, "MIL"),
                    cameo=CODES[(n + i) % len(CODES)], goldstein=-2.0, quad=3,
                    plover=PloverCode("ACCUSE"), evidence=Evidence((0, 9)), date=day,
                    date_precision="day", location=Location("Town", source, None),
                    size=Size(killed=Range(n % 3, n % 5 + 2)),
                )
            )  # fmt: skip
        items.append((doc, events))
    return items


def ingest(store: Store, documents: int, batch: int) -> float:
    """Documents per second through ``add_documents`` in batches of ``batch``."""
    items = reports(documents, 0)
    started = time.perf_counter()
    for start in range(0, documents, batch):
        store.add_documents(items[start : start + batch])
    return documents / (time.perf_counter() - started)


def import_rate(store: Store, rows: int) -> float:
    """Rows per second through ``add_stored_events`` (one transaction)."""
    events = [
        StoredEvent(
            f"gdelt2:x{n}", "gdelt2", dt.date(2020, 1, 1) + dt.timedelta(days=n % 900),
            Actor("", "USAGOV", "USA", "GOV"), Actor("", "PAK", "PAK"), "042", 1.9, 1, str(n),
            location=Location("Lahore", "PAK", "PK04", 31.5, 74.3, "city"),
        )
        for n in range(rows)
    ]  # fmt: skip
    started = time.perf_counter()
    store.add_stored_events(events)
    return rows / (time.perf_counter() - started)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(events: int, workdir: Path) -> dict[str, str]:
    path = workdir / "bench.duckdb"
    figures: dict[str, str] = {}
    build_s = build(path, events)
    figures["build"] = f"{build_s:.1f} s"
    figures["file"] = f"{path.stat().st_size / 2**20:.0f} MiB"
    with Store.open(path) as store:
        series_ms = timed(lambda: store.dyad_series("USA", "PAK"))
        top_ms = timed(lambda: store.top_dyads(10))
        daily_ms = timed(lambda: store.dyad_series("USA", "PAK", one_a_day=True), repeat=3)
        figures["series"] = "{:.0f} ms (worst {:.0f})".format(*series_ms)
        figures["top"] = "{:.0f} ms (worst {:.0f})".format(*top_ms)
        figures["daily"] = "{:.0f} ms (worst {:.0f})".format(*daily_ms)
        figures["ingest_full"] = f"{ingest(store, 2000, 100):,.0f}"
    with Store.open(workdir / "empty.duckdb") as empty:
        figures["ingest_1"] = f"{ingest(empty, 300, 1):,.0f}"
    with Store.open(workdir / "empty2.duckdb") as empty:
        figures["ingest_empty"] = f"{ingest(empty, 5000, 100):,.0f}"
        figures["import"] = f"{import_rate(empty, 200_000):,.0f}"
    figures["rss"] = f"{peak_rss_mb():,.0f} MiB"
    return figures


def section(events: int, figures: dict[str, str], command: str) -> str:
    cpu = platform.processor() or platform.machine()
    return f"""## Store

Measured by `{command}` on {dt.date.today().isoformat()}: {os.cpu_count()} cores ({cpu}),
Python {platform.python_version()}, DuckDB {duckdb.__version__}, file store on local disk.
Synthetic events are generated inside DuckDB ({events:,} rows in {figures["build"]},
{figures["file"]} on disk); timings are the median of 7 warm runs.

| query over {events:,} events | time | target |
|---|---|---|
| `Store.dyad_series("USA", "PAK")`: monthly, both directions | {figures["series"]} | < 300 ms |
| `Store.top_dyads(10)`: busiest undirected country pairs | {figures["top"]} | < 300 ms |
| `Store.dyad_series(..., one_a_day=True)` through the one-a-day view | {figures["daily"]} | |

| ingest (5 mentions per document, linked to events) | documents/s |
|---|---|
| `add_documents`, batches of 100, empty store | {figures["ingest_empty"]} |
| `add_documents`, batches of 100, into the {events:,}-event store | {figures["ingest_full"]} |
| `add_document`, one at a time, empty store | {figures["ingest_1"]} |

`add_stored_events` (imports), 200,000 events in one call: {figures["import"]} rows/s.
Peak resident memory of the whole run: {figures["rss"]}.

Each batch costs a few statements (documents, mentions, a candidate query for
linking, events, links, one recount), so batch writers should use
`add_documents` with batches of 50-500; one document per transaction pays that
fixed cost every time.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    args = parser.parse_args(argv)
    command = "python bench/bench_store.py" + (
        f" --events {args.events}" if args.events != 10_000_000 else ""
    )
    with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as workdir:
        figures = measure(args.events, Path(workdir))
    text = section(args.events, figures, command)
    replace_section(args.out, "Store", text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
