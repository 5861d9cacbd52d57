"""Time reading a JSONL corpus: ``read_inputs`` against a bare ``json.loads`` loop.

Usage::

    .venv/bin/python bench/bench_ingest.py          # 20,000 lines; writes docs/PERFORMANCE.md
    .venv/bin/python bench/bench_ingest.py --lines 5000 --out /tmp/perf.md

The baseline, run in the same process on the same bytes, splits the lines and
parses each with ``json.loads``: the least any JSONL reader does. Reading adds
ids (and the per-run check that an id names one text), field checks and
decoding; the ratio says what they cost. The cp1252 corpus is the same text
with curly quotes in Windows-1252, so every line is decoded by detection.
Figures replace the "Ingest" section of the output file.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

from _sections import replace_section
from dyadwatch.ingest import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = (
    "Pakistan’s foreign minister met his Indian counterpart in Delhi on Tuesday, "
    "officials said, and both sides agreed to hold further talks. "
)


def corpus(lines: int, encoding: str) -> bytes:
    """``lines`` JSONL records of about 2.8 kB of text, with ids, dates, URLs and titles."""
    records = (
        json.dumps(
            {"id": f"s{n}", "text": SENTENCE * 20, "date": "2019-03-01",
             "url": f"https://news.example.org/{n}", "title": "Talks"},
            ensure_ascii=False,
        )
        for n in range(lines)
    )  # fmt: skip
    return "".join(record + "\n" for record in records).encode(encoding)


def best_of(rounds: int, run: Callable[[], int]) -> tuple[float, int]:
    """The fastest of ``rounds`` runs, in seconds, and what the run counted."""
    times, count = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - started)
    return min(times), count


def bare(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if json.loads(line))


def read(data: bytes) -> int:
    stream = io.BytesIO(data)
    items = read_inputs(["-"], stdin_format="jsonl", stdin=stream, max_bytes=1_000_000)
    return sum(1 for item in items if hasattr(item, "text"))


def measure(lines: int, rounds: int) -> list[tuple[str, float, float, int]]:
    """Per corpus: seconds, the ratio to the baseline (bare UTF-8 lines), documents read."""
    plain = corpus(lines, "utf-8")
    baseline, _ = best_of(rounds, lambda: bare(plain))
    rows = []
    for label, encoding in (("UTF-8", "utf-8"), ("cp1252, detected", "cp1252")):
        data = corpus(lines, encoding)
        seconds, documents = best_of(rounds, lambda data=data: read(data))  # type: ignore[misc]
        rows.append((label, seconds, seconds / baseline, documents))
    return rows


def report(lines: int, rounds: int, rows: list[tuple[str, float, float, int]]) -> str:
    table = "\n".join(
        f"| {label} | {documents:,} | {seconds:.3f} | {lines / seconds:,.0f} | {ratio:.2f}× |"
        for label, seconds, ratio, documents in rows
    )
    return f"""## Ingest

`python bench/bench_ingest.py --lines {lines} --rounds {rounds}` on {platform.python_version()}
({platform.machine()}): reading {lines:,} JSONL lines of about 2.8 kB (id, date, URL,
title) from memory with `read_inputs`, the fastest of {rounds} rounds, against a bare
`json.loads` loop over the UTF-8 lines in the same process.

| corpus | documents | seconds | lines/s | × bare json.loads |
|---|---|---|---|---|
{table}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    args = parser.parse_args()
    text = report(args.lines, args.rounds, measure(args.lines, args.rounds))
    replace_section(args.out, "Ingest", text)
    print(text)


if __name__ == "__main__":
    main()
