"""Where the learned scorer's time goes, stage by stage, on the IPE sentences.

Usage::

    PYTHONPATH=src .venv/bin/python bench/profile_scorer.py [--texts 400] [--rounds 3]

Codes the first ``--texts`` sentences of ``india_police_events/sents.dev.jsonl``
with the lexicon-only coder and with the scorer, alternated, in this process.
During the scorer's runs a timer wraps each stage of the scorer (the actor list,
the fallback candidate, the draft candidates, feature hashing, the linear
models, the code choice, the decision) and charges each its own CPU time, its
callees' excluded, less the timer's own cost a call. Prints milliseconds a
sentence per stage (the best round), the stage's share of the scorer's timed
cost, and that cost against the lexicon coder's.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dyadwatch.coder.engine import Coder

__all__ = ["STAGES", "StageClock", "main"]

ROOT = Path(__file__).resolve().parents[1]
CLOCK = time.thread_time
"""CPU seconds of this thread: the coder runs here, and a busy machine barely moves it."""

STAGES: tuple[tuple[str, str, str], ...] = (
    ("actor list (mentioned_actors)", "dyadwatch.coder.component", "mentioned_actors"),
    ("fallback candidate (propose.fallback)", "dyadwatch.coder.scoring.model", "fallback_draft"),
    (
        "fallback candidate (propose.fallback)",
        "dyadwatch.coder.scoring.propose",
        "FallbackDraft.candidate",
    ),
    ("draft candidates (propose.propose)", "dyadwatch.coder.scoring.model", "propose"),
    ("feature hashing", "dyadwatch.coder.scoring.model", "hash_features"),
    ("feature hashing", "dyadwatch.coder.scoring.model", "hash_candidate"),
    ("linear models", "dyadwatch.coder.scoring.linear", "LinearModel.probabilities"),
    ("linear models", "dyadwatch.coder.scoring.linear", "LinearModel.scores"),
    ("linear models", "dyadwatch.coder.scoring.linear", "Stacked.scores"),
    ("linear models", "dyadwatch.coder.scoring.linear", "Binary.logit"),
    ("linear models", "dyadwatch.coder.scoring.linear", "softmax"),
    ("linear models", "dyadwatch.coder.scoring.model", "softmax"),
    ("code choice (Scorer._choose)", "dyadwatch.coder.scoring.model", "Scorer._choose"),
    ("code choice (Scorer._choose)", "dyadwatch.coder.scoring.model", "Scorer._pick"),
    ("decision (model.decide)", "dyadwatch.coder.scoring.model", "decide"),
    ("decision (model.decide)", "dyadwatch.coder.scoring.model", "select"),
    ("decision (model.decide)", "dyadwatch.coder.scoring.model", "_decided"),
    ("calibration", "dyadwatch.coder.scoring.linear", "Calibrator.probability"),
    ("rest of Scorer.rescore", "dyadwatch.coder.scoring.model", "Scorer.rescore"),
)
"""(stage, module, attribute): the attributes the timer wraps; missing ones are skipped."""


class StageClock:
    """Exclusive seconds per stage: a stage's callees are charged to themselves."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[list[float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        frame = [CLOCK(), 0.0]
        self._stack.append(frame)
        try:
            yield
        finally:
            spent = CLOCK() - frame[0]
            self._stack.pop()
            self.seconds[name] = self.seconds.get(name, 0.0) + spent - frame[1]
            self.calls[name] = self.calls.get(name, 0) + 1
            if self._stack:
                self._stack[-1][1] += spent

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return function(*args, **kwargs)

        return timed


def timer_cost(samples: int = 20000) -> float:
    """Seconds the timer adds to one wrapped call (two clock reads and the wrapping)."""

    def nothing() -> None:
        return None

    wrapped = StageClock().wrap("nothing", nothing)
    started = CLOCK()
    for _ in range(samples):
        nothing()
    bare = CLOCK() - started
    started = CLOCK()
    for _ in range(samples):
        wrapped()
    return max(0.0, (CLOCK() - started - bare) / samples)


def _install(clock: StageClock) -> list[tuple[Any, str, Any]]:
    """Wrap every stage found; returns what to put back."""
    undo: list[tuple[Any, str, Any]] = []
    for name, module_name, attribute in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, leaf = attribute.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, leaf):
            continue
        original = getattr(owner, leaf)
        undo.append((owner, leaf, original))
        setattr(owner, leaf, clock.wrap(name, original))
    return undo


def _ipe_texts(count: int) -> list[str]:
    shared = Path(os.environ.get("DYADWATCH_SHARED", ROOT.parent / "shared"))
    path = shared / "eval" / "india_police_events" / "sents.dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(count), handle, strict=False)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    texts = _ipe_texts(args.texts)
    plain, learned = Coder.builtin(learned=False), Coder.builtin()
    for coder in (plain, learned):
        coder.code_texts(texts[:20])
    best_plain = best_learned = float("inf")
    best_stages: dict[str, float] = {}
    best_calls: dict[str, int] = {}
    for _ in range(args.rounds):
        started = CLOCK()
        plain.code_texts(list(texts))
        best_plain = min(best_plain, CLOCK() - started)
        clock = StageClock()
        undo = _install(clock)
        try:
            started = CLOCK()
            learned.code_texts(list(texts))
            spent = CLOCK() - started
        finally:
            for owner, leaf, original in reversed(undo):
                setattr(owner, leaf, original)
        if spent < best_learned:
            best_learned, best_stages, best_calls = spent, clock.seconds, clock.calls
    overhead = timer_cost()
    # Each stage is charged its calls' share of the timer's own cost, taken off here.
    best_stages = {k: max(0.0, v - overhead * best_calls[k]) for k, v in best_stages.items()}
    per = 1000.0 / len(texts)
    cost = sum(best_stages.values())
    print(
        f"{len(texts)} IPE sentences, best of {args.rounds} alternated rounds "
        "(CPU time of the coding thread)"
    )
    print(f"lexicon coder: {best_plain * per:.3f} ms a sentence; with the scorer "
          f"{best_learned * per:.3f} ms, timers included ({overhead * 1e6:.1f} µs a timed "
          f"call, {sum(best_calls.values()) / len(texts):.1f} calls a sentence)")  # fmt: skip
    print(f"scorer stages (timed): {cost * per:.3f} ms a sentence "
          f"({cost / best_plain:.0%} of the lexicon coder's time)")  # fmt: skip
    for name, seconds in sorted(best_stages.items(), key=lambda kv: -kv[1]):
        print(f"  {name:40s} {seconds * per:7.3f} ms  {seconds / cost:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
