"""Score the coder on labelled (source, target) pairs: ``plv_train/pairs.jsonl``.

Usage::

    .venv/bin/python bench/run_pairs.py                 # <shared>/eval/plv_train/pairs.jsonl
    .venv/bin/python bench/run_pairs.py --file my_pairs.jsonl --limit 200

Prints the share of pairs with an event on the marked pair, the PLOVER type
accuracy over those pairs and over all pairs. The built-in coder is not fitted
to these pairs, so no cross-validation is needed for it; a learned scorer
trained on them must be scored by folds over ``sentence_id`` instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dyadwatch.evaluate.pairs import parse_pair, score_pairs

REPO = Path(__file__).resolve().parents[1]


def default_file() -> Path:
    env = os.environ.get("DYADWATCH_SHARED")
    shared = Path(env) if env else REPO.parent / "shared"
    return shared / "eval" / "plv_train" / "pairs.jsonl"


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON rows of a pairs file, blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--file", type=Path, default=default_file(), help="pairs JSONL")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pairs")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"error: no pairs file at {args.file}", file=sys.stderr)
        return 2
    rows = read_rows(args.file)[: args.limit]
    pairs = [parse_pair(row, str(args.file)) for row in rows]

    from dyadwatch.coder.engine import Coder

    coded = Coder.builtin().code_texts([pair.text for pair in pairs])
    score = score_pairs(pairs, coded)
    print(f"pairs: {score.pairs}")
    print(f"event on the labelled pair: {score.pair_rate:.3f} ({score.on_pair}/{score.pairs})")
    print(f"type accuracy on those pairs: {score.type_accuracy_on_pair:.3f}")
    print(f"type accuracy over all pairs: {score.type_accuracy:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
