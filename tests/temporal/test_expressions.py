"""ExpressionFinder: which spans of text are date expressions, and what they say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.temporal.expressions import ExpressionFinder, _Row
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
    # "two days after the attack" is found; the resolver counts it from the attack
    (named,) = finder.find("two days after the attack")
    assert (named.text, named.word, named.quantity) == ("two days after", "after", (2, 2))


def test_expressions_curly_apostrophe_in_holidays(finder: ExpressionFinder) -> None:
    (found,) = finder.find("on New Year\u2019s Eve")
    assert (found.kind, found.key) == ("holiday", "new year's eve")


@pytest.mark.parametrize(
    ("odd", "plain"),
    [
        ("thi\u017f week", "this week"),  # long s: matched as "s" by (?i), folded to it
        ("\u017fome days later", "some days later"),
        ("Chri\u017ftmas", "Christmas"),
        ("\u017fummer 2019", "summer 2019"),
        ("two wee\u212a\u017f ago", "two weeks ago"),  # Kelvin sign for "k"
    ],
)
def test_expressions_read_look_alike_letters_as_the_letters(
    finder: ExpressionFinder, odd: str, plain: str
) -> None:
    """Once a KeyError that failed the whole document (DW111)."""
    (found,) = finder.find(odd)
    (expected,) = finder.find(plain)
    assert (found.kind, found.key, found.quantity, found.unit, found.part, found.word) == (
        expected.kind, expected.key, expected.quantity, expected.unit, expected.part,
        expected.word,
    )  # fmt: skip


def test_expressions_skip_a_look_alike_with_no_listed_reading(finder: ExpressionFinder) -> None:
    # Dotless i matches "i" case-insensitively but does not fold to it: no phrase, no error.
    found = finder.find("th\u0131s week, \u017fome days later")
    assert [(e.kind, e.text) for e in found] == [("counted", "\u017fome days later")]


# -- the literal pre-checks --------------------------------------------------------

_PIECES = [
    "May", "may", "March", "Sept.", "Monday", "monday", "2019", "1998", "19", "3", "26th",
    "of", "the", "in", "early", "last", "next", "two", "days", "Weeks", "YEARS", "ago",
    "later", "yesterday", "Christmas", "summer", "-", "/", ",", ".", "  ", "\u0661\u0669",
    "Today", "TONIGHT", "day", "after", "a", "few", "couple", "5", "123", "1234", "around",
    "\u017fome", "\u017fome\u017f", "Valentine\u2019s", "Day", "x2", "the\u00a0next",
    "on", "mid", "during", "Tuesday,", "2019-05-03", "13/05/2019", "13.05.2019", "year",
    "\u0661\u0669\u0661\u0669", "\u017fince", "Spring", "\u212a",
]  # fmt: skip
DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def _unchecked(finder: ExpressionFinder) -> ExpressionFinder:
    """The same patterns, each tried at every position of every text (no pre-check,
    no anchoring on first words)."""
    reference = ExpressionFinder(load_temporal_lexicon())
    reference._patterns = tuple(_Row(row.pattern, row.build) for row in finder._patterns)
    return reference


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join))
def test_pre_checks_never_change_what_is_found(text: str) -> None:
    finder = ExpressionFinder(load_temporal_lexicon())
    assert finder.find(text) == _unchecked(finder).find(text)


_TRICKY = [
    "It ended 5 days later.", "Police came around 12 weeks ago, and 1234 days ago.",
    "\u017fome days later", "SOME YEARS AGO", "the day before yesterday", "x2 days later",
    "on Valentine\u2019s Day", "a few weeks earlier", "\u212aashmir, two days after.",
    "On Tuesday, 26 February 2019", "the 3rd of May", "mid-2018", "\u017fince 2019",
    "in late March 2020", "2019-02-26", "26/02/2019", "in 19\u0669\u0668",
]  # fmt: skip


@pytest.mark.parametrize("text", _TRICKY)
def test_anchored_patterns_find_what_a_full_scan_finds(text: str) -> None:
    """Numbers and non-ASCII look-alikes ("\u017f" matches "s" ignoring case) start matches."""
    finder = ExpressionFinder(load_temporal_lexicon())
    found = finder.find(text)
    assert found == _unchecked(finder).find(text)
    assert found  # each text holds an expression


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["just", "\u017fome", "SOME", "a few", "5", "12", "1234", "two", "x"]),
        max_size=2,
    ).map(" ".join),
    st.sampled_from(["day", "days", "Weeks", "YEARS", "month"]),
    st.sampled_from(["ago", "later", "after.", "before,", "earlier", "afterwards", "since"]),
)
def test_counted_expressions_are_found_as_by_a_full_scan(lead: str, unit: str, end: str) -> None:
    finder = ExpressionFinder(load_temporal_lexicon())
    text = f"It came {lead} {unit} {end} Then it ended."
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


def test_expressions_month_of_last_year_and_seasons(finder: ExpressionFinder) -> None:
    (june,) = finder.find("in June last year")
    assert (june.kind, june.month, june.word) == ("month", 6, "last year")
    (summer,) = finder.find("over the summer")
    assert (summer.kind, summer.part, summer.year) == ("year", "summer", None)
    assert finder.find("Prices fall in winter") == []  # a season needs "the", "last", ...


def test_expressions_year_before_a_noun(finder: ExpressionFinder) -> None:
    (law,) = finder.find("A 1996 law named for him")
    assert (law.kind, law.year) == ("year", 1996)
    assert finder.find("There were 1996 voters.") == []


def test_expressions_last_with_a_day_and_month(finder: ExpressionFinder) -> None:
    (found,) = finder.find("shot dead last Oct. 23 at home")
    assert (found.kind, found.month, found.day, found.word) == ("day_month", 10, 23, "last")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("The mill closed in nineteen ninety-one.", 1991),
        ("In nineteen eighty four the dam broke.", 1984),
        ("Prices have doubled since two thousand and two.", 2002),
        ("The treaty was signed in nineteen hundred.", 1900),
    ],
)
def test_expressions_spelled_out_years(finder: ExpressionFinder, text: str, year: int) -> None:
    (found,) = finder.find(text)
    assert (found.kind, found.year) == ("year", year)


def test_expressions_spelled_out_counts_are_not_years(finder: ExpressionFinder) -> None:
    assert finder.find("Floods hit two thousand homes.") == []
    assert finder.find("They lived in nineteen ninety-one houses.") == []
    assert finder.find("Nineteen ninety-one was a hard year.") == []  # no preposition


def test_expressions_month_between_determiner_and_noun(finder: ExpressionFinder) -> None:
    (found,) = finder.find("The October shooting shocked the town.")
    assert (found.kind, found.month, found.text) == ("month", 10, "The October")
    assert finder.find("The March on the capital drew crowds.") == []
