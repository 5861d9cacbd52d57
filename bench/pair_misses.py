"""Why the lexicon's events miss labelled (source, target) pairs: a breakdown by cause.

Usage::

    .venv/bin/python bench/pair_misses.py                  # <shared>/eval/plv_train/pairs.jsonl
    .venv/bin/python bench/pair_misses.py --show target_missing --limit 20

Codes every pair's text with the built-in lexicon alone (no learned scorer,
which is trained on these pairs), prints the share of pairs with an event on
the labelled pair and counts each miss under its first cause, in this order:

* ``no_event``: the text gives no event at all;
* ``swapped``: an event has the labelled target as source and the source as target;
* ``source_unrecognised`` / ``target_unrecognised``: no actor or agent mention of
  the matcher overlaps the labelled words (a pronoun is counted apart, as
  ``source_pronoun`` / ``target_pronoun``);
* ``source_missing`` / ``target_missing``: an event holds the other role but
  has no actor in this one;
* ``wrong_source`` / ``wrong_target``: an event holds the other role but took
  another actor for this one;
* ``elsewhere``: events exist, none on either labelled role.

``--show CAUSE`` prints the marked text and the coded pairs of that cause's
misses, to read them as categories (never to patch single sentences: the
pairs train the scorer, and a hidden sibling suite scores the coder).

``--cv`` judges the learned scorer instead, by 5-fold CV (seed 0, the folds of
``bench/run_eval.py --suite scorer``; it codes the whole training corpus, about
ten minutes), and files each PLV pair under one of ``CV_CLASSES``: on the pair
with the right type; on the pair with a wrong type; a candidate on the pair
that the pair model rejected; no candidate on the pair at all. With
``--dump`` the misses are written with the parse role of each marked side
and the target's path up the parse (``pobj<prep:on<dobj<ROOT``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Doc

from dyadwatch.evaluate.pairs import LabelledPair, events_on_pair, parse_pair
from dyadwatch.model import Event
from run_pairs import default_file, read_rows

CAUSES = (
    "no_event",
    "swapped",
    "source_pronoun",
    "target_pronoun",
    "source_unrecognised",
    "target_unrecognised",
    "source_missing",
    "target_missing",
    "wrong_source",
    "wrong_target",
    "elsewhere",
)
CV_CLASSES = ("right", "type_wrong", "rejected", "no_candidate")
_PRONOUNS = frozenset({"it", "its", "he", "his", "she", "her", "they", "their", "them", "we"})
Span = tuple[int, int]


def _on(span: Span | None, marked: Sequence[Span]) -> bool:
    return span is not None and any(span[0] < g[1] and g[0] < span[1] for g in marked)


def _shifted(pair: LabelledPair, event: Event) -> tuple[Span | None, Span | None]:
    offset = pair.text.find(event.sentence) if event.sentence else -1
    if offset < 0:
        return None, None

    def shift(span: Span | None) -> Span | None:
        return None if span is None else (span[0] + offset, span[1] + offset)

    return shift(event.evidence.source), shift(event.evidence.target)


def _pronoun(pair: LabelledPair, spans: Sequence[Span]) -> bool:
    return any(pair.text[a:b].strip().lower() in _PRONOUNS for a, b in spans)


def cause(pair: LabelledPair, events: Sequence[Event], mentioned: Sequence[Span]) -> str | None:
    """The first cause of a miss (None when an event is on the pair)."""
    if events_on_pair(pair, events):
        return None
    if not events:
        return "no_event"
    spans = [_shifted(pair, e) for e in events]
    both = bool(pair.sources and pair.targets)
    if both and any(_on(s, pair.targets) and _on(t, pair.sources) for s, t in spans):
        return "swapped"
    for role, marked in (("source", pair.sources), ("target", pair.targets)):
        if marked and not any(_on(m, marked) for m in mentioned):
            return f"{role}_pronoun" if _pronoun(pair, marked) else f"{role}_unrecognised"
    has_source = [_on(s, pair.sources) or not pair.sources for s, _ in spans]
    has_target = [_on(t, pair.targets) or not pair.targets for _, t in spans]
    if any(has_target):
        chosen = [s for (s, _), ok in zip(spans, has_target, strict=True) if ok]
        return "wrong_source" if any(s is not None for s in chosen) else "source_missing"
    if any(has_source):
        chosen = [t for (_, t), ok in zip(spans, has_source, strict=True) if ok]
        return "wrong_target" if any(t is not None for t in chosen) else "target_missing"
    return "elsewhere"


def cv_classes(dump: Path | None) -> Counter[str]:
    """Each PLV pair's class under the cross-validated scorer (see ``CV_CLASSES``)."""
    from dyadwatch.coder.engine import Coder
    from dyadwatch.coder.scoring.labels import judge_pair
    from dyadwatch.coder.scoring.train import cross_validate, training_corpus
    from dyadwatch.evaluate.crossval import pair_figures

    corpus = training_corpus(default_file().parents[1])
    oof = cross_validate(corpus)
    nlp = Coder.builtin(learned=False).nlp
    counts: Counter[str] = Counter()
    misses: list[dict[str, object]] = []
    for index, labels in enumerate(corpus.labels):
        for label in (lab for lab in labels if lab.suite == "plv"):
            events = oof.events(index)
            type_right, on_pair = pair_figures(events, label)
            if on_pair:
                found = "right" if type_right else "type_wrong"
            elif any(judge_pair(c.event, label) for c in corpus.scoring(index)):
                found = "rejected"
            else:
                found = "no_candidate"
            counts[found] += 1
            if dump is not None and found in ("rejected", "no_candidate"):
                doc = nlp(label.text)
                misses.append({"class": found, "text": label.text, "type": label.plover_type,
                               "source_role": _role(doc, label.source),
                               "target_role": _role(doc, label.target),
                               "target_path": _path(doc, label.target),
                               "coded": [_coded(e) for e in events]})  # fmt: skip
    if dump is not None:
        dump.write_text("".join(json.dumps(m) + "\n" for m in misses), encoding="utf-8")
    return counts


def _role(doc: Doc, span: Span | None) -> str:
    """The marked words' head: its dependency and its head's ("pobj<prep")."""
    found = None if span is None else doc.char_span(*span, alignment_mode="expand")
    if found is None or not len(found):
        return "none"
    return f"{found.root.dep_}<{found.root.head.dep_}"


def _path(doc: Doc, span: Span | None, steps: int = 4) -> str:
    """The marked words' way up the parse, with prepositions named
    ("pobj<prep:on<dobj<ROOT"): how far from a verb the phrase sits."""
    found = None if span is None else doc.char_span(*span, alignment_mode="expand")
    if found is None or not len(found):
        return "none"
    word, links = found.root, []
    for _ in range(steps):
        links.append(f"{word.dep_}:{word.lower_}" if word.dep_ in ("prep", "agent") else word.dep_)
        if word.head.i == word.i:
            break
        word = word.head
    return "<".join(links)


def _coded(event: Event) -> str:
    return f"{event.source.text}->{event.target.text if event.target else None}:{event.cameo}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--file", type=Path, default=default_file(), help="pairs JSONL")
    parser.add_argument("--show", choices=CAUSES, default=None, help="print this cause's misses")
    parser.add_argument("--limit", type=int, default=30, help="misses to print with --show")
    parser.add_argument("--dump", type=Path, default=None, help="write every miss as JSONL")
    parser.add_argument("--cv", action="store_true", help="classify the CV scorer's misses")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"error: no pairs file at {args.file}", file=sys.stderr)
        return 2
    if args.cv:
        classes = cv_classes(args.dump)
        total = sum(classes.values())
        for name in CV_CLASSES:
            print(f"{name:14} {classes[name]:5d}  {classes[name] / max(total, 1):.3f}")
        return 0
    rows = read_rows(args.file)
    pairs = [parse_pair(row, str(args.file)) for row in rows]

    from dyadwatch.coder.engine import Coder

    coder = Coder.builtin(learned=False)
    counts: Counter[str] = Counter()
    shown = 0
    misses: list[dict[str, object]] = []
    docs = coder.nlp.pipe([pair.text for pair in pairs])
    for pair, row, doc in zip(pairs, rows, docs, strict=True):
        events = coder.component.code(doc)
        matcher = coder.component.matcher
        mentioned = [
            (doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text))
            for m in matcher.mentions(doc)
        ]
        found = cause(pair, events, mentioned)
        counts[found or "on_pair"] += 1
        coded = [
            f"{e.source.text}->{e.target.text if e.target else None}:{e.cameo}" for e in events
        ]
        if found is not None and args.dump is not None:
            misses.append({"cause": found, "marked": row["marked"], "coded": coded})
        if found is not None and found == args.show and shown < args.limit:
            shown += 1
            print(f"{row['marked']}\n    {row['plover_type']} | {'; '.join(coded)}\n")
    if args.dump is not None:
        args.dump.write_text("".join(json.dumps(m) + "\n" for m in misses), encoding="utf-8")
    total = len(pairs)
    print(f"pairs: {total}")
    on_pair = counts["on_pair"]
    print(f"event on the labelled pair: {on_pair / total:.3f} ({on_pair}/{total})")
    for name in CAUSES:
        print(f"{name:22} {counts[name]:5d}  {counts[name] / total:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
