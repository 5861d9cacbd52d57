"""What reading a drafted sentence's main predicate costs the scorer (``MAIN_THRESHOLD``).

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/main_predicate_cost.py [--texts 400] [--rounds 3]

Parses the first ``--texts`` IPE sentences once and records what the coder
hands the scorer (``scorer_cost.Recorder``), then, ``--rounds`` times and
sentence by sentence, alternates the lexicon-only coder's coding of the parsed
sentence with ``Scorer.rescore`` on the recorded input with the main predicate
read (``model.MAIN_THRESHOLD`` as shipped) and not read (None), all in thread
CPU time, so a shared machine's load weighs on the three alike. Prints each
one's milliseconds a sentence, the two scorer/lexicon ratios, and how many
events each keeps (docs/MODEL_LOG.md, rows 127-128).
"""

from __future__ import annotations

import argparse
import sys

from dyadwatch.coder.scoring import model as scoring
from dyadwatch.coder.scoring.model import Scorer, load_weights
from scorer_cost import CLOCK, recorded

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--texts", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    shipped = scoring.MAIN_THRESHOLD
    plain, docs, inputs = recorded(args.texts)
    scorer = Scorer(load_weights())
    seconds = {"lexicon": 0.0, "main": 0.0, "off": 0.0}
    events = {"main": 0, "off": 0}
    settings = (("main", shipped), ("off", None))
    for turn in range(args.rounds + 1):  # the first round warms lazy loads and caches
        for doc, seen in zip(docs, inputs, strict=True):
            started = CLOCK()
            plain.component.code(doc)
            if turn:
                seconds["lexicon"] += CLOCK() - started
            for name, threshold in settings if turn % 2 else settings[::-1]:
                scoring.MAIN_THRESHOLD = threshold
                started = CLOCK()
                found = sum(len(scorer.rescore(list(e), view)) for e, view in seen)
                if turn:
                    seconds[name] += CLOCK() - started
                    events[name] += found
    scoring.MAIN_THRESHOLD = shipped
    sentences = sum(len(s) for s in inputs) * args.rounds
    per = {name: 1000.0 * value / sentences for name, value in seconds.items()}
    print(f"{sentences // args.rounds} IPE sentences, {args.rounds} rounds, thread CPU time")
    print(f"lexicon {per['lexicon']:.3f} ms a sentence; scorer with the main predicate "
          f"{per['main']:.3f} ms ({per['main'] / per['lexicon']:.3f} of the lexicon's), "
          f"without {per['off']:.3f} ms ({per['off'] / per['lexicon']:.3f}); "
          f"main / off {seconds['main'] / seconds['off']:.3f}")  # fmt: skip
    print(f"events a round: {events['main'] // args.rounds} with, "
          f"{events['off'] // args.rounds} without")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
