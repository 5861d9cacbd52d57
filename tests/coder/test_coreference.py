"""Attacks told across sentences (coder/coreference.py) and aerial instruments
named by cause phrases and clauses (coder/sentence.py), on the built-in coder.

Sentences are our own, written for these tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.coder.coreference import (
    AERIAL,
    attack_mention,
    load_attack_knowledge,
    names_strike,
    nearby_attack,
)
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import DictionaryError
from dyadwatch.model import Event

DAY = dt.date(2012, 5, 4)


def code(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, DAY)


def aerial(events: list[Event]) -> list[Event]:
    return [e for e in events if e.cameo == AERIAL and not e.modality.negated]


def killed(events: list[Event]) -> list[tuple[int, int]]:
    return [
        (e.size.killed.min, e.size.killed.max)
        for e in events
        if e.size is not None and e.size.killed is not None
    ]


def test_coreference_cause_phrase_with_a_drone_is_aerial(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Nine villagers were killed in a suspected US drone strike.")
    assert aerial(events)
    assert aerial(events)[0].plover is not None
    assert aerial(events)[0].plover.mode == "aerial"


def test_coreference_cause_clause_with_missiles_is_aerial(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Six men were killed when three missiles hit a farmhouse.")
    assert [e.source.code for e in aerial(events)] == ["---"]


def test_coreference_strike_as_doer_is_aerial(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "A late-night strike flattened the compound and killed 7 guards.")
    assert aerial(events)
    assert (7, 7) in killed(events)


def test_coreference_participle_tail_of_a_drone_attack(builtin_coder: Coder) -> None:
    text = "Before dawn, a drone fired two missiles at a pickup truck, killing 4 people."
    assert aerial(code(builtin_coder, text))


def test_coreference_toll_in_next_sentence_takes_the_strike(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "It was the second strike of the week. 6 died near the bridge.")
    assert [(e.source.code, e.cameo) for e in aerial(events)] == [("---", AERIAL)]
    assert killed(events) == [(6, 6)]


def test_coreference_toll_before_the_drone_sentence(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Three farmers were killed. A drone had been circling all day.")
    assert aerial(events)


def test_coreference_headline_participle_is_passive(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Five people killed in a market.")
    assert [(e.source.code, e.target.code if e.target else None) for e in events] == [
        ("---", "CVL")
    ]
    assert killed(events) == [(5, 5)]


def test_coreference_named_doer_is_not_recoded(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Police killed two robbers. A drone filmed the scene.")
    assert not aerial(events)
    assert any(e.source.code.endswith("COP") for e in events)


def test_coreference_plain_attack_is_not_aerial(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Gunmen opened fire on a bus. 4 people died in the attack.")
    assert not aerial(events)


def test_coreference_labour_strike_is_not_aerial(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "Police killed two workers during a strike at the mill.")
    assert not aerial(events)


def test_coreference_death_of_illness_stays_no_event(builtin_coder: Coder) -> None:
    events = code(builtin_coder, "The airstrike was the first this year. 3 died of cholera.")
    assert [e.sentence_index for e in events] == [0]
    assert killed(events) == []


def test_coreference_toll_sentence_attaches_to_previous_strike(builtin_coder: Coder) -> None:
    text = "Two missiles hit a compound. Reports of the death toll ranged from 4 to 9 people."
    assert (4, 9) in killed(code(builtin_coder, text))


def test_coreference_conflicting_tolls_widen(builtin_coder: Coder) -> None:
    text = "A drone killed 5 people in a car. Locals said the death toll rose to 8."
    assert killed(code(builtin_coder, text)) == [(5, 8)]


def test_coreference_attack_mention_kinds(builtin_coder: Coder) -> None:
    doc = builtin_coder.nlp("Drones hovered. The attack began. He struck a deal. Tea was served.")
    air = builtin_coder.knowledge.clauses.air_weapons
    found = [attack_mention(s, air, load_attack_knowledge()) for s in doc.sents]
    assert found == ["195", "190", None, None]
    assert nearby_attack(found, 2) == "190"
    assert nearby_attack(found, 3) is None
    assert nearby_attack([None, "195"], 0) == "195"


def test_coreference_bad_attack_file_names_line(tmp_path: Path) -> None:
    path = tmp_path / "attacks.yaml"
    path.write_text(
        "aerial_nouns: [strike]\nattack_nouns: [Attack]\ncause_marks: [when]\n"
        "casualty_verbs: [kill]\n",
        encoding="utf-8",
    )
    with pytest.raises(DictionaryError) as caught:
        load_attack_knowledge(path)
    assert caught.value.line == 2
    assert "DW207" in str(caught.value)


def test_coreference_missing_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "attacks.yaml"
    path.write_text("aerial_nouns: [strike]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="attack_nouns"):
        load_attack_knowledge(path)


def test_coreference_builtin_attack_file_loads() -> None:
    attacks = load_attack_knowledge()
    assert "strike" in attacks.aerial_nouns
    assert "when" in attacks.cause_marks


def test_coreference_strike_named_in_the_same_sentence_is_aerial(builtin_coder: Coder) -> None:
    # However the parser hangs "strike", unattributed force beside it is the strike.
    text = "Between 3 and 5 people were killed and 2 injured in a second strike on a checkpoint."
    events = code(builtin_coder, text)
    assert [e.source.code for e in aerial(events)] == ["---"]


def test_coreference_missile_target_in_the_same_sentence_is_not_aerial(
    builtin_coder: Coder,
) -> None:
    events = code(builtin_coder, "Gunmen killed 4 soldiers who had intercepted a missile.")
    assert not aerial(events)


def test_coreference_names_strike_needs_the_noun(builtin_coder: Coder) -> None:
    attacks = load_attack_knowledge()
    doc = builtin_coder.nlp("The second strike hit a truck. Jets struck twice. He struck a deal.")
    assert [names_strike(s, attacks) for s in doc.sents] == [True, False, False]


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        ("? [a]\n: [x]\naerial_nouns: [strike]\n", 1, "expected a word as key"),
        ("aerial_nouns: [strike]\naerial_nouns: [strike]\n", 2, "duplicate key"),
    ],
)
def test_coreference_malformed_keys_are_dw207(
    tmp_path: Path, text: str, line: int, detail: str
) -> None:
    path = tmp_path / "attacks.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DictionaryError, match=detail) as caught:
        load_attack_knowledge(path)
    assert (caught.value.code, caught.value.line) == ("DW207", line)
