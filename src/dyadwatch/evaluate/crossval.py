"""Cross-validated figures of the learned scorer (folds by sentence).

The scorer is trained on the same DEV halves it would be scored on, so its
figures there are k-fold cross-validated: every sentence is scored by models
(and a calibrator) fitted on the other folds only, and a sentence found in two
suites sits in one fold. The lexicon-only figures beside them are computed on
the same coded candidates, so the two columns differ by the scorer alone.

``bench/run_eval.py --suite scorer`` calls :func:`scorer_figures`; the
reliability table and the expected calibration error come from
:func:`reliability`.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dyadwatch.coder.scoring.labels import Label, judge_pair
from dyadwatch.coder.scoring.model import Scorer, load_weights
from dyadwatch.coder.scoring.propose import FALLBACK_RULE, SentenceView
from dyadwatch.coder.scoring.train import (
    DEFAULT_FOLDS,
    DEFAULT_SEED,
    NEGATIVE,
    SILVER,
    WRITTEN,
    Corpus,
    OutOfFold,
    calibration_data,
    cross_validate,
    training_corpus,
)
from dyadwatch.evaluate.suites import best_event, penta_predict, plover_predict
from dyadwatch.model import Event

if TYPE_CHECKING:
    from dyadwatch.coder.engine import Coder

__all__ = [
    "BINS",
    "SPEED_CHUNK",
    "Bin",
    "CrossValidated",
    "NewsRate",
    "Reliability",
    "news_rate",
    "oof_figures",
    "pair_figures",
    "reliability",
    "scorer_figures",
    "speed_ratio",
]

BINS = 10


@dataclass(frozen=True, slots=True)
class Bin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class Reliability:
    bins: tuple[Bin, ...]
    ece: float
    """Expected calibration error: the count-weighted mean |accuracy - confidence|."""
    count: int


def reliability(
    confidences: Sequence[float], right: Sequence[bool], bins: int = BINS
) -> Reliability:
    """A reliability table of equal-width confidence bins and its ECE."""
    if len(confidences) != len(right):
        raise ValueError("confidences and outcomes differ in length")
    table: list[Bin] = []
    total = len(confidences)
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            i for i, c in enumerate(confidences) if low <= c < high or (b == bins - 1 and c == 1.0)
        ]
        if not members:
            table.append(Bin(low, high, 0, 0.0, 0.0))
            continue
        mean = sum(confidences[i] for i in members) / len(members)
        accuracy = sum(1 for i in members if right[i]) / len(members)
        error += len(members) / total * abs(accuracy - mean)
        table.append(Bin(low, high, len(members), mean, accuracy))
    return Reliability(tuple(table), error, total)


@dataclass(frozen=True, slots=True)
class CrossValidated:
    """Scorer (CV) and lexicon-only figures on the labelled DEV data."""

    figures: dict[str, tuple[float, float, int]]
    """name -> (scorer CV, lexicon only, items); ``events_per_sentence`` is a
    mean count per labelled sentence, not an accuracy."""
    calibration: Reliability
    folds: int
    seed: int
    seconds: float


def _lexicon_events(oof: OutOfFold, index: int) -> list[Event]:
    return [c.event for c in oof.corpus.candidates[index] if c.lexicon_pair]


def _merged(kind: str | None) -> str | None:
    return "YIELD" if kind in ("CONCEDE", "RETREAT") else kind


def pair_figures(events: Sequence[Event], label: Label) -> tuple[bool, bool]:
    """(type right for the labelled pair, an event on the labelled pair)."""
    on_pair = [e for e in events if judge_pair(e, label)]
    chosen = best_event([e for e in on_pair if e.plover is not None]) or best_event(
        [e for e in events if e.plover is not None]
    )
    kind = chosen.plover.type if chosen is not None and chosen.plover is not None else None
    return _merged(kind) == _merged(label.plover_type), bool(on_pair)


def _accuracy(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def scorer_figures(
    eval_dir: Path,
    *,
    folds: int = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
    corpus: Corpus | None = None,
) -> CrossValidated:
    """Cross-validate the scorer on the labelled DEV data of ``eval_dir`` (or on
    ``corpus``, that data already coded: experiment harnesses code it once)."""
    started = time.perf_counter()
    corpus = training_corpus(eval_dir) if corpus is None else corpus
    oof = cross_validate(corpus, folds=folds, seed=seed, progress=progress)
    return oof_figures(oof, seed, started)


def oof_figures(
    oof: OutOfFold, seed: int = DEFAULT_SEED, started: float | None = None
) -> CrossValidated:
    """The figures of out-of-fold scores (``started``: when the run began, for its seconds)."""
    started = time.perf_counter() if started is None else started
    corpus = oof.corpus
    folds = len(oof.calibrators)
    hits: dict[str, tuple[list[bool], list[bool]]] = {
        name: ([], []) for name in ("plover_type", "penta", "plv_type", "plv_pair")
    }
    counts = [0, 0]
    sentences = 0
    negative = [0, 0]
    for index, labels in enumerate(corpus.labels):
        scored, plain = oof.events(index), _lexicon_events(oof, index)
        if any(label.suite == NEGATIVE for label in labels):
            negative[0] += 1
            negative[1] += len(scored)
        elif any(label.suite not in (SILVER, WRITTEN) for label in labels):
            sentences += 1
            counts[0] += len(scored)
            counts[1] += len(plain)
        for label in labels:
            for which, events in ((0, scored), (1, plain)):
                _tally(hits, which, events, label)
    confidences: list[float] = []
    right: list[bool] = []
    for fold in range(folds):
        members = [i for i, f in enumerate(oof.folds) if f == fold]
        signals, outcomes = calibration_data(corpus, oof.scored, members)
        calibrator = oof.calibrators[fold]
        confidences.extend(calibrator.probability(s) for s in signals)
        right.extend(outcomes)
    figures = {
        name: (_accuracy(pair[0]), _accuracy(pair[1]), len(pair[0])) for name, pair in hits.items()
    }
    # How many events a labelled sentence yields: more pairs must not mean a flood.
    figures["events_per_sentence"] = (
        counts[0] / max(sentences, 1),
        counts[1] / max(sentences, 1),
        sentences,
    )
    # News sentences the lexicon drafts nothing for: what the fallback adds there.
    figures["events_per_negative"] = (negative[1] / max(negative[0], 1), 0.0, negative[0])
    return CrossValidated(
        figures, reliability(confidences, right), folds, seed, time.perf_counter() - started
    )


def _tally(
    hits: dict[str, tuple[list[bool], list[bool]]], which: int, events: list[Event], label: Label
) -> None:
    if label.suite == "plover":
        hits["plover_type"][which].append(plover_predict(events) == label.plover_type)
    elif label.suite == "penta":
        hits["penta"][which].append(penta_predict(events) == label.penta)
    elif label.suite == "plv":
        type_right, on_pair = pair_figures(events, label)
        hits["plv_type"][which].append(type_right)
        hits["plv_pair"][which].append(on_pair)


@dataclass(frozen=True, slots=True)
class NewsRate:
    """Events per sentence of news the scorer was not trained on, with and without the fallback."""

    sentences: int
    without: int
    """Events with the fallback off."""
    with_fallback: int
    fallback: int
    """Of ``with_fallback``, the events the fallback proposed."""


@dataclass
class _Counting:
    """Counts the sentences the scorer sees and passes them on."""

    inner: Scorer
    sentences: int = 0

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        self.sentences += 1
        return self.inner.rescore(events, view)


def news_rate(texts: Sequence[str]) -> NewsRate:
    """Code ``texts`` with the shipped scorer, its fallback off and on (the flood check)."""
    from dyadwatch.coder.engine import Coder

    base = Coder.builtin(learned=False)
    counts: list[int] = []
    found: list[Event] = []
    sentences = 0
    for fallback in (False, True):
        counter = _Counting(Scorer(load_weights(), fallback=fallback))
        coder = Coder(base.nlp, base.knowledge, scorer=counter)
        found = [e for text in texts for e in coder.code_text(text)]
        counts.append(len(found))
        sentences = counter.sentences
    added = sum(1 for e in found if e.rule == FALLBACK_RULE)
    return NewsRate(sentences, counts[0], counts[1], added)


SPEED_CHUNK = 40
"""Texts each coder codes in turn while :func:`speed_ratio` alternates them."""


def speed_ratio(
    texts: Sequence[str], rounds: int = 2, chunk: int = SPEED_CHUNK
) -> tuple[float, float, float]:
    """Texts per second without and with the scorer, and their ratio (same process).

    The two coders take turns every ``chunk`` texts (the first to go swapping
    each turn), ``rounds`` times over ``texts``, and each rate is over all its
    turns: on a shared machine the load then weighs on both alike, which two
    long runs one after the other do not ensure.
    """
    from dyadwatch.coder.engine import Coder

    coders = (Coder.builtin(learned=False), Coder.builtin())
    for coder in coders:
        coder.code_texts(list(texts[:20]))  # warm up caches and lazy loads
    # What the caller left alive (``make bench`` runs this after the CV, whose
    # results fill the heap) is no cost of either coder, but every full
    # collection walks it and falls on whichever coder allocates at that moment.
    gc.collect()
    gc.freeze()
    try:
        seconds = _timed_turns(coders, texts, rounds, chunk)
    finally:
        gc.unfreeze()
    coded = len(texts) * rounds
    return coded / seconds[0], coded / seconds[1], seconds[0] / seconds[1]


def _timed_turns(
    coders: Sequence[Coder], texts: Sequence[str], rounds: int, chunk: int
) -> list[float]:
    """Seconds each coder spent, taking turns every ``chunk`` texts."""
    seconds = [0.0, 0.0]
    turn = 0
    for _ in range(rounds):
        for start in range(0, len(texts), chunk):
            part = list(texts[start : start + chunk])
            for which in (turn % 2, 1 - turn % 2):
                started = time.perf_counter()
                coders[which].code_texts(part)
                seconds[which] += time.perf_counter() - started
            turn += 1
    return seconds
