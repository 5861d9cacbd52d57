"""The scorer's per-trigger selection, A/B in one process: one pair a trigger vs co-doers.

Usage::

    PYTHONPATH=src .venv/bin/python bench/select_ab.py            # <shared>/eval
    PYTHONPATH=src .venv/bin/python bench/select_ab.py --cands    # candidate counts only

Codes the training corpus once and fits the 5 CV folds once (seed 0, the folds
of ``bench/run_eval.py --suite scorer``: the features do not depend on the
selection), then, for each selection, refits the calibrators on that
selection's kept events and prints the CV rows of docs/MODEL_LOG.md's experiment
log (PLOVER type, penta, PLV type per pair, PLV event on the pair, ECE, events
per labelled sentence). ``one``: the trigger's accepted pairs, else its best
pair (before session 13); ``codoers``: the same plus every co-doer of a kept
pair (``scoring.co_doers``). About 10-15 minutes at load 10-15.

``--cands`` prints, for the plv_train sentences coded with the lexicon alone,
the scorer's candidates a sentence and the share of labelled pairs with a
candidate on the pair (``labels.judge_pair``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dyadwatch.coder.scoring import model as scoring
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.labels import judge_pair, parse_label
from dyadwatch.coder.scoring.model import Scored
from dyadwatch.coder.scoring.train import (
    OutOfFold,
    calibration_data,
    code_corpus,
    cross_validate,
    fit_calibrator,
    training_corpus,
)
from dyadwatch.evaluate import crossval
from run_pairs import default_file

SELECTIONS = ("one", "codoers")


def _none(group: Sequence[Scored], kept: Sequence[Scored]) -> list[Scored]:
    return []


def candidate_counts(eval_dir: Path) -> str:
    path = eval_dir / "plv_train" / "pairs.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    corpus = code_corpus([parse_label(row, suite="plv") for row in rows])
    found: tuple[tuple[Candidate, ...], ...] = corpus.candidates
    on = sum(
        any(judge_pair(c.event, label) for c in candidates)
        for labels, candidates in zip(corpus.labels, found, strict=True)
        for label in labels
    )
    total = sum(len(labels) for labels in corpus.labels)
    per = sum(len(c) for c in found) / max(len(found), 1)
    share = on / max(total, 1)
    return (
        f"{len(found)} sentences, {per:.2f} candidates a sentence, "
        f"{on}/{total} pairs with a candidate on the pair ({share:.3f})"
    )


def selection_rows(eval_dir: Path) -> list[str]:
    # select() looks co_doers up in its module at each call: swapping it there
    # switches the selection everywhere (decide, calibration_data).
    corpus = training_corpus(eval_dir)
    fitted = cross_validate(corpus)
    folds = max(fitted.folds) + 1
    real = scoring.co_doers
    rows = []
    for selection in SELECTIONS:
        scoring.co_doers = real if selection == "codoers" else _none
        per_fold = tuple(
            fit_calibrator(
                *calibration_data(
                    corpus, fitted.scored, [i for i, f in enumerate(fitted.folds) if f != fold]
                )
            )
            for fold in range(folds)
        )
        overall = fit_calibrator(*calibration_data(corpus, fitted.scored, range(len(corpus.texts))))
        oof = OutOfFold(corpus, fitted.folds, fitted.scored, per_fold, overall)
        # scorer_figures codes and cross-validates itself: hand it this run's.
        setattr(crossval, "training_corpus", lambda *_a, **_k: corpus)  # noqa: B010
        setattr(crossval, "cross_validate", lambda *_a, _oof=oof, **_k: _oof)  # noqa: B010
        result = crossval.scorer_figures(eval_dir)
        f = result.figures
        rows.append(
            f"{selection}: PLOVER {f['plover_type'][0]:.3f} penta {f['penta'][0]:.3f} "
            f"PLV type {f['plv_type'][0]:.3f} PLV pair {f['plv_pair'][0]:.3f} "
            f"ECE {result.calibration.ece:.3f} events/sentence {f['events_per_sentence'][0]:.3f} "
            f"({result.calibration.count} calibration events)"
        )
    scoring.co_doers = real
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--eval", type=Path, default=default_file().parents[1])
    parser.add_argument("--cands", action="store_true", help="candidate counts only")
    args = parser.parse_args(argv)
    if not (args.eval / "plv_train" / "pairs.jsonl").is_file():
        print(f"error: no plv_train/pairs.jsonl in {args.eval}", file=sys.stderr)
        return 2
    if args.cands:
        print(candidate_counts(args.eval))
        return 0
    for row in selection_rows(args.eval):
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
