"""Tying places to events, choosing among readings, and what must not be a place."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.geo import (
    Gazetteer,
    PlaceContext,
    PlaceResolver,
    choose,
    document_focus,
    find_mentions,
)
from dyadwatch.geo.resolve import far_reaching
from dyadwatch.model import Location


def token(doc: Doc, text: str) -> Token:
    return next(t for t in doc if t.text == text)


def names(nlp: Language, gazetteer: Gazetteer, text: str) -> list[str]:
    doc = nlp(text)
    return [m.text for sent in doc.sents for m in find_mentions(sent, gazetteer)]


def locate(
    nlp: Language, resolver: PlaceResolver, text: str, trigger: str, *countries: str
) -> Location | None:
    doc = nlp(text)
    return resolver.locate(token(doc, trigger), PlaceContext.of(countries, countries))


def reading(gazetteer: Gazetteer, name: str, *countries: str) -> tuple[str | None, str | None]:
    place = choose(gazetteer, gazetteer.lookup(name), PlaceContext.of(countries))
    assert place is not None
    return place.country, place.adm1


# Attachment -----------------------------------------------------------------


def test_resolve_prepositional_phrase_on_the_subject(
    nlp: Language, resolver: PlaceResolver
) -> None:
    found = locate(nlp, resolver, "A drone strike in North Waziristan killed four.", "killed")
    assert found is not None and found.name == "North Waziristan"
    assert (found.country, found.adm1, found.precision) == ("PAK", "PK-KP", "city")


def test_resolve_near_a_town(nlp: Language, resolver: PlaceResolver) -> None:
    found = locate(nlp, resolver, "The strike near Miramshah killed five.", "strike")
    assert found is not None and found.name == "Miran Shah"


def test_resolve_x_based(nlp: Language, resolver: PlaceResolver) -> None:
    found = locate(nlp, resolver, "The Peshawar-based group claimed the attack.", "claimed")
    assert found is not None and found.name == "Peshawar" and found.adm1 == "PK-KP"


def test_resolve_apposition_refines_nothing_less_precise(
    nlp: Language, resolver: PlaceResolver
) -> None:
    text = "A US drone strike killed four militants in Datta Khel, North Waziristan on Monday."
    found = locate(nlp, resolver, text, "killed")
    assert found is not None and found.name == "Datta Khel"


def test_resolve_possessive_country_yields_to_its_district(
    nlp: Language, resolver: PlaceResolver
) -> None:
    found = locate(nlp, resolver, "A strike in Pakistan's North Waziristan killed four.", "killed")
    assert found is not None and found.name == "North Waziristan"


def test_resolve_country_gives_country_precision(nlp: Language, resolver: PlaceResolver) -> None:
    found = locate(nlp, resolver, "A drone strike in Pakistan killed six.", "killed")
    assert found is not None and (found.country, found.precision) == ("PAK", "country")


def test_resolve_place_noun_of_town(nlp: Language, resolver: PlaceResolver) -> None:
    text = "At least ten people were killed when drones struck the town of Radda."
    found = locate(nlp, resolver, text, "killed", "YEM")
    assert found is not None and found.adm1 == "YE-BA"


def test_resolve_falls_back_to_nearest_then_focus(nlp: Language, resolver: PlaceResolver) -> None:
    doc = nlp("Four people died. Later, officials visited Wana.")
    focus = Location("Mir Ali", "PAK", "PK-KP", 32.96, 70.29, "city")
    context = PlaceContext.of(["PAK"], focus=focus)
    assert resolver.locate(token(doc, "died"), context) == focus
    found = resolver.locate(token(doc, "visited"), context)
    assert found is not None and found.name == "Wana"


def test_resolve_vague_place_yields_to_focus_inside_it(
    nlp: Language, resolver: PlaceResolver
) -> None:
    doc = nlp("A drone strike in Pakistan killed six.")
    focus = Location("Mir Ali", "PAK", "PK-KP", 32.96, 70.29, "city")
    assert resolver.locate(token(doc, "killed"), PlaceContext.of(focus=focus)) == focus


def test_resolve_no_place_gives_none(nlp: Language, resolver: PlaceResolver) -> None:
    assert locate(nlp, resolver, "Eight people were reported killed.", "killed") is None


def test_resolve_document_focus_prefers_the_specific_place(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    doc = nlp(
        "The US struck Pakistan again. Officials in Pakistan said the drone hit a house "
        "in North Waziristan. Pakistan protested."
    )
    focus = document_focus(doc, gazetteer, ["PAK"])
    assert focus is not None and focus.name == "North Waziristan"
    assert document_focus(nlp("Nothing happened."), gazetteer) is None


# Disambiguation ---------------------------------------------------------------


def test_resolve_punjab_by_country_context(gazetteer: Gazetteer) -> None:
    assert reading(gazetteer, "Punjab", "PAK") == ("PAK", "PK-PB")
    assert reading(gazetteer, "Punjab", "IND") == ("IND", "IN-PB")
    assert reading(gazetteer, "Punjab") == ("PAK", "PK-PB")  # the more populous


def test_resolve_jalalabad_in_an_afghan_story(gazetteer: Gazetteer) -> None:
    assert reading(gazetteer, "Jalalabad", "AFG") == ("AFG", "AF-NAN")
    assert reading(gazetteer, "Jalalabad", "IND") == ("IND", "IN-PB")


def test_resolve_hyderabad_by_country_context(gazetteer: Gazetteer) -> None:
    assert reading(gazetteer, "Hyderabad", "PAK") == ("PAK", "PK-SD")
    assert reading(gazetteer, "Hyderabad", "IND") == ("IND", "IN-TS")


def test_resolve_kashmir_by_story(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Troops clashed with militants in Kashmir."
    pakistan = locate(nlp, resolver, text, "clashed", "PAK")
    india = locate(nlp, resolver, text, "clashed", "IND")
    neither = locate(nlp, resolver, text, "clashed")
    assert pakistan is not None and pakistan.adm1 == "PK-JK"
    assert india is not None and india.adm1 == "IN-JK"
    assert neither is not None and (neither.name, neither.country) == ("Kashmir", None)
    assert neither.precision == "adm1"


def test_resolve_sentence_places_set_the_context(nlp: Language, resolver: PlaceResolver) -> None:
    found = locate(nlp, resolver, "Police fired on protesters in Hyderabad, Sindh.", "fired")
    assert found is not None and found.adm1 == "PK-SD"


def test_resolve_city_wins_over_province_of_same_name(gazetteer: Gazetteer) -> None:
    place = choose(gazetteer, gazetteer.lookup("Khost"), PlaceContext.of(["AFG"]))
    assert place is not None and place.kind == "city" and place.adm1 == "AF-KHO"


def test_resolve_small_town_abroad_is_implausible(gazetteer: Gazetteer) -> None:
    # "Zharki" is an alternate name of Żarki, Poland: not in a Pakistan story.
    assert choose(gazetteer, gazetteer.lookup("Zharki"), PlaceContext.of(["PAK"])) is None
    assert choose(gazetteer, gazetteer.lookup("Zharki"), PlaceContext()) is not None


def test_resolve_far_reaching_actors_do_not_bound_the_story(gazetteer: Gazetteer) -> None:
    # "A US drone killed 13 people in Datta Khel": a US actor says nothing of where.
    place = choose(gazetteer, gazetteer.lookup("Datta Khel"), PlaceContext.of(["USA"]))
    assert place is not None and (place.country, place.adm1) == ("PAK", "PK-KP")
    # ... but a local country still does.
    assert choose(gazetteer, gazetteer.lookup("Datta Khel"), PlaceContext.of(["POL"])) is None
    assert choose(gazetteer, gazetteer.lookup("Zharki"), PlaceContext.of(["USA", "PAK"])) is None


def test_resolve_far_reaching_table_holds_iso_codes() -> None:
    codes = far_reaching()
    assert "USA" in codes and "PAK" not in codes
    assert all(len(code) == 3 and code.isupper() for code in codes)


def test_resolve_place_beside_a_foreign_town_keeps_its_country(
    nlp: Language, resolver: PlaceResolver
) -> None:
    # Zharki is only a Polish town in GeoNames; North Waziristan sets the sentence's country.
    doc = nlp("A US strike hit a house in Zharki, North Waziristan.")
    location = resolver.locate(doc[2], PlaceContext.of(["USA"], ["USA"]))
    assert location is not None and location.country == "PAK"


# What must not become a place -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Imran Khan said the talks would go on.",
        "Nawaz Sharif met Imran Khan on Monday.",
        "Trump said Bush was wrong about Ali.",
        "Mir Ali said the army would stay.",
        "Police arrested six men in May.",
        "Army chiefs met on Monday.",
        "Mohammed Ahmed was killed in a raid.",
        "The men were killed in a Toyota.",
        "The Pakistan Army denied the report.",
        "Sheikh Mohammed visited the troops.",
    ],
)
def test_resolve_person_names_and_common_words_are_not_places(
    nlp: Language, gazetteer: Gazetteer, text: str
) -> None:
    assert names(nlp, gazetteer, text) == []


def test_resolve_person_name_beside_a_real_place(nlp: Language, gazetteer: Gazetteer) -> None:
    text = "Imran Khan visited Peshawar after the strike near Mir Ali."
    assert names(nlp, gazetteer, text) == ["Peshawar", "Mir Ali"]


def test_resolve_sentence_initial_word_is_not_a_place(nlp: Language, gazetteer: Gazetteer) -> None:
    assert names(nlp, gazetteer, "A US drone strike killed four in Wana.") == ["Wana"]


def test_resolve_context_of_counts(gazetteer: Gazetteer) -> None:
    context = PlaceContext.of(["PAK", "PAK", "AFG"], ["AFG"])
    pakistan = gazetteer.by_code("PAK")
    afghanistan = gazetteer.by_code("AFG")
    assert pakistan is not None and afghanistan is not None
    assert context.weight(afghanistan) > context.weight(pakistan) > 0
    assert context.countries() == {"PAK", "AFG"}
    assert PlaceContext().countries() == frozenset()


def test_resolve_direction_shares_the_rest_of_a_coordinated_name(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    text = "Drones struck a car in the borderlands of North and South Waziristan."
    assert names(nlp, gazetteer, text) == ["North Waziristan", "South Waziristan"]
    assert "North" not in names(nlp, gazetteer, "Rain fell in the North and the South.")


def test_resolve_town_lies_in_the_place_named_after_it(
    nlp: Language, resolver: PlaceResolver
) -> None:
    text = "Six militants were killed in a strike on a house in Norak, Mir Ali, North Waziristan."
    found = locate(nlp, resolver, text, "strike", "USA", "TJK")
    assert found is not None and (found.name, found.country) == ("Mir Ali", "PAK")
    alone = locate(nlp, resolver, "A strike hit a house in Norak.", "strike", "TJK")
    assert alone is not None and alone.country == "TJK"


def test_resolve_lower_case_article_starts_a_name(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Three men died when a drone hit their car near the town of al-Saeed on Monday."
    found = locate(nlp, resolver, text, "hit", "YEM")
    assert found is not None and found.adm1 == "YE-SH"
