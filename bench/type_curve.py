"""How the cross-validated figures grow with the labelled sentences a suite teaches.

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/type_curve.py --corpus /tmp/corpus.pkl \
        [--point plover=0.5 --point plv=0,plover=0.5 ...] [--seed 0]

Every point is one run of the 5-fold CV of ``bench/run_eval.py --suite
scorer`` (folds by sentence, ``--seed``). Every sentence is scored out of fold
as always, and every label is scored; but in training, a point's suites keep
only a share of their sentences' labels (``plover=0.5``: half the PLOVER
records teach). Which sentences keep theirs is a CRC-32 of the sentence, the
same at every point, so a smaller share's teachers are a subset of a bigger
one's. A sentence that also holds labels of other suites keeps those.

The question it answers: is a figure limited by the labelled data it learns
from (it climbs with the share) or by something more data would not fix
(flat)? ``full`` (no point given: every label teaches) is the reference; it
must equal the ``scorer`` suite's figures at the same seed.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from dyadwatch.coder.scoring.train import Corpus, cross_validate
from dyadwatch.evaluate.crossval import oof_figures
from type_misses import load_corpus

SUITES = ("plover", "plv", "penta", "written")
"""Suites whose share of teaching labels a point may set (``Label.suite``)."""
POINTS = ("full", "plover=0.5", "plover=0.75", "plv=0", "plv=0.5")
"""The points run when none is given."""
HEADER = "| point | labels teaching | PLOVER | penta | PLV type | PLV pair | CPU |"


def parse_point(text: str) -> dict[str, float]:
    """``plover=0.5,plv=0`` -> {suite: share}; ``full`` -> {}."""
    if text == "full":
        return {}
    shares: dict[str, float] = {}
    for part in text.split(","):
        suite, _, share = part.partition("=")
        if suite not in SUITES:
            raise ValueError(f"unknown suite {suite!r} (one of {', '.join(SUITES)})")
        value = float(share)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"share {share!r} of {suite} is not within [0, 1]")
        shares[suite] = value
    return shares


def teaches(text: str, share: float) -> bool:
    """Whether a sentence keeps its labels at ``share`` (nested across shares)."""
    return zlib.crc32(f"curve:{text}".encode()) % 1000 < round(share * 1000)


def taught(corpus: Corpus, shares: Mapping[str, float]) -> Corpus:
    """The corpus with the labels the point withholds from training taken out."""
    labels = tuple(
        tuple(
            label for label in found
            if label.suite not in shares or teaches(text, shares[label.suite])
        )
        for text, found in zip(corpus.texts, corpus.labels, strict=True)
    )  # fmt: skip
    return replace(corpus, labels=labels)


def row(name: str, corpus: Corpus, seed: int) -> str:
    started = time.process_time()
    training = taught(corpus, parse_point(name))
    teaching = sum(len(found) for found in training.labels)
    # Trained on what the point keeps, scored against every label.
    oof = replace(cross_validate(training, seed=seed), corpus=corpus)
    figures = oof_figures(oof, seed).figures
    cells = []
    for key in ("plover_type", "penta", "plv_type", "plv_pair"):
        value, _, items = figures[key]
        cells.append(f"{value:.3f} ({round(value * items)})")
    cpu = time.process_time() - started
    return f"| {name} | {teaching} | {' | '.join(cells)} | {cpu:.0f} s |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--corpus", type=Path, help="pickle of the coded corpus (read or written)")
    parser.add_argument("--point", action="append", help="SUITE=SHARE[,SUITE=SHARE] or full")
    parser.add_argument("--seed", type=int, default=0, help="the folds' seed")
    args = parser.parse_args(argv)
    points = args.point or list(POINTS)
    try:
        for point in points:
            parse_point(point)
    except ValueError as error:
        print(f"bad --point: {error}", file=sys.stderr)
        return 2
    if not (args.eval / "plv_train" / "pairs.jsonl").is_file():
        print(f"no plv_train under {args.eval}", file=sys.stderr)
        return 1
    corpus = load_corpus(args.eval, args.corpus)
    print(HEADER)
    print("|---|---|---|---|---|---|---|")
    for point in points:
        print(row(point, corpus, args.seed), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
