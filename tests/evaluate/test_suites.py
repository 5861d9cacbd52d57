"""Mapping hand-built events into the suites' label spaces."""

from __future__ import annotations

import dataclasses

import pytest

from dyadwatch.errors import EvaluationError
from dyadwatch.evaluate.suites import (
    CASE_FALLBACK,
    CASE_LABELS,
    actor_countries,
    best_event,
    case_label,
    drone_predict,
    ipe_labels,
    is_air_strike,
    is_air_violence,
    load_case_table,
    load_ipe_rules,
    parse_case_table,
    parse_ipe_rules,
    penta_of,
    penta_predict,
    plover_mode_predict,
    plover_predict,
)
from dyadwatch.model import (
    Actor,
    Coding,
    Event,
    Evidence,
    Location,
    Modality,
    PloverCode,
    Range,
    Size,
)

SENTENCE = "Police shot dead two men near the market."


def event(
    cameo: str,
    plover: str = "ASSAULT",
    mode: str | None = None,
    *,
    source: Actor | None = None,
    target: Actor | None = None,
    confidence: float = 0.5,
    negated: bool = False,
    hypothetical: bool = False,
    trigger: tuple[int, int] = (7, 16),
    size: Size | None = None,
    location: Location | None = None,
    sentence: str = SENTENCE,
) -> Event:
    return Event(
        id=f"e{cameo}", doc_id="d", sentence_index=0, sentence=sentence,
        source=source or Actor("India", "IND", country="IND"),
        target=target, cameo=cameo, goldstein=0.0, quad=4,
        plover=PloverCode(plover, mode), evidence=Evidence(trigger),
        modality=Modality(negated=negated, hypothetical=hypothetical),
        size=size, location=location, confidence=confidence,
    )  # fmt: skip


POLICE = Actor("police", "INDCOP", country="IND", sector="COP")
POLICE_BY_WORD = Actor("the Ahmedabad policemen", "IND", country="IND")
CIVILIANS = Actor("villagers", "INDCVL", country="IND", sector="CVL")
ARMY = Actor("army", "SYRMIL", country="SYR", sector="MIL")
REBELS = Actor("rebels", "SYRREB", country="SYR", sector="REB")


# ---------------------------------------------------------------- best event, PLOVER, penta


def test_suites_best_event_prefers_actual_then_confident_then_first() -> None:
    negated = event("190", confidence=0.99, negated=True)
    hypothetical = event("138", "THREATEN", confidence=0.9, hypothetical=True)
    low = event("042", "CONSULT", confidence=0.4)
    high = event("057", "AGREE", confidence=0.8)
    tie = event("036", "AGREE", confidence=0.8)
    assert best_event([negated, hypothetical, low, high, tie]) is high
    assert best_event([negated, hypothetical]) is hypothetical
    assert best_event([]) is None


def test_suites_plover_predict_type_and_mode() -> None:
    events = [event("173", "COERCE", "arrest", confidence=0.9), event("010", "CONSULT")]
    assert plover_predict(events) == "COERCE"
    assert plover_mode_predict(events) == "arrest"
    assert plover_predict([]) is None
    assert plover_mode_predict([event("010", "CONSULT")]) is None


@pytest.mark.parametrize(
    ("cameo", "penta"),
    [("010", 0), ("0231", 0), ("036", 1), ("057", 1), ("073", 2), ("0874", 2), ("111", 3),
     ("138", 3), ("161", 3), ("145", 4), ("154", 4), ("173", 4), ("1831", 4), ("204", 4)],
)  # fmt: skip
def test_suites_penta_of_follows_phoenix_classes(cameo: str, penta: int) -> None:
    assert penta_of(cameo) == penta


def test_suites_penta_predict_uses_best_event_and_tolerates_unknown() -> None:
    assert penta_predict([event("010", confidence=0.2), event("190", confidence=0.9)]) == 4
    assert penta_predict([]) is None
    assert penta_of("99") is None


def test_suites_actor_countries_prefer_country_then_code_prefix() -> None:
    e = event("042", source=Actor("UN", "IGOUNO"), target=POLICE)
    assert actor_countries(e, "source") == {"IGO"}
    assert actor_countries(e, "target") == {"IND"}
    assert actor_countries(event("042"), "target") == frozenset()
    assert actor_countries(None, "source") == frozenset()


# ---------------------------------------------------------------- IndiaPoliceEvents


def test_suites_ipe_police_killing_is_kill_force_any() -> None:
    labels = ipe_labels([event("1823", source=POLICE, target=CIVILIANS)])
    assert labels == {"KILL", "FORCE", "ANY_ACTION"}


def test_suites_ipe_kill_from_sentence_word_or_size() -> None:
    shot_dead = event("193", source=POLICE_BY_WORD, trigger=(7, 11))  # trigger "shot"
    assert "KILL" in ipe_labels([shot_dead])
    died = "Three died when police opened fire."
    assert "KILL" in ipe_labels([event("190", source=POLICE, sentence=died)])
    fired = event("193", source=POLICE, sentence="Police fired at the crowd.")
    assert ipe_labels([fired]) == {"FORCE", "ANY_ACTION"}
    counted = event("190", source=POLICE, sentence="Police fired.", size=Size(killed=Range(2, 2)))
    assert "KILL" in ipe_labels([counted])
    consult = event("043", "CONSULT", source=POLICE, sentence="Police met the dead man's kin.")
    assert "KILL" not in ipe_labels([consult])


def test_suites_ipe_arrest_needs_no_police_source() -> None:
    assert ipe_labels([event("173", "COERCE", "arrest")]) == {"ARREST", "ANY_ACTION"}
    assert ipe_labels([event("170", "COERCE", "arrest", source=POLICE)]) == {
        "ARREST", "ANY_ACTION"
    }  # fmt: skip


def test_suites_ipe_non_police_violence_answers_nothing() -> None:
    assert ipe_labels([event("1823", source=CIVILIANS)]) == frozenset()


def test_suites_ipe_negated_police_event_is_fail_only() -> None:
    labels = ipe_labels([event("175", source=POLICE, negated=True)])
    assert labels == {"FAIL"}
    assert ipe_labels([event("175", source=POLICE, hypothetical=True)]) == frozenset()


def test_suites_ipe_other_police_action_is_any_action_only() -> None:
    assert ipe_labels([event("043", "CONSULT", source=POLICE)]) == {"ANY_ACTION"}


def test_suites_ipe_folded_police_reading_counts() -> None:
    # An incident kept the mob's attack; the police firing it folded in still happened.
    mob = Actor("mobs", "CVL", sector="CVL")
    firing = Coding(0, (40, 46), "COP", "CVL", "190")
    killed = dataclasses.replace(
        event("182", source=mob, target=POLICE, sentence="A man was killed in police firing."),
        alternatives=(firing,),
    )
    assert {"KILL", "FORCE"} <= ipe_labels([killed])
    assert "KILL" not in ipe_labels([dataclasses.replace(killed, alternatives=())])


def test_suites_ipe_police_side_of_a_clash_counts() -> None:
    text = "One man died after traders and the police clashed in the bazaar."
    clash = event("190", source=CIVILIANS, target=POLICE, sentence=text)
    assert {"KILL", "FORCE", "ANY_ACTION"} <= ipe_labels([clash])
    one_sided = event("190", source=CIVILIANS, target=POLICE, sentence="Traders beat a man dead.")
    assert "KILL" not in ipe_labels([one_sided])


def test_suites_ipe_police_named_in_a_clash_were_a_side() -> None:
    text = "Two youths died in the clash at the fair, and nine constables were hurt."
    died = event("190", source=Actor("", "---"), target=CIVILIANS, sentence=text)
    assert {"KILL", "FORCE", "ANY_ACTION"} <= ipe_labels([died])
    no_police = "Two youths died in the clash at the fair between two gangs."
    assert ipe_labels([dataclasses.replace(died, sentence=no_police)]) == frozenset()
    no_fight = "Two youths died at the fair, and nine constables were hurt."
    assert ipe_labels([dataclasses.replace(died, sentence=no_fight)]) == frozenset()


def test_suites_ipe_militants_felled_by_no_named_doer_fell_to_the_forces() -> None:
    unnamed = Actor("", "---")
    militant = Actor("militant", "INS", sector="INS")
    text = "A second militant was killed near the gate."
    assert "KILL" in ipe_labels([event("190", source=unnamed, target=militant, sentence=text)])
    # A named doer, a victim of another sector or no death answers nothing.
    rivals = Actor("rival gang", "---")
    assert ipe_labels([event("190", source=rivals, target=militant, sentence=text)]) == set()
    assert ipe_labels([event("190", source=unnamed, target=CIVILIANS, sentence=text)]) == set()
    hurt = "A militant was hurt near the gate."
    assert ipe_labels([event("190", source=unnamed, target=militant, sentence=hurt)]) == set()


def test_suites_ipe_felled_militants_folded_into_their_attack_count() -> None:
    text = "Three gunmen who stormed the fort were killed within minutes."
    attack = event("190", source=Actor("gunmen", "INS", sector="INS"), sentence=text)
    felled = Coding(0, (37, 43), "---", "INS", "190")
    assert "KILL" in ipe_labels([dataclasses.replace(attack, alternatives=(felled,))])
    elsewhere = Coding(3, (37, 43), "---", "INS", "190")
    assert "KILL" not in ipe_labels([dataclasses.replace(attack, alternatives=(elsewhere,))])


def test_suites_ipe_police_ranks_name_the_police() -> None:
    rank = Actor("dsp mohan lal", "---")
    assert ipe_labels([event("175", source=rank)]) == {"FORCE", "ANY_ACTION"}


def test_suites_ipe_rules_bad_line_raises_dw402() -> None:
    with pytest.raises(EvaluationError) as info:
        parse_ipe_rules("# comment\npolice_word\tpolice\nkill_code\tkill\n", path="ipe.tsv")
    assert info.value.code == "DW402"
    assert info.value.line == 3
    with pytest.raises(EvaluationError, match="expected one of"):
        parse_ipe_rules("unknown_kind\tx\n", path="ipe.tsv")
    with pytest.raises(EvaluationError, match="TYPE/mode"):
        parse_ipe_rules("arrest_mode\tarrest\n", path="ipe.tsv")


def test_suites_builtin_tables_load() -> None:
    assert "COP" in load_ipe_rules().police_sectors
    assert all(rule.label in CASE_LABELS for rule in load_case_table().rules)


# ---------------------------------------------------------------- CASE 2021


@pytest.mark.parametrize(
    ("e", "label"),
    [
        (event("195"), "AIR_STRIKE"),
        (event("1831"), "SUIC_BOMB"),
        (event("1831", mode="explosives"), "SUIC_BOMB"),  # 4-digit code beats a mode
        (event("183", mode="suicide-attack"), "SUIC_BOMB"),  # mode beats 3-digit code
        (event("190", mode="heavy-weapons"), "ART_MISS_ATTACK"),
        (event("190"), "ARMED_CLASH"),
        (event("173", "COERCE"), "ARREST"),
        (event("141", "PROTEST"), "PEACE_PROTEST"),
        (event("145", "PROTEST"), "VIOL_DEMONSTR"),
        (event("057", "AGREE"), "AGREEMENT"),
        (event("042", "CONSULT"), "DIPLO"),
        (event("051", "COOPERATE"), "DIPLO"),
        (event("166", "SANCTION"), "DIPLO"),
        (event("015", "ACCUSE"), "ATTRIB"),
        (event("1121", "ACCUSE"), "ATTRIB"),
        (event("1711", "COERCE"), "DISR_WEAP"),
        (event("1712", "COERCE"), "PROPERTY_DISTRUCT"),
        (event("181"), "ABDUCT_DISSAP"),
        (event("1821"), "SEX_VIOL"),
        (event("192", source=ARMY), "GOV_REGAINS_TERIT"),
        (event("192", source=REBELS), "NON_STATE_ACTOR_OVERTAKES_TER"),
        (event("0874", "RETREAT"), "NON_VIOL_TERRIT_TRANSFER"),
        (event("154", "MOBILIZE"), "CHANGE_TO_GROUP_ACT"),
        (event("2041"), "CHEM_WEAP"),
        (event("010", "CONSULT"), CASE_FALLBACK),
    ],
)
def test_suites_case_label_table(e: Event, label: str) -> None:
    assert case_label([e]) == label


def test_suites_case_label_material_act_beats_statement() -> None:
    statement = event("112", "ACCUSE", confidence=0.95)
    strike = event("195", confidence=0.6)
    assert case_label([statement, strike]) == "AIR_STRIKE"


def test_suites_case_label_protest_with_state_response() -> None:
    protest = event("141", "PROTEST", source=CIVILIANS, confidence=0.9)
    assert case_label([protest, event("180", source=POLICE)]) == "FORCE_AGAINST_PROTEST"
    assert case_label([protest, event("173", "COERCE", source=POLICE)]) == "PROTEST_WITH_INTER"
    # Violence by non-state actors is no state response: the ranking decides.
    assert case_label([protest, event("180", source=CIVILIANS, confidence=0.95)]) == "ATTACK"


def test_suites_case_label_material_acts_vote_by_confidence() -> None:
    bombing = [event("1831", confidence=0.5), event("1831", confidence=0.5)]
    strike = event("195", confidence=0.8)
    assert case_label([strike, *bombing]) == "SUIC_BOMB"
    assert case_label([event("195", confidence=0.5), event("190", confidence=0.5)]) == "AIR_STRIKE"


def test_suites_case_label_hypothetical_acts_only_decide_alone() -> None:
    threat = event("195", confidence=0.9, hypothetical=True)
    assert case_label([threat, event("173", "COERCE", confidence=0.3)]) == "ARREST"
    assert case_label([threat]) == "AIR_STRIKE"


def test_suites_case_label_riot_stays_violent_demonstration() -> None:
    protest = event("141", "PROTEST", source=CIVILIANS)
    riot = event("145", "PROTEST", "riot", source=CIVILIANS)
    assert case_label([protest, riot, event("180", source=POLICE)]) == "VIOL_DEMONSTR"


def test_suites_events_without_plover_code_are_tolerated() -> None:
    bare = dataclasses.replace(event("173"), plover=None)
    assert plover_predict([bare]) is None
    assert case_label([bare]) == "ARREST"
    assert ipe_labels([bare]) == {"ARREST", "ANY_ACTION"}


def test_suites_case_label_ignores_negated_and_falls_back() -> None:
    assert case_label([event("195", negated=True)]) == CASE_FALLBACK
    assert case_label([]) == CASE_FALLBACK


def test_suites_case_table_bad_line_raises_dw402() -> None:
    good = "195\tany\tAIR_STRIKE\n"
    for bad, needle in [
        ("19x\tany\tAIR_STRIKE", "CAMEO prefix"),
        ("195\tsome\tAIR_STRIKE", "source must be"),
        ("195\tany\tAIRSTRIKE", "not a CASE 2021 label"),
        ("195\tany", "expected key, source and label"),
        ("PLOVER:assault\tany\tATTACK", "PLOVER:TYPE/mode"),
    ]:
        with pytest.raises(EvaluationError, match=needle) as info:
            parse_case_table(good + bad, path="case.tsv")
        assert info.value.code == "DW402"
        assert info.value.line == 2


# ---------------------------------------------------------------- drone strikes


def test_suites_drone_predict_widest_range_and_first_place() -> None:
    wana = Location("Wana", country="PAK", lat=32.3, lon=69.57)
    events = [
        event("195", size=Size(killed=Range(4, 6))),
        event("195", size=Size(killed=Range(5, 8)), location=wana),
        event("195", size=Size(killed=Range(20, 20)), negated=True),
        event("042", "CONSULT"),
    ]
    prediction = drone_predict(events)
    assert prediction.killed == Range(5, 8)
    assert prediction.location == wana
    assert drone_predict([]).killed is None


US = Actor("US drone", "USAMIL", country="USA", sector="MIL")
DRONE_SENTENCE = "A US drone fired missiles at a house, killing four people."


def test_suites_air_strike_needs_aerial_code_and_us_or_unknown_source() -> None:
    assert is_air_strike(event("195", mode="aerial", source=US))
    assert is_air_strike(event("195", mode="aerial", source=Actor("drone", "MIL", sector="MIL")))
    assert is_air_strike(event("190", mode="drone", source=Actor("", "---")))
    assert not is_air_strike(event("195", mode="aerial"))  # an Indian source
    assert not is_air_strike(event("190", source=US))
    assert not is_air_strike(event("195", mode="aerial", source=US, negated=True))


def test_suites_air_violence_needs_an_air_weapon_in_the_sentence() -> None:
    assert is_air_violence(event("190", source=US, sentence=DRONE_SENTENCE))
    assert not is_air_violence(event("190", source=US))  # "Police shot dead two men ..."
    assert not is_air_violence(event("042", "CONSULT", source=US, sentence=DRONE_SENTENCE))
    assert not is_air_violence(event("190", sentence=DRONE_SENTENCE))  # an Indian source


def test_suites_drone_predict_takes_the_strike_events_place() -> None:
    wana = Location("Wana", country="PAK", lat=32.3, lon=69.57)
    islamabad = Location("Islamabad", country="PAK", lat=33.7, lon=73.1)
    events = [
        event("111", "DISAPPROVE", location=islamabad),
        event("190", source=US, sentence=DRONE_SENTENCE, location=wana),
    ]
    prediction = drone_predict(events)
    assert prediction.strike is None and prediction.air_violence is events[1]
    assert prediction.location == wana
    only_statement = drone_predict(events[:1])
    assert only_statement.air_violence is None and only_statement.location == islamabad


def test_suites_actor_countries_unknown_party_names_no_country() -> None:
    e = event("173", source=Actor("UN", "IGOUNO"), target=Actor("a retired banker", "---"))
    assert actor_countries(e, "target") == frozenset()
    assert actor_countries(e, "source") == {"IGO"}
