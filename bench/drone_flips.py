"""Victim-as-doer flips of the learned scorer on the drone_strikes DEV texts.

Usage::

    .venv/bin/python bench/drone_flips.py            # <shared>/eval/drone_strikes
    .venv/bin/python bench/drone_flips.py --show 10

Codes every narrative and short summary twice, with the lexicon alone and with
the shipped scorer, and counts the scorer's violent events (CAMEO 18-20) whose
source overlaps a violent lexicon draft's target in the same sentence, or whose
target overlaps such a draft's source: a victim made the doer ("militants
killed in a strike" -> militants -> strike). The rows of docs/MODEL_LOG.md
("drone flips") are this count.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dyadwatch.model import Event
from run_pairs import default_file

_VIOLENT = ("18", "19", "20")
Span = tuple[int, int]


def _overlaps(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def flipped(scored: Event, drafts: Sequence[Event]) -> bool:
    """Whether a scored violent event takes a draft's victim as doer or its doer as victim."""
    if scored.cameo[:2] not in _VIOLENT:
        return False
    for draft in drafts:
        if draft.sentence_index != scored.sentence_index or draft.cameo[:2] not in _VIOLENT:
            continue
        if _overlaps(scored.evidence.source, draft.evidence.target) or _overlaps(
            scored.evidence.target, draft.evidence.source
        ):
            return True
    return False


def texts(suite: Path) -> list[str]:
    found: list[str] = []
    for line in (suite / "strikes.dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found.extend(str(row[k]) for k in ("narrative", "bij_summary_short") if row.get(k))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    default = default_file().parents[1] / "drone_strikes"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--suite", type=Path, default=default, help="drone_strikes folder")
    parser.add_argument("--show", type=int, default=0, help="print this many flips")
    args = parser.parse_args(argv)
    if not (args.suite / "strikes.dev.jsonl").is_file():
        print(f"error: no strikes.dev.jsonl in {args.suite}", file=sys.stderr)
        return 2
    from dyadwatch.coder.engine import Coder

    lexicon = Coder.builtin(learned=False)
    scorer = Coder.builtin(nlp=lexicon.nlp)
    found = texts(args.suite)
    flips = violent = 0
    for text in found:
        drafts = lexicon.code_text(text)
        for event in scorer.code_text(text):
            violent += event.cameo[:2] in _VIOLENT
            if flipped(event, drafts):
                flips += 1
                if flips <= args.show:
                    target = event.target.text if event.target else None
                    print(f"{event.sentence}\n    {event.source.text} -> {target}: {event.cameo}")
    print(f"texts: {len(found)}; violent events: {violent}; victim-as-doer flips: {flips}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
