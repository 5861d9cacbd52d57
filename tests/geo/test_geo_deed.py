"""Places of the deed, not of the doer (issue 24): a country naming who struck is
never where the strike happened."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.geo import PlaceContext, PlaceResolver
from dyadwatch.geo.resolve import doer_tokens

DAY = dt.date(2013, 4, 9)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("A drone strike by the United States killed three farmers.", "killed"),
        ("United States forces launched an airstrike that killed six men.", "killed"),
        ("Four shepherds were killed by the United States in a drone strike.", "strike"),
    ],
)
def test_geo_deed_doer_country_is_not_the_place(
    nlp: Language, resolver: PlaceResolver, text: str, trigger: str
) -> None:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    assert any(doc[i].text == "States" for i in doer_tokens(token))
    context = PlaceContext.of(["USA"], ["USA"])
    assert resolver.locate(token, context, deed=True) is None
    # Without the deed rule the same name is read as the place.
    located = resolver.locate(token, context)
    assert located is not None and located.country == "USA"


def test_geo_deed_keeps_the_place_struck(nlp: Language, resolver: PlaceResolver) -> None:
    doc = nlp("American jets bombed a bridge in Afghanistan.")
    token = next(t for t in doc if t.text == "bombed")
    place = resolver.locate(token, PlaceContext.of(["USA", "AFG"]), deed=True)
    assert place is not None and place.country == "AFG"


@pytest.mark.parametrize(
    "text",
    [
        "A drone strike by the United States killed three farmers.",
        "United States forces launched an airstrike that killed six men.",
        "A suspected U.S. drone strike killed two people on Tuesday.",
        "Saudi jets bombed a wedding party, killing 20 guests.",
    ],
)
def test_geo_deed_coded_strikes_are_not_placed_at_home(builtin_coder: Coder, text: str) -> None:
    events = [e for e in builtin_coder.code_text(text, DAY) if e.cameo_root in ("18", "19")]
    assert events
    for event in events:
        assert event.location is None or event.location.country not in ("USA", "SAU")
        assert event.target is None or event.target.country not in ("USA", "SAU")
