"""sentence_date: dates a sentence states, else the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.nlp.dates import sentence_date

PUBLISHED = dt.date(2019, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jets struck on 26 February 2019.", dt.date(2019, 2, 26)),
        ("Jets struck on February 26, 2019.", dt.date(2019, 2, 26)),
        ("Jets struck on Feb. 26 2019.", dt.date(2019, 2, 26)),
        ("Talks began on 3rd March 2019 in Doha.", dt.date(2019, 3, 3)),
        ("ON 26 FEBRUARY 2019 jets struck.", dt.date(2019, 2, 26)),
    ],
)
def test_dates_day_dates_have_day_precision(text: str, expected: dt.date) -> None:
    assert sentence_date(text, PUBLISHED) == (expected, "day")


def test_dates_month_dates_have_month_precision() -> None:
    assert sentence_date("Talks failed in May 2018.", PUBLISHED) == (dt.date(2018, 5, 1), "month")


def test_dates_impossible_day_is_not_a_date() -> None:
    assert sentence_date("It happened on February 30, 2019.", None) == (None, None)
    assert sentence_date("It happened on February 30, 2019.", PUBLISHED) == (PUBLISHED, "day")


def test_dates_impossible_day_does_not_hide_a_later_date() -> None:
    text = "Not on 30 February 2019 but on 2 March 2019."
    assert sentence_date(text, None) == (dt.date(2019, 3, 2), "day")


def test_dates_fall_back_to_publication_date() -> None:
    assert sentence_date("Jets struck yesterday.", PUBLISHED) == (PUBLISHED, "day")


def test_dates_no_date_at_all_gives_none() -> None:
    assert sentence_date("Jets struck yesterday.", None) == (None, None)
    assert sentence_date("", None) == (None, None)


def test_dates_years_outside_1900_2099_are_ignored() -> None:
    assert sentence_date("In May 1848 revolts spread.", None) == (None, None)
