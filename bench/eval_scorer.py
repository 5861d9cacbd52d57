"""The learned scorer's figures for bench/run_eval.py (issue 18; docs/MODEL.md).

Cross-validated (5 folds by sentence) on the labelled DEV data the scorer is
trained on, beside the lexicon alone on the same candidates; the reliability
table and expected calibration error of ``confidence``; and the coding rate
with and without the scorer, measured in this process on IPE sentences.
"""

from __future__ import annotations

import json
from pathlib import Path

from dyadwatch.coder.scoring.train import NEWS_CHECK, news_half
from dyadwatch.evaluate.crossval import news_rate, scorer_figures, speed_ratio

__all__ = ["SPEED_ROUNDS", "SPEED_TEXTS", "TRAINED_ON", "scorer_rows"]

TRAINED_ON = (
    "the shipped weights are trained on the plover and cameo_quad DEV halves, so those "
    "suites' own rows are figures on training data: read the scorer's CV rows instead. "
    "Those move with the fold seed (seed 0 here; seeds 0-3 with "
    "`bench/type_curve.py --point full --seed N`, docs/MODEL.md, Metrics)"
)

SPEED_TEXTS = 400
"""IPE sentences timed with and without the scorer (the coders take turns, eight rounds:
three read up to 0.09 apart from one run to the next)."""
SPEED_ROUNDS = 8

_NAMES = {
    "plover_type": ("PLOVER type accuracy (plover dev, CV)", "target ≥ 0.82"),
    "penta": ("penta accuracy (cameo_quad dev, CV)", "target ≥ 0.85"),
    "plv_type": ("type accuracy per pair (plv_train, CV)", "target ≥ 0.80"),
    "plv_pair": ("share of pairs with an event on the labelled pair (plv_train, CV)",
                 "target ≥ 0.75"),
}  # fmt: skip


def scorer_rows(eval_dir: Path, limit: int | None) -> tuple[list[tuple[str, str, str]], str]:
    """(metric, value, reference) rows and the count line of the scorer suite."""
    result = scorer_figures(eval_dir)
    rows: list[tuple[str, str, str]] = []
    for key, (name, target) in _NAMES.items():
        scored, lexicon, count = result.figures[key]
        rows.append(
            (f"{name}, n={count}", f"{scored:.3f}", f"lexicon alone {lexicon:.3f}; {target}")
        )
    events, lexicon, sentences = result.figures["events_per_sentence"]
    rows.append((f"events per labelled sentence (CV), n={sentences}", f"{events:.2f}",
                 f"lexicon alone {lexicon:.2f}"))  # fmt: skip
    negative, _, count = result.figures["events_per_negative"]
    rows.append((f"fallback events per IPE sentence the lexicon drafts nothing for (CV), "
                 f"n={count}", f"{negative:.3f}", "the event model's negatives"))  # fmt: skip
    rate = news_rate(_news_texts(eval_dir))
    share = rate.sentences or 1
    rows.append((f"events per sentence of real news, fallback on / off (timeml_dates check "
                 f"half, {rate.sentences} sentences, never trained on)",
                 f"{rate.with_fallback / share:.3f} / {rate.without / share:.3f}",
                 f"{rate.fallback} fallback events; no flood"))  # fmt: skip
    table = result.calibration
    rows.append(("expected calibration error of confidence (CV, 10 bins)", f"{table.ece:.3f}",
                 f"{table.count} events; target ≤ 0.05"))  # fmt: skip
    for b in table.bins:
        rows.append((f"reliability {b.low:.1f}-{b.high:.1f}: accuracy / mean confidence (n)",
                     f"{b.accuracy:.3f} / {b.mean_confidence:.3f} ({b.count})", ""))  # fmt: skip
    texts = _ipe_texts(eval_dir, limit or SPEED_TEXTS)
    plain, learned, ratio = speed_ratio(texts, rounds=SPEED_ROUNDS)
    rows.append((f"coding rate with the scorer / lexicon alone ({len(texts)} IPE sentences, "
                 "same process)", f"{ratio:.2f}x",
                 f"{learned:.0f} vs {plain:.0f} texts/s; target ≥ 0.8x"))  # fmt: skip
    return rows, f"{result.folds}-fold CV by sentence, seed {result.seed}"


def _news_texts(eval_dir: Path) -> list[str]:
    """The timeml_dates documents of the check half: none of their sentences taught the scorer."""
    path = eval_dir / "timeml_dates" / "docs.dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r["text"] for r in rows if news_half(r["doc"]) == NEWS_CHECK]


def _ipe_texts(eval_dir: Path, count: int) -> list[str]:
    path = eval_dir / "india_police_events" / "sents.dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(count), handle, strict=False)]
    return [r["text"] for r in rows]
