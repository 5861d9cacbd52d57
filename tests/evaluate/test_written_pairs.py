"""Our own labelled pairs (bench/data/written_pairs.jsonl, docs/MODEL_LOG.md session 17):
the file, the tool that builds it, and the `written` suite's scoring."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from _tool_support import load_tool

from dyadwatch.coder.scoring.labels import LABEL_TYPES, read_labels
from dyadwatch.model import Actor, Event, Evidence, PloverCode

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = ROOT / "bench" / "data" / "written_pairs.jsonl"
WRITTEN_B = ROOT / "bench" / "data" / "written_b_pairs.jsonl"
WRITTEN_C = ROOT / "bench" / "data" / "written_c_pairs.jsonl"
WRITTEN_D = ROOT / "bench" / "data" / "written_d_pairs.jsonl"
WRITTEN_E = ROOT / "bench" / "data" / "written_e_pairs.jsonl"
WRITTEN_F = ROOT / "bench" / "data" / "written_f_pairs.jsonl"
WRITTEN_G = ROOT / "bench" / "data" / "written_g_pairs.jsonl"
WRITTEN_H = ROOT / "bench" / "data" / "written_h_pairs.jsonl"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return load_tool(ROOT / "tools" / "written_pairs.py")


@pytest.mark.parametrize(
    ("path", "least"),
    [
        (WRITTEN, 45),
        (WRITTEN_B, 44),
        (WRITTEN_C, 44),
        (WRITTEN_D, 45),
        (WRITTEN_E, 44),
        (WRITTEN_F, 45),
        (WRITTEN_G, 42),
        (WRITTEN_H, 42),
    ],
)
def test_written_file_has_every_plover_type_with_a_marked_pair(path: Path, least: int) -> None:
    labels = read_labels(path)
    counts = Counter(label.plover_type for label in labels)
    assert set(counts) == LABEL_TYPES - {"YIELD"} and least <= min(counts.values()) <= 45
    for label in labels:
        assert label.source is not None and label.target is not None
        (s0, s1), (t0, t1) = label.source, label.target
        assert label.text[s0:s1].strip() and label.text[t0:t1].strip()
        assert s1 <= t0 or t1 <= s0  # source and target never overlap


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        (WRITTEN, "own"),
        (WRITTEN_B, "ownb"),
        (WRITTEN_C, "ownc"),
        (WRITTEN_D, "ownd"),
        (WRITTEN_E, "owne"),
        (WRITTEN_F, "ownf"),
        (WRITTEN_G, "owng"),
        (WRITTEN_H, "ownh"),
    ],
)
def test_written_file_is_what_the_tool_builds_from_it(
    tool: ModuleType, path: Path, prefix: str
) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert tool.build([path], prefix) == rows
    assert [row["id"] for row in rows] == [f"{prefix}-{i:04d}" for i in range(1, len(rows) + 1)]


def test_written_tool_drops_repeats_and_derives_the_pair(tool: ModuleType, tmp_path: Path) -> None:
    draft = tmp_path / "draft.jsonl"
    marked = "<s>Kenyan police</s> detained <t>two reporters</t>."
    line = {"marked": marked, "plover_type": "COERCE"}
    again = {**line, "marked": "<s>Kenyan  police</s> DETAINED <t>two reporters</t>."}
    draft.write_text(json.dumps(line) + "\n\n" + json.dumps(again) + "\n", encoding="utf-8")
    assert tool.build([draft]) == [{
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
def test_written_tool_names_the_bad_line_and_writes_nothing(
    tool: ModuleType, tmp_path: Path, line: str, why: str
) -> None:
    draft = tmp_path / "draft.jsonl"
    good = '{"marked": "<s>Chile</s> hosted <t>Peru</t>.", "plover_type": "CONSULT"}'
    draft.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(tool.DraftError, match=why) as caught:
        tool.build([draft])
    assert f"{draft}:2:" in str(caught.value)
    out = tmp_path / "out.jsonl"
    assert tool.main([str(draft), "--out", str(out)]) == 1 and not out.exists()


def _event(text: str, source: str, target: str, kind: str) -> Event:
    def span(word: str) -> tuple[int, int]:
        start = text.index(word)
        return (start, start + len(word))

    return Event(
        "e", "d", 0, text, Actor(source, "CHL"), Actor(target, "PER"), "040", None, None,
        PloverCode(kind),
        Evidence(span(source), source=span(source), target=span(target)), confidence=0.5,
    )  # fmt: skip


def test_written_rows_score_type_and_pair_per_gold_type(tmp_path: Path) -> None:
    suite = load_tool(ROOT / "bench" / "eval_written.py")
    path = tmp_path / "mine.jsonl"
    pair = {"source": "Chile", "target": "Peru"}
    rows = [
        {"text": "Chile hosted Peru.", **pair, "plover_type": "CONSULT"},
        {"text": "Chile shelled Peru.", **pair, "plover_type": "ASSAULT"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def scorer(texts: Sequence[str]) -> list[list[Event]]:
        # A visit on the pair (right for the first, wrong for the second).
        return [[_event(text, "Chile", "Peru", "CONSULT")] for text in texts]

    def lexicon(texts: Sequence[str]) -> list[list[Event]]:
        return [[] for _ in texts]

    found, count = suite.written_rows(scorer, lexicon, path)
    assert count == "2 pairs of 2 types"
    assert found[0] == ("type accuracy per pair (never trained on)", "0.500", "lexicon alone 0.000")
    assert found[1][1:] == ("1.000", "lexicon alone 0.000")
    assert found[2][1] == "ASSAULT 0/1 (0), CONSULT 1/1 (0)"
    # Two events on a labelled pair at confidence 0.5, one typed right.
    assert found[3][1] == "0.500 / 0.500 (2)" and found[4][1] == "0.000"


def test_written_rows_mark_a_set_the_shipped_weights_trained_on(tmp_path: Path) -> None:
    # Row 270: sets A-E teach the shipped weights; their rows say so, F's does not.
    suite = load_tool(ROOT / "bench" / "eval_written.py")
    pair = {"source": "Chile", "target": "Peru"}
    rows = [
        {"text": "Chile hosted Peru.", **pair, "plover_type": "CONSULT"},
        {"text": "Chile shelled Peru.", **pair, "plover_type": "ASSAULT"},
    ]
    labels = {}
    for name in ("written_pairs.jsonl", "written_e_pairs.jsonl", "written_f_pairs.jsonl"):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        found, _ = suite.written_rows(lambda texts: [[] for _ in texts],
                                      lambda texts: [[] for _ in texts], path)  # fmt: skip
        labels[name] = found[0][0]
    assert labels == {
        "written_pairs.jsonl": "type accuracy per pair (trained on: in sample)",
        "written_e_pairs.jsonl": "type accuracy per pair (trained on: in sample)",
        "written_f_pairs.jsonl": "type accuracy per pair (never trained on)",
    }
