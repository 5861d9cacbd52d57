"""The timeml_dates scorer on gold rows and events of our own."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.errors import EvaluationError
from dyadwatch.evaluate.timeml import DatedSpan, dated_right, gold_dates, matched, score

TEXT = "Rebels seized the port on 3 May 2001. Talks resumed.\nOfficials said so."
DOCS = {"d1": TEXT}
PUBLISHED = {"d1": dt.date(2001, 5, 9)}


def row(
    event: str, gold: str, precision: str, off: bool, timex: list[int] | None
) -> dict[str, object]:
    start = TEXT.index(event)
    sentence = next(s for s in ("Rebels seized the port on 3 May 2001.", "Talks resumed.",
                                "Officials said so.") if event in s)  # fmt: skip
    return {"doc": "d1", "span": [start, start + len(event)], "sentence": sentence,
            "gold": gold, "precision": precision, "off_dct": off, "timex_span": timex,
            "suspect": None}  # fmt: skip


def test_timeml_dated_right_at_the_gold_precision() -> None:
    day = dt.date(2001, 5, 3)
    assert dated_right(day, None, "2001-05-03", "day")
    assert not dated_right(dt.date(2001, 5, 4), None, "2001-05-03", "day")
    assert dated_right(dt.date(2001, 5, 1), (dt.date(2001, 5, 1), day), "2001-05-03", "day")
    assert dated_right(dt.date(2001, 5, 20), None, "2001-05", "month")
    assert not dated_right(dt.date(2001, 6, 1), None, "2001-05", "month")
    assert dated_right(dt.date(2001, 12, 31), None, "2001", "year")
    assert not dated_right(None, None, "2001", "year")


def test_timeml_score_splits_by_sentence_and_publication_date() -> None:
    timex = [TEXT.index("3 May"), TEXT.index("3 May") + 10]
    gold = gold_dates(DOCS, [
        row("seized", "2001-05-03", "day", True, timex),
        row("resumed", "2001-05-03", "day", True, timex),
        row("said", "2001-05-09", "day", False, None),
        {**row("said", "2001-05-09", "day", False, None), "suspect": "left out"},
    ])  # fmt: skip
    assert [g.other_sentence for g in gold] == [False, True, False]
    at = TEXT.index
    coded = [
        DatedSpan("d1", (at("seized"), at("seized") + 6), dt.date(2001, 5, 3)),
        DatedSpan("d1", (at("resumed"), at("resumed") + 7), dt.date(2001, 5, 9)),
        DatedSpan("d1", (at("said"), at("said") + 4), dt.date(2001, 5, 3)),
    ]
    result = score(gold, coded, PUBLISHED)
    assert (result.matched.right, result.matched.total) == (3, 3)
    assert (result.all.right, result.all.total) == (1, 3)
    assert (result.off_own_sentence.right, result.off_own_sentence.total) == (1, 1)
    assert (result.off_other_sentence.right, result.off_other_sentence.total) == (0, 1)
    assert (result.moved_off.right, result.moved_off.total) == (1, 1)
    assert (result.publication_baseline.right, result.publication_baseline.total) == (1, 3)


def test_timeml_malformed_row_is_a_numbered_error() -> None:
    with pytest.raises(EvaluationError) as caught:
        gold_dates(DOCS, [{"doc": "d1", "span": "nowhere", "suspect": None}])
    assert caught.value.code == "DW401"


def test_timeml_matched_takes_the_first_overlapping_event_of_the_document() -> None:
    gold = gold_dates(DOCS, [row("seized", "2001-05-03", "day", True, None),
                             row("resumed", "2001-05", "month", True, None)])  # fmt: skip
    start = TEXT.index("seized")
    first = DatedSpan("d1", (start, start + 6), dt.date(2001, 5, 3))
    second = DatedSpan("d1", (start + 2, start + 4), dt.date(2001, 5, 9))
    elsewhere = DatedSpan("d2", (TEXT.index("resumed"), TEXT.index("resumed") + 7), None)
    assert matched(gold, [first, second, elsewhere]) == [first, None]
