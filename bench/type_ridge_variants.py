"""Cross-validated figures of the type model's ridge and its words-between-the-pair
group on one coded corpus (docs/MODEL.md, experiment log rows 140+).

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/type_ridge_variants.py \\
        --corpus /tmp/corpus.pkl [--variant base --variant nested ...]

The corpus is coded once by the tree's own features (``type_misses.load_corpus``);
each variant keeps or drops the ``bst=``/``btt=`` groups
(``features.between_features``; they are in a corpus only when it was coded by
a tree whose ``type_features`` calls it, as commit 2d7d2b5's did: row 142) and
sets the type model's training switches (``train.TYPE_L2``,
``train.TYPE_L2_GRID``, ``train.TYPE_GROUP_SCALES``, ``train.ALT_TYPE_WEIGHT``),
then runs ``crossval.scorer_figures``: the 5 folds by sentence, seed 0, of
``bench/run_eval.py --suite scorer``. A row prints what ``type_variants`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.train import Corpus
from type_variants import _mapped, row, setup

_CONTEXT = ("u", "w-3", "w-2", "w-1", "w1", "w2", "w3")
"""The sentence-specific groups: the sentence's bag and the trigger's window."""
_BETWEEN = frozenset({"bst", "btt"})


@dataclass(frozen=True)
class Variant:
    between: bool = False
    l2: float = 1.0
    grid: tuple[float, ...] = ()
    scales: Mapping[str, float] = field(default_factory=dict)
    alternatives: float = 0.0
    """``train.ALT_TYPE_WEIGHT``: the labelled act's other pairs teach its type."""


def _context(scale: float) -> dict[str, float]:
    return dict.fromkeys(_CONTEXT, scale)


GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
VARIANTS: dict[str, Variant] = {
    "base": Variant(),
    "l2_01": Variant(l2=0.1),
    "l2_03": Variant(l2=0.3),
    "l2_3": Variant(l2=3.0),
    "l2_10": Variant(l2=10.0),
    "nested": Variant(grid=GRID),
    "ctx07": Variant(scales=_context(0.7)),
    "ctx05": Variant(scales=_context(0.5)),
    "ctx03": Variant(scales=_context(0.3)),
    "between": Variant(between=True),
    "between+ctx05": Variant(between=True, scales=_context(0.5)),
    "between+nested": Variant(between=True, grid=GRID),
    "alt03": Variant(alternatives=0.3),
}


def with_between(corpus: Corpus, on: bool) -> Corpus:
    """The corpus with the words-between groups kept (or dropped) in every candidate."""
    if on:
        return corpus

    def cut(candidate: Candidate) -> Candidate:
        kept = tuple(f for f in candidate.type_features if f.partition("=")[0] not in _BETWEEN)
        return replace(candidate, type_features=kept)

    return _mapped(corpus, cut)


def main(argv: Sequence[str] | None = None) -> int:
    started = setup(__doc__.split("\n")[0], list(VARIANTS), argv)
    if started is None:
        return 1
    args, corpus = started
    shipped = train.TYPE_L2, train.TYPE_L2_GRID, train.TYPE_GROUP_SCALES, train.ALT_TYPE_WEIGHT
    for name in args.variant or list(VARIANTS):
        variant = VARIANTS[name]
        # Module settings, as type_training_variants sets LEXICON_DROPOUT.
        train.TYPE_L2, train.TYPE_L2_GRID = variant.l2, variant.grid
        train.TYPE_GROUP_SCALES, train.ALT_TYPE_WEIGHT = variant.scales, variant.alternatives
        try:
            print(row(name, with_between(corpus, variant.between), args.eval), flush=True)
        finally:
            (train.TYPE_L2, train.TYPE_L2_GRID, train.TYPE_GROUP_SCALES,
             train.ALT_TYPE_WEIGHT) = shipped  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
