"""What session 13's type-feature groups cost a drafted candidate (same process, CPU time).

Usage::

    PYTHONPATH=src .venv/bin/python bench/type_feature_cost.py [--texts 1500] [--rounds 7]

Codes the first ``--texts`` IPE DEV sentences with the lexicon alone, keeps
every drafted event with its sentence, then builds and hashes each event's
type features (``features.type_features`` + ``hash_features``, what a drafted
candidate pays) with the new groups (``mode_features``, ``object_features``,
``pair_type_features``; ``--group NAME`` names another ``features`` function)
and with them replaced by empty lists, alternated
``--rounds`` times; prints the best round's microseconds a candidate, the
strings a candidate and the ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import features
from dyadwatch.coder.scoring.model import builtin_event
from dyadwatch.coder.scoring.propose import SentenceView
from dyadwatch.model import Event

NEW = ("mode_features", "object_features", "pair_type_features")
CLOCK = time.thread_time


@dataclass
class _Keep:
    """Keeps each drafted built-in event with its trigger token and sentence."""

    found: list[tuple[Event, Token, Span, list[str]]] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        mine = [e for e in events if builtin_event(e)]
        types = [e.plover.type if e.plover else "none" for e in mine]
        for event in mine:
            trigger = features.token_at(view.sentence, event.evidence.trigger)
            if trigger is not None:
                others = [t for t, e in zip(types, mine, strict=True) if e is not event]
                self.found.append((event, trigger, view.sentence, others))
        return events


@contextmanager
def _without_new_groups(groups: tuple[str, ...] = NEW) -> Iterator[None]:
    saved = {name: getattr(features, name) for name in groups}
    empty: Callable[..., list[str]] = lambda *args, **kwargs: []  # noqa: E731
    for name in groups:
        setattr(features, name, empty)
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(features, name, function)


def _round(kept: list[tuple[Event, Token, Span, list[str]]]) -> tuple[float, int]:
    strings = 0
    started = CLOCK()
    for event, trigger, sentence, others in kept:
        found = features.type_features(event, trigger, others, None, sentence)
        features.hash_features(found)
        strings += len(found)
    return CLOCK() - started, strings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--texts", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--group", action="append", help="a features function to cost")
    args = parser.parse_args(argv)
    path = args.eval / "india_police_events" / "sents.dev.jsonl"
    if not path.is_file():
        print(f"no {path}", file=sys.stderr)
        return 1
    with path.open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = [json.loads(line) for line in handle if line.strip()]
    base = Coder.builtin(learned=False)
    keep = _Keep()
    Coder(base.nlp, base.knowledge, scorer=keep).code_texts([r["text"] for r in rows[: args.texts]])
    best = {"with": (float("inf"), 0), "without": (float("inf"), 0)}
    for _ in range(args.rounds):
        for name in ("with", "without"):
            if name == "with":
                result = _round(keep.found)
            else:
                with _without_new_groups(tuple(args.group or NEW)):
                    result = _round(keep.found)
            best[name] = min(best[name], result)
    count = max(len(keep.found), 1)
    for name, (seconds, strings) in best.items():
        print(f"{name} new groups: {seconds / count * 1e6:.1f} µs a candidate, "
              f"{strings / count:.1f} strings ({count} candidates)")  # fmt: skip
    print(f"ratio with / without: {best['with'][0] / best['without'][0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
