"""Time the import of a synthetic 1M-row GDELT 2.0 event file into a store.

The file samples each column independently from the real 2.0 rows in
../shared/data/gdelt (our fixtures when that is absent), with unique
GLOBALEVENTIDs. The bulk path imports all of it; the row-by-row path (the one
that reports bad rows) runs on the first 100k rows as the baseline. Each import
runs in a child process so that its peak RSS is its own. Writes the figures
to the "Import" section of docs/PERFORMANCE.md, keeping other sections.

    .venv/bin/python bench/bench_import.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _sections import replace_section
from dyadwatch.store import Store
from dyadwatch.store.interop import import_gdelt

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "gdelt"
FIXTURE = ROOT / "tests" / "fixtures" / "interop" / "gdelt2_events.tsv"
DOC = ROOT / "docs" / "PERFORMANCE.md"
BASELINE_ROWS = 100_000


def sample_rows() -> tuple[list[list[str]], str]:
    sources = [SHARED / "events.csv", SHARED / "eventsT.csv"]
    if not all(p.is_file() for p in sources):
        sources = [FIXTURE]
    rows = [
        line.split("\t")
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    return [r for r in rows if len(r) == 61], ", ".join(p.name for p in sources)


def synthesise(path: Path, count: int, seed: int = 20190226) -> str:
    rows, origin = sample_rows()
    rng = np.random.default_rng(seed)
    columns = []
    for index in range(61):
        values = np.array([row[index] for row in rows], dtype=object)
        columns.append(values[rng.integers(0, len(values), size=count)])
    columns[0] = np.array([str(900_000_000 + i) for i in range(count)], dtype=object)
    with path.open("w", encoding="utf-8") as out:
        for start in range(0, count, 100_000):
            chunk = zip(*(column[start : start + 100_000] for column in columns), strict=True)
            out.write("".join("\t".join(cells) + "\n" for cells in chunk))
    return f"{len(rows)} real rows of {origin}"


def child(path: Path, store_path: Path, fast: bool) -> None:
    """Import ``path`` and print one JSON line of figures (run in a child process)."""
    started = time.perf_counter()
    with Store.open(store_path) as store:
        report = import_gdelt(store, [path], fast=fast)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"seconds": seconds, "peak_mb": peak_mb, **report.to_dict()}
    sys.stdout.write(json.dumps(figures) + "\n")


def run_child(path: Path, store_path: Path, fast: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(path), str(store_path)]
    if not fast:
        command.append("--rows-path")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def table_row(label: str, figures: dict[str, float]) -> str:
    rate = figures["read"] / figures["seconds"]
    return (
        f"| {label} | {figures['read']:,.0f} | {figures['seconds']:.1f} | {rate:,.0f}"
        f" | {figures['peak_mb']:,.0f} MB |"
    )


def section(rows: int, origin: str, fast: dict[str, float], slow: dict[str, float]) -> str:
    command = f"{Path(sys.executable).name} bench/bench_import.py --rows {rows}"
    return f"""## Import

GDELT 2.0 event file of {rows:,} synthetic rows (each column sampled
independently from {origin}; unique GLOBALEVENTIDs), imported into a new DuckDB
file store with `import_gdelt`. Machine: {os.cpu_count()} CPUs, {platform.machine()},
Python {platform.python_version()}. Command: `{command}`.

| path | rows | seconds | rows/s | peak RSS |
|---|---|---|---|---|
{table_row("bulk (DuckDB read_csv → INSERT … SELECT, in the store)", fast)}
{table_row("row by row (baseline, same run)", slow)}

Target: 1M rows in under 20 s. The bulk path is taken for files whose every row
is well formed; any other file goes row by row, which reports each bad row.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, type=Path)
    parser.add_argument("--rows-path", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], fast=not args.rows_path)
        return
    with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as tmp:
        data, head = Path(tmp) / "events.csv", Path(tmp) / "head.csv"
        origin = synthesise(data, args.rows)
        with data.open(encoding="utf-8") as full, head.open("w", encoding="utf-8") as out:
            out.writelines(line for _, line in zip(range(BASELINE_ROWS), full, strict=False))
        fast = run_child(data, Path(tmp) / "fast.duckdb", fast=True)
        slow = run_child(head, Path(tmp) / "slow.duckdb", fast=False)
    text = section(args.rows, origin, fast, slow)
    replace_section(DOC, "Import", text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
