"""Scoring PETRARCH-style validation records: gold parsing, the metric, the harness."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from dyadwatch.errors import Errors, EvaluationError, InputError
from dyadwatch.evaluate.petrarch import (
    GoldRecord,
    PetrarchScore,
    evaluate_petrarch,
    event_triples,
    load_records,
    score,
)
from dyadwatch.model import Actor, Event, Evidence, Modality, PloverCode


def make_event(
    source: str,
    target: str | None,
    cameo: str,
    *,
    negated: bool = False,
    hypothetical: bool = False,
) -> Event:
    return Event(
        id="e", doc_id="d", sentence_index=0, sentence="s",
        source=Actor(source, source), target=Actor(target, target) if target else None,
        cameo=cameo, goldstein=0.0, quad=1, plover=PloverCode("CONSULT"),
        evidence=Evidence((0, 1)), modality=Modality(negated=negated, hypothetical=hypothetical),
    )  # fmt: skip


def record(rid: str, *expected: tuple[str, str, str], **kw: object) -> GoldRecord:
    return GoldRecord(rid, f"text {rid}", dt.date(1995, 1, 1), frozenset(expected), **kw)  # type: ignore[arg-type]


LINE = {
    "id": "DEMO-04", "text": "Arnor met Gondor.", "date": "19950103",
    "expected": [{"source": "ARN", "target": "GON", "code": "042"}],
    "expect_noevents": False, "expect_error": None, "category": "DEMO",
    "notes": ["a note"], "config": [{"option": "require_dyad", "value": "false"}],
}  # fmt: skip


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_petrarch_score_load_records_reads_all_fields(tmp_path: Path) -> None:
    path = write_lines(tmp_path, json.dumps(LINE), "", json.dumps({**LINE, "id": "X", "date": ""}))
    first, second = load_records(path)
    assert first.id == "DEMO-04"
    assert first.date == dt.date(1995, 1, 3)
    assert first.expected == frozenset({("ARN", "GON", "042")})
    assert first.category == "DEMO"
    assert first.config == (("require_dyad", "false"),)
    assert first.require_dyad is False
    assert second.date is None


def test_petrarch_score_require_dyad_defaults_true() -> None:
    assert record("a").require_dyad is True
    assert record("a", config=(("require_dyad", "True"),)).require_dyad is True
    assert record("a", config=(("require_dyad", "FALSE"),)).require_dyad is False


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ("{not json", "Malformed gold record"),
        (json.dumps({**LINE, "date": "1995-01-03"}), "YYYYMMDD"),
        (json.dumps({**LINE, "date": "19951303"}), "month"),
        (json.dumps({k: v for k, v in LINE.items() if k != "text"}), "missing field 'text'"),
        (json.dumps({**LINE, "expected": [{"source": "ARN", "code": "042"}]}), "'target'"),
        (json.dumps({**LINE, "expect_noevents": "no"}), "expect_noevents"),
        (json.dumps({**LINE, "config": [{"value": "1"}]}), "config"),
        (json.dumps([1, 2]), "JSON object"),
    ],
)
def test_petrarch_score_bad_gold_line_raises_dw401_with_line(
    tmp_path: Path, bad: str, needle: str
) -> None:
    path = write_lines(tmp_path, json.dumps(LINE), bad)
    with pytest.raises(EvaluationError) as info:
        load_records(path)
    assert info.value.code == "DW401"
    assert info.value.line == 2
    assert info.value.path == str(path)
    assert needle in str(info.value)


def test_petrarch_score_missing_file_raises_dw401(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="DW401"):
        load_records(tmp_path / "absent.jsonl")


def test_petrarch_score_hand_computed_micro_counts() -> None:
    ab, ac, bc = ("A", "B", "010"), ("A", "C", "020"), ("B", "C", "190")
    records = [record("1", ab, ac), record("2", bc), record("3"), record("4", ab)]
    predictions = [
        frozenset({ab}),  # tp 1, fn 1
        frozenset({bc, ac}),  # tp 1, fp 1
        frozenset(),  # no events expected, none coded: exact
        frozenset({ab}),  # exact
    ]
    result = score(records, predictions)
    assert (result.tp, result.fp, result.fn) == (3, 1, 1)
    assert result.precision == pytest.approx(0.75)
    assert result.recall == pytest.approx(0.75)
    assert result.f1 == pytest.approx(0.75)
    assert result.exact == pytest.approx(0.5)
    assert result.records == 4


def test_petrarch_score_error_records_match_only_when_nothing_coded() -> None:
    records = [record("e1", expect_error=("sentencediscard",)), record("e2", expect_noevents=True)]
    assert score(records, [frozenset(), frozenset()]).exact == 1.0
    spoiled = score(records, [frozenset({("A", "B", "010")}), frozenset()])
    assert spoiled.exact == 0.5
    assert (spoiled.tp, spoiled.fp, spoiled.fn) == (0, 1, 0)
    assert spoiled.precision == 0.0 and spoiled.f1 == 0.0


def test_petrarch_score_reference_figures_reproduce() -> None:
    # The README's PETRARCH2 dev counts 51/29/61 give P .637, R .455, F1 .531.
    tp, fp, fn = 51, 29, 61
    records = [record(str(i), ("A", "B", str(i))) for i in range(tp + fn)]
    predictions = [frozenset({("A", "B", str(i))}) if i < tp else frozenset()
                   for i in range(tp + fn)]  # fmt: skip
    records += [record(f"x{i}") for i in range(fp)]
    predictions += [frozenset({("X", "Y", "010")}) for _ in range(fp)]
    result = score(records, predictions)
    assert round(result.precision, 3) == 0.637
    assert round(result.recall, 3) == 0.455
    assert round(result.f1, 3) == 0.531


def test_petrarch_score_to_dict_has_exactly_headline_keys() -> None:
    result = PetrarchScore(2, 0.5, 0.25, 1 / 3, 0.5, 1, 1, 3)
    assert set(result.to_dict()) == {"records", "precision", "recall", "f1", "exact"}
    assert result.counts() == {"tp": 1, "fp": 1, "fn": 3}


def test_petrarch_score_length_mismatch_is_refused() -> None:
    with pytest.raises(ValueError, match="1 records but 0"):
        score([record("1")], [])


def test_petrarch_score_empty_suite_scores_zero() -> None:
    assert score([], []).to_dict() == {
        "records": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "exact": 0.0
    }  # fmt: skip


def test_petrarch_score_event_triples_drop_negated_and_honour_require_dyad() -> None:
    events = [
        make_event("A", "B", "050"),
        make_event("A", "B", "050"),  # duplicates collapse: a set, as in the suite
        make_event("A", "C", "190", negated=True),
        make_event("A", "C", "036", hypothetical=True),
        make_event("A", None, "010"),
    ]
    assert event_triples(events) == {("A", "B", "050"), ("A", "C", "036")}
    assert ("A", "---", "010") in event_triples(events, require_dyad=False)


class FakeCoder:
    """Stands in for dyadwatch.coder.engine.Coder: canned events per text."""

    def __init__(self, events: dict[str, list[Event]], fail: frozenset[str] = frozenset()):
        self.events = events
        self.fail = fail
        self.calls: list[tuple[str, dt.date | None]] = []

    def code_text(self, text: str, date: dt.date | None = None) -> list[Event]:
        self.calls.append((text, date))
        if text in self.fail:
            raise InputError(Errors.DW101)
        return self.events.get(text, [])


def test_petrarch_score_evaluate_codes_each_record_with_its_date() -> None:
    records = [
        record("1", ("A", "B", "050")),
        GoldRecord("2", "text 2", None, frozenset(), config=(("require_dyad", "false"),)),
        record("3", ("C", "D", "111")),
    ]
    coder = FakeCoder(
        {
            "text 1": [make_event("A", "B", "050"), make_event("A", "B", "111", negated=True)],
            "text 2": [make_event("C", None, "010")],
        },
        fail=frozenset({"text 3"}),
    )
    result = evaluate_petrarch(coder, records)
    assert coder.calls == [("text 1", dt.date(1995, 1, 1)), ("text 2", None),
                           ("text 3", dt.date(1995, 1, 1))]  # fmt: skip
    assert (result.tp, result.fp, result.fn) == (1, 1, 1)
    assert result.exact == pytest.approx(1 / 3)


@pytest.fixture
def shared_petrarch() -> Path:
    default = Path(__file__).resolve().parents[2].parent / "shared"
    shared = os.environ.get("DYADWATCH_SHARED") or default
    path = Path(shared) / "eval" / "petrarch"
    if not (path / "records.dev.jsonl").is_file():
        pytest.skip("../shared/eval/petrarch is absent")
    return path


@pytest.mark.shared
def test_petrarch_score_loads_the_dev_suite(shared_petrarch: Path) -> None:
    records = load_records(shared_petrarch / "records.dev.jsonl")
    assert len(records) == 132
    assert sum(len(r.expected) for r in records) == 154
    assert sum(r.expect_error is not None for r in records) == 4
    assert score(records, [r.expected for r in records]).exact == 1.0
