"""The learned scorer's own cost against the lexicon coder's, sentence by sentence.

Usage::

    PYTHONPATH=src .venv/bin/python bench/scorer_cost.py [--texts 400] [--rounds 3]

Parses the first ``--texts`` IPE sentences once, records what the coder hands
the scorer for each sentence (its drafts and its :class:`SentenceView`), then,
``--rounds`` times and sentence by sentence, alternates the lexicon-only
coder's coding of the parsed sentence (``EventCoder.code``, no parsing) with
``Scorer.rescore`` on the recorded input, both timed in CPU time of this
thread, so a shared machine's load weighs on both alike. Prints the scorer's
milliseconds a sentence (split into sentences without a draft, which get the
fallback candidate, and sentences with drafts), the lexicon coder's, and
their ratio (docs/MODEL.md, "Speed"). Run it under two trees in turn, several
processes each, to compare them.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field

from spacy.tokens import Doc

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.model import Scorer, load_weights
from dyadwatch.coder.scoring.propose import SentenceView
from dyadwatch.model import Event
from profile_scorer import _ipe_texts

__all__ = ["Recorder", "main", "recorded"]

CLOCK = time.thread_time

Seen = tuple[list[Event], SentenceView]
"""What the scorer is handed for one sentence: its drafts and the sentence."""


@dataclass
class Recorder:
    """A rescorer that keeps what it is handed and passes the events on unchanged."""

    seen: list[Seen] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        self.seen.append((list(events), view))
        return events


def recorded(texts: int) -> tuple[Coder, list[Doc], list[list[Seen]]]:
    """The lexicon-only coder, the first ``texts`` IPE sentences parsed, and what the
    scorer is handed for each (recorded once, so the scorer can be timed alone)."""
    plain = Coder.builtin(learned=False)
    docs = list(plain.nlp.pipe(_ipe_texts(texts), batch_size=64))
    recorder = Recorder()
    recording = Coder(plain.nlp, plain.knowledge, scorer=recorder)
    inputs = []
    for doc in docs:
        recorder.seen.clear()
        recording.component.code(doc)
        inputs.append(list(recorder.seen))
    return plain, docs, inputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    plain, docs, inputs = recorded(args.texts)
    scorer = Scorer(load_weights())
    lexicon = [0.0, 0.0]
    scoring = {True: 0.0, False: 0.0}
    for doc, seen in zip(docs, inputs, strict=True):  # warm-up: lazy loads, caches
        plain.component.code(doc)
        for events, view in seen:
            scorer.rescore(events, view)
    for _ in range(args.rounds):
        for doc, seen in zip(docs, inputs, strict=True):
            started = CLOCK()
            plain.component.code(doc)
            lexicon[0] += CLOCK() - started
            for events, view in seen:
                started = CLOCK()
                scorer.rescore(events, view)
                scoring[not events] += CLOCK() - started
    sentences = sum(len(s) for s in inputs)
    bare = sum(1 for s in inputs for events, _ in s if not events)
    per = 1000.0 / (sentences * args.rounds)
    total = scoring[True] + scoring[False]
    print(f"{sentences} IPE sentences ({bare} without a draft), {args.rounds} rounds, "
          "thread CPU time")  # fmt: skip
    print(
        f"scorer {total * per:.3f} ms a sentence (without a draft: "
        f"{scoring[True] * 1000.0 / (max(bare, 1) * args.rounds):.3f} ms each; drafted: "
        f"{scoring[False] * 1000.0 / (max(sentences - bare, 1) * args.rounds):.3f} ms each)"
    )
    print(f"lexicon coding {lexicon[0] * per:.3f} ms a sentence; "
          f"scorer / lexicon {total / lexicon[0]:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
