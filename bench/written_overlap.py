"""How close the team's own training sentences come to the shared suites' sentences.

Usage::

    PYTHONPATH=src .venv/bin/python bench/written_overlap.py [--eval ../shared/eval] [--flag 0.3]
        [--file bench/data/written_b_pairs.jsonl] [--against bench/data/written_pairs.jsonl]

The sentences in ``bench/data/written_pairs.jsonl`` (the `written` suite) were
written from the PLOVER manual's definitions by engineers who did not read the
suites. This checks that claim from the other side: for each written sentence,
the largest share of its word trigrams found in any one sentence of plover,
plv_train, cameo_quad, case2021 or the IPE sentences (DEV halves), and the
written sentences at or above ``--flag``, with the suite sentence they meet. A
near-copy of a suite sentence would make the `written` suite measure what the
scorer was trained on (docs/MODEL_LOG.md, "Session 17"). ``--against`` adds earlier
written sets to the sentences compared with: how B's and C's pairs near an
earlier set's were found and dropped before any figure.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from dyadwatch.coder.scoring.labels import read_labels
from eval_written import WRITTEN
from run_eval import shared_dir

_WORD = re.compile(r"[a-z0-9]+")
SUITES = {
    "plover": ("plover/records.dev.jsonl", "text"),
    "plv_train": ("plv_train/pairs.jsonl", "text"),
    "cameo_quad": ("cameo_quad/train.dev.jsonl", "text"),
    "case2021": ("case2021/snippets.dev.jsonl", "text"),
    "india_police_events": ("india_police_events/sents.dev.jsonl", "text"),
}


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def suite_sentences(eval_dir: Path) -> Iterator[tuple[str, str]]:
    for suite, (name, field) in SUITES.items():
        path = eval_dir / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    yield suite, json.loads(line)[field]


def written_sentences(paths: list[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        for label in read_labels(path):
            yield f"written:{path.stem}", label.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=None)
    parser.add_argument("--flag", type=float, default=0.3)
    parser.add_argument("--file", type=Path, default=WRITTEN, help="written set (default: A)")
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="an earlier written set to compare with too (repeatable)")  # fmt: skip
    args = parser.parse_args()
    eval_dir = args.eval or shared_dir() / "eval"
    if not eval_dir.exists():
        print(f"no eval folder at {eval_dir}", file=sys.stderr)
        return 1
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    sentences = [*suite_sentences(eval_dir), *written_sentences(args.against)]
    for number, (_, text) in enumerate(sentences):
        for gram in trigrams(text):
            index[gram].append(number)
    shares: list[float] = []
    flagged = 0
    for label in read_labels(args.file):
        grams = trigrams(label.text)
        hits: dict[int, int] = defaultdict(int)
        for gram in grams:
            for number in index.get(gram, ()):
                hits[number] += 1
        best, count = max(hits.items(), key=lambda kv: kv[1], default=(-1, 0))
        share = count / max(len(grams), 1)
        shares.append(share)
        if share >= args.flag:
            flagged += 1
            suite, text = sentences[best]
            print(f"{share:.2f}  {label.text}\n      {suite}: {text}")
    shares.sort()
    middle = shares[len(shares) // 2] if shares else 0.0
    print(
        f"{len(shares)} written sentences against {len(sentences)} sentences compared with: "
        f"median {middle:.3f}, max {shares[-1] if shares else 0.0:.3f}, "
        f"{flagged} at or above {args.flag}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
