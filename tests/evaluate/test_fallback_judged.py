"""The judged fallback events on news (bench/data/fallback_news_judged.jsonl, docs/MODEL.md
session 16) load, and hold identifiers and judgements only: never a news sentence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

JUDGED = Path(__file__).resolve().parents[2] / "bench" / "data" / "fallback_news_judged.jsonl"
FIELDS = {
    "suite", "doc", "sentence_index", "trigger", "source", "target", "type", "cameo",
    "type_right", "pair_right", "judged_correct", "reason",
}  # fmt: skip
SUITES = {"case2021", "drone_strikes", "drone_summary", "timeml_check"}
CODE = re.compile(r"^(---|[A-Z]{3}[A-Z]*)$")
"""An actor code: no words, no spaces."""
DOC = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def check_row(row: dict[str, object]) -> None:
    """Raises AssertionError when a row holds more than identifiers and a short reason."""
    assert set(row) == FIELDS, f"fields {sorted(set(row) ^ FIELDS)}"
    assert row["suite"] in SUITES
    assert isinstance(row["doc"], str) and DOC.match(row["doc"])
    assert isinstance(row["sentence_index"], int) and row["sentence_index"] >= 0
    trigger = row["trigger"]
    assert isinstance(trigger, list) and len(trigger) == 2
    assert all(isinstance(v, int) for v in trigger) and trigger[0] < trigger[1]
    assert isinstance(row["source"], str) and CODE.match(row["source"])
    assert row["target"] is None or (isinstance(row["target"], str) and CODE.match(row["target"]))
    assert row["type"] is None or (isinstance(row["type"], str) and row["type"].isupper())
    assert isinstance(row["cameo"], str) and row["cameo"].isdigit()
    flags = (row["type_right"], row["pair_right"], row["judged_correct"])
    assert all(isinstance(v, bool) for v in flags)
    assert row["judged_correct"] == (row["type_right"] and row["pair_right"])
    reason = row["reason"]
    # One line in our words: short, and no quotation that could carry article text.
    assert isinstance(reason, str) and 0 < len(reason) <= 160
    assert "\n" not in reason and '"' not in reason and "``" not in reason


def test_fallback_judged_file_loads_with_identifiers_only() -> None:
    rows = _rows(JUDGED)
    assert len(rows) >= 60
    for row in rows:
        check_row(row)
    keys = {(r["suite"], r["doc"], r["sentence_index"], tuple(r["trigger"])) for r in rows}  # type: ignore[arg-type]
    assert len(keys) == len(rows)  # one judgement per event
    assert 0 < sum(1 for r in rows if r["judged_correct"]) < len(rows)


@pytest.mark.parametrize(
    "extra",
    [
        {"sentence": "Rebels stormed the depot at dawn."},
        {"text": "Rebels stormed the depot at dawn."},
        {"source_text": "Rebels"},
    ],
)
def test_fallback_judged_check_fails_on_a_text_field(extra: dict[str, str]) -> None:
    row = _rows(JUDGED)[0] | extra
    with pytest.raises(AssertionError, match="fields"):
        check_row(row)


def test_fallback_judged_check_fails_on_words_in_a_code_or_a_long_reason() -> None:
    row = _rows(JUDGED)[0]
    with pytest.raises(AssertionError):
        check_row(row | {"source": "the rebels"})
    with pytest.raises(AssertionError):
        check_row(row | {"reason": "x" * 200})
