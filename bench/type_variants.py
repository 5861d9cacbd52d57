"""Cross-validated figures of type-feature variants on one coded corpus
(docs/MODEL_LOG.md, rows 80+).

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/type_variants.py --corpus /tmp/corpus.pkl \
        [--variant base --variant modes ...]

The corpus is coded once by the tree's own ``features.type_features`` (every
group it has) and kept in ``--corpus`` (see ``type_misses.load_corpus``); each
variant drops some groups of a drafted candidate's type features (its name
says which it keeps) and runs ``crossval.scorer_figures`` on the result: the
same 5 folds by sentence, seed 0, as ``bench/run_eval.py --suite scorer``.
``base`` drops every group added in session 13, which gives main's features.
A row prints PLOVER / penta / PLV type / PLV pair / ECE / events a sentence /
fallback events a negative sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.train import Corpus
from dyadwatch.evaluate.crossval import scorer_figures
from type_misses import load_corpus

NEW_GROUPS = {
    "modes": ("mx", "mxf"),
    "object": ("obj", "objsuf"),
    "objcross": ("lemobj", "objplv"),
    "pairtype": ("ptvia", "ptlca"),
}
"""Session 13's type-feature groups by the prefix before '='."""
VARIANTS: dict[str, tuple[tuple[str, ...], float]] = {
    "base": ((), 0.0),
    "modes": (("modes",), 0.0),
    "object": (("object",), 0.0),
    "pairtype": (("pairtype",), 0.0),
    "all": (("modes", "object", "pairtype"), 0.0),
    "soft03": ((), 0.3),
    "soft1": ((), 1.0),
    "objcross": (("objcross",), 0.0),
    "modes+object": (("modes", "object"), 0.0),
    "modes+objcross": (("modes", "objcross"), 0.0),
    "modes+object+objcross": (("modes", "object", "objcross"), 0.0),
    "all+objcross": (("modes", "object", "pairtype", "objcross"), 0.0),
    "modes+pairtype": (("modes", "pairtype"), 0.0),
}
"""Variant name -> the new groups it keeps and ``train.PENTA_TYPES`` (soft type labels)."""


HEADER = (
    "| variant | PLOVER | penta | PLV type | PLV pair | ECE | events / sentence | ev/neg | CPU |"
)


def keep_groups(corpus: Corpus, kept: Sequence[str]) -> Corpus:
    """The corpus with every new group not in ``kept`` dropped from the type features."""
    dropped = {p for name, prefixes in NEW_GROUPS.items() if name not in kept for p in prefixes}

    def cut(candidate: Candidate) -> Candidate:
        features = tuple(f for f in candidate.type_features if f.partition("=")[0] not in dropped)
        return replace(candidate, type_features=features)

    return _mapped(corpus, cut)


def _mapped(corpus: Corpus, change: Callable[[Candidate], Candidate]) -> Corpus:
    return replace(
        corpus,
        candidates=tuple(tuple(change(c) for c in found) for found in corpus.candidates),
    )


def row(name: str, corpus: Corpus, eval_dir: Path) -> str:
    started = time.process_time()
    result = scorer_figures(eval_dir, corpus=corpus)
    f = result.figures
    cells = [f[k][0] for k in ("plover_type", "penta", "plv_type", "plv_pair")]
    seconds = time.process_time() - started
    return (f"| {name} | " + " | ".join(f"{v:.3f}" for v in cells)
            + f" | {result.calibration.ece:.3f} | {f['events_per_sentence'][0]:.2f}"
            + f" | {f['events_per_negative'][0]:.3f} | {seconds:.0f} s |")  # fmt: skip


def setup(
    description: str, variants: Sequence[str], argv: Sequence[str] | None
) -> tuple[argparse.Namespace, Corpus] | None:
    """The variant scripts' shared start: their options, the coded corpus, the table's
    header printed; None (after saying why) without plv_train under ``--eval``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--variant", action="append", choices=sorted(variants))
    args = parser.parse_args(argv)
    if not (args.eval / "plv_train" / "pairs.jsonl").is_file():
        print(f"no plv_train under {args.eval}", file=sys.stderr)
        return None
    corpus = load_corpus(args.eval, args.corpus)
    print(HEADER)
    print("|---" * (HEADER.count("|") - 1) + "|")
    return args, corpus


def main(argv: Sequence[str] | None = None) -> int:
    started = setup(__doc__.split("\n")[0], list(VARIANTS), argv)
    if started is None:
        return 1
    args, corpus = started
    for name in args.variant or list(VARIANTS):
        groups, soft = VARIANTS[name]
        train.PENTA_TYPES = soft  # a module setting, as session 11's harness set DENSE_SCALE
        try:
            print(row(name, keep_groups(corpus, groups), args.eval), flush=True)
        finally:
            train.PENTA_TYPES = 0.0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
