"""Movable feasts against their published dates, and the named days in sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from dyadwatch.temporal import DateResolver, EventDate
from dyadwatch.temporal.feasts import diwali, easter, feast, islamic_to_gregorian, thanksgiving

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2000, D(2000, 4, 23)),
        (2008, D(2008, 3, 23)),
        (2019, D(2019, 4, 21)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_feasts_easter_by_the_computus(year: int, expected: dt.date) -> None:
    assert easter(year) == expected


def test_feasts_thanksgiving_is_the_fourth_thursday() -> None:
    assert [thanksgiving(y) for y in (1999, 2019, 2020)] == [
        D(1999, 11, 25), D(2019, 11, 28), D(2020, 11, 26),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2009, D(2009, 10, 17)), (2013, D(2013, 11, 3)), (2015, D(2015, 11, 11)),
     (2019, D(2019, 10, 27)), (2020, D(2020, 11, 14)), (2021, D(2021, 11, 4)),
     (2023, D(2023, 11, 12))],
)  # fmt: skip
def test_feasts_diwali_by_the_new_moon_of_kartika(year: int, expected: dt.date) -> None:
    assert diwali(year) == expected


def test_feasts_eid_is_a_three_day_range_around_the_arithmetic_calendar() -> None:
    assert islamic_to_gregorian(1440, 10, 1) == D(2019, 6, 5)
    fitr = feast("eid al-fitr", 2019)
    assert fitr is not None and fitr.range == (D(2019, 6, 4), D(2019, 6, 6))
    adha = feast("eid al-adha", 2019)
    assert adha is not None and adha.range is not None
    assert adha.range[0] <= D(2019, 8, 11) <= adha.range[1]


def test_feasts_unknown_name_or_year_is_none() -> None:
    assert feast("midsummer", 2019) is None
    assert feast("easter", dt.MAXYEAR) is None


PUBLISHED = D(2019, 12, 1)


def when(nlp: Language, text: str, trigger: str, published: dt.date = PUBLISHED) -> EventDate:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    return DateResolver().resolve(token, published)


def test_feasts_named_days_in_sentences(nlp: Language) -> None:
    assert when(nlp, "Pilgrims gathered at Easter.", "gathered").date == D(2019, 4, 21)
    assert when(nlp, "Crowds lit lamps on Diwali.", "lit").date == D(2019, 10, 27)
    found = when(nlp, "Troops fired on the crowd on Thanksgiving Day.", "fired")
    assert found.date == D(2019, 11, 28)
    eid = when(nlp, "The truce collapsed after Eid al-Fitr.", "collapsed", D(2019, 6, 20))
    assert eid.range == (D(2019, 6, 4), D(2019, 6, 20))  # after the feast: bounded


def test_feasts_independence_day_needs_a_country(nlp: Language) -> None:
    found = when(nlp, "Police arrested ten men on India's Independence Day.", "arrested")
    assert found.date == D(2019, 8, 15)
    found = when(nlp, "Police arrested ten men on Independence Day.", "arrested")
    assert found.basis == "publication"  # whose independence is not said


def test_feasts_independence_day_of_the_country_in_focus(nlp: Language) -> None:
    text = (
        "Kenyan police patrolled Nairobi. Police arrested ten men on Independence Day. "
        "Kenya and Ghana signed a trade deal."
    )
    found = when(nlp, text, "arrested")
    assert found == EventDate(D(2018, 12, 12), "day")  # Kenya (named twice), not Ghana
    assert DateResolver().focus_country(nlp("Ghana hosted talks on Independence Day.")) == "ghana"
    assert DateResolver().focus_country(nlp("Ghana hosted talks.")) is None


def test_feasts_independence_day_of_the_event_country(nlp: Language) -> None:
    text = (
        "Kenyan police patrolled Nairobi. Kenya and Uganda closed the border. "
        "Ghanaian troops paraded on Independence Day."
    )
    # Kenya is named most, but the parade is Ghana's
    assert when(nlp, text, "paraded") == EventDate(D(2019, 3, 6), "day")
    assert when(nlp, text, "patrolled").basis == "publication"
