"""Issue 3, "Bad input": through the full coder, nonsense dates, numbers that
are not casualties and people named like places do not become wrong fields."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Document, Event, Range

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2010, 3, 5)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder.builtin()


def code(coder: Coder, text: str) -> list[Event]:
    return coder.code_document(Document("issue3", text, PUBLISHED))


@pytest.mark.parametrize(
    "text",
    [
        "On February 30, a US drone strike killed four people in Wana.",
        "A US drone strike killed four people in Wana on 30 February 2010.",
        "A US drone strike killed four people in Wana on 31/04/2010.",
    ],
)
def test_issue3_fields_impossible_date_falls_back_to_publication(coder: Coder, text: str) -> None:
    events = code(coder, text)
    assert events
    for event in events:
        assert event.date == PUBLISHED
        assert event.date_precision == "day"
        assert event.date_range is None


def test_issue3_fields_money_is_not_a_casualty_figure(coder: Coder) -> None:
    text = "Militants attacked workers on the 60-billion-dollar corridor, killing two."
    events = code(coder, text)
    killed = [e.size.killed for e in events if e.size is not None and e.size.killed is not None]
    assert killed == [Range(2, 2)] * len(killed) and killed
    calm = code(coder, "Pakistan and China signed a 60-billion-dollar corridor agreement.")
    assert calm and all(e.size is None for e in calm)


def test_issue3_fields_a_year_is_neither_a_toll_nor_the_event_date(coder: Coder) -> None:
    events = code(coder, "India attacked militant camps after the 1998 tests, killing 12 people.")
    assert events
    for event in events:
        assert event.size is not None and event.size.killed == Range(12, 12)
        assert event.date == PUBLISHED
    condemned = code(coder, "Pakistan condemned the 1998 tests.")
    assert condemned and all(e.size is None and e.date == PUBLISHED for e in condemned)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Mir Ali said the army killed six militants in Miranshah.", "Miran Shah"),
        ("Imran Khan condemned the drone strike that killed four people.", None),
        ("Police arrested Sharif in May.", None),
    ],
)
def test_issue3_fields_people_named_like_places_are_not_places(
    coder: Coder, text: str, place: str | None
) -> None:
    events = code(coder, text)
    assert events
    names = {e.location.name for e in events if e.location is not None}
    assert names == ({place} if place else set())


def test_issue3_fields_month_name_dates_but_does_not_locate(coder: Coder) -> None:
    (event,) = code(coder, "Police arrested Sharif in May.")
    assert (event.date, event.date_precision) == (dt.date(2009, 5, 1), "month")
    assert event.size is not None and event.size.arrested == Range(1, 1)
