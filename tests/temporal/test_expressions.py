"""ExpressionFinder: which spans of text are date expressions, and what they say."""

from __future__ import annotations

import pytest

from dyadwatch.temporal.expressions import ExpressionFinder
from dyadwatch.temporal.lexicon import load_temporal_lexicon


@pytest.fixture(scope="module")
def finder() -> ExpressionFinder:
    return ExpressionFinder(load_temporal_lexicon())


def test_expressions_longest_span_wins(finder: ExpressionFinder) -> None:
    found = finder.find("On Monday, February 25, 2019, jets struck.")
    assert [(e.kind, e.text) for e in found] == [("absolute", "Monday, February 25, 2019")]


@pytest.mark.parametrize(
    "text",
    ["He may go home.", "Protesters march on.", "2000 people died.", "Mondays are quiet.", ""],
)
def test_expressions_ignore_words_that_only_look_like_dates(
    finder: ExpressionFinder, text: str
) -> None:
    assert finder.find(text) == []


def test_expressions_ambiguous_numeric_date_is_not_found(finder: ExpressionFinder) -> None:
    assert finder.find("on 02/03/2019") == []
    (found,) = finder.find("on 13/03/2019")
    assert (found.year, found.month, found.day) == (2019, 3, 13)


def test_expressions_counted_phrases(finder: ExpressionFinder) -> None:
    (few,) = finder.find("Just a few days later, India struck.")
    assert (few.kind, few.quantity, few.unit, few.word) == ("counted", (2, 5), "day", "later")
    (vague,) = finder.find("Weeks later, talks resumed.")
    assert (vague.quantity, vague.unit) == ((2, 7), "week")
    # "two days after the attack" counts from the attack, not from the previous event
    assert finder.find("two days after the attack") == []


def test_expressions_curly_apostrophe_in_holidays(finder: ExpressionFinder) -> None:
    (found,) = finder.find("on New Year\u2019s Eve")
    assert (found.kind, found.key) == ("holiday", "new year's eve")
