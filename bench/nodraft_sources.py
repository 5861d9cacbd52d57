"""Which fallbacks of the training corpus coding never proposes, against those CV drops
(docs/MODEL_LOG.md, rows 220-229).

Coding drafts a fallback with ``fallback_draft(view, need_source=True)``; training
records it without, and ``Corpus.proposed_fallback`` drops the ones with no source.
This codes the training corpus as ``make model`` does, asks ``need_source`` of the
very sentence each recorded fallback came from, and compares the two sets.

    PYTHONPATH=src .venv/bin/python bench/nodraft_sources.py --eval ../shared/eval
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.propose import SentenceView, fallback, fallback_draft

_Key = tuple[str, tuple[int, int]]


def _key(candidate: Candidate) -> _Key:
    return candidate.event.sentence, candidate.event.evidence.trigger


def _recording(skipped: dict[_Key, set[bool]]) -> Callable[..., Candidate | None]:
    """``propose.fallback`` that also notes whether coding would skip the sentence."""

    def recorded(view: SentenceView, *, pairs: bool = True) -> Candidate | None:
        candidate = fallback(view, pairs=pairs)
        if candidate is not None:
            never = fallback_draft(view, need_source=True) is None
            skipped.setdefault(_key(candidate), set()).add(never)
        return candidate

    return recorded


def compare(eval_dir: Path) -> None:
    skipped: dict[_Key, set[bool]] = {}
    with mock.patch.object(train, "fallback", _recording(skipped)):
        corpus = train.training_corpus(eval_dir)
    print(f"sentences {len(corpus.texts)}; sentence texts seen twice with two answers: "
          f"{sum(1 for v in skipped.values() if len(v) > 1)}")  # fmt: skip
    for drafted in (False, True):
        rows = [i for i, c in enumerate(corpus.candidates) if bool(c) == drafted]
        held = [(i, f) for i in rows if (f := corpus.fallbacks[i]) is not None]
        coding = {i for i, f in held if True in skipped[_key(f)]}
        dropped = {i for i, _ in held if corpus.proposed_fallback(i) is None}
        suites = dict(Counter(corpus.labels[i][0].suite for i in dropped))
        print(f"{'drafted' if drafted else 'no-draft'}: {len(rows)} sentences, {len(held)} "
              f"with a fallback; coding never proposes {len(coding)}; CV drops {len(dropped)}; "
              f"in one set only {len(coding ^ dropped)}; dropped by suite {suites}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    compare(parser.parse_args().eval)


if __name__ == "__main__":
    main()
