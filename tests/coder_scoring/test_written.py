"""The team's own labelled sentences (docs/MODEL.md, session 17): the shipped file,
how it is built, and that they train the models without being scored."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from _scoring_support import candidate

from dyadwatch.coder.scoring.labels import LABEL_TYPES, Label
from dyadwatch.coder.scoring.linear import Calibrator
from dyadwatch.coder.scoring.model import Scored
from dyadwatch.coder.scoring.train import (
    WRITTEN,
    Corpus,
    OutOfFold,
    builtin_labels,
    calibration_data,
    written_labels,
)
from dyadwatch.evaluate.crossval import oof_figures

ROOT = Path(__file__).resolve().parents[2]
PLOVER_TYPES = LABEL_TYPES - {"YIELD"}


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("written_pairs", ROOT / "tools/written_pairs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["written_pairs"] = module
    spec.loader.exec_module(module)
    return module


def test_written_file_has_every_plover_type_with_a_marked_pair() -> None:
    labels = written_labels()
    counts = Counter(label.plover_type for label in labels)
    assert set(counts) == PLOVER_TYPES and min(counts.values()) >= 30
    assert all(label.suite == WRITTEN and label.penta is None for label in labels)
    assert all(label.source is not None and label.target is not None for label in labels)
    for label in labels:
        (s0, s1), (t0, t1) = label.source, label.target  # type: ignore[misc]
        assert label.text[s0:s1].strip() and label.text[t0:t1].strip()
        assert s1 <= t0 or t1 <= s0  # source and target never overlap


def test_written_file_rebuilds_from_itself() -> None:
    # The shipped file is what the build writes: ids in order, no sentence twice.
    shipped = ROOT / "src/dyadwatch/coder/scoring/data/written_pairs.jsonl"
    rows = [json.loads(line) for line in shipped.read_text(encoding="utf-8").splitlines()]
    assert _tool().build([shipped]) == rows
    assert [row["id"] for row in rows] == [f"own-{i:04d}" for i in range(1, len(rows) + 1)]


def test_written_build_drops_repeats_and_derives_the_pair(tmp_path: Path) -> None:
    draft = tmp_path / "draft.jsonl"
    line = {"marked": "<s>Kenyan police</s> detained <t>two reporters</t>.", "plover_type": "COERCE"}
    again = {**line, "marked": line["marked"].upper().replace("<S>", "<s>").replace("</S>", "</s>")
             .replace("<T>", "<t>").replace("</T>", "</t>")}  # fmt: skip
    draft.write_text(json.dumps(line) + "\n\n" + json.dumps(again) + "\n", encoding="utf-8")
    rows = _tool().build([draft])
    assert rows == [{
        "id": "own-0001", "text": "Kenyan police detained two reporters.",
        "marked": line["marked"], "source": "Kenyan police", "target": "two reporters",
        "plover_type": "COERCE", "mode": "",
    }]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("{broken", "Expecting"),
        ('["a list"]', "not a JSON object"),
        ('{"marked": "<s>A</s> met <t>B</t>.", "plover_type": "YIELD"}', "PLOVER 2.0"),
        ('{"marked": "<s>A</s> met B.", "plover_type": "CONSULT"}', "one <s>"),
        ('{"marked": "<s></s> met <t>B</t>.", "plover_type": "CONSULT"}', "empty"),
        ('{"marked": "<s>A</s> met <t>B</t>.", "plover_type": "CONSULT", "mode": 3}', "'mode'"),
    ],
)
def test_written_build_names_the_bad_line(tmp_path: Path, line: str, why: str) -> None:
    tool = _tool()
    draft = tmp_path / "draft.jsonl"
    good = '{"marked": "<s>Chile</s> hosted <t>Peru</t>.", "plover_type": "CONSULT"}'
    draft.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(tool.DraftError, match=why) as caught:
        tool.build([draft])
    assert f"{draft}:2:" in str(caught.value)
    out = tmp_path / "out.jsonl"
    assert tool.main([str(draft), "--out", str(out)]) == 1 and not out.exists()


def test_written_sentences_join_the_shared_sets_unless_asked_not(tmp_path: Path) -> None:
    (tmp_path / "plv_train").mkdir()
    (tmp_path / "plover").mkdir()
    (tmp_path / "cameo_quad").mkdir()
    row = {"text": "Chile hosted Peru.", "source": "Chile", "target": "Peru", "plover_type": "CONSULT"}
    (tmp_path / "plv_train/pairs.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (tmp_path / "plover/records.dev.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "cameo_quad/train.dev.jsonl").write_text("", encoding="utf-8")
    alone = builtin_labels(tmp_path, written=False)
    assert [label.suite for label in alone] == ["plv"]
    both = builtin_labels(tmp_path)
    assert both[:1] == alone and len(both) == 1 + len(written_labels())


def _scored(code: str) -> Scored:
    signals = (math.log(0.6), math.log(0.6), math.log(0.7), 1.0, 0.0, 0.0)
    return Scored(candidate(code), code, 0.6, 0.6, 0.7, None, None, signals, 0.6, 1.0)


def test_written_labels_are_neither_calibrated_nor_scored() -> None:
    # The same arrest-shaped event under a plv label and under a written one.
    labels = (
        (Label("a", "plv", plover_type="COERCE", source_codes=frozenset({"COP"})),),
        (Label("b", WRITTEN, plover_type="COERCE", source_codes=frozenset({"COP"})),),
    )
    corpus = Corpus(("a", "b"), labels, ((), ()), (None, None))
    scored = [(_scored("173"),), (_scored("173"),)]
    signals, right = calibration_data(corpus, scored, range(2))
    assert len(signals) == 1 and right == [True]
    flat = Calibrator((0.0,) * len(scored[0][0].signals), 0.0)
    oof = OutOfFold(corpus, (0, 0), tuple(scored), (flat,), flat)
    figures = oof_figures(oof).figures
    assert figures["events_per_sentence"][2] == 1 and figures["plv_type"][2] == 1
