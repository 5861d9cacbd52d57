"""What the pair ranks (``propose.ranked``) cost the proposer (same process, CPU time).

Usage::

    PYTHONPATH=src .venv/bin/python bench/pair_rank_cost.py [--texts 1500] [--rounds 7]

Codes the first ``--texts`` IPE DEV sentences with the lexicon alone, keeps
each sentence's drafted built-in events with its view, then runs
``propose.propose`` (every candidate pair of every trigger, its features
included: what the scorer pays before hashing) with ``ranked`` and with it
replaced by the identity, alternated ``--rounds`` times; prints the best
round's microseconds a candidate and the ratio.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.model import builtin_event
from dyadwatch.coder.scoring.propose import SentenceView
from dyadwatch.model import Event

CLOCK = time.thread_time
proposer = importlib.import_module("dyadwatch.coder.scoring.propose")
"""The module (the package's ``propose`` is its function)."""


@dataclass
class _Keep:
    """Keeps each sentence's drafted built-in events with its view."""

    found: list[tuple[list[Event], SentenceView]] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        mine = [e for e in events if builtin_event(e)]
        if mine:
            self.found.append((mine, view))
        return events


@contextmanager
def _unranked() -> Iterator[None]:
    saved = proposer.ranked

    def same(group: Sequence[Candidate], *_: object) -> list[Candidate]:
        return list(group)

    setattr(proposer, "ranked", same)  # noqa: B010
    try:
        yield
    finally:
        setattr(proposer, "ranked", saved)  # noqa: B010


def _round(kept: list[tuple[list[Event], SentenceView]]) -> tuple[float, int]:
    count = 0
    started = CLOCK()
    for events, view in kept:
        found: list[Candidate] = proposer.propose(events, view)
        count += len(found)
    return CLOCK() - started, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--texts", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=7)
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
    best = {"ranked": (float("inf"), 0), "unranked": (float("inf"), 0)}
    for _ in range(args.rounds):
        best["ranked"] = min(best["ranked"], _round(keep.found))
        with _unranked():
            best["unranked"] = min(best["unranked"], _round(keep.found))
    for name, (seconds, count) in best.items():
        print(f"{name}: {seconds / max(count, 1) * 1e6:.1f} µs a candidate ({count} candidates, "
              f"{len(keep.found)} sentences)")  # fmt: skip
    print(f"ratio ranked / unranked: {best['ranked'][0] / best['unranked'][0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
