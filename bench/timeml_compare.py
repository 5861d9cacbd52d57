"""Two scorer weight files on the timeml_dates suite: which gold events each
matches, and whether the events both match carry the same date.

The suite's figures (``bench/run_eval.py --suite timeml_dates``) mix two
things: how well the temporal stage dates an event, and which gold events the
coder emits at all. A change to the scorer moves only the second, yet with 23
events in "time expression in another sentence" one new match moves that row
by four points. This splits the two (docs/MODEL_LOG.md, row 270, clause 3)::

    git show 41a0f7e:src/dyadwatch/coder/scoring/data/scorer.npz > /tmp/before.npz
    .venv/bin/python bench/timeml_compare.py /tmp/before.npz    # against the shipped weights
    .venv/bin/python bench/timeml_compare.py /tmp/before.npz other.npz

Exit status 1 when a gold event matched by both is dated differently.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import Scorer
from dyadwatch.evaluate import timeml
from dyadwatch.model import Document
from run_eval import read_jsonl, shared_dir

Matches = dict[tuple[str, tuple[int, int]], timeml.DatedSpan]
"""Gold event (document, trigger span) to the first coded event overlapping it."""


def matches(coder: Coder, texts: dict[str, str], published: dict[str, dt.date],
            gold: Sequence[timeml.GoldDate]) -> Matches:  # fmt: skip
    """The coded event each gold event takes, as ``timeml.score`` matches them."""
    documents = [Document(doc, text, published[doc]) for doc, text in texts.items()]
    coded: list[timeml.DatedSpan] = []
    for (_, found), parsed in zip(
        coder.code_documents(documents), coder.nlp.pipe(texts.values()), strict=True
    ):
        events = found if isinstance(found, list) else []
        coded += timeml.placed(events, [sentence.start_char for sentence in parsed.sents])
    return {
        (item.doc, item.span): match
        for item, match in zip(gold, timeml.matched(gold, coded), strict=True)
        if match is not None
    }


def report(before: Matches, after: Matches, gold: Sequence[timeml.GoldDate],
           texts: dict[str, str]) -> list[str]:  # fmt: skip
    """One line per gold event whose match or date differs between the two."""
    lines: list[str] = []
    for item in gold:
        key = (item.doc, item.span)
        old, new = before.get(key), after.get(key)
        if old is None and new is None:
            continue
        if old is not None and new is not None and (old.date, old.range) == (new.date, new.range):
            continue
        word = texts[item.doc][item.span[0] : item.span[1]]
        kind = _kind(item)
        state = "dated differently" if old and new else "only before" if old else "only after"
        shown = [_dated(e, item) for e in (old, new)]
        lines.append(f"{state}: {item.doc} {word!r} gold {item.gold} ({kind}); "
                     f"before {shown[0]}, after {shown[1]}")  # fmt: skip
    return lines


def _kind(item: timeml.GoldDate) -> str:
    if not item.off_dct:
        return "dct"
    return "other sentence" if item.other_sentence else "own sentence"


def _dated(event: timeml.DatedSpan | None, item: timeml.GoldDate) -> str:
    if event is None:
        return "no match"
    right = timeml.dated_right(event.date, event.range, item.gold, item.precision)
    return f"{event.date} ({'right' if right else 'wrong'})"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("before", type=Path, help="scorer weights (.npz) to compare from")
    parser.add_argument("after", type=Path, nargs="?", help="default: the shipped weights")
    args = parser.parse_args()
    folder = shared_dir() / "eval" / "timeml_dates"
    docs = read_jsonl(folder / "docs.dev.jsonl", None)
    texts = {d["doc"]: d["text"] for d in docs}
    published = {d["doc"]: dt.date.fromisoformat(d["dct"]) for d in docs}
    rows = (r for r in read_jsonl(folder / "events.dev.jsonl", None) if r["doc"] in texts)
    gold = timeml.gold_dates(texts, rows)
    shipped = Coder.builtin()
    old = Coder(shipped.nlp, shipped.knowledge, scorer=Scorer.load(args.before))
    new = shipped if args.after is None else Coder(
        shipped.nlp, shipped.knowledge, scorer=Scorer.load(args.after))  # fmt: skip
    before, after = (matches(c, texts, published, gold) for c in (old, new))
    lines = report(before, after, gold, texts)
    print("\n".join(lines) or "no gold event matched or dated differently")
    both = sum(1 for key in before if key in after)
    print(json.dumps({"matched before": len(before), "matched after": len(after),
                      "matched by both": both, "changed lines": len(lines)}))  # fmt: skip
    return 1 if any(line.startswith("dated differently") for line in lines) else 0


if __name__ == "__main__":
    raise SystemExit(main())
