"""The `written` suite: our own labelled pairs. Those in ``train.WRITTEN_FILES``
teach the type and pair models (docs/MODEL_LOG.md, row 270) and are marked in
sample on their rows; the others no model is trained on.

``bench/data/written_pairs.jsonl`` (set A) holds 720 (source, target) pairs, 45
for each PLOVER 2.0 type, written by this team from the PLOVER manual's
definitions without reading the suites (docs/MODEL_LOG.md, "Session 17"; built by
``tools/written_pairs.py``); ``written_b_pairs.jsonl`` (set B) and
``written_c_pairs.jsonl`` (set C) 718 and 719 more, by other engineers, set in
other world regions; ``written_d_pairs.jsonl`` (set D, session 18) 720 more, as
sentences of analysis briefings, a quarter of them with a second, unmarked act;
``written_e_pairs.jsonl`` (set E, session 18) 714 more, as regional newspapers'
own reports; ``written_f_pairs.jsonl`` (set F, session 18) 720 more, as
sentences of formal reports (UN and NGO releases, ministry statements);
``written_g_pairs.jsonl`` (set G, session 19) 704 more, as sentences of news-agency
wire dispatches; ``written_h_pairs.jsonl`` (set H, session 19) 706 more, as entries of
live-update pages and broadcast bulletins. The shipped scorer and the lexicon alone code
each sentence; a pair is typed right as in plv_train's row (``crossval.pair_figures``:
the best event on the marked pair, else the sentence's best event; CONCEDE and RETREAT
count as YIELD).
One engineer wrote and labelled each sentence: read the figures as agreement
with our reading of the manual, on clear prose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from dyadwatch.coder.scoring.labels import Label, judge_pair, judge_type, read_labels
from dyadwatch.coder.scoring.train import WRITTEN_FILES
from dyadwatch.evaluate.crossval import pair_figures, reliability
from dyadwatch.model import Event

__all__ = ["SETS", "WRITTEN", "written_rows"]

WRITTEN = Path(__file__).resolve().parent / "data" / "written_pairs.jsonl"
SETS = {
    "A": WRITTEN,
    "B": WRITTEN.with_name("written_b_pairs.jsonl"),
    "C": WRITTEN.with_name("written_c_pairs.jsonl"),
    "D": WRITTEN.with_name("written_d_pairs.jsonl"),
    "E": WRITTEN.with_name("written_e_pairs.jsonl"),
    "F": WRITTEN.with_name("written_f_pairs.jsonl"),
    "G": WRITTEN.with_name("written_g_pairs.jsonl"),
    "H": WRITTEN.with_name("written_h_pairs.jsonl"),
}
"""A: the first 720 pairs, read while designing lexicon senses (a development set
since session 17); B and C: 718 and 719 more by other engineers, read by no one
designing a change; each has judged one change by its totals (docs/MODEL_LOG.md, rows
231, 242); D: 720 more, written in session 18 before the rule that it judges
(rows 250-259); E: 714 more, written in session 18 before row 253's figures; F: 720 more,
written in session 18 before row 255's figures, never trained on; its totals judged
row 270 (session 19), which made A-E training data, and its sentences are unread; G: 704 more
(session 19), sentences of news-agency wire dispatches, written as row 271's training data;
row 271 did not ship, so no shipped model is trained on G; H: 706
more (session 19), entries of live-update pages and broadcast bulletins, written before
row 271's figures and never trained on: its judge beside F."""

Code = Callable[[Sequence[str]], list[list[Event]]]
"""Events of each text (``Coder.code_texts``)."""


def _scores(
    labels: Sequence[Label], code: Code
) -> tuple[Counter[str], int, list[float], list[bool]]:
    """Pairs typed right per gold type, pairs with an event on them, and the
    confidence of every typed event on a labelled pair beside whether its type is right."""
    right: Counter[str] = Counter()
    on_pair = 0
    confidences: list[float] = []
    typed_right: list[bool] = []
    for label, events in zip(labels, code([label.text for label in labels]), strict=True):
        typed, found = pair_figures(events, label)
        right[label.plover_type or ""] += typed
        on_pair += found
        for event in events:
            if event.plover is not None and judge_pair(event, label):
                confidences.append(event.confidence)
                typed_right.append(judge_type(event.plover.type, None, label))
    return right, on_pair, confidences, typed_right


def written_rows(
    scorer: Code, lexicon: Code, path: Path = WRITTEN
) -> tuple[list[tuple[str, str, str]], str]:
    """(metric, value, reference) rows and the count line of the `written` suite."""
    labels = read_labels(path)
    totals = Counter(label.plover_type or "" for label in labels)
    typed, paired, confidences, typed_right = _scores(labels, scorer)
    plain, plain_paired, _, _ = _scores(labels, lexicon)
    n = len(labels)
    on_pair = len(confidences)
    mean = sum(confidences) / max(on_pair, 1)
    hits = sum(typed_right) / max(on_pair, 1)
    by_type = (f"{kind} {typed[kind]}/{totals[kind]} ({plain[kind]})" for kind in sorted(totals))
    seen = "trained on: in sample" if path.name in WRITTEN_FILES else "never trained on"
    rows = [
        (f"type accuracy per pair ({seen})",
         f"{sum(typed.values()) / n:.3f}", f"lexicon alone {sum(plain.values()) / n:.3f}"),
        ("share of pairs with an event on the labelled pair",
         f"{paired / n:.3f}", f"lexicon alone {plain_paired / n:.3f}"),
        ("type accuracy per pair by gold type, scorer (lexicon)", ", ".join(by_type), ""),
        ("events on a labelled pair: type right / mean confidence (n)",
         f"{hits:.3f} / {mean:.3f} ({on_pair})", ""),
        ("expected calibration error of confidence, events on a labelled pair (10 bins)",
         f"{reliability(confidences, typed_right).ece:.3f}", "CV on the suites: target ≤ 0.05"),
    ]  # fmt: skip
    return rows, f"{n} pairs of {len(totals)} types"
