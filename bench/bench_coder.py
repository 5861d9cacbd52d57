"""Where coding time goes: spaCy parsing versus dyadwatch's own coding.

Parses the IndiaPoliceEvents dev documents once, then times the coder on the
parsed documents, and prints sentences per second for each part (both measured
in the same run, on the same documents). Writes nothing; the figures are
quoted in docs/PERFORMANCE.md ("Coder").

    .venv/bin/python bench/bench_coder.py [--docs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Document

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    return Path(os.environ.get("DYADWATCH_SHARED", ROOT.parent / "shared"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents to use")
    args = parser.parse_args()
    path = _shared() / "eval/india_police_events/docs.dev.jsonl"
    if not path.is_file():
        print(f"no {path}: this benchmark needs ../shared", file=sys.stderr)
        return 2
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for _, line in zip(range(args.docs), lines, strict=False)]
    docs = [Document.from_text(r["text"], date=dt.date.fromisoformat(r["date"])) for r in rows]
    coder = Coder.builtin()
    started = time.perf_counter()
    parsed = list(coder.nlp.pipe([d.text for d in docs], batch_size=64))
    parse_s = time.perf_counter() - started
    sentences = sum(1 for doc in parsed for _ in doc.sents)
    started = time.perf_counter()
    events = sum(len(coder._code_doc(p, d.id, d.date)) for d, p in zip(docs, parsed, strict=True))
    code_s = time.perf_counter() - started
    print(f"documents {len(docs)}, sentences {sentences}, events {events}")
    print(f"parse  {parse_s:6.1f} s  {sentences / parse_s:7.0f} sentences/s")
    print(f"code   {code_s:6.1f} s  {sentences / code_s:7.0f} sentences/s")
    print(f"both   {parse_s + code_s:6.1f} s  {sentences / (parse_s + code_s):7.0f} sentences/s")
    print(f"coding share of the time: {code_s / (parse_s + code_s):.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
