"""The fallback events' own calibrator: variants on the scorer suite's folds.

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/fallback_calibration.py
        --cache /tmp/newsconf/oof.pkl [--save-dir /tmp/newsconf/npz]

The out-of-fold scores (``train.cross_validate`` on ``train.training_corpus``,
5 folds by sentence, seed 0, the second stage nested: the scorer suite's run)
are computed once and pickled to ``--cache``; no calibrator changes them. For
each variant of ``VARIANTS`` the per-fold and shipped calibrators are refitted
on them and the scorer suite's CV figures read (``oof_figures``: ECE among
them), with the fallback events' own reliability out of fold: labelled
sentences' fallback events by the labels that test them (and those that name
a pair alone), and the news negatives' fallback events. ``--save-dir`` writes
each variant's weights: the shipped first stage and second stage with the
variant's calibrator, for ``bench/fallback_news.py --weights``.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from dyadwatch.coder.scoring.linear import Calibrator
from dyadwatch.coder.scoring.model import load_weights
from dyadwatch.coder.scoring.train import (
    NEGATIVE,
    FallbackCalibration,
    OutOfFold,
    _calibrate,
    _judged_events,
    cross_validate,
    training_corpus,
)
from dyadwatch.evaluate.crossval import oof_figures

VARIANTS: dict[str, FallbackCalibration] = {
    "shared": FallbackCalibration(on=False),
    "own": FallbackCalibration(),
    "own-neg2": FallbackCalibration(negative_weight=2.0),
    "own-neg4": FallbackCalibration(negative_weight=4.0),
    "own-strict": FallbackCalibration(strict=True),
    "own-strict-neg2": FallbackCalibration(strict=True, negative_weight=2.0),
    "own-strict-neg4": FallbackCalibration(strict=True, negative_weight=4.0),
}


def load_oof(cache: Path, eval_dir: Path) -> OutOfFold:
    if cache.is_file():
        with cache.open("rb") as handle:
            found: OutOfFold = pickle.load(handle)
            return found
    report = lambda m: print(m, file=sys.stderr)  # noqa: E731
    oof = cross_validate(training_corpus(eval_dir), progress=report)
    with cache.open("wb") as handle:
        pickle.dump(oof, handle)
    return oof


def refit(oof: OutOfFold, config: FallbackCalibration) -> OutOfFold:
    """The same out-of-fold scores with the variant's calibrators."""
    corpus, folds = oof.corpus, oof.folds
    per_fold = tuple(
        _calibrate(corpus, oof.scored, [i for i, f in enumerate(folds) if f != fold], config)
        for fold in range(len(oof.calibrators))
    )
    overall = _calibrate(corpus, oof.scored, range(len(corpus.texts)), config)
    return replace(oof, calibrators=per_fold, calibrator=overall)


def fallback_reliability(oof: OutOfFold) -> list[str]:
    """Out of fold: mean confidence against share right of fallback events, by kind."""
    groups: dict[str, list[tuple[float, bool]]] = {}
    for fold, calibrator in enumerate(oof.calibrators):
        members = [i for i, f in enumerate(oof.folds) if f == fold]
        for item, label, right, pair in _judged_events(oof.corpus, oof.scored, members):
            if not item.candidate.fallback:
                continue
            confidence = calibrator.probability(item.signals)
            if label.suite == NEGATIVE:
                name = "news negatives"
            else:
                name = "labelled, pair named" if pair is not None else "labelled, no pair"
            groups.setdefault(name, []).append((confidence, right))
    lines = []
    for name, values in sorted(groups.items()):
        mean = sum(c for c, _ in values) / len(values)
        share = sum(1 for _, r in values if r) / len(values)
        kept = sum(1 for c, _ in values if c >= 0.5)
        lines.append(f"  {name}: {len(values)} events, mean confidence {mean:.3f}, "
                     f"share right {share:.3f}, >= 0.5: {kept}")  # fmt: skip
    return lines


def describe(name: str, oof: OutOfFold) -> str:
    result = oof_figures(oof)
    f = result.figures
    head = (f"{name}: PLOVER {f['plover_type'][0]:.3f} penta {f['penta'][0]:.3f} "
            f"PLV type {f['plv_type'][0]:.3f} pair {f['plv_pair'][0]:.3f} "
            f"ECE {result.calibration.ece:.3f} ({result.calibration.count}) "
            f"ev/sent {f['events_per_sentence'][0]:.2f} "
            f"ev/neg {f['events_per_negative'][0]:.3f}")  # fmt: skip
    fallback = oof.calibrator.fallback
    coef = "shared" if fallback is None else _coef(fallback)
    return "\n".join([head, f"  shipped fallback calibrator: {coef}", *fallback_reliability(oof)])


def _coef(calibrator: Calibrator) -> str:
    return " ".join(f"{v:.3f}" for v in (*calibrator.coef, calibrator.intercept))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--save-dir", type=Path)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    args = parser.parse_args(argv)
    oof = load_oof(args.cache, args.eval)
    shipped = load_weights()
    for name in args.variant or list(VARIANTS):
        fitted = refit(oof, VARIANTS[name])
        print(describe(name, fitted), flush=True)
        if args.save_dir is not None:
            args.save_dir.mkdir(parents=True, exist_ok=True)
            replace(shipped, calibrator=fitted.calibrator).save(args.save_dir / f"{name}.npz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
