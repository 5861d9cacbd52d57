"""Cross-validated figures of the type decision's variants on one coded corpus
(docs/MODEL.md, experiment log rows 100+).

Usage::

    PYTHONPATH=src:bench .venv/bin/python bench/type_training_variants.py \
        --corpus /tmp/corpus.pkl [--variant base --variant senses ...]

The corpus is coded once (``type_misses.load_corpus``); each variant sets the
lexicon's senses on or off in the drafted candidates' type features (the
``sense=``/``senses=`` strings of ``features.sense_features``, added from the
candidate's ``lem=`` feature or dropped) and the type model's training
settings (``train.LEXICON_DROPOUT``, ``train.ALT_TYPE_WEIGHT``), then runs
``crossval.scorer_figures``: the 5 folds by sentence, seed 0, of
``bench/run_eval.py --suite scorer``. A row prints what ``type_variants``
prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate, sense_features
from dyadwatch.coder.scoring.train import Corpus
from type_variants import _mapped, row, setup

VARIANTS: dict[str, tuple[bool, float, float]] = {
    "base": (False, 0.0, 0.0),
    "senses": (True, 0.0, 0.0),
    "drop05": (False, 0.5, 0.0),
    "drop1": (False, 1.0, 0.0),
    "alt03": (False, 0.0, 0.3),
    "alt1": (False, 0.0, 1.0),
    "senses+drop05": (True, 0.5, 0.0),
    "senses+alt03": (True, 0.0, 0.3),
    "senses+drop05+alt03": (True, 0.5, 0.3),
}
"""Variant name -> (lexicon senses as features, ``LEXICON_DROPOUT``, ``ALT_TYPE_WEIGHT``)."""
_SENSES = frozenset({"sense", "senses"})


def with_senses(corpus: Corpus, on: bool) -> Corpus:
    """The corpus with the senses features in every drafted candidate (or in none)."""

    def change(candidate: Candidate) -> Candidate:
        kept = [f for f in candidate.type_features if f.partition("=")[0] not in _SENSES]
        if on and not candidate.fallback:
            lemma = next((f[4:] for f in kept if f.startswith("lem=")), None)
            if lemma is not None:
                kept.extend(sense_features(lemma))
        return replace(candidate, type_features=tuple(kept))

    return _mapped(corpus, change)


def main(argv: Sequence[str] | None = None) -> int:
    started = setup(__doc__.split("\n")[0], list(VARIANTS), argv)
    if started is None:
        return 1
    args, corpus = started
    shipped = train.LEXICON_DROPOUT, train.ALT_TYPE_WEIGHT
    for name in args.variant or list(VARIANTS):
        senses, dropout, alternatives = VARIANTS[name]
        # Module settings, as type_variants sets PENTA_TYPES.
        train.LEXICON_DROPOUT, train.ALT_TYPE_WEIGHT = dropout, alternatives
        try:
            print(row(name, with_senses(corpus, senses), args.eval), flush=True)
        finally:
            train.LEXICON_DROPOUT, train.ALT_TYPE_WEIGHT = shipped
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
