"""The fallback's trade-off: labelled events it keeps against news it gives a false event.

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/event_curve.py [--eval ../shared/eval]
        [--corpus /tmp/corpus.pkl] [--news /tmp/news.pkl] [--variant NAME ...]

A sentence the lexicon drafts nothing for gets a fallback candidate, which
becomes an event when the event model's P(event) reaches ``EVENT_THRESHOLD``
(``scoring/model.py``). Every labelled sentence holds an event, so labelled
rows alone reward a lower threshold; what it costs shows on news sentences
that hold none. This script puts both on one curve, out of fold:

* **labelled recall**: of the labelled sentences (plover, cameo_quad,
  plv_train) the lexicon drafts nothing for, the share whose fallback
  fires, each scored by an event model fitted on the other folds (5 folds
  by sentence, seed 0: the folds of ``bench/run_eval.py --suite scorer``);
* **news rate**: of the news negatives (timeml_dates train half and IPE
  sentences the lexicon drafts nothing for), the share that fires, each
  scored by a model fitted on the other folds **by document** (no sentence
  of its document taught it);
* **check**: fallback events among the timeml_dates check half's no-draft
  sentences (never trained on), by a model fitted on everything.

Only sentences the coder would score count (``fallback_draft``'s
``need_source``: a doer is found). ``--variant`` fits the event model
another way (``VARIANTS``); each is read at the thresholds of ``GRID`` and at
the news budget: the lowest threshold (of ``FINE``, 0.01 apart) whose
timeml news rate stays at or below main's model (c006f1f: negatives weighted
1) at 0.7 (``--budget`` gives that rate for a corpus re-coded with other
features). ``shipped`` is ``train.EVENT_CONFIG``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.coder.scoring.features import hash_features
from dyadwatch.coder.scoring.linear import Binary
from dyadwatch.coder.scoring.train import (
    DEFAULT_FOLDS,
    DEFAULT_SEED,
    EVENT_CONFIG,
    NEGATIVE,
    NEWS_CHECK,
    NEWS_TRAIN,
    SILVER,
    Corpus,
    EventConfig,
    fit_event,
    fold_of,
    news_sentences,
)
from type_misses import load_corpus

VARIANTS = {
    "main": EventConfig(negative_weight=1.0, drafted_weight=1.0, l2=None),
    "shipped": EVENT_CONFIG,
    "drafted0.5": EventConfig(drafted_weight=0.5),
    "drafted0.25": EventConfig(drafted_weight=0.25),
    "neg2": EventConfig(negative_weight=2.0),
    "neg0.5": EventConfig(negative_weight=0.5),
    "l2_3": EventConfig(l2=3.0),
    "l2_0.3": EventConfig(l2=0.3),
    "l2_0.5": EventConfig(l2=0.5),
    "neg2_l2_0.5": EventConfig(negative_weight=2.0, l2=0.5),
    "neg2_drafted0.5": EventConfig(negative_weight=2.0, drafted_weight=0.5),
    "neg3": EventConfig(negative_weight=3.0),
}
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
FINE = tuple(round(0.3 + 0.01 * i, 2) for i in range(61))
BASE_THRESHOLD = 0.7


@dataclass(frozen=True, slots=True)
class News:
    """The news negatives' documents and the check half's no-draft sentences."""

    train_docs: dict[str, str]
    """timeml train-half negative sentence → its document."""
    ipe_docs: dict[str, str]
    """IPE sentence → its document."""
    check: Corpus


def load_news(eval_dir: Path, cache: Path | None) -> News:
    if cache is not None and cache.is_file():
        with cache.open("rb") as handle:
            found: News = pickle.load(handle)  # our own file
        return found
    train, docs = news_sentences(eval_dir, NEWS_TRAIN)
    check, _ = news_sentences(eval_dir, NEWS_CHECK)
    ipe: dict[str, str] = {}
    with (eval_dir / "india_police_events" / "sents.dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                ipe.setdefault(row["text"].strip(), str(row["doc_id"]))
    news = News(dict(zip(train.texts, docs, strict=True)), ipe, check)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(news, handle)
    return news


def _doc_fold(doc: str, folds: int) -> int:
    return zlib.crc32(f"{DEFAULT_SEED}:doc:{doc}".encode()) % folds


@dataclass(frozen=True, slots=True)
class Rows:
    """Per scored sentence: its group and its out-of-fold P(event)."""

    labelled: list[float]
    news: list[float]
    ipe: list[float]
    check: list[float]


def _kind(corpus: Corpus, index: int, news: News) -> str | None:
    """What a sentence counts as: labelled (no draft), news, ipe, or None (not counted)."""
    if corpus.proposed_fallback(index) is None:
        return None  # coding never scores it (no source)
    suites = {label.suite for label in corpus.labels[index]}
    if NEGATIVE in suites:
        return "news" if corpus.texts[index] in news.train_docs else "ipe"
    if suites == {SILVER} or corpus.candidates[index]:
        return None
    return "labelled"


def assign(corpus: Corpus, news: News, folds: int) -> list[int]:
    """Labelled sentences by sentence (the scorer suite's folds); negatives by document."""
    found = []
    for index, text in enumerate(corpus.texts):
        if NEGATIVE in {label.suite for label in corpus.labels[index]}:
            doc = news.train_docs.get(text) or news.ipe_docs.get(text.strip()) or text
            found.append(_doc_fold(doc, folds))
        else:
            found.append(fold_of(text, DEFAULT_SEED, folds))
    return found


def score(corpus: Corpus, news: News, config: EventConfig, folds: int) -> Rows:
    assignment = assign(corpus, news, folds)
    rows = Rows([], [], [], [])
    for fold in range(folds):
        model = Binary.of(fit_event(corpus, [i for i, f in enumerate(assignment) if f != fold],
                                    config))  # fmt: skip
        for index, f in enumerate(assignment):
            kind = _kind(corpus, index, news)
            candidate = corpus.proposed_fallback(index)
            if f != fold or kind is None or candidate is None:
                continue
            p = model.probability(hash_features(candidate.type_features))
            getattr(rows, kind).append(p)
    whole = Binary.of(fit_event(corpus, range(len(corpus.texts)), config))
    for index in range(len(news.check.texts)):
        if (candidate := news.check.proposed_fallback(index)) is not None:
            rows.check.append(whole.probability(hash_features(candidate.type_features)))
    return rows


def _share(values: Sequence[float], threshold: float) -> float:
    return sum(1 for v in values if v >= threshold) / max(len(values), 1)


def _count(values: Sequence[float], threshold: float) -> int:
    return sum(1 for v in values if v >= threshold)


def budget_threshold(rows: Rows, budget: float) -> float:
    """The lowest threshold of ``FINE`` whose timeml news rate stays at or below ``budget``."""
    return next((t for t in FINE if _share(rows.news, t) <= budget + 1e-12), FINE[-1])


def line(name: str, rows: Rows, threshold: float) -> str:
    return (
        f"| {name} | {threshold:.2f} | {_share(rows.labelled, threshold):.3f} "
        f"({_count(rows.labelled, threshold)}/{len(rows.labelled)}) | "
        f"{_share(rows.news, threshold):.4f} ({_count(rows.news, threshold)}/{len(rows.news)}) | "
        f"{_share(rows.ipe, threshold):.4f} ({_count(rows.ipe, threshold)}/{len(rows.ipe)}) | "
        f"{_count(rows.check, threshold)}/{len(rows.check)} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--corpus", type=Path, help="pickle of the coded corpus (read or written)")
    parser.add_argument("--news", type=Path, help="pickle of the news halves (read or written)")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    parser.add_argument(
        "--budget",
        type=float,
        help="timeml news rate to hold (default: the "
        "shipped model's at 0.7 on this corpus; give main's on a re-coded one)",
    )
    args = parser.parse_args(argv)
    if not (args.eval / "timeml_dates" / "docs.dev.jsonl").is_file():
        print(f"no timeml_dates under {args.eval}", file=sys.stderr)
        return 1
    corpus = load_corpus(args.eval, args.corpus)
    news = load_news(args.eval, args.news)
    base = score(corpus, news, VARIANTS["main"], args.folds)
    budget = _share(base.news, BASE_THRESHOLD) if args.budget is None else args.budget
    header = ("| variant | threshold | labelled recall (no draft) | timeml news rate (OOF by doc) "
              "| IPE negative rate (OOF by doc) | check half fallback events |\n"
              "|---|---|---|---|---|---|")  # fmt: skip
    print(header)
    for threshold in GRID:
        print(line("main", base, threshold))
    print(line("main @budget", base, budget_threshold(base, budget)))
    for name in args.variant or ():
        if name == "main":
            continue
        rows = score(corpus, news, VARIANTS[name], args.folds)
        print(line(f"{name} @0.7", rows, BASE_THRESHOLD))
        print(line(f"{name} @budget", rows, budget_threshold(rows, budget)))
    print(f"\nbudget: timeml news rate {budget:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
