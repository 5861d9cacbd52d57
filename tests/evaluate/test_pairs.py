"""Scoring hand-built events against labelled (source, target) pairs."""

from __future__ import annotations

import pytest

from dyadwatch.errors import EvaluationError
from dyadwatch.evaluate.pairs import events_on_pair, parse_pair, score_pairs
from dyadwatch.model import Actor, Event, Evidence, PloverCode

TEXT = "Arnor sent food to Gondor. Rohan criticised Arnor."
MARKED = "<s>Arnor</s> sent food to <t>Gondor</t>. Rohan criticised Arnor."


def event(
    sentence: str, source: tuple[int, int], target: tuple[int, int] | None, kind: str
) -> Event:
    return Event(
        id=kind, doc_id="d", sentence_index=0, sentence=sentence,
        source=Actor("x", "XXX"), target=Actor("y", "YYY") if target else None,
        cameo="070", goldstein=7.0, quad=2, plover=PloverCode(kind),
        evidence=Evidence((6, 10), source, target),
    )  # fmt: skip


def test_pairs_parse_marks_spans_in_plain_text() -> None:
    pair = parse_pair({"sentence_id": "7", "marked": MARKED, "plover_type": "AID"})
    assert pair.text == TEXT
    assert [pair.text[a:b] for a, b in pair.sources] == ["Arnor"]
    assert [pair.text[a:b] for a, b in pair.targets] == ["Gondor"]
    assert (pair.sentence_id, pair.plover_type) == ("7", "AID")


def test_pairs_parse_keeps_every_mark_of_a_role() -> None:
    marked = "<s>Arnor</s> gave aid to <t>Gondor</t> for <t>Gondor</t>'s farms."
    pair = parse_pair({"marked": marked, "plover_type": "AID"})
    assert [pair.text[a:b] for a, b in pair.targets] == ["Gondor", "Gondor"]


@pytest.mark.parametrize(
    "marked",
    ["no marks at all", "<s>Arnor sent food", "<s>Arnor</s> and <s>Rohan</t>", "</t>x<t>"],
)
def test_pairs_parse_rejects_bad_marks(marked: str) -> None:
    with pytest.raises(EvaluationError) as caught:
        parse_pair({"marked": marked, "plover_type": "AID"}, "gold.jsonl")
    assert "DW401" in str(caught.value)


def test_pairs_parse_rejects_missing_type() -> None:
    with pytest.raises(EvaluationError):
        parse_pair({"marked": MARKED})


def test_pairs_event_on_pair_needs_both_spans_to_overlap() -> None:
    pair = parse_pair({"marked": MARKED, "plover_type": "AID"})
    first = "Arnor sent food to Gondor."
    on = event(first, (0, 5), (19, 25), "AID")
    reversed_roles = event(first, (19, 25), (0, 5), "AID")
    no_target = event(first, (0, 5), None, "AID")
    assert events_on_pair(pair, [on, reversed_roles, no_target]) == [on]


def test_pairs_event_offsets_are_read_in_their_own_sentence() -> None:
    # The second sentence's "Arnor" starts at 44 in the text, 18 in its sentence.
    pair = parse_pair({"marked": "Arnor sent food to Gondor. <s>Rohan</s> criticised <t>Arnor</t>.",
                       "plover_type": "ACCUSE"})  # fmt: skip
    second = "Rohan criticised Arnor."
    assert events_on_pair(pair, [event(second, (0, 5), (17, 22), "ACCUSE")])
    assert not events_on_pair(pair, [event(second, (17, 22), (0, 5), "ACCUSE")])


def test_pairs_unmarked_role_takes_any_actor() -> None:
    pair = parse_pair({"marked": "<s>Arnor</s> agreed to resign.", "plover_type": "YIELD"})
    assert events_on_pair(pair, [event("Arnor agreed to resign.", (0, 5), None, "YIELD")])


def test_pairs_score_counts_pair_rate_and_type_accuracy() -> None:
    pairs = [
        parse_pair({"marked": MARKED, "plover_type": "AID"}),
        parse_pair({"marked": MARKED, "plover_type": "COOPERATE"}),
        parse_pair({"marked": "Arnor sent food to Gondor. <s>Rohan</s> criticised <t>Arnor</t>.",
                    "plover_type": "ACCUSE"}),
    ]  # fmt: skip
    first = "Arnor sent food to Gondor."
    coded = [[event(first, (0, 5), (19, 25), "AID")], [event(first, (0, 5), (19, 25), "AID")], []]
    score = score_pairs(pairs, coded)
    assert (score.pairs, score.on_pair, score.right_type) == (3, 2, 1)
    assert score.pair_rate == pytest.approx(2 / 3)
    assert score.type_accuracy_on_pair == pytest.approx(0.5)
    assert score.type_accuracy == pytest.approx(1 / 3)


def test_pairs_score_of_nothing_is_zero() -> None:
    score = score_pairs([], [])
    assert (score.pair_rate, score.type_accuracy_on_pair, score.type_accuracy) == (0, 0, 0)
