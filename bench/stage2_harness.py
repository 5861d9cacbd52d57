"""The second stage's experiment harness (issue 18; docs/MODEL_LOG.md, rows 30+).

Usage::

    PYTHONPATH=src .venv/bin/python bench/stage2_harness.py --cache /tmp/stage2 \
        [--variant NAME ...] [--eval ../shared/eval]

Codes the training corpus and the IPE DEV sentences once, fits the first stage
once (5 fold fits, the 10 fits of paired folds the nested CV needs, and the
fit on everything), and caches all of it under ``--cache``. Then, per variant
of the second stage (``VARIANTS``), it reports the nested-CV figures of
``crossval.oof_figures`` beside the IPE sentence KILL / ARREST F1 of what
``make model`` would ship: the first stage fitted on everything, the stage
fitted on the out-of-fold readings, coding the recorded IPE candidates. IPE is
never trained on except as silver texts (their drafted arrests), so it is the
check of what the stage does to police news; its figure here is coded from
the recorder's candidates (a text's sentences pooled), so it may differ by a
few sentences from ``bench/run_eval.py --suite india_police_events``.

The stage's settings measured and removed (the shortlist, the marginal class,
keeping or favouring the lexicon's own code, the violence silver: rows 110+
and 150+) went in session 16; a cache written before it holds the violence
silver sentences and is stale.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from dyadwatch.coder.scoring.choice import SCALARS, ChoiceModel, Layout, option_rows
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.labels import sentence_key as key
from dyadwatch.coder.scoring.model import Reading, Scorer, ScorerWeights, decide
from dyadwatch.coder.scoring.train import (
    DEFAULT_FOLDS,
    DEFAULT_SEED,
    SILVER,
    StageConfig,
    builtin_labels,
    code_corpus,
    fit_weights,
    fold_of,
    negatives,
    nested_oof,
    news_negatives,
    paired_readings,
    silver_labels,
)
from dyadwatch.evaluate.crossval import oof_figures
from dyadwatch.evaluate.metrics import binary_scores
from dyadwatch.evaluate.suites import ipe_labels
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover

__all__ = ["VARIANTS", "main"]

VARIANTS: dict[str, StageConfig | None] = {
    "fixed": None,
    "s12": StageConfig(),
    "silver": StageConfig(silver_weight=1.0),
    "silver_l2_10": StageConfig(l2=10.0, silver_weight=1.0),
    "l2_10": StageConfig(l2=10.0),
    "l2_30": StageConfig(l2=30.0),
    "by_class": StageConfig(by_class=True),
    "by_class_silver": StageConfig(silver_weight=1.0, by_class=True),
    "shipped": StageConfig(silver_weight=1.0, by_class=True),
    "by_class_silver_l2_3": StageConfig(l2=3.0, silver_weight=1.0, by_class=True),
    "by_class_silver_2": StageConfig(silver_weight=2.0, by_class=True),
    "by_class_silver_pw05": StageConfig(penta_weight=0.5, silver_weight=1.0, by_class=True),
    "shipped_l2_10": StageConfig(l2=10.0, silver_weight=1.0, by_class=True),
    "shipped_l2_30": StageConfig(l2=30.0, silver_weight=1.0, by_class=True),
}
"""Name -> the stage's configuration (None: the fixed rule, main's choice)."""


def _cached(path: Path, build: Any) -> Any:
    if path.is_file():
        with path.open("rb") as handle:
            return pickle.load(handle)
    value = build()
    with path.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return value


def _corpora(eval_dir: Path) -> Any:
    """(training corpus as training_corpus builds it, IPE corpus, IPE rows)."""
    labelled = code_corpus(builtin_labels(eval_dir))
    rows = [
        json.loads(line)
        for line in (eval_dir / "india_police_events" / "sents.dev.jsonl").read_text().splitlines()
        if line.strip()
    ]
    unlabelled = code_corpus([Label(r["text"], SILVER) for r in rows])
    labels = silver_labels(unlabelled)
    keep = [i for i, found in enumerate(labels) if found]
    silvered = replace(unlabelled.select(keep), labels=tuple(labels[i] for i in keep))
    extra = news_negatives(eval_dir)
    corpus = labelled + silvered + negatives(unlabelled) + extra
    return corpus, unlabelled, [(r["text"], r["labels"]) for r in rows]


def _first(corpus: Any) -> Any:
    folds = DEFAULT_FOLDS
    assignment = tuple(fold_of(t, DEFAULT_SEED, folds) for t in corpus.texts)
    weights: list[ScorerWeights] = []
    readings: list[tuple[Reading, ...]] = [() for _ in corpus.texts]
    for fold in range(folds):
        fitted = fit_weights(corpus, [i for i, f in enumerate(assignment) if f != fold])
        weights.append(fitted)
        scorer = Scorer(fitted)
        for i, f in enumerate(assignment):
            if f == fold:
                readings[i] = tuple(scorer.read(c) for c in corpus.scoring(i))
        print(f"fold {fold} fitted", file=sys.stderr)
    inner = paired_readings(corpus, assignment, folds, lambda m: print(m, file=sys.stderr))
    full = fit_weights(corpus, range(len(corpus.texts)))
    return assignment, weights, readings, inner, full


def _ipe(
    full: ScorerWeights,
    stage: ChoiceModel | None,
    ipe: Any,
    rows: Sequence[tuple[str, list[str]]],
    calibrator: Any,
) -> dict[str, tuple[float, float, float]]:
    weights = replace(full, choice=stage, calibrator=calibrator)
    scorer = Scorer(weights)
    cameo, plover = load_cameo(), load_plover()
    index = {key(t): i for i, t in enumerate(ipe.texts)}
    predicted: dict[int, frozenset[str]] = {}
    for i in range(len(ipe.texts)):
        candidates = ipe.scoring(i)
        if not candidates:
            predicted[i] = frozenset()
            continue
        events = decide([scorer.score(c) for c in candidates], cameo, plover)
        predicted[i] = ipe_labels(events)
    found: dict[str, tuple[float, float, float]] = {}
    for label in ("KILL", "ARREST"):
        gold = [label in g for _, g in rows]
        guess = [label in predicted[index[key(t)]] for t, _ in rows]
        s = binary_scores(gold, guess)
        found[label] = (s.f1, s.precision, s.recall)
    return found


def run(name: str, config: StageConfig | None, cache: Any, save: Path | None = None) -> str:
    corpus, ipe, rows, assignment, weights, readings, inner, full = cache
    oof = nested_oof(corpus, assignment, weights, readings, inner, config)
    figures = oof_figures(oof)
    shipped = oof.choice
    if save is not None:
        # What make model would ship with this variant (to code other suites with).
        save.mkdir(parents=True, exist_ok=True)
        replace(full, choice=shipped, calibrator=oof.calibrator).save(save / f"{name}.npz")
    ipe_found = _ipe(full, shipped, ipe, rows, oof.calibrator)
    f = figures.figures
    return (
        f"| {name} | {f['plover_type'][0]:.3f} | {f['penta'][0]:.3f} | {f['plv_type'][0]:.3f} "
        f"| {f['plv_pair'][0]:.3f} | {figures.calibration.ece:.3f} "
        f"| {f['events_per_sentence'][0]:.2f} | {ipe_found['KILL'][0]:.3f} "
        f"| {ipe_found['ARREST'][0]:.3f} ({ipe_found['ARREST'][1]:.3f} / "
        f"{ipe_found['ARREST'][2]:.3f}) |"
    )


def diagnose(config: StageConfig, cache: Any) -> list[str]:
    """On IPE sentences with gold ARREST: what the shipped stage picks for each drafted
    173 (lexicon pair, not negated), and the columns that moved it (mean contributions)."""
    corpus, ipe, rows, assignment, weights, readings, inner, full = cache
    oof = nested_oof(corpus, assignment, weights, readings, inner, config)
    assert oof.choice is not None
    scorer = Scorer(replace(full, choice=oof.choice, calibrator=oof.calibrator))
    stage = oof.choice
    w = stage.weights
    arrests = {key(t) for t, g in rows if "ARREST" in g}
    picked: Counter[str] = Counter()
    parts: dict[str, list[float]] = {}
    for i, text in enumerate(ipe.texts):
        if key(text) not in arrests:
            continue
        for candidate in ipe.candidates[i]:
            event = candidate.event
            if not event.cameo.startswith("173") or not candidate.lexicon_pair:
                continue
            view, options = scorer.options_of(candidate, scorer.read(candidate))
            best = stage.choose(view)
            picked[options[best].code] += 1
            if best == 0:
                continue
            rows_of = option_rows(view, stage.layout)
            for name, (cols, vals) in (("own", rows_of[0]), ("winner", rows_of[best])):
                for c, v in zip(cols, vals, strict=True):
                    parts.setdefault(f"{name}:{_column(stage.layout, int(c))}", []).append(
                        float(w[c] * v)
                    )
    lines = [f"drafted 173 in gold-ARREST sentences, picked: {dict(picked.most_common())}"]
    for name, found in sorted(parts.items(), key=lambda kv: -abs(sum(kv[1]))):
        lines.append(f"  {name}: mean {sum(found) / len(found):+.3f} over {len(found)}")
    return lines[:40]


def _column(layout: Layout, c: int) -> str:
    r = len(layout.roots)
    names = list(SCALARS)
    if c < len(names):
        return names[c]
    c -= len(names)
    for block in ("root_bias", "own_root"):
        if c < r:
            return f"{block}[{layout.roots[c]}]"
        c -= r
    for block in ("cross", "own_top"):
        if c < r * r:
            return f"{block}[{layout.roots[c // r]},{layout.roots[c % r]}]"
        c -= r * r
    return "rule bucket"


def load(cache_dir: Path, eval_dir: Path) -> Any:
    cache_dir.mkdir(parents=True, exist_ok=True)
    corpus, ipe, rows = _cached(cache_dir / "corpora.pkl", lambda: _corpora(eval_dir))
    first = _cached(cache_dir / "first.pkl", lambda: _first(corpus))
    return (corpus, ipe, rows, *first)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--variant", action="append", default=[])
    parser.add_argument("--diagnose", help="a variant whose IPE arrests to explain")
    parser.add_argument("--save", type=Path, help="write each variant's shipped weights here")
    args = parser.parse_args(argv)
    cache = load(args.cache, args.eval)
    if args.diagnose:
        config = VARIANTS[args.diagnose]
        assert config is not None
        print("\n".join(diagnose(config, cache)), flush=True)
        return 0
    for name in args.variant or list(VARIANTS):
        print(run(name, VARIANTS[name], cache, args.save), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
