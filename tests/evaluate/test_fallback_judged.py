"""The judged fallback events on news (bench/data/fallback_news_judged.jsonl, docs/MODEL_LOG.md
session 16) load, and hold identifiers and judgements only: never a news sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from _judged_support import check_fields, check_identifiers, check_reason, judged_rows

JUDGED = Path(__file__).resolve().parents[2] / "bench" / "data" / "fallback_news_judged.jsonl"
VERDICTS = {"type_right", "pair_right", "judged_correct", "reason"}


def check_row(row: dict[str, object]) -> None:
    """Raises AssertionError when a row holds more than identifiers and a short reason."""
    check_fields(row, VERDICTS)
    check_identifiers(row)
    flags = (row["type_right"], row["pair_right"], row["judged_correct"])
    assert all(isinstance(v, bool) for v in flags)
    assert row["judged_correct"] == (row["type_right"] and row["pair_right"])
    check_reason(row["reason"])


def test_fallback_judged_file_loads_with_identifiers_only() -> None:
    rows = judged_rows(JUDGED)
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
    row = judged_rows(JUDGED)[0] | extra
    with pytest.raises(AssertionError, match="fields"):
        check_row(row)


def test_fallback_judged_check_fails_on_words_in_a_code_or_a_long_reason() -> None:
    row = judged_rows(JUDGED)[0]
    with pytest.raises(AssertionError):
        check_row(row | {"source": "the rebels"})
    with pytest.raises(AssertionError):
        check_row(row | {"reason": "x" * 200})
