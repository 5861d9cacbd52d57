"""The `written` suite: our own labelled pairs, which no model is trained on.

``bench/data/written_pairs.jsonl`` holds 720 (source, target) pairs, 45 for each
PLOVER 2.0 type, written by this team from the PLOVER manual's definitions
without reading the suites (docs/MODEL.md, "Session 17"; built by
``tools/written_pairs.py``). The shipped scorer and the lexicon alone code each
sentence; a pair is typed right as in plv_train's row (``crossval.pair_figures``:
the best event on the marked pair, else the sentence's best event; CONCEDE and
RETREAT count as YIELD). One engineer wrote and labelled each sentence: read the
figures as agreement with our reading of the manual, on clear prose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from dyadwatch.coder.scoring.labels import Label, read_labels
from dyadwatch.evaluate.crossval import pair_figures
from dyadwatch.model import Event

__all__ = ["WRITTEN", "written_rows"]

WRITTEN = Path(__file__).resolve().parent / "data" / "written_pairs.jsonl"

Code = Callable[[Sequence[str]], list[list[Event]]]
"""Events of each text (``Coder.code_texts``)."""


def _scores(labels: Sequence[Label], code: Code) -> tuple[Counter[str], int]:
    """Pairs typed right per gold type, and pairs with an event on them."""
    right: Counter[str] = Counter()
    on_pair = 0
    for label, events in zip(labels, code([label.text for label in labels]), strict=True):
        typed, found = pair_figures(events, label)
        right[label.plover_type or ""] += typed
        on_pair += found
    return right, on_pair


def written_rows(
    scorer: Code, lexicon: Code, path: Path = WRITTEN
) -> tuple[list[tuple[str, str, str]], str]:
    """(metric, value, reference) rows and the count line of the `written` suite."""
    labels = read_labels(path)
    totals = Counter(label.plover_type or "" for label in labels)
    (typed, paired), (plain, plain_paired) = _scores(labels, scorer), _scores(labels, lexicon)
    n = len(labels)
    by_type = (f"{kind} {typed[kind]}/{totals[kind]} ({plain[kind]})" for kind in sorted(totals))
    rows = [
        ("type accuracy per pair (never trained on)",
         f"{sum(typed.values()) / n:.3f}", f"lexicon alone {sum(plain.values()) / n:.3f}"),
        ("share of pairs with an event on the labelled pair",
         f"{paired / n:.3f}", f"lexicon alone {plain_paired / n:.3f}"),
        ("type accuracy per pair by gold type, scorer (lexicon)", ", ".join(by_type), ""),
    ]  # fmt: skip
    return rows, f"{n} pairs of {len(totals)} types"
