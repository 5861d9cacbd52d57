"""What the judged-event files of bench/data (fallback events, session 16; every kind of
event, session 21) may hold: identifiers of an event and short reasons, never a news
sentence. Shared by the tests of both files."""

from __future__ import annotations

import json
import re
from pathlib import Path

IDENTIFIERS = {"suite", "doc", "sentence_index", "trigger", "source", "target", "type", "cameo"}
"""The fields that find a judged event again (``bench/fallback_news.identifiers``)."""
SUITES = {"case2021", "drone_strikes", "drone_summary", "timeml_check"}
CODE = re.compile(r"^(---|[A-Z]{3}[A-Z]*)$")
"""An actor code: no words, no spaces."""
DOC = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def judged_rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def check_fields(row: dict[str, object], verdicts: set[str]) -> None:
    """Raises AssertionError when the row has other fields than the identifiers and ``verdicts``."""
    fields = IDENTIFIERS | verdicts
    assert set(row) == fields, f"fields {sorted(set(row) ^ fields)}"


def check_identifiers(row: dict[str, object]) -> None:
    """Raises AssertionError when an identifier holds anything but a code, an index or a span."""
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


def check_reason(reason: object) -> None:
    """One line in the judge's words: short, and no quotation that could carry article text."""
    assert isinstance(reason, str) and 0 < len(reason) <= 160
    assert "\n" not in reason and '"' not in reason and "``" not in reason
