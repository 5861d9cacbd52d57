"""Reliability figures for docs/RELIABILITY.md: fuzz runs per target and the load the API holds.

    .venv/bin/python bench/bench_reliability.py [--runs N] [--examples N] [--requests N]

1. the hypothesis properties of tests/reliability/test_reliability_fuzz.py with
   ``--examples`` examples each (DYADWATCH_FUZZ_EXAMPLES);
2. each atheris harness of fuzz/harnesses.py for ``--runs`` executions (skipped
   when atheris is not installed);
3. ``--requests`` concurrent GETs against ``dyadwatch serve`` on 127.0.0.1.
Prints one line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def hypothesis_runs(examples: int) -> None:
    env = dict(os.environ, DYADWATCH_FUZZ_EXAMPLES=str(examples))
    test = ROOT / "tests" / "reliability" / "test_reliability_fuzz.py"
    done = subprocess.run(
        [PYTHON, "-m", "pytest", str(test), "-q", "-p", "no:cacheprovider"],
        env=env, capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    print(f"hypothesis: {examples} examples per property: {done.stdout.strip().splitlines()[-1]}")


def atheris_runs(runs: int) -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris: not installed, skipped")
        return
    sys.path.insert(0, str(ROOT / "fuzz"))
    from harnesses import HARNESSES

    with tempfile.TemporaryDirectory() as work:
        for name in HARNESSES:
            started = time.perf_counter()
            done = subprocess.run(
                [PYTHON, str(ROOT / "fuzz" / "run_one.py"), name, f"-runs={runs}",
                 "-max_len=4096", "-timeout=10"],
                capture_output=True, text=True, check=False, cwd=work,
            )  # fmt: skip
            cov = re.findall(r"cov: (\d+)", done.stderr)
            outcome = "ok" if done.returncode == 0 else f"FINDING (exit {done.returncode})"
            took = time.perf_counter() - started
            print(f"atheris {name}: {runs} runs, cov {cov[-1] if cov else '?'}, "
                  f"{took:.0f} s, {outcome}")  # fmt: skip


def load(requests: int) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "reliability"))
    from rel_support import coded_batch
    from test_reliability_load import SERVE, burst, free_port

    from dyadwatch.store import Store

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "load.duckdb"
        with Store.open(path) as store:
            store.add_documents(coded_batch(0, 30))
        port = free_port()
        child = subprocess.Popen(
            [PYTHON, "-c", SERVE, str(ROOT / "src"), "serve", "--store", str(path),
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            time.sleep(5)
            started = time.perf_counter()
            answers = asyncio.run(burst(f"http://127.0.0.1:{port}", requests))
            took = time.perf_counter() - started
        finally:
            child.terminate()
            child.wait(timeout=30)
    failed = sum(a.status_code != 200 for a in answers)
    print(f"load: {requests} concurrent requests, {failed} failed, {took:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    hypothesis_runs(args.examples)
    atheris_runs(args.runs)
    load(args.requests)


if __name__ == "__main__":
    main()
