"""The ``scorer`` suite's speed row alone: ``crossval.speed_ratio`` on ``make bench``'s texts.

Usage::

    PYTHONPATH=src .venv/bin/python bench/speed_ratio.py [--runs 1] [--rounds 8] [--texts 400]

Runs ``crossval.speed_ratio`` on the first ``--texts`` IPE DEV sentences
(``eval_scorer.SPEED_TEXTS``, ``SPEED_ROUNDS`` rounds by default: what the
suite's last row reads) ``--runs`` times in this process, without the CV that
precedes it in ``make bench``, and prints each run's ratio and rates. Wall
clock, the two coders interleaved (see ``speed_ratio``): to compare two trees,
run it under each in turn, in separate processes, several times each
(docs/MODEL.md, "Speed").
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dyadwatch.evaluate.crossval import speed_ratio
from eval_scorer import SPEED_ROUNDS, SPEED_TEXTS, _ipe_texts

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=SPEED_ROUNDS)
    parser.add_argument("--texts", type=int, default=SPEED_TEXTS)
    parser.add_argument(
        "--eval",
        type=Path,
        default=Path(os.environ.get("DYADWATCH_SHARED", ROOT.parent / "shared")) / "eval",
        help="the shared eval directory (default ../shared/eval)",
    )
    args = parser.parse_args(argv)
    texts = _ipe_texts(args.eval, args.texts)
    for _ in range(args.runs):
        plain, learned, ratio = speed_ratio(texts, rounds=args.rounds)
        print(f"{ratio:.3f}x  {learned:.0f} vs {plain:.0f} texts/s "
              f"({len(texts)} IPE sentences, {args.rounds} rounds)", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
