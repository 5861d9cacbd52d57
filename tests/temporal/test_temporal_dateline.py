"""Datelines: the day a wire story was written is its today."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from dyadwatch.temporal import DateResolver
from dyadwatch.temporal.dateline import find_dateline

D = dt.date


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver()


def dates(nlp: Language, resolver: DateResolver, text: str, published: dt.date) -> dict[str, str]:
    doc = nlp(text)
    triggers = [t for t in doc if t.pos_ in ("VERB", "NOUN")]
    found = resolver.for_document(doc, published).resolve_all(triggers)
    return {t.text: f"{w.date} {w.basis}" for t, w in zip(triggers, found, strict=True)}


def test_dateline_day_is_the_story_today_for_undated_reports(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "OSLO, June 4 (Nordwire) -- Norway's parliament approved a fishing pact on Tuesday. "
        "The minister said the vote was a relief."
    )
    # archived on the 5th, written on the 4th (a Tuesday)
    found = dates(nlp, resolver, text, D(2019, 6, 5))
    assert found["approved"] == "2019-06-04 text"
    assert found["said"] == "2019-06-04 publication"


def test_dateline_weekdays_count_from_the_dateline_day(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "LIMA, March 1 (Andes Wire) -- Miners blocked a highway on Sunday."
    # written Friday 1 March 2019, archived Sunday 3 March: the Sunday before
    assert dates(nlp, resolver, text, D(2019, 3, 3))["blocked"] == "2019-02-24 text"


def test_dateline_date_is_not_a_date_of_the_first_sentence(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "ACCRA, May 2 -- The unions have called a strike. Teachers joined it."
    found = dates(nlp, resolver, text, D(2019, 5, 3))
    assert found["called"] == "2019-05-02 publication"


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("ACCRA, May 2 -- The unions called a strike.", D(2019, 5, 20)),  # too old
        ("ACCRA, May 9 -- The unions called a strike.", D(2019, 5, 3)),  # after publication
        ("ACCRA (Wire) -- The unions called a strike on May 2.", D(2019, 5, 3)),  # no date in it
        ("The unions called a strike on May 2 -- a first.", D(2019, 5, 3)),  # no place opens it
    ],
)
def test_dateline_not_taken(
    nlp: Language, resolver: DateResolver, text: str, published: dt.date
) -> None:
    doc = nlp(text)
    assert resolver.dateline(doc, published) is None
    assert resolver.for_document(doc, published).published == published


def test_dateline_year_before_publication_at_new_year(resolver: DateResolver) -> None:
    text = "KYIV, December 31 -- Fireworks lit the sky."
    found = find_dateline(text, resolver.expressions, D(2020, 1, 1))
    assert found is not None
    assert found.day == D(2019, 12, 31)
    assert text[found.end :].startswith("Fireworks")


def test_dateline_closed_by_a_spaced_hyphen(resolver: DateResolver) -> None:
    text = "NAIROBI, Jan 5 (Wire) - Traders shut their stalls."
    found = find_dateline(text, resolver.expressions, D(2020, 1, 6))
    assert found is not None and found.day == D(2020, 1, 5)
    assert text[found.end :].startswith("Traders")
