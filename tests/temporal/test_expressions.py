"""ExpressionFinder: which spans of text are date expressions, and what they say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- the literal pre-checks --------------------------------------------------------

_PIECES = [
    "May", "may", "March", "Sept.", "Monday", "monday", "2019", "1998", "19", "3", "26th",
    "of", "the", "in", "early", "last", "next", "two", "days", "Weeks", "YEARS", "ago",
    "later", "yesterday", "Christmas", "summer", "-", "/", ",", ".", "  ", "\u0661\u0669",
]  # fmt: skip
DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def _unchecked(finder: ExpressionFinder) -> ExpressionFinder:
    """The same patterns, each tried on every text (as before the pre-checks)."""
    reference = ExpressionFinder(load_temporal_lexicon())
    reference._patterns = tuple((p, b, ()) for p, b, _ in finder._patterns)
    return reference


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join))
def test_pre_checks_never_change_what_is_found(text: str) -> None:
    finder = ExpressionFinder(load_temporal_lexicon())
    assert finder.find(text) == _unchecked(finder).find(text)


def test_pre_checks_never_change_what_is_found_in_the_demo_corpus(
    finder: ExpressionFinder,
) -> None:
    reference = _unchecked(finder)
    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    sentences = [s.strip() + "." for text in texts for s in text.split(".") if s.strip()]
    found = [finder.find(text) for text in texts + sentences]
    assert found == [reference.find(text) for text in texts + sentences]
    assert sum(map(len, found)) > 200  # the corpus is full of dates: the check bites
