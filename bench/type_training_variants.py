"""Cross-validated figures of the type model's lexicon dropout on one coded corpus
(docs/MODEL_LOG.md, experiment log rows 100+).

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/type_training_variants.py \
        --corpus /tmp/corpus.pkl [--variant base --variant drop05 ...]

The corpus is coded once (``type_misses.load_corpus``); each variant sets the
type model's lexicon dropout (``train.LEXICON_DROPOUT``), then runs
``crossval.scorer_figures``: the 5 folds by sentence, seed 0, of
``bench/run_eval.py --suite scorer``. A row prints what ``type_variants``
prints. The senses and alternative-pair variants of rows 100-106 were removed
with their code in session 16.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.coder.scoring import train
from type_variants import row, setup

VARIANTS: dict[str, float] = {"base": 0.0, "drop05": 0.5, "drop1": 1.0}
"""Variant name -> ``LEXICON_DROPOUT``."""


def main(argv: Sequence[str] | None = None) -> int:
    started = setup(__doc__.split("\n")[0], list(VARIANTS), argv)
    if started is None:
        return 1
    args, corpus = started
    shipped = train.LEXICON_DROPOUT
    for name in args.variant or list(VARIANTS):
        # A module setting, as type_variants sets PENTA_TYPES.
        train.LEXICON_DROPOUT = VARIANTS[name]
        try:
            print(row(name, corpus, args.eval), flush=True)
        finally:
            train.LEXICON_DROPOUT = shipped
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
