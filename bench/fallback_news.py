"""Fallback-rule events on real news the scorer never trained on: list them, or read
how honest their confidence is against one engineer's judgements.

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/fallback_news.py --list /tmp/to_judge.jsonl
    PYTHONPATH=src:bench .venv/bin/python bench/fallback_news.py [--judged FILE]
        [--weights scorer.npz]

The sample (docs/MODEL_LOG.md, session 16): every document of ``case2021`` (news
snippets) and every strike narrative and short summary of ``drone_strikes``
(DEV halves), which
``train.py`` never reads, and the timeml_dates **check half** (the bench's news
check; never trained on either). ``--list`` codes them with the shipped coder
and writes each fallback-rule event **with its sentence**, for judging, to a
file outside the repository. The judged file
(``bench/data/fallback_news_judged.jsonl``) keeps only identifiers and
judgements; reading it re-codes the same texts, finds each judged event by
its identifiers (suite, document, sentence, trigger offset) and reports its
confidence against the judgement, by bins, with what ``min_confidence`` 0.5
keeps. An event the weights no longer produce is counted as missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from dyadwatch.coder.scoring.propose import FALLBACK_RULE
from dyadwatch.coder.scoring.train import NEWS_CHECK, news_half
from dyadwatch.model import Event

if TYPE_CHECKING:
    from dyadwatch.coder.engine import Coder

JUDGED = Path(__file__).resolve().parent / "data" / "fallback_news_judged.jsonl"
BINS = (0.0, 0.2, 0.3, 0.4, 0.5, 1.0)
"""Confidence bins of the reliability table (few events: coarse bins)."""
IDENTIFIERS = (
    "suite", "doc", "sentence_index", "trigger", "source", "target", "type", "cameo",
)  # fmt: skip
"""The judged file's identifier fields; with ``judged_correct``, ``type_right``,
``pair_right`` and ``reason`` they are all it may hold (never the text)."""


@dataclass(frozen=True, slots=True)
class Doc:
    suite: str
    doc: str
    text: str


def documents(eval_dir: Path) -> list[Doc]:
    """The sample's texts: case2021 snippets, drone strike narratives, the timeml check half."""
    found = [Doc("case2021", str(r["id"]), r["text"])
             for r in _rows(eval_dir / "case2021" / "snippets.dev.jsonl")]  # fmt: skip
    found += [Doc("drone_strikes", str(r["id"]), r["narrative"])
              for r in _rows(eval_dir / "drone_strikes" / "strikes.dev.jsonl")
              if r.get("narrative")]  # fmt: skip
    found += [Doc("drone_summary", str(r["id"]), r["bij_summary_short"])
              for r in _rows(eval_dir / "drone_strikes" / "strikes.dev.jsonl")
              if r.get("bij_summary_short")]  # fmt: skip
    found += [Doc("timeml_check", r["doc"], r["text"])
              for r in _rows(eval_dir / "timeml_dates" / "docs.dev.jsonl")
              if news_half(r["doc"]) == NEWS_CHECK]  # fmt: skip
    return found


def _rows(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def shipped_coder(weights: Path | None = None) -> Coder:
    """The shipped coder, or the same coder with another ``scorer.npz``."""
    from dyadwatch.coder.engine import Coder
    from dyadwatch.coder.scoring.model import Scorer

    base = Coder.builtin()
    return base if weights is None else Coder(base.nlp, base.knowledge,
                                              scorer=Scorer.load(weights))  # fmt: skip


def fallback_events(docs: Sequence[Doc], weights: Path | None = None) -> list[tuple[Doc, Event]]:
    """Each document's fallback-rule events, coded by the shipped coder (or ``weights``)."""
    coder = shipped_coder(weights)
    found: list[tuple[Doc, Event]] = []
    for doc in docs:
        events = coder.code_text(doc.text, doc_id=f"{doc.suite}:{doc.doc}")
        found += [(doc, e) for e in events if e.rule == FALLBACK_RULE]
    return found


def identifiers(doc: Doc, event: Event) -> dict[str, object]:
    """What names a judged event without its text."""
    return {
        "suite": doc.suite,
        "doc": doc.doc,
        "sentence_index": event.sentence_index,
        "trigger": list(event.evidence.trigger),
        "source": event.source.code,
        "target": event.target.code if event.target else None,
        "type": event.plover.type if event.plover else None,
        "cameo": event.cameo,
    }


def event_key(row: dict[str, object]) -> tuple[object, ...]:
    """What finds a judged event among the events coded again: document, sentence, trigger."""
    trigger = row["trigger"]
    assert isinstance(trigger, list)
    return (row["suite"], row["doc"], row["sentence_index"], tuple(trigger))


def listing_row(doc: Doc, event: Event) -> dict[str, object]:
    """An event as a judge reads it: its identifiers, sentence, trigger and parties' words."""
    row = identifiers(doc, event)
    start, end = event.evidence.trigger
    row.update(sentence=event.sentence, trigger_text=event.sentence[start:end],
               source_text=event.source.text,
               target_text=event.target.text if event.target else None)  # fmt: skip
    return row


def write_list(found: Sequence[tuple[Doc, Event]], out: Path) -> None:
    """The events to judge, with their sentences and confidence (outside the repository)."""
    with out.open("w", encoding="utf-8") as handle:
        for doc, event in found:
            row = listing_row(doc, event) | {"confidence": round(event.confidence, 4)}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_judged(path: Path = JUDGED) -> list[dict[str, object]]:
    """The judged events (identifiers and judgements only)."""
    return list(_rows(path))


def binned(
    pairs: Sequence[tuple[float, bool]], bins: Sequence[float] = BINS
) -> Iterator[tuple[float, float, list[tuple[float, bool]]]]:
    """Each confidence bin [low, high) that holds (confidence, judged right) pairs, the
    last one closed; empty bins are left out."""
    for low, high in pairwise(bins):
        inside = [(c, r) for c, r in pairs if low <= c < high or (high == 1.0 and c == 1.0)]
        if inside:
            yield low, high, inside


def reliability(pairs: Sequence[tuple[float, bool]]) -> list[str]:
    """Markdown rows: per confidence bin, events, mean confidence, share judged right."""
    lines = ["| confidence | events | mean confidence | judged right | share right |",
             "|---|---|---|---|---|"]  # fmt: skip
    for low, high, inside in binned(pairs):
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(1 for _, r in inside if r)
        lines.append(f"| {low:.1f}-{high:.1f} | {len(inside)} | {mean:.3f} | {right} | "
                     f"{right / len(inside):.3f} |")  # fmt: skip
    total = len(pairs) or 1
    mean = sum(c for c, _ in pairs) / total
    right = sum(1 for _, r in pairs if r)
    lines.append(f"| all | {len(pairs)} | {mean:.3f} | {right} | {right / total:.3f} |")
    return lines


def report(judged: Sequence[dict[str, object]], found: Sequence[tuple[Doc, Event]]) -> str:
    """Reliability per suite group and overall, and what ``min_confidence`` 0.5 keeps."""
    coded = {event_key(identifiers(d, e)): e for d, e in found}
    pairs: dict[str, list[tuple[float, bool]]] = {}
    missing = 0
    for row in judged:
        event = coded.get(event_key(row))
        if event is None:
            missing += 1
            continue
        group = "timeml check half" if row["suite"] == "timeml_check" else "case2021 + drone"
        for name in (group, "all"):
            pairs.setdefault(name, []).append((event.confidence, bool(row["judged_correct"])))
    out = [f"judged {len(judged)}, found {len(judged) - missing}, missing {missing}; "
           f"fallback events coded now in their documents: {len(found)}"]  # fmt: skip
    for name, values in pairs.items():
        kept = [r for c, r in values if c >= 0.5]
        out += ["", f"**{name}**: min_confidence 0.5 keeps {len(kept)} of {len(values)}, "
                f"{sum(kept)} judged right", "", *reliability(values)]  # fmt: skip
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--list", type=Path, help="write the events to judge here (with text)")
    parser.add_argument("--judged", type=Path, default=JUDGED)
    parser.add_argument("--weights", type=Path, help="another scorer.npz (default: shipped)")
    args = parser.parse_args(argv)
    docs = documents(args.eval)
    if args.list is not None:
        found = fallback_events(docs, args.weights)
        write_list(found, args.list)
        print(f"{len(found)} fallback events -> {args.list}", file=sys.stderr)
        return 0
    judged = read_judged(args.judged)
    # Only the documents that hold a judged event need coding again.
    wanted = {(row["suite"], row["doc"]) for row in judged}
    found = fallback_events([d for d in docs if (d.suite, d.doc) in wanted], args.weights)
    print(report(judged, found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
