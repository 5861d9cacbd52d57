"""Label files for the scorer: PLV fields, marked pairs, numbered errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadwatch.coder.scoring.labels import Label, judge_pair, marked_spans, parse_label, read_labels
from dyadwatch.errors import ScorerError
from dyadwatch.model import Actor, Event, Evidence


def _write(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_labels_marked_spans_find_source_and_target() -> None:
    text, source, target = marked_spans("<s>Arnor</s> scolded <t>the Gondor envoy</t> today.")
    assert text == "Arnor scolded the Gondor envoy today."
    assert source is not None and text[source[0] : source[1]] == "Arnor"
    assert target is not None and text[target[0] : target[1]] == "the Gondor envoy"


def test_labels_marked_spans_with_target_only() -> None:
    text, source, target = marked_spans("Two papers in <t>Rohan</t> were shut.")
    assert source is None
    assert target is not None and text[target[0] : target[1]] == "Rohan"


def test_labels_parse_label_takes_source_and_target_text() -> None:
    label = parse_label(
        {"text": "Rohan thanked Gondor for grain.", "plover_type": "AID",
         "source": "Rohan", "target": "Gondor"}
    )  # fmt: skip
    assert label.source == (0, 5)
    assert label.target == (14, 20)
    assert label.has_pair


def test_labels_read_labels_reads_a_good_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"text": "Rohan thanked Gondor.", "plover_type": "SUPPORT", "penta": 1},
            {"text": "Rohan shelled Gondor.", "plover_type": "ASSAULT"},
        ],
    )
    labels = read_labels(path)
    assert [label.plover_type for label in labels] == ["SUPPORT", "ASSAULT"]
    assert labels[0].penta == 1


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        json.dumps({"plover_type": "AID"}),
        json.dumps({"text": "Rohan met Gondor.", "plover_type": "HUG"}),
        json.dumps({"text": "Rohan met Gondor.", "plover_type": "CONSULT", "source": "Mordor"}),
        json.dumps({"text": "Rohan met Gondor.", "plover_type": "CONSULT", "penta": 9}),
        json.dumps({"text": "Rohan met Gondor."}),
        json.dumps(["a list"]),
    ],
)
def test_labels_bad_line_is_dw801_with_its_line(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "labels.jsonl"
    good = json.dumps({"text": "Rohan shelled Gondor.", "plover_type": "ASSAULT"})
    path.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    with pytest.raises(ScorerError) as caught:
        read_labels(path)
    assert caught.value.code == "DW801"
    assert caught.value.line == 2


def test_labels_too_few_labels_is_dw802(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"text": "Rohan shelled Gondor.", "plover_type": "ASSAULT"}])
    with pytest.raises(ScorerError) as caught:
        read_labels(path)
    assert caught.value.code == "DW802"


def test_labels_missing_file_is_dw802(tmp_path: Path) -> None:
    with pytest.raises(ScorerError) as caught:
        read_labels(tmp_path / "absent.jsonl")
    assert caught.value.code == "DW802"


def _event(source: tuple[int, int], target: tuple[int, int] | None) -> Event:
    return Event(
        "e", "d", 0, "Rohan shelled Gondor.", Actor("Rohan", "ROH", "ROH"),
        Actor("Gondor", "GON", "GON") if target else None, "190", -10.0, 4, None,
        Evidence((6, 13), source, target),
    )  # fmt: skip


def test_labels_judge_pair_by_spans_and_by_codes() -> None:
    spans = Label("Rohan shelled Gondor.", "user", "ASSAULT", source=(0, 5), target=(14, 20))
    assert judge_pair(_event((0, 5), (14, 20)), spans) is True
    assert judge_pair(_event((14, 20), (0, 5)), spans) is False
    codes = Label("x", "plover", "ASSAULT", source_codes=frozenset({"ROH"}),
                  target_codes=frozenset({"GON"}))  # fmt: skip
    assert judge_pair(_event((0, 5), (14, 20)), codes) is True
    assert judge_pair(_event((0, 5), None), codes) is False
    assert judge_pair(_event((0, 5), None), Label("x", "penta", penta=4)) is None


def test_labels_judge_pair_counts_from_the_event_sentence() -> None:
    # The label's offsets count from the whole text; the event's from its own sentence
    # (here the second one, or what is left once a dateline is cut off).
    text = "MINAS TIRITH -- Rohan shelled Gondor."
    label = Label(text, "user", "ASSAULT", source=(16, 21), target=(30, 36))
    assert judge_pair(_event((0, 5), (14, 20)), label) is True
    assert judge_pair(_event((14, 20), (0, 5)), label) is False
