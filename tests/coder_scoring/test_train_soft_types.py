"""Soft type labels from penta-only labels (train.PENTA_TYPES; docs/MODEL_LOG.md, row 85)."""

from __future__ import annotations

import pytest
from _scoring_support import candidate

from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.train import Corpus, examples


def _corpus() -> Corpus:
    labels = (
        (Label("a", "plv", plover_type="ASSAULT"),),
        (Label("b", "plv", plover_type="ASSAULT"),),
        (Label("c", "plv", plover_type="COERCE"),),
        (Label("d", "penta", penta=4),),
    )
    drafted = (candidate("173"),)
    return Corpus(("a", "b", "c", "d"), labels, (drafted,) * 4, (None,) * 4)


def test_train_soft_types_off_by_default() -> None:
    classes = ("ASSAULT", "COERCE", "AID")
    training = examples(_corpus(), range(4), classes)
    assert len(training.types.targets) == 3  # the penta-only label teaches no type
    assert len(training.penta.targets) == 4


def test_train_soft_types_spread_over_the_class_by_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train, "PENTA_TYPES", 0.6)
    classes = ("ASSAULT", "COERCE", "AID")
    training = examples(_corpus(), range(4), classes)
    soft = list(zip(training.types.targets[3:], training.types.weights[3:], strict=True))
    # Penta 4 allows ASSAULT and COERCE (2 and 1 typed labels), never AID (penta 2).
    assert sorted(soft) == [(0, pytest.approx(0.4)), (1, pytest.approx(0.2))]
