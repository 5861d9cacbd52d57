"""How often an event the shipped coder stores on real news is right: two judges' verdicts.

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/news_precision.py --list /tmp/to_judge.jsonl
    PYTHONPATH=src:bench .venv/bin/python bench/news_precision.py [--judged FILE]
        [--weights scorer.npz]
    PYTHONPATH=src:bench .venv/bin/python bench/news_precision.py --stored

The protocol is docs/MODEL_LOG.md, "Session 21: how often an event on real news is
right". The news is session 16's (:func:`fallback_news.documents`: case2021
snippets, drone strike narratives and summaries, the timeml_dates check half;
no model trains on any of it). ``--list`` codes it with the shipped coder and
draws ``PER_GROUP`` events of every kind (lexicon drafts, moved pairs, main
predicates, fallback events) from each of three groups with a seeded
``random.Random``, and writes them with their sentences, **without their
confidence** (the judges must not see it), to a file outside the repository.

The judged files (``bench/data/news_events_judged.jsonl``, the first sample,
and ``news_events_judged_seed1.jsonl``, the second, drawn with ``--seed 1
--exclude`` the first) keep identifiers and each sample's two judges'
verdicts only (``a_type``, ``a_pair``, ``b_type``, ``b_pair``, and a short
reason each). Reading one re-codes the judged documents, finds each event by
its identifiers, and reports the share judged correct per judge, strictly
(both judges) and leniently (either), with 95% Wilson intervals, the judges'
agreement and Cohen's kappa, the strict share by group and by how the event
was proposed, the reliability of ``confidence`` against the strict verdict,
and what ``min_confidence`` 0.5 and 0.7 keep.

``--stored`` estimates the share right of *every* event the coder stores on
the documents (docs/MODEL_LOG.md, sessions 22-23), by strata (``STRATA``): per
group, the events main 513a265 gave (``LISTINGS``, identifiers only) at the
strict share of the first two samples' events still given; the events first
given by row 296 (main a90b7ff's, not 513a265's) at the third sample's share;
the events new since a90b7ff at the fifth sample's (row 301's new events, judged
the same way).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dyadwatch.coder.scoring.propose import FALLBACK_RULE, PAIR_RULE
from dyadwatch.model import Event
from fallback_news import (
    Doc,
    binned,
    documents,
    event_key,
    identifiers,
    listing_row,
    read_judged,
    shipped_coder,
)

JUDGED = Path(__file__).resolve().parent / "data" / "news_events_judged.jsonl"
SAMPLES = {
    "sample 1, seed 0": JUDGED,
    "sample 2, seed 1": JUDGED.with_name("news_events_judged_seed1.jsonl"),
    "sample 3, seed 2, new in row 296": JUDGED.with_name("news_events_judged_seed2_new.jsonl"),
    "sample 5, seed 5, new in row 301": JUDGED.with_name("news_events_judged_seed5_new.jsonl"),
}
"""The judged samples: the first may be read to design a change, the second judges it;
the third holds only events that row 296 (docs/MODEL_LOG.md, session 22) gives and main
513a265 did not, the fifth only events that row 301 (session 23) gives and main a90b7ff
did not (each drawn with ``--exclude`` a listing of all of that main's events)."""
BEFORE = JUDGED.with_name("news_events_main_513a265.jsonl")
"""Identifiers of every event main 513a265's coder gave on the documents (no text)."""
LISTINGS = (BEFORE, JUDGED.with_name("news_events_main_a90b7ff.jsonl"))
"""The earlier coders whose events ``--stored`` tells apart, oldest first: main 513a265
(before row 296) and main a90b7ff (before row 301), identifiers only."""
STRATA = (
    ("given by main 513a265", ("sample 1, seed 0", "sample 2, seed 1")),
    ("first given by row 296", ("sample 3, seed 2, new in row 296",)),
    ("new in row 301", ("sample 5, seed 5, new in row 301",)),
)
"""Per stratum of ``--stored`` (an event falls in the first whose coder gave it, else in
the last), its name and the samples that judge it: one more than ``LISTINGS``."""
PER_GROUP = 70
SEED = 0
GROUPS = ("timeml check half", "case2021", "drone strikes")
JUDGES = ("a", "b")
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
"""Confidence bins of the reliability rows (about 200 events: five bins)."""
FLOORS = (0.5, 0.7)
STORED = "stored events right (strict, by strata)"
"""The name of ``--stored``'s figures, before ", group X" or ", all groups"."""

Verdict = dict[str, object]


def group_of(suite: object) -> str:
    """The sample's group of a document's suite."""
    if suite == "timeml_check":
        return GROUPS[0]
    return GROUPS[1] if suite == "case2021" else GROUPS[2]


def kind_of(event: Event) -> str:
    """How the event was proposed: the fallback (or a main predicate), a moved pair, a draft."""
    if event.rule == FALLBACK_RULE:
        return "fallback or main predicate"
    return "moved pair" if (event.rule or "").startswith(PAIR_RULE) else "lexicon draft"


class TextCoder(Protocol):
    def code_text(self, text: str) -> list[Event]: ...


def coded_events(docs: Sequence[Doc], coder: TextCoder) -> list[tuple[Doc, Event]]:
    """Every event of every document."""
    return [(doc, event) for doc in docs for event in coder.code_text(doc.text)]


def draw(
    found: Sequence[tuple[Doc, Event]],
    per_group: int = PER_GROUP,
    seed: int = SEED,
    exclude: Collection[tuple[object, ...]] = (),
) -> list[tuple[Doc, Event]]:
    """``per_group`` events of each group (all of a smaller one), with one seeded generator;
    events whose :func:`judged_key` is in ``exclude`` (an earlier sample) are never drawn."""
    rng = random.Random(seed)
    left = [(d, e) for d, e in found if judged_key(identifiers(d, e)) not in exclude]
    sample: list[tuple[Doc, Event]] = []
    for group in GROUPS:
        members = [pair for pair in left if group_of(pair[0].suite) == group]
        sample += rng.sample(members, min(per_group, len(members)))
    return sample


def write_list(sample: Sequence[tuple[Doc, Event]], out: Path) -> None:
    """The events to judge with their sentences, parties and modality, never their confidence."""
    with out.open("w", encoding="utf-8") as handle:
        for doc, event in sample:
            modality = event.modality
            row = listing_row(doc, event) | {"negated": modality.negated,
                                             "hypothetical": modality.hypothetical,
                                             "reported": modality.reported}  # fmt: skip
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def correct(row: Verdict, judge: str) -> bool:
    return bool(row[f"{judge}_type"]) and bool(row[f"{judge}_pair"])


def strict(row: Verdict) -> bool:
    """Both judges say correct."""
    return all(correct(row, j) for j in JUDGES)


def wilson(right: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a share (0, 0 for no events)."""
    if total == 0:
        return (0.0, 0.0)
    share = right / total
    centre = share + z * z / (2 * total)
    spread = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    scale = 1 + z * z / total
    return ((centre - spread) / scale, (centre + spread) / scale)


def kappa(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Cohen's kappa of two judges' yes/no verdicts on the same events (1.0 when trivial)."""
    total = len(first)
    if total == 0:
        return 1.0
    observed = sum(1 for a, b in zip(first, second, strict=True) if a == b) / total
    yes_a, yes_b = sum(first) / total, sum(second) / total
    expected = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    return 1.0 if expected == 1.0 else (observed - expected) / (1 - expected)


@dataclass(frozen=True, slots=True)
class Judged:
    """One judged event found again: its verdicts, group, kind and confidence now."""

    row: Verdict
    group: str
    kind: str
    confidence: float

    def strict(self) -> bool:
        return strict(self.row)


def judged_events(
    docs: Sequence[Doc], judged: Sequence[Verdict], coder: TextCoder
) -> list[tuple[Doc, Event]]:
    """The events of the documents that hold a judged event (only those need coding again)."""
    wanted = {(row["suite"], row["doc"]) for row in judged}
    return coded_events([d for d in docs if (d.suite, d.doc) in wanted], coder)


def judged_key(row: Verdict) -> tuple[object, ...]:
    """:func:`fallback_news.event_key` and the event's codes: one trigger may hold events
    on two pairs ("police and troops killed ...") or of two roots."""
    return (*event_key(row), row["source"], row["target"], row["cameo"])


def find(judged: Sequence[Verdict], found: Sequence[tuple[Doc, Event]]) -> tuple[list[Judged], int]:
    """The judged events coded again (by identifiers), and how many the coder no longer gives."""
    coded = {judged_key(identifiers(d, e)): e for d, e in found}
    items: list[Judged] = []
    for row in judged:
        event = coded.get(judged_key(row))
        if event is not None:
            items.append(Judged(row, group_of(row["suite"]), kind_of(event), event.confidence))
    return items, len(judged) - len(items)


Figure = tuple[str, str]
"""A measure's name and its value, as ``run_eval`` writes them to docs/EVALUATION.md."""


def share(flags: Sequence[bool]) -> str:
    """ "0.750 (15/20; 95% 0.531-0.888)"."""
    right, total = sum(flags), len(flags)
    low, high = wilson(right, total)
    value = right / total if total else 0.0
    return f"{value:.3f} ({right}/{total}; 95% {low:.3f}-{high:.3f})"


def verdict_figures(items: Sequence[Judged]) -> list[Figure]:
    """Shares judged correct, type right and pair right, strict, lenient and per judge."""
    lenient = [any(correct(i.row, j) for j in JUDGES) for i in items]
    found = [("correct, both judges (strict)", share([i.strict() for i in items])),
             ("correct, either judge (lenient)", share(lenient))]  # fmt: skip
    for judge in JUDGES:
        found.append((f"judge {judge}: correct", share([correct(i.row, judge) for i in items])))
        for part in ("type", "pair"):
            flags = [bool(i.row[f"{judge}_{part}"]) for i in items]
            found.append((f"judge {judge}: {part} right", share(flags)))
    return found


def part_figures(
    items: Sequence[Judged], label: str, field: Callable[[Judged], str]
) -> list[Figure]:
    """The strict share per value of ``field`` (group or kind)."""
    values = sorted({field(i) for i in items})
    return [(f"correct (strict), {label} {v}", share([i.strict() for i in items if field(i) == v]))
            for v in values]  # fmt: skip


def confidence_figures(items: Sequence[Judged]) -> list[Figure]:
    """Reliability of ``confidence`` against the strict verdict, and what floors keep."""
    found: list[Figure] = []
    for low, high, inside in binned([(i.confidence, i.strict()) for i in items], BINS):
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(1 for _, r in inside if r)
        found.append((f"confidence {low:.1f}-{high:.1f}: right (strict) / mean confidence",
                      f"{right / len(inside):.3f} / {mean:.3f} ({len(inside)})"))  # fmt: skip
    for floor in FLOORS:
        kept = [i.strict() for i in items if i.confidence >= floor]
        found.append((f"min_confidence {floor}: events kept, share right (strict)",
                      f"{len(kept)} of {len(items)}, {share(kept)}"))  # fmt: skip
    return found


def figures(judged: Sequence[Verdict], found: Sequence[tuple[Doc, Event]]) -> list[Figure]:
    """Every figure of the judged sample against the events coded now."""
    items, missing = find(judged, found)
    first = [correct(i.row, "a") for i in items]
    second = [correct(i.row, "b") for i in items]
    agree = [a == b for a, b in zip(first, second, strict=True)]
    return [
        ("events judged: found again / no longer coded", f"{len(items)} / {missing}"),
        ("judges agree on correct", f"{share(agree)}; Cohen's kappa {kappa(first, second):.2f}"),
        *verdict_figures(items),
        *part_figures(items, "group", lambda i: i.group),
        *part_figures(items, "proposed as", lambda i: i.kind),
        *confidence_figures(items),
    ]


def stored_share(
    found: Sequence[tuple[Doc, Event]],
    earlier: Sequence[Collection[tuple[object, ...]]],
    strata: Sequence[tuple[str, Sequence[Verdict]]],
) -> list[Figure]:
    """The share right (strict) of every event the coder stores on the documents, by strata.

    ``found`` are the coder's events on all the sample's documents; ``earlier``
    the :func:`judged_key` sets of earlier coders' events on them, oldest first;
    ``strata`` one (name, judged events) more than ``earlier``. An event falls in
    the stratum of the first earlier coder that gave it, else in the last. Per
    group, each stratum's events are right at the strict share of its judged
    events still given; the groups add up by their numbers of events.
    """
    assert len(strata) == len(earlier) + 1, "one stratum per earlier coder, and the new events"
    right = total = 0.0
    lines: list[Figure] = []
    for group in GROUPS:
        keys = [judged_key(identifiers(d, e)) for d, e in found if group_of(d.suite) == group]
        given = set(keys)
        counts = Counter(_stratum(key, earlier) for key in keys)
        group_right = 0.0
        details = []
        for index, (name, judged) in enumerate(strata):
            kept = [r for r in judged if group_of(r["suite"]) == group and judged_key(r) in given]
            share = _strict_share(kept)
            group_right += counts[index] * share
            details.append(f"{counts[index]} {name}, {share:.3f} right of {len(kept)} judged")
        right, total = right + group_right, total + len(keys)
        value = f"{group_right / max(len(keys), 1):.3f} ({'; '.join(details)})"
        lines.append((f"{STORED}, group {group}", value))
    overall = f"{right / max(total, 1):.3f} (about {right:.0f} of {total:.0f} events)"
    lines.append((f"{STORED}, all groups", overall))
    return lines


def _stratum(key: tuple[object, ...], earlier: Sequence[Collection[tuple[object, ...]]]) -> int:
    """The index of the first earlier coder that gave the event, else ``len(earlier)``."""
    return next((i for i, keys in enumerate(earlier) if key in keys), len(earlier))


def stored_figures(
    found: Sequence[tuple[Doc, Event]],
    samples: Mapping[str, Sequence[Verdict]],
    listings: Sequence[Path] = LISTINGS,
) -> list[Figure]:
    """:func:`stored_share` against the earlier coders' ``listings``, with ``samples`` by
    their ``SAMPLES`` names grouped into ``STRATA``."""
    earlier = [{judged_key(row) for row in read_judged(path)} for path in listings]
    strata = [(name, [row for sample in names for row in samples[sample]])
              for name, names in STRATA]  # fmt: skip
    return stored_share(found, earlier, strata)


def _strict_share(rows: Sequence[Verdict]) -> float:
    """Both judges' share correct (0 for no rows: a stratum nobody judged counts as wrong)."""
    return sum(1 for r in rows if strict(r)) / len(rows) if rows else 0.0


def report(judged: Sequence[Verdict], found: Sequence[tuple[Doc, Event]]) -> str:
    """The figures as a Markdown table."""
    lines = ["| measure | value |", "|---|---|"]
    return "\n".join(lines + [f"| {name} | {value} |" for name, value in figures(judged, found)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--list", type=Path, help="write the sample to judge here (with text)")
    parser.add_argument("--seed", type=int, default=SEED, help="of the sample's draw")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="a listing or judged file: not drawn again")  # fmt: skip
    parser.add_argument(
        "--per-group",
        type=int,
        default=PER_GROUP,
        help="events drawn per group by --list (a large number lists all)",
    )
    parser.add_argument(
        "--stored",
        action="store_true",
        help="report the share right of every stored event by strata (STRATA, LISTINGS)",
    )
    parser.add_argument("--judged", type=Path, default=JUDGED)
    parser.add_argument("--weights", type=Path, help="another scorer.npz (default: shipped)")
    args = parser.parse_args(argv)
    docs = documents(args.eval)
    if args.list is not None:
        found = coded_events(docs, shipped_coder(args.weights))
        earlier = {judged_key(row) for path in args.exclude for row in read_judged(path)}
        sample = draw(found, args.per_group, args.seed, earlier)
        write_list(sample, args.list)
        print(f"{len(found)} events coded, {len(sample)} drawn -> {args.list}", file=sys.stderr)
        return 0
    if args.stored:
        found = coded_events(docs, shipped_coder(args.weights))
        samples = {name: read_judged(path) for name, path in SAMPLES.items()}
        rows = stored_figures(found, samples)
        print("\n".join(f"| {name} | {value} |" for name, value in rows))
        return 0
    judged = read_judged(args.judged)
    print(report(judged, judged_events(docs, judged, shipped_coder(args.weights))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
