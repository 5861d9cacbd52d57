"""Argument and polarity mechanisms of issue 18 on the built-in coder, in our own sentences.

Each construction has a positive case (the mechanism applies) and a negative
case (a near sentence where it must not).
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from dyadwatch.coder.arguments import ArgumentWords
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.modality import load_clause_knowledge, read_clause
from dyadwatch.model import Event

DAY = dt.date(2021, 5, 4)
Triple = tuple[str, str | None, str]


def coded(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, DAY)


def triples(events: list[Event]) -> set[Triple]:
    return {(e.source.code, e.target.code if e.target else None, e.cameo) for e in events}


def pairs(events: list[Event]) -> set[tuple[str, str | None]]:
    return {(e.source.code, e.target.code if e.target else None) for e in events}


def roots(events: list[Event]) -> set[str]:
    return {e.cameo[:2] for e in events}


# -- money, units and origins are not actors -----------------------------------------


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [
        (
            "Japan has invested over $40 billion U.S. dollars in the growth of Kenya's ports.",
            ("JPN", "KEN"),
            ("JPN", "USA"),
        ),
        (
            "Norway lent 300 million Saudi riyals to Jordan in March.",
            ("NOR", "JOR"),
            ("NOR", "SAU"),
        ),
        ("Canada lent 200 million euros to Ghana.", ("CAN", "GHA"), ("CAN", "IGOEEC")),
    ],
)
def test_argument_mechanisms_currency_is_not_a_target(
    builtin_coder: Coder, text: str, wanted: tuple[str, str], unwanted: tuple[str, str]
) -> None:
    found = pairs(coded(builtin_coder, text))
    assert wanted in found
    assert unwanted not in found


def test_argument_mechanisms_origin_word_is_not_an_actor(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Kenyan police seized a Turkish-made pistol from the gang.")
    assert all(e.target is None or e.target.country != "TUR" for e in events)


def test_argument_mechanisms_country_owning_the_thing_still_counts(builtin_coder: Coder) -> None:
    # Negative case: a country that is the party itself, not a currency's or origin's.
    found = pairs(coded(builtin_coder, "Norway lent money to Jordan's government in March."))
    assert any(source == "NOR" and (target or "").startswith("JOR") for source, target in found)


def test_argument_mechanisms_agent_adjective_of_aid_is_no_actor(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Washington suspended military aid to Egypt.")
    assert ("USA", "EGY", "1622") in triples(events)
    assert all(
        e.source.code != "MIL" and (e.target is None or e.target.code != "MIL") for e in events
    )


def test_argument_mechanisms_agent_noun_still_acts(builtin_coder: Coder) -> None:
    # Negative case: "the military" is an actor when it is the head, not a kind of aid.
    events = coded(builtin_coder, "Egypt's military attacked rebels in Sinai.")
    assert any(e.source.code.startswith("EGYMIL") for e in events)


# -- infinitival and relative clauses ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "In 2016 Chile was the first nation to condemn Peru over the border dispute.",
            ("CHL", "PER"),
        ),
        ("The country that condemned Peru was Chile.", ("CHL", "PER")),
        ("Chile, which condemned Peru last week, called for talks.", ("CHL", "PER")),
    ],
)
def test_argument_mechanisms_clause_subject_is_the_noun_it_modifies(
    builtin_coder: Coder, text: str, wanted: tuple[str, str]
) -> None:
    assert wanted in pairs(coded(builtin_coder, text))


def test_argument_mechanisms_complementiser_that_is_no_relative(builtin_coder: Coder) -> None:
    # Negative case: "that" opening a reported clause stands for no noun.
    found = pairs(coded(builtin_coder, "Chile said that Peru attacked Bolivia."))
    assert ("PER", "BOL") in found
    assert all(source != "CHL" or target != "BOL" for source, target in found)


def test_argument_mechanisms_copula_without_clause_codes_nothing(builtin_coder: Coder) -> None:
    assert coded(builtin_coder, "Chile was the first nation in the region.") == []


# -- turn to X for Y ----------------------------------------------------------------------


def test_argument_mechanisms_turn_to_for_is_an_appeal(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Nairobi turned to Japan for military assistance.")
    assert ("KEN", "JPN", "0232") in triples(events)
    assert "07" not in roots(events)  # asked for, not given


def test_argument_mechanisms_turn_to_without_for_is_no_appeal(builtin_coder: Coder) -> None:
    assert "02" not in roots(coded(builtin_coder, "Kenya turned to Japan in the final."))


# -- motions, resolutions and votes ------------------------------------------------------


def test_argument_mechanisms_motion_to_list_a_country(builtin_coder: Coder) -> None:
    text = "Germany forwarded a motion to place Iran on a terrorism financing watch-list."
    events = [e for e in coded(builtin_coder, text) if (e.source.code, e.cameo) == ("DEU", "163")]
    assert [e.target.code if e.target else None for e in events] == ["IRN"]
    assert events[0].modality.hypothetical  # proposed, not done


def test_argument_mechanisms_listing_done_is_asserted(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Germany placed Iran on a grey list.")
    listed = [e for e in events if e.cameo == "163"]
    assert listed and not listed[0].modality.hypothetical


def test_argument_mechanisms_resolution_acts_through_its_author(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "France tabled a resolution condemning Syria at the meeting.")
    assert ("FRA", "SYR") in pairs(events)


def test_argument_mechanisms_vote_against(builtin_coder: Coder) -> None:
    assert ("GBR", "RUS", "120") in triples(coded(builtin_coder, "Britain voted against Russia."))
    assert "12" not in roots(coded(builtin_coder, "Britain voted in the election."))


# -- reversal verbs over cooperative nouns ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Washington suspended military aid to Egypt.", "1622"),
        ("Canada withdrew its economic aid to Haiti.", "1621"),
        ("Japan halted talks with North Korea.", "164"),
        ("Russia froze cooperation with NATO.", "160"),
        ("India cut ties with Pakistan.", "161"),
        ("Japan's suspension of aid to Myanmar angered the generals.", "162"),
    ],
)
def test_argument_mechanisms_reversal_codes_the_reduction(
    builtin_coder: Coder, text: str, code: str
) -> None:
    events = coded(builtin_coder, text)
    assert code in {e.cameo for e in events}
    assert roots(events) & {"03", "04", "05", "06", "07"} == set()


def test_argument_mechanisms_aid_including_more_aid_is_all_reduced(builtin_coder: Coder) -> None:
    text = "The Dutch government said it would suspend all aid to Kenya, including food aid."
    events = coded(builtin_coder, text)
    assert "1311" in {e.cameo for e in events}  # a stated intent to stop aid
    assert roots(events) & {"03", "07"} == set()


def test_argument_mechanisms_aid_drying_up_is_a_reduction(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "As Japanese military aid dried up, Laos looked elsewhere.")
    assert ("JPN", None, "1622") in triples(events)
    assert "07" not in roots(events)


def test_argument_mechanisms_threat_to_cut_aid(builtin_coder: Coder) -> None:
    for text in (
        "Germany threatened to cut military aid to Turkey.",
        "Germany's threats to cut military aid to Turkey angered Ankara.",
    ):
        events = coded(builtin_coder, text)
        assert ("DEU", "TUR", "1311") in triples(events), text
        assert roots(events) & {"03", "07"} == set(), text


def test_argument_mechanisms_resumed_aid_stays_aid(builtin_coder: Coder) -> None:
    # Negative cases: no reversal, so the cooperation is coded.
    assert "07" in roots(coded(builtin_coder, "Washington resumed military aid to Egypt."))
    assert "04" in roots(coded(builtin_coder, "Japan held talks with North Korea."))


def test_argument_mechanisms_reversal_of_a_conflict_is_not_a_reduction(
    builtin_coder: Coder,
) -> None:
    assert "16" not in roots(coded(builtin_coder, "Russia halted its offensive against Ukraine."))


# -- the knowledge behind them ---------------------------------------------------------------


def test_argument_mechanisms_words_come_from_clauses_yaml() -> None:
    words = load_clause_knowledge().arguments
    assert {"dollars", "riyals"} <= words.measures
    assert "made" in words.origins and "aid" in words.things
    assert "which" in words.relatives and "motion" in words.authored


def test_argument_mechanisms_words_reject_a_non_list() -> None:
    with pytest.raises(TypeError):
        ArgumentWords.of({"measures": "dollars"})


def test_argument_mechanisms_noun_controls_infinitive(nlp: Language) -> None:
    clauses = load_clause_knowledge()
    doc = nlp("Germany issued threats to cut aid to Turkey.")
    reading = read_clause(doc[4], clauses)
    assert (reading.control, reading.hypothetical) == ("threat", True)
    assert reading.controller is not None and reading.controller.text == "threats"
    plain = read_clause(nlp("Germany cut aid to Turkey.")[1], clauses)
    assert plain.control is None and not plain.hypothetical


# -- the source's own forces are no target ------------------------------------------------


def test_argument_mechanisms_own_army_is_no_target(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Chile mobilized the army for a ground assault against Bolivia.")
    assert ("CHL", "BOL", "154") in triples(events)
    assert all(e.target is None or e.target.code != "MIL" for e in events)


def test_argument_mechanisms_soldiers_attacked_by_a_countryless_doer_stay_targets(
    builtin_coder: Coder,
) -> None:
    # Negative case: with no source country the soldiers are not anyone's "own".
    assert ("COP", "MIL", "190") in triples(coded(builtin_coder, "Police attacked soldiers."))


def test_argument_mechanisms_reported_obligation_on_a_reversal_verb(builtin_coder: Coder) -> None:
    # "stop" and "reduce" are reversal heads now; with no object they match, a
    # reported "must" still makes them a demand.
    events = coded(builtin_coder, "Chile said Peru must reduce its forces.")
    assert ("CHL", "PER", "100") in triples(events)


# -- the object of a verb, as the parser hides it ---------------------------------------


def test_argument_mechanisms_raised_object_is_the_target(builtin_coder: Coder) -> None:
    # "allow X to land": the parser makes X the infinitive's subject.
    events = coded(builtin_coder, "Peru refused to allow the Chilean airline to land its planes.")
    assert ("PER", "CHL") in pairs(events)


def test_argument_mechanisms_object_before_infinitive_stays_the_object(
    builtin_coder: Coder,
) -> None:
    # Negative case: a real object keeps the role ("urged Chile to ..." is CHL already),
    # and the infinitive's own object is not pulled up ("agreed to export copper").
    events = coded(builtin_coder, "Norway agreed to sell salmon to Japan.")
    assert all(e.target is None or e.target.code != "NOR" for e in events)
    assert ("NOR", "JPN") in pairs(events)


def test_argument_mechanisms_what_the_object_is_of_is_the_target(builtin_coder: Coder) -> None:
    # "suspended the publication *of* X": the object names no party, what it is
    # of does (here of the source's own country, which no later guess may take).
    text = "Kenyan authorities suspended the publication of Kenya's largest newspaper."
    assert ("KENGOV", "KENMED") in pairs(coded(builtin_coder, text))


def test_argument_mechanisms_object_that_names_a_party_keeps_it(builtin_coder: Coder) -> None:
    # Negative case: the object itself is an actor; its "of" phrase is no rival.
    events = coded(builtin_coder, "Norway criticised the government of Chile.")
    assert {p for p in pairs(events) if p[0] == "NOR"} == {("NOR", "CHLGOV")}


# -- an event noun as the object of another verb -----------------------------------------


def _events_of(events: list[Event], root: str) -> list[Event]:
    return [e for e in events if e.cameo.startswith(root)]


def test_argument_mechanisms_noun_event_keeps_its_own_doer_and_target(
    builtin_coder: Coder,
) -> None:
    # The strike's doer is its "by" phrase, not the "drone" that says how it was
    # done, and not the country that condemned it.
    text = "Pakistan condemned the drone strike by the United States on Pakistani tribesmen."
    events = coded(builtin_coder, text)
    assert ("PAK", "USA") in pairs(_events_of(events, "11"))
    assert pairs(_events_of(events, "19")) == {("USA", "PAKCVL")}


def test_argument_mechanisms_a_verb_that_speaks_of_an_act_did_not_do_it(
    builtin_coder: Coder,
) -> None:
    events = coded(builtin_coder, "Chile protested the arrest of a Peruvian diplomat.")
    arrests = _events_of(events, "17")
    assert arrests, "the arrest is still an event"
    assert all(e.source.code != "CHL" for e in arrests)
    assert all(e.target is not None and e.target.code == "PERGOV" for e in arrests)


def test_argument_mechanisms_a_light_verb_carries_its_noun(builtin_coder: Coder) -> None:
    # Negative case: "launched", "carried out" do the act they name, and the
    # noun's target may hang on the verb ("launched air strikes *on* X").
    assert ("IND", "PAK") in pairs(
        _events_of(coded(builtin_coder, "India launched air strikes on Pakistan."), "19")
    )
    events = coded(builtin_coder, "Kenya carried out an attack on Somali militants.")
    assert ("KEN", "SOMINS") in pairs(_events_of(events, "19"))


def test_argument_mechanisms_unnamed_doer_against_an_unknown_target(
    builtin_coder: Coder,
) -> None:
    # Two parties no dictionary knows are still two parties.
    events = _events_of(coded(builtin_coder, "Iran denied the attack on the tanker."), "19")
    assert [(e.source.code, e.target.text if e.target else None) for e in events] == [
        ("---", "tanker")
    ]


def test_argument_mechanisms_apposition_evidence_spans_the_name(builtin_coder: Coder) -> None:
    text = "Norway expelled Olav Berg, a Russian diplomat, on Monday."
    events = [e for e in coded(builtin_coder, text) if e.source.code == "NOR"]
    assert events
    event = events[0]
    assert event.target is not None and event.target.country == "RUS"
    span = event.evidence.target
    assert span is not None and "Olav Berg" in text[span[0] : span[1]]


# -- who suffered a strike, who did it ---------------------------------------------------


def _violence(events: list[Event]) -> list[Event]:
    return [e for e in events if e.cameo[:2] in ("18", "19", "20")]


def test_argument_mechanisms_killed_in_a_strike_names_the_victim(builtin_coder: Coder) -> None:
    # A headline with no count: the commander named before "killed in a strike"
    # suffered it, and the doer is unnamed.
    text = "Named Somali commander killed with six others in strike on Jilib."
    events = _violence(coded(builtin_coder, text))
    assert events
    assert all(e.source.code == "---" for e in events)
    assert any(e.target is not None and e.target.code == "SOMMIL" for e in events)


def test_argument_mechanisms_killed_in_a_strike_with_an_object_acts(builtin_coder: Coder) -> None:
    # Negative case: with an object, the subject did the killing.
    events = _violence(coded(builtin_coder, "Kenyan troops killed ten militants in an attack."))
    assert any(e.source.code == "KENMIL" for e in events)


def test_argument_mechanisms_reported_killed_is_passive(builtin_coder: Coder) -> None:
    events = _violence(coded(builtin_coder, "Two policemen were reported killed by the militants."))
    assert ("INS", "COP") in pairs(events)
    assert all(e.source.code != "COP" for e in events)


def test_argument_mechanisms_agent_without_auxiliary_is_passive(builtin_coder: Coder) -> None:
    # "had X pounded by Y": Y acted, whatever the parser calls X.
    events = _violence(
        coded(builtin_coder, "The farmer had his barn pounded by two Ethiopian mortars.")
    )
    assert events
    assert all(e.source.country == "ETH" for e in events)
    assert all(e.target is None or e.target.country != "ETH" for e in events)


def test_argument_mechanisms_victims_are_no_own_forces(builtin_coder: Coder) -> None:
    # "Five soldiers killed in a Taliban attack": the soldiers are the victims,
    # though named without a country.
    events = _violence(coded(builtin_coder, "Five soldiers killed in a Taliban attack."))
    assert any(e.target is not None and e.target.code == "MIL" for e in events)


# -- a mutual event's topic is not its other party --------------------------------------


def test_argument_mechanisms_topic_of_a_mutual_event_is_no_partner(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Chile and Peru agreed to share information on Bolivia.")
    assert {("CHL", "PER"), ("PER", "CHL")} <= pairs(events)
    assert ("CHL", "BOL") not in pairs(events)


def test_argument_mechanisms_partner_of_coordinated_sources_stays(builtin_coder: Coder) -> None:
    # Negative case: "a treaty *with* X" names the other party.
    events = coded(builtin_coder, "Chile and Peru signed a treaty with Bolivia.")
    assert {("CHL", "BOL"), ("PER", "BOL")} <= pairs(events)
    assert ("CHL", "PER") not in pairs(events)
