"""Our own written pairs teach the type and pair models only (docs/MODEL_LOG.md,
rows 253 and 270)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from _scoring_support import candidate, empty_eval

from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.train import (
    CHOICE_CONFIG,
    WRITTEN,
    WRITTEN_FILES,
    WRITTEN_WEIGHT,
    Corpus,
    _choice_weight,
    builtin_labels,
    examples,
    written_labels,
)
from dyadwatch.errors import ScorerError
from dyadwatch.model import Actor, Event, Evidence

ROOT = Path(__file__).resolve().parents[2]


def _fallback() -> Candidate:
    event = Event("e", "d", 0, "Police arrested Rohan.", Actor("Police", "COP"), None, "---",
                  0.0, 0, None, Evidence((7, 15)))  # fmt: skip
    return Candidate(event, ("rule=fallback", "fblem=arrest"), ("pair_lexicon=True",), True,
                     fallback=True)  # fmt: skip


def _corpus(suite: str, weight: float) -> Corpus:
    label = Label("Police arrested Rohan.", suite, plover_type="COERCE",
                  source_codes=frozenset({"COP"}), weight=weight)  # fmt: skip
    drafted = candidate("173")
    return Corpus((label.text, "x"), ((label,), (replace(label, text="x"),)),
                  ((drafted,), ()), (None, _fallback()))  # fmt: skip


def test_train_written_pairs_teach_types_and_pairs_at_their_weight_only() -> None:
    classes = ("COERCE", "ASSAULT")
    written = examples(_corpus(WRITTEN, 0.25), range(2), classes)
    plv = examples(_corpus("plv", 1.0), range(2), classes)
    # The drafted candidate and the fallback each teach the type, at the label's weight.
    assert written.types.weights and set(written.types.weights) <= {0.25, 0.25 * 0.25}
    assert set(written.pair.weights) == {0.25}
    # Nothing else: no event example, no penta class; a suite's pair of the same
    # sentence teaches all four at full weight.
    assert not written.event.weights and not written.penta.weights
    assert plv.event.weights and plv.penta.weights and set(plv.pair.weights) == {1.0}


def test_train_written_pairs_teach_no_code_choice() -> None:
    # The weight choice_groups gives each (candidate, label): its inputs need a fitted
    # first stage, the weight does not.
    (written,), (plv,) = _corpus(WRITTEN, 0.25).labels[0], _corpus("plv", 1.0).labels[0]
    drafted = candidate("173")
    assert _choice_weight(drafted, written, CHOICE_CONFIG) == 0.0
    assert _choice_weight(drafted, plv, CHOICE_CONFIG) > 0.0


def test_train_written_labels_read_the_repository_sets() -> None:
    labels = written_labels()
    assert {label.suite for label in labels} == {WRITTEN}
    assert {label.weight for label in labels} == {WRITTEN_WEIGHT}
    expected = sum(
        len((ROOT / "bench" / "data" / name).read_text(encoding="utf-8").splitlines())
        for name in WRITTEN_FILES
    )
    assert len(labels) == expected and all(label.source and label.target for label in labels)


def test_train_written_labels_of_a_folder_without_the_sets_is_dw802(tmp_path: Path) -> None:
    # Given on purpose (``--written``), a folder without them is a mistake, not "none".
    (tmp_path / "other.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(ScorerError) as caught:
        written_labels(tmp_path)
    assert caught.value.code == "DW802" and str(tmp_path) in str(caught.value)


def test_train_builtin_labels_take_the_written_folder_given(tmp_path: Path) -> None:
    written = tmp_path / "written"
    written.mkdir()
    rows = [
        {"text": "Chile sent tents to Peru.", "plover_type": "AID", "source": "Chile",
         "target": "Peru"},
        {"text": "Peru thanked Chile.", "plover_type": "SUPPORT", "source": "Peru",
         "target": "Chile"},
    ]  # fmt: skip
    lines = "".join(json.dumps(row) + "\n" for row in rows)
    (written / WRITTEN_FILES[1]).write_text(lines, encoding="utf-8")
    shared = empty_eval(tmp_path / "eval")
    labels = builtin_labels(shared, written)
    assert [(label.suite, label.text) for label in labels] == [
        (WRITTEN, row["text"]) for row in rows]  # fmt: skip


def test_train_written_labels_read_the_sets_of_a_folder(tmp_path: Path) -> None:
    rows = [
        {"text": "Kenyan police detained two reporters.", "plover_type": "COERCE",
         "source": "Kenyan police", "target": "two reporters"},
        {"text": "Chile sent tents to Peru.", "plover_type": "AID",
         "source": "Chile", "target": "Peru"},
    ]  # fmt: skip
    lines = "".join(json.dumps(row) + "\n" for row in rows)
    (tmp_path / WRITTEN_FILES[0]).write_text(lines, encoding="utf-8")
    found = written_labels(tmp_path)
    assert [(f.suite, f.plover_type, f.source) for f in found] == [
        (WRITTEN, "COERCE", (0, 13)), (WRITTEN, "AID", (0, 5))]  # fmt: skip
