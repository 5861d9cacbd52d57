"""The listwise pair model's selections, A/B in one process (docs/MODEL.md, rows 120+).

Usage::

    PYTHONPATH=src .venv/bin/python bench/pair_rank_ab.py [--eval ../shared/eval]
        [--corpus /tmp/corpus.pkl] [--rankings off fallback best]

Codes the training corpus once (``--corpus`` keeps it in a pickle, as
``bench/type_misses.py`` does), fits the 5 CV folds once (seed 0, nested second
stage: the folds of ``bench/run_eval.py --suite scorer``; the first stage,
the listwise ranker included, does not depend on the selection), then, for
each ``model.PAIR_RANKING``, refits the calibrators on what that selection
keeps and prints the CV rows of the experiment log (PLOVER type, penta, PLV
type per pair, PLV event on the pair, ECE, events per labelled sentence) and
``type_misses``' classes. ``off`` is the selection before the ranker (P(pair)
alone), so the first row is the base on the same fit.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from dyadwatch.coder.scoring import model as scoring
from dyadwatch.coder.scoring.features import Candidate, hash_features
from dyadwatch.coder.scoring.linear import Binary
from dyadwatch.coder.scoring.train import (
    OutOfFold,
    _Lists,
    _rank_examples,
    calibration_data,
    cross_validate,
    fit_calibrator,
    fit_listwise,
)
from dyadwatch.evaluate import crossval
from type_misses import load_corpus, misses

RANKINGS = ("off", "fallback", "best")


def _recalibrated(fitted: OutOfFold) -> OutOfFold:
    """The same scores with calibrators refitted on what the current selection keeps."""
    corpus = fitted.corpus
    folds = max(fitted.folds) + 1
    per_fold = tuple(
        fit_calibrator(
            *calibration_data(
                corpus, fitted.scored, [i for i, f in enumerate(fitted.folds) if f != fold]
            )
        )
        for fold in range(folds)
    )
    overall = fit_calibrator(*calibration_data(corpus, fitted.scored, range(len(corpus.texts))))
    return OutOfFold(corpus, fitted.folds, fitted.scored, per_fold, overall, fitted.choice)


def rows(fitted: OutOfFold, rankings: Sequence[str], dump: Path | None = None) -> list[str]:
    found = []
    real = scoring.PAIR_RANKING
    for ranking in rankings:
        scoring.PAIR_RANKING = ranking  # type: ignore[assignment]
        oof = _recalibrated(fitted)
        result = crossval.oof_figures(oof)
        f = result.figures
        missed, _ = misses(oof)
        if dump is not None:
            lines = [f"{m.suite}\t{m.cause}\t{m.gold}\t{m.answered}\t{m.text}" for m in missed]
            dump.with_suffix(f".{ranking}.tsv").write_text("\n".join(lines) + "\n", "utf-8")
        classes = Counter((m.suite, m.cause) for m in missed)
        counts = ", ".join(
            f"{cause} {classes[('plover', cause)]}/{classes[('plv', cause)]}"
            for cause in ("no_event", "no_candidate", "wrong_pair", "other_event", "lexicon_wrong")
        )
        found.append(
            f"{ranking}: PLOVER {f['plover_type'][0]:.3f} penta {f['penta'][0]:.3f} "
            f"PLV type {f['plv_type'][0]:.3f} PLV pair {f['plv_pair'][0]:.3f} "
            f"ECE {result.calibration.ece:.3f} events/sentence "
            f"{f['events_per_sentence'][0]:.3f} ev/neg {f['events_per_negative'][0]:.4f}"
            f" | misses PLOVER/PLV: {counts}"
        )
    scoring.PAIR_RANKING = real
    return found


_CONTEXT = ("gov=", "rep=", "hyp=", "neg=", "root=", "nest=")
"""Type-feature groups that place a trigger in its sentence (variant ``ctx``)."""


def _context(candidate: Candidate) -> tuple[str, ...]:
    """The pair features plus the trigger's place in the sentence, as ``rk_`` features."""
    placed = [f"rk_{f}" for f in candidate.type_features if f.startswith(_CONTEXT)]
    gov = [f for f in candidate.type_features if f.startswith("gov=")]
    return (*candidate.pair_features, *placed, f"rk_govs={min(len(gov), 2)}")


def reranked(fitted: OutOfFold, variant: str) -> OutOfFold:
    """``fitted`` with each fold's listwise scores from a ranker of ``variant``, refitted
    on the other folds: ``l2=X``, ``whole`` (one group a sentence), ``ctx`` (with
    :func:`_context`), joined by ``+``."""
    parts = dict(p.partition("=")[::2] for p in variant.split("+"))
    l2 = float(parts.get("l2") or 1.0)
    whole = "whole" in parts
    features = _context if "ctx" in parts else (lambda c: c.pair_features)
    corpus = fitted.corpus
    scored = list(fitted.scored)
    for fold in range(max(fitted.folds) + 1):
        lists = _Lists()
        for i, f in enumerate(fitted.folds):
            if f != fold:
                _rank_examples(corpus, i, lists, whole=whole, features=features)
        model = fit_listwise(lists, l2)
        assert model is not None
        rank = Binary.of(model)
        for i, f in enumerate(fitted.folds):
            if f == fold:
                scored[i] = tuple(
                    replace(
                        s,
                        pair_rank=rank.logit(
                            hash_features(features(s.candidate)), s.candidate.dense
                        ),
                    )
                    for s in scored[i]
                )
    return replace(fitted, scored=tuple(scored))


def _fitted(eval_dir: Path, corpus: Path | None, cache: Path | None) -> OutOfFold:
    """The out-of-fold scores, fitted once (kept in ``cache`` when given)."""
    if cache is not None and cache.is_file():
        with cache.open("rb") as handle:
            found: OutOfFold = pickle.load(handle)  # our own file
        return found
    fitted = cross_validate(load_corpus(eval_dir, corpus),
                            progress=lambda m: print(m, file=sys.stderr))  # fmt: skip
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(fitted, handle)
    return fitted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--corpus", type=Path, help="pickle of the coded corpus (read or written)")
    parser.add_argument(
        "--dump", type=Path, help="write each ranking's misses to DUMP.<ranking>.tsv"
    )
    parser.add_argument("--fitted", type=Path, help="pickle of the CV fit (read or written)")
    parser.add_argument("--variants", nargs="*", help="rankers refitted per fold: l2=X, whole, ctx")
    parser.add_argument("--rankings", nargs="+", choices=RANKINGS, default=list(RANKINGS))
    args = parser.parse_args(argv)
    if not (args.eval / "plv_train" / "pairs.jsonl").is_file():
        print(f"error: no plv_train/pairs.jsonl in {args.eval}", file=sys.stderr)
        return 2
    fitted = _fitted(args.eval, args.corpus, args.fitted)
    for variant in args.variants or [""]:
        run = reranked(fitted, variant) if variant else fitted
        for row in rows(run, args.rankings, args.dump):
            print(f"[{variant or 'as fitted'}] {row}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
