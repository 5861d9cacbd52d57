"""bench/timeml_compare.py: which gold events two scorers match, and their dates."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from dyadwatch.evaluate.timeml import DatedSpan, GoldDate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tool(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # the tool imports run_eval beside it
    path = ROOT / "bench" / "timeml_compare.py"
    spec = importlib.util.spec_from_file_location("timeml_compare", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXT = "Rebels shelled the town. Talks resumed."
GOLD = [
    GoldDate("d", (7, 14), "2020-05-01", "day", off_dct=True, other_sentence=False),
    GoldDate("d", (25, 30), "2020-05", "month", off_dct=True, other_sentence=True),
]


def _at(span: tuple[int, int], day: dt.date) -> DatedSpan:
    return DatedSpan("d", span, day)


def test_report_is_empty_when_both_match_with_the_same_dates(tool: ModuleType) -> None:
    same = {("d", (7, 14)): _at((7, 14), dt.date(2020, 5, 1))}
    assert tool.report(same, dict(same), GOLD, {"d": TEXT}) == []


def test_report_names_new_matches_and_changed_dates(tool: ModuleType) -> None:
    before = {("d", (7, 14)): _at((7, 14), dt.date(2020, 5, 1))}
    after = {
        ("d", (7, 14)): _at((7, 14), dt.date(2020, 5, 3)),
        ("d", (25, 30)): _at((25, 32), dt.date(2020, 5, 9)),
    }
    lines = tool.report(before, after, GOLD, {"d": TEXT})
    assert lines == [
        "dated differently: d 'shelled' gold 2020-05-01 (own sentence); "
        "before 2020-05-01 (right), after 2020-05-03 (wrong)",
        "only after: d 'Talks' gold 2020-05 (other sentence); "
        "before no match, after 2020-05-09 (right)",
    ]
