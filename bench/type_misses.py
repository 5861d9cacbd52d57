"""Why the cross-validated scorer gets a PLOVER type wrong: every miss filed by cause.

Usage::

    PYTHONPATH=src .venv/bin/python bench/type_misses.py [--eval ../shared/eval]
        [--corpus /tmp/corpus.pkl] [--show CLASS --limit 10]

Codes the training corpus once (``train.training_corpus``; ``--corpus`` keeps
it in a pickle for the next run), scores every sentence out of fold (5 folds
by sentence, seed 0: the folds of ``bench/run_eval.py --suite scorer``) and
files each wrong ``plover`` type and each wrong ``plv_train`` type per pair
under the first of ``CLASSES`` that fits:

* ``no_event``: the scorer keeps no event in the sentence;
* ``statement_only``: events are kept, but none has a PLOVER type (CAMEO 01
  statements, which PLOVER drops);
* ``fallback``: every kept event is a fallback event (no lexicon draft);
* ``no_candidate``: no candidate (draft, moved pair or fallback) is on the
  labelled pair;
* ``wrong_pair``: a candidate is on the labelled pair but the scorer kept
  none there (the event answered is on another pair);
* ``other_event``: the type answered comes from another trigger while a kept
  event of the labelled type exists (the sentence's best event is another);
* ``reported``: the answered event is reported or hypothetical, or sits in
  the complement of a statement verb ("X said it would send troops");
* ``overruled``: the lexicon's own type for that trigger was right and the
  scorer changed it;
* ``lexicon_wrong``: the lexicon's type was wrong or absent (a statement)
  and the scorer did not fix it.

A PLOVER record's pair is given by country codes (``judge_pair``); a record
without them skips the pair classes. Beside the table: the confusion pairs
(gold → answered) of the misses with a type. Everything is out of fold; read
the rows as categories, never as sentences to patch.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.labels import Label, judge_pair
from dyadwatch.coder.scoring.propose import FALLBACK_RULE
from dyadwatch.coder.scoring.train import Corpus, OutOfFold, cross_validate, training_corpus
from dyadwatch.evaluate.suites import best_event
from dyadwatch.model import Event

CLASSES = (
    "no_event",
    "statement_only",
    "fallback",
    "no_candidate",
    "wrong_pair",
    "other_event",
    "reported",
    "overruled",
    "lexicon_wrong",
)
SUITES = ("plover", "plv")
STATEMENT_VERBS = frozenset(
    {"say", "announce", "state", "tell", "claim", "report", "add", "declare", "insist",
     "warn", "confirm", "stress", "note", "indicate", "assert", "reiterate", "vow", "pledge"}
)  # fmt: skip
"""Verbs whose complement clause holds a reported act (read from ``gov=`` features)."""


@dataclass(frozen=True, slots=True)
class Miss:
    suite: str
    cause: str
    gold: str | None
    answered: str | None
    text: str


def merged(kind: str | None, suite: str = "plv") -> str | None:
    """PLV's YIELD stands for CONCEDE and RETREAT; the plover suite tells them apart."""
    return "YIELD" if suite == "plv" and kind in ("CONCEDE", "RETREAT") else kind


def _type(event: Event | None, suite: str = "plv") -> str | None:
    if event is None or event.plover is None:
        return None
    return merged(event.plover.type, suite)


def load_corpus(eval_dir: Path, cache: Path | None) -> Corpus:
    """The training corpus, coded once (kept in ``cache`` when given)."""
    if cache is not None and cache.is_file():
        with cache.open("rb") as handle:
            found: Corpus = pickle.load(handle)  # our own file
        return found
    corpus = training_corpus(eval_dir)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(corpus, handle)
    return corpus


def _candidate_of(event: Event, candidates: Sequence[Candidate]) -> Candidate | None:
    """The candidate an event came from (same trigger, source and target words)."""
    for candidate in candidates:
        drafted = candidate.event.evidence
        if (drafted.trigger, drafted.source, drafted.target) == (
            event.evidence.trigger, event.evidence.source, event.evidence.target
        ) and candidate.event.source.code == event.source.code:  # fmt: skip
            return candidate
    return None


def _lexicon_type(event: Event, candidates: Sequence[Candidate], suite: str) -> str | None:
    """The lexicon's type for the event's trigger (its drafts share the trigger's code)."""
    same = [c for c in candidates if c.event.evidence.trigger == event.evidence.trigger]
    drafted = [c for c in same if c.lexicon_pair] or same
    return _type(drafted[0].event, suite) if drafted else None


def _reported(event: Event, candidate: Candidate | None) -> bool:
    if event.modality.reported or event.modality.hypothetical:
        return True
    if candidate is None:
        return False
    governors = [f[4:] for f in candidate.type_features if f.startswith("gov=")]
    return any(g.endswith("|ccomp") and g.split("|")[0] in STATEMENT_VERBS for g in governors)


def classify(
    label: Label, events: Sequence[Event], candidates: Sequence[Candidate]
) -> tuple[str, str | None] | None:
    """(cause, answered type) of a wrong type, or None when the type is right."""
    coded = [e for e in events if e.plover is not None]
    on_pair = [e for e in coded if judge_pair(e, label)]
    answered = best_event(on_pair if label.suite == "plv" else coded)
    if answered is None:
        answered = best_event(coded)
    gold = merged(label.plover_type, label.suite)
    kind = _type(answered, label.suite)
    if kind == gold:
        return None
    if answered is None:
        return ("statement_only" if events else "no_event"), None
    if all(e.rule == FALLBACK_RULE for e in events):
        return "fallback", kind
    paired = label.has_pair
    if paired and not any(judge_pair(c.event, label) for c in candidates):
        return "no_candidate", kind
    if paired and not judge_pair(answered, label):
        return "wrong_pair", kind
    pool = on_pair if label.suite == "plv" else coded
    if any(_type(e, label.suite) == gold for e in pool):
        return "other_event", kind
    candidate = _candidate_of(answered, candidates)
    if _reported(answered, candidate):
        return "reported", kind
    lexicon = _lexicon_type(answered, candidates, label.suite)
    if answered.rule != FALLBACK_RULE and lexicon == gold:
        return "overruled", kind
    return "lexicon_wrong", kind


def misses(oof: OutOfFold) -> tuple[list[Miss], Counter[str]]:
    """Every wrong type of the plover and plv labels, and the labels counted by suite."""
    corpus = oof.corpus
    found: list[Miss] = []
    totals: Counter[str] = Counter()
    for index, labels in enumerate(corpus.labels):
        events = oof.events(index)
        pool = list(corpus.candidates[index])
        if corpus.fallbacks[index] is not None:
            pool.append(corpus.fallbacks[index])  # type: ignore[arg-type]
        for label in labels:
            if label.suite not in ("plover", "plv"):
                continue
            totals[label.suite] += 1
            result = classify(label, events, pool)
            if result is not None:
                gold = merged(label.plover_type, label.suite)
                found.append(Miss(label.suite, result[0], gold, result[1], label.text))
    return found, totals


def report(found: Sequence[Miss], totals: Counter[str], top: int = 12) -> str:
    lines = ["| class | PLOVER type | PLV type per pair |", "|---|---|---|"]
    for cause in CLASSES:
        counts = [sum(1 for m in found if (m.suite, m.cause) == (s, cause)) for s in SUITES]
        lines.append(f"| {cause} | {counts[0]} | {counts[1]} |")
    wrong = [sum(1 for m in found if m.suite == s) for s in SUITES]
    lines.append(f"| **misses / labels** | {wrong[0]} / {totals['plover']} | "
                 f"{wrong[1]} / {totals['plv']} |")  # fmt: skip
    for suite in ("plover", "plv"):
        pairs = Counter((m.gold, m.answered) for m in found if m.suite == suite and m.answered)
        listed = ", ".join(f"{g}→{a} {n}" for (g, a), n in pairs.most_common(top))
        lines.append(f"\n{suite} confusions (gold→answered): {listed}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--corpus", type=Path, help="pickle of the coded corpus (read or written)")
    parser.add_argument("--show", choices=CLASSES, help="print this class's misses")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--dump", type=Path, help="write every miss here (TSV)")
    args = parser.parse_args(argv)
    if not (args.eval / "plv_train" / "pairs.jsonl").is_file():
        print(f"no plv_train under {args.eval}", file=sys.stderr)
        return 1
    oof = cross_validate(load_corpus(args.eval, args.corpus),
                         progress=lambda m: print(m, file=sys.stderr))  # fmt: skip
    found, totals = misses(oof)
    print(report(found, totals))
    if args.show:
        for miss in [m for m in found if m.cause == args.show][: args.limit]:
            print(f"- [{miss.suite}] {miss.gold} → {miss.answered}: {miss.text[:200]}")
    if args.dump:
        rows = [f"{m.suite}\t{m.cause}\t{m.gold}\t{m.answered}\t{m.text}" for m in found]
        args.dump.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
