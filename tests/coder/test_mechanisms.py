"""The coder's general mechanisms, each shown on a literal knowledge bundle.

Each test names the mechanism (docs/CODER.md) and uses a few hand-written
rules, so it does not depend on the size or wording of the built-in lexicon.
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from dyadwatch.actors.dictionary import ActorDictionary, AgentEntry
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.modality import load_clause_knowledge
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.model import Event
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover
from small_knowledge import SMALL_ACTORS, country, words

ACTORS = SMALL_ACTORS.merged(
    ActorDictionary.of(
        [country("Libya", "LBY"), country("Britain", "GBR"), country("Iran", "IRN")],
        [
            AgentEntry("police", "COP"),
            AgentEntry("people", "CVL"),
            AgentEntry("persons", "CVL"),
            AgentEntry("students", "EDU"),
            AgentEntry("protesters", "CVL"),
        ],
    )
)
RULES = (
    TriggerRule("attack", "190"),
    TriggerRule("kill", "190"),
    TriggerRule("die", "190"),
    TriggerRule("firing", "175", pos="NOUN"),
    TriggerRule("fire", "175"),
    TriggerRule("strike", "195", pos="NOUN", before=(words("drone"),)),
    TriggerRule("arrest", "173"),
    TriggerRule("meet", "040"),
    TriggerRule("attend", "043"),
    TriggerRule("withdraw", "0874"),
    TriggerRule("release", "0841"),
    TriggerRule("urge", "020"),
    TriggerRule("demonstrate", "141"),
    TriggerRule("announce", "010"),
    TriggerRule("boycott", "143"),
    TriggerRule("shoot", "190"),
)


@pytest.fixture(scope="module")
def coder(nlp: Language) -> Coder:
    knowledge = Knowledge(ACTORS, RULES, load_clause_knowledge(), load_cameo(), load_plover())
    return Coder(nlp, knowledge)


def triples(events: list[Event]) -> set[tuple[str, str | None, str]]:
    return {(e.source.code, e.target.code if e.target else None, e.cameo) for e in events}


def code(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, dt.date(2019, 3, 1))


def test_mechanisms_cause_phrase_names_the_doer(coder: Coder) -> None:
    found = triples(code(coder, "Two people were killed in police firing."))
    assert ("COP", "CVL", "190") in found


def test_mechanisms_reduced_relative_is_passive(coder: Coder) -> None:
    events = code(coder, "The toll includes six people killed in police firing.")
    assert ("COP", "CVL", "190") in triples(events)


def test_mechanisms_unaccusative_subject_is_the_target(coder: Coder) -> None:
    assert ("COP", "CVL", "190") in triples(code(coder, "Ten people died in police firing."))


def test_mechanisms_cause_of_a_counted_part_names_the_doer(coder: Coder) -> None:
    # "including N in X" and "N of them in X": the cause told of a part of the dead.
    including = "Eleven people died in the unrest, including four in police firing."
    assert ("COP", "CVL", "190") in triples(code(coder, including))
    of_them = "Thirty persons were killed in the riots, nine of them in police firing."
    assert ("COP", "CVL", "190") in triples(code(coder, of_them))
    clause = "Forty people died in the unrest, out of which eight were to police firing."
    assert ("COP", "CVL", "190") in triples(code(coder, clause))


def test_mechanisms_armed_force_on_an_unknown_cause_noun_is_the_doer(coder: Coder) -> None:
    # "police action" (or a misspelt "firing") is no lexicon word; the police still did it.
    assert ("COP", "CVL", "190") in triples(code(coder, "Five people died in police action."))
    unarmed = triples(code(coder, "Five people were killed in village quarrels."))
    assert not any(source == "COP" for source, _, _ in unarmed)


def test_mechanisms_ordered_force_happened_by_the_orderers_side(coder: Coder) -> None:
    # A command of violence told in the past was carried out (clauses.yaml, commands).
    gerund = "The police ordered shooting at the protesters."
    assert ("COP", "CVL", "190") in triples(code(coder, gerund))
    infinitive = "The mayor ordered the police to attack the protesters."
    assert ("COP", "CVL", "190") in triples(code(coder, infinitive))
    unreal = code(coder, "The police would order shooting at the protesters.")
    assert not [e for e in unreal if e.cameo == "190" and not e.modality.hypothetical]


def test_mechanisms_ordered_non_force_stays_a_request(coder: Coder) -> None:
    events = code(coder, "The mayor ordered the police to arrest the protesters.")
    assert not [e for e in events if e.cameo == "173" and not e.modality.hypothetical]


def test_mechanisms_death_without_cause_is_no_event(coder: Coder) -> None:
    assert code(coder, "Ten people died of cholera.") == []


def test_mechanisms_unnamed_doer_of_a_material_event(coder: Coder) -> None:
    events = code(coder, "More than 100 students were arrested on Monday.")
    assert [(e.source.code, e.evidence.source) for e in events if e.cameo == "173"] == [
        ("---", None)
    ]


def test_mechanisms_no_unnamed_doer_for_verbal_events(coder: Coder) -> None:
    assert code(coder, "A meeting was announced on Monday.") == []


def test_mechanisms_reported_would_is_future(coder: Coder) -> None:
    events = code(coder, "Pakistan said it would attend the meeting with India.")
    assert ("PAK", "IND", "036") in triples(events)


def test_mechanisms_negated_intention_is_a_refusal(coder: Coder) -> None:
    (event,) = code(coder, "Pakistan will not meet India.")
    assert (event.cameo, event.modality.negated) == ("125", False)


def test_mechanisms_conditional_future_is_hypothetical(coder: Coder) -> None:
    events = code(coder, "Pakistan said it would meet India if China agreed.")
    meet = [e for e in events if e.target and e.target.code == "IND"]
    assert meet and all(e.modality.hypothetical for e in meet)


def test_mechanisms_unless_makes_an_ultimatum(coder: Coder) -> None:
    events = code(coder, "Britain will withdraw from Libya unless Libya releases the prisoners.")
    assert ("GBR", "LBY", "139") in triples(events)


def test_mechanisms_reported_obligation_is_a_demand(coder: Coder) -> None:
    events = code(coder, "Britain said Libya must release the prisoners.")
    assert ("GBR", "LBY", "1053") in triples(events)


def test_mechanisms_obligation_without_trigger_is_a_plain_demand(coder: Coder) -> None:
    events = code(coder, "Britain said Libya must drop its claims.")
    assert ("GBR", "LBY", "100") in triples(events)


def test_mechanisms_request_is_refined_by_what_it_asks(coder: Coder) -> None:
    events = code(coder, "China urged India to release the pilot.")
    assert triples(events) == {("CHN", "IND", "0253")}


def test_mechanisms_statement_yields_to_its_content(coder: Coder) -> None:
    events = code(coder, "Iran announced that it will boycott the meeting with Britain.")
    codes = {e.cameo for e in events}
    assert "010" not in codes and codes


def test_mechanisms_adjectival_control_is_intent(coder: Coder) -> None:
    events = code(coder, "Pakistan is ready to meet India.")
    assert triples(events) == {("PAK", "IND", "036")}


def test_mechanisms_partitive_head_passes_to_its_object(coder: Coder) -> None:
    events = code(coder, "Thousands of students demonstrated in Pakistan.")
    assert {e.source.code for e in events} == {"EDU"}


def test_mechanisms_main_clause_event_is_more_confident(coder: Coder) -> None:
    events = code(coder, "Pakistan attacked India after China attacked Afghanistan.")
    by_source = {e.source.code: e.confidence for e in events}
    assert by_source["PAK"] > by_source["CHN"]


def test_mechanisms_petrarch_mode_keeps_codes_verbatim(nlp: Language) -> None:
    rules = (TriggerRule("attack", "212"),)
    knowledge = Knowledge(
        SMALL_ACTORS, rules, load_clause_knowledge(), load_cameo(), load_plover(),
        recode_intent=False,
    )  # fmt: skip
    (event,) = Coder(nlp, knowledge).code_text("India will attack Pakistan.")
    assert (event.cameo, event.goldstein, event.quad, event.plover) == ("212", None, None, None)


def test_mechanisms_reported_event_silences_the_statement(nlp: Language) -> None:
    rules = (*RULES, TriggerRule("say", "010"))
    knowledge = Knowledge(ACTORS, rules, load_clause_knowledge(), load_cameo(), load_plover())
    coder = Coder(nlp, knowledge)
    assert triples(code(coder, "Pakistan said India attacked Afghanistan.")) == {
        ("IND", "AFG", "190")
    }
    assert triples(code(coder, "Pakistan said the talks were useful.")) == {("PAK", None, "010")}


def _coder_with(nlp: Language, *extra: TriggerRule, actors: ActorDictionary = ACTORS) -> Coder:
    knowledge = Knowledge(
        actors, (*RULES, *extra), load_clause_knowledge(), load_cameo(), load_plover()
    )
    return Coder(nlp, knowledge)


def test_mechanisms_demand_with_a_that_clause_asks_its_subject(nlp: Language) -> None:
    coder = _coder_with(nlp, TriggerRule("demand", "100"))
    events = code(coder, "Britain demanded that Libya release the prisoners.")
    assert triples(events) == {("GBR", "LBY", "1053")}


def test_mechanisms_told_that_reports_rather_than_requests(nlp: Language) -> None:
    coder = _coder_with(nlp, TriggerRule("tell", "---"))
    events = code(coder, "Officials told reporters that India attacked Pakistan.")
    assert ("IND", "PAK", "190") in triples(events)


def test_mechanisms_stated_threat_is_factual(nlp: Language) -> None:
    coder = _coder_with(nlp, TriggerRule("threaten", "130"))
    (event,) = code(coder, "Iran threatened to attack Britain.")
    assert (event.cameo, event.modality.hypothetical) == ("1384", False)


def test_mechanisms_conditional_threat_stays_hypothetical(coder: Coder) -> None:
    events = code(coder, "Iran will attack Britain if Britain attacks Libya.")
    first = next(e for e in events if e.source.code == "IRN")
    assert first.modality.hypothetical


def test_mechanisms_place_of_a_meeting_is_not_a_party(coder: Coder) -> None:
    events = code(coder, "India and China met in Pakistan.")
    assert triples(events) == {("IND", "CHN", "040"), ("CHN", "IND", "040")}


def test_mechanisms_violence_in_a_country_is_done_to_it(coder: Coder) -> None:
    events = code(coder, "Troops attacked villages in Afghanistan.")
    assert {e.target.code for e in events if e.target} == {"AFG"}


def test_mechanisms_withdrawals_are_not_made_mutual(coder: Coder) -> None:
    events = code(coder, "India and China withdrew.")
    assert triples(events) == {("IND", None, "0874"), ("CHN", None, "0874")}


def test_mechanisms_they_recalls_the_group(coder: Coder) -> None:
    text = "India, Pakistan and China met on Monday. They will meet again in May."
    later = [e for e in code(coder, text) if e.sentence_index == 1]
    assert {e.source.code for e in later} == {"IND", "PAK", "CHN"}
    assert {e.cameo for e in later} == {"036"}


def test_mechanisms_apposition_names_the_actor(nlp: Language) -> None:
    actors = ACTORS.merged(ActorDictionary.of([country("United Nations", "IGOUNO", "igo")], []))
    coder = _coder_with(nlp, actors=actors)
    events = code(coder, "Kenzo Oshima, the United Nations coordinator, met India.")
    assert ("IGOUNO", "IND", "040") in triples(events)


def test_mechanisms_counted_deaths_beside_violence_keep_an_unknown_doer(coder: Coder) -> None:
    (event,) = code(coder, "Eight people died when troops attacked the village.")
    # One incident: the toll's reading is folded into the attack as an alternative.
    died = [a for a in event.alternatives if event.sentence[slice(*a.trigger)] == "died"]
    assert [(a.source, a.target) for a in died] == [("---", "CVL")]
    assert {event.sentence[slice(*m.trigger)] for m in event.mentions} == {"died", "attacked"}
    assert code(coder, "Eight people died when the house collapsed.") == []


def test_mechanisms_refused_act_without_refusal_code_did_not_happen(coder: Coder) -> None:
    events = code(coder, "The police failed to arrest the robbers.")
    arrests = [e for e in events if e.cameo == "173"]
    assert arrests and all(e.modality.negated for e in arrests)
    # "the robbers" names no known actor: an unknown target that keeps its words
    assert ("COP", "---", "173") in triples(arrests)


def test_mechanisms_cause_noun_before_its_event_word_is_the_doer(coder: Coder) -> None:
    # The small parser hangs "firing" on the verb, away from "police".
    events = code(coder, "Nine people died in police firing since Friday.")
    assert ("COP", "CVL", "190") in triples(events)


def test_mechanisms_detention_noun_in_a_side_position_happened(nlp: Language) -> None:
    rules = (*RULES, TriggerRule("arrest", "173", pos="NOUN"))
    knowledge = Knowledge(ACTORS, rules, load_clause_knowledge(), load_cameo(), load_plover())
    nouns = Coder(nlp, knowledge)
    events = code(nouns, "After the arrests of the two smugglers, the police raised the alert.")
    assert [e.source.code for e in events if e.cameo == "173"] == ["---"]
    warrants = code(nouns, "The court issued arrest warrants against the two smugglers.")
    assert [e for e in warrants if e.cameo == "173"] == []
