"""parse_number: English number phrases to ranges, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from dyadwatch.casualties import extract_size, parse_number
from dyadwatch.model import Range

UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def words_for(n: int) -> str:
    """The test's own spelling of 1..99, written independently of the package."""
    if n < 20:
        return UNITS[n]
    tens, unit = divmod(n, 10)
    return TENS[tens - 2] + (f"-{UNITS[unit]}" if unit else "")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("5", 5, 5),
        ("five", 5, 5),
        ("at least 5", 5, 5),
        ("up to 7", 1, 7),
        ("as many as 12", 1, 12),
        ("more than 20", 21, 21),
        ("over a dozen", 13, 13),
        ("fewer than 10", 1, 9),
        ("about 30", 30, 30),
        ("between 4 and 6", 4, 6),
        ("from 5 to 15", 5, 15),
        ("4-6", 4, 6),
        ("4–6", 4, 6),
        ("4 to 6", 4, 6),
        ("5 or 6", 5, 6),
        ("4 or more", 4, 4),
        ("a couple", 2, 2),
        ("a few", 2, 5),
        ("several", 3, 9),
        ("dozens", 24, 99),
        ("scores", 40, 99),
        ("hundreds", 200, 999),
        ("thousands", 2000, 9999),
        ("a dozen", 12, 12),
        ("half a dozen", 6, 6),
        ("two dozen", 24, 24),
        ("several hundred", 300, 900),
        ("ninety-nine", 99, 99),
        ("twenty one", 21, 21),
        ("a hundred", 100, 100),
        ("two hundred and five", 205, 205),
        ("1,200", 1200, 1200),
        ("1.5 million", 1_500_000, 1_500_000),
        ("no one", 0, 0),
        ("nobody", 0, 0),
        ("zero", 0, 0),
    ],
)
def test_casualty_numbers_reads_phrases(text: str, low: int, high: int) -> None:
    assert parse_number(text) == Range(low, high)


@pytest.mark.parametrize(
    "text",
    ["", "a", "first", "3rd", "two days", "$60bn", "60-billion-dollar", "25%", "8-6",
     "five twenty", "twenty twenty", "hundred", "and", "between 4", "at least", "4-Mar",
     "one two three four five six seven eight nine ten eleven twelve thirteen"],
)  # fmt: skip
def test_casualty_numbers_rejects_what_is_not_a_number_phrase(text: str) -> None:
    assert parse_number(text) is None


@given(st.integers(min_value=0, max_value=99))
def test_casualty_numbers_round_trips_number_words(n: int) -> None:
    assert parse_number(words_for(n)) == Range(n, n)


@given(st.text(max_size=60))
def test_casualty_numbers_never_raises(text: str) -> None:
    found = parse_number(text)
    assert found is None or 0 <= found.min <= found.max


@given(
    n=st.integers(min_value=1, max_value=99),
    spelled=st.booleans(),
    noun=st.sampled_from(["people", "civilians", "soldiers", "villagers"]),
    template=st.sampled_from(
        ["A drone strike killed {n} {noun}.", "{N} {noun} were killed in the raid.",
         "Gunmen shot dead {n} {noun} on Monday."]
    ),
)  # fmt: skip
def test_casualty_extract_round_trips_a_killing_template(
    nlp: Language, n: int, spelled: bool, noun: str, template: str
) -> None:
    # The space is finite (2,376 sentences) and was checked in full, so no seed can flake.
    number = words_for(n) if spelled else str(n)
    text = template.format(n=number, N=number[:1].upper() + number[1:], noun=noun)
    size = extract_size(next(iter(nlp(text).sents)))
    assert size is not None and size.killed == Range(n, n), text
    assert size.civilians == (Range(n, n) if noun == "civilians" else None)


@given(st.text(max_size=120))
def test_casualty_extract_never_raises_on_arbitrary_text(nlp: Language, text: str) -> None:
    for sentence in nlp(text).sents:
        size = extract_size(sentence, sentence[0])
        assert size is None or size.to_dict()
