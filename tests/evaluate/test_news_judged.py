"""Every kind of event on real news, judged by two engineers (bench/news_precision.py,
bench/data/news_events_judged.jsonl; docs/MODEL.md session 21): the file holds
identifiers and verdicts only, and the tool draws, finds and counts as it says."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from dyadwatch.model import Actor, Event, Evidence, PloverCode

ROOT = Path(__file__).resolve().parents[2]
JUDGED = ROOT / "bench" / "data" / "news_events_judged.jsonl"
SECOND = ROOT / "bench" / "data" / "news_events_judged_seed1.jsonl"
IDENTIFIERS = {"suite", "doc", "sentence_index", "trigger", "source", "target", "type", "cameo"}
VERDICTS = {f"{j}_{part}" for j in "ab" for part in ("type", "pair", "reason")}
SUITES = {"case2021", "drone_strikes", "drone_summary", "timeml_check"}
CODE = re.compile(r"^(---|[A-Z]{3}[A-Z]*)$")
DOC = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    bench = str(ROOT / "bench")
    added = bench not in sys.path
    if added:
        sys.path.insert(0, bench)  # the tool imports fallback_news beside it
    try:
        path = ROOT / "bench" / "news_precision.py"
        spec = importlib.util.spec_from_file_location("news_precision", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["news_precision"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    finally:
        if added:
            sys.path.remove(bench)
    return module


def _rows(path: Path = JUDGED) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def check_row(row: dict[str, object]) -> None:
    """Raises AssertionError when a row holds more than identifiers, verdicts and short reasons."""
    fields = IDENTIFIERS | VERDICTS
    assert set(row) == fields, f"fields {sorted(set(row) ^ fields)}"
    assert row["suite"] in SUITES
    assert isinstance(row["doc"], str) and DOC.match(row["doc"])
    assert isinstance(row["sentence_index"], int) and row["sentence_index"] >= 0
    trigger = row["trigger"]
    assert isinstance(trigger, list) and len(trigger) == 2 and trigger[0] < trigger[1]
    assert isinstance(row["source"], str) and CODE.match(row["source"])
    assert row["target"] is None or (isinstance(row["target"], str) and CODE.match(row["target"]))
    assert isinstance(row["cameo"], str) and row["cameo"].isdigit()
    for judge in "ab":
        assert isinstance(row[f"{judge}_type"], bool) and isinstance(row[f"{judge}_pair"], bool)
        reason = row[f"{judge}_reason"]
        # One line in the judge's words: short, and no quotation that could carry article text.
        assert isinstance(reason, str) and 0 < len(reason) <= 160
        assert "\n" not in reason and '"' not in reason and "``" not in reason


def _key(row: dict[str, object]) -> tuple[object, ...]:
    trigger = row["trigger"]
    assert isinstance(trigger, list)
    return (row["suite"], row["doc"], row["sentence_index"], tuple(trigger), row["source"],
            row["target"], row["cameo"])  # fmt: skip


@pytest.mark.parametrize("path", [JUDGED, SECOND], ids=["first sample", "second sample"])
def test_judged_file_holds_identifiers_and_verdicts_only(path: Path) -> None:
    rows = _rows(path)
    assert len(rows) >= 150
    for row in rows:
        check_row(row)
    assert len({_key(r) for r in rows}) == len(rows)  # one verdict pair per event


def test_judged_samples_share_no_event() -> None:
    assert not {_key(r) for r in _rows(JUDGED)} & {_key(r) for r in _rows(SECOND)}


@pytest.mark.parametrize(
    "extra", [{"sentence": "Rebels stormed the depot."}, {"source_text": "Rebels"}]
)
def test_judged_check_fails_on_a_text_field(extra: dict[str, str]) -> None:
    with pytest.raises(AssertionError, match="fields"):
        check_row(_rows()[0] | extra)


def test_judged_check_fails_on_a_quoted_reason_or_words_in_a_code() -> None:
    row = _rows()[0]
    with pytest.raises(AssertionError):
        check_row(row | {"a_reason": 'said "the depot burned" at dawn'})
    with pytest.raises(AssertionError):
        check_row(row | {"target": "the depot"})


def test_wilson_interval_and_kappa(tool: ModuleType) -> None:
    low, high = tool.wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert tool.wilson(0, 0) == (0.0, 0.0)
    assert tool.kappa([True, False, True], [True, False, True]) == 1.0
    # Agreement no better than two coins with the same bias: kappa 0.
    assert tool.kappa([True, True, False, False], [True, False, True, False]) == 0.0
    assert tool.kappa([True, False], [False, True]) == -1.0


def _doc(tool: ModuleType, suite: str, name: str) -> object:
    return tool.Doc(suite, name, "Chile shelled Peru.")


def _event(
    source: str, target: str, *, rule: str = "triggers.yaml:1", confidence: float = 0.8
) -> Event:
    text = "Chile and Bolivia shelled Peru."
    return Event(
        "e", "d", 0, text, Actor(source, source), Actor(target, target), "190", None, None,
        PloverCode("ASSAULT"), Evidence((18, 25)), rule=rule, confidence=confidence,
    )  # fmt: skip


def test_draw_takes_each_groups_share_with_one_seed(tool: ModuleType) -> None:
    found = [(_doc(tool, "timeml_check", f"t{i}"), _event("CHL", "PER")) for i in range(9)]
    found += [(_doc(tool, "case2021", f"c{i}"), _event("CHL", "PER")) for i in range(2)]
    found += [(_doc(tool, "drone_summary", f"s{i}"), _event("CHL", "PER")) for i in range(5)]
    sample = tool.draw(found, per_group=4, seed=3)
    assert sample == tool.draw(found, per_group=4, seed=3)
    groups = [tool.group_of(doc.suite) for doc, _ in sample]
    assert groups.count("timeml check half") == 4 and groups.count("drone strikes") == 4
    assert groups.count("case2021") == 2  # a smaller group gives all it has


Verdicts = tuple[bool, bool]


def _verdict(
    tool: ModuleType, doc: object, event: Event, a: Verdicts, b: Verdicts
) -> dict[str, object]:
    row: dict[str, object] = tool.identifiers(doc, event)
    row.update(a_type=a[0], a_pair=a[1], a_reason="x", b_type=b[0], b_pair=b[1], b_reason="y")
    return row


def test_report_finds_each_event_of_a_shared_trigger_and_counts_both_judges(
    tool: ModuleType,
) -> None:
    doc = _doc(tool, "case2021", "c1")
    chile = _event("CHL", "PER", confidence=0.9)
    bolivia = _event("BOL", "PER", rule="pair:triggers.yaml:1", confidence=0.3)
    gone = _event("ARG", "PER")
    judged = [
        _verdict(tool, doc, chile, (True, True), (True, True)),
        _verdict(tool, doc, bolivia, (True, True), (True, False)),
        _verdict(tool, doc, gone, (True, True), (True, True)),
    ]
    found = [(doc, chile), (doc, bolivia)]  # the coder no longer gives the ARG event
    items, missing = tool.find(judged, found)
    assert missing == 1 and [i.kind for i in items] == ["lexicon draft", "moved pair"]
    values = dict(tool.figures(judged, found))
    assert values["events judged: found again / no longer coded"] == "2 / 1"
    assert values["judges agree on correct"].startswith("0.500 (1/2;")
    assert values["correct, both judges (strict)"].startswith("0.500 (1/2;")
    assert values["correct, either judge (lenient)"].startswith("1.000 (2/2;")
    assert values["judge b: pair right"].startswith("0.500 (1/2;")
    assert values["correct (strict), proposed as moved pair"].startswith("0.000 (0/1;")
    assert values["confidence 0.8-1.0: right (strict) / mean confidence"] == "1.000 / 0.900 (1)"
    assert values["min_confidence 0.5: events kept, share right (strict)"].startswith(
        "1 of 2, 1.000"
    )
    assert tool.report(judged, found).startswith("| measure | value |\n|---|---|\n| events judged")
