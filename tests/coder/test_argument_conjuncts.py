"""Conjoined arguments share a role: co-doers are never drafted as a pair
against each other, while the conjoined subjects of a mutual act still are."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Event

DAY = dt.date(2021, 5, 4)

pytestmark = pytest.mark.slow


def _pairs(events: list[Event]) -> set[tuple[str, str | None]]:
    return {(e.source.code, e.target.code if e.target else None) for e in events}


def test_argument_conjuncts_agents_of_a_cause_are_co_doers(builtin_coder: Coder) -> None:
    events = builtin_coder.code_text(
        "Sixty have been killed in firing by the police, army and paramilitary forces.", DAY
    )
    pairs = _pairs(events)
    assert {source for source, _ in pairs} == {"COP", "MIL"}, pairs
    assert ("COP", "MIL") not in pairs and ("MIL", "COP") not in pairs


def test_argument_conjuncts_conjoined_modifiers_of_an_agent(builtin_coder: Coder) -> None:
    events = builtin_coder.code_text(
        "Four villagers were wounded by Indian and Pakistani shelling.", DAY
    )
    violent = [e for e in events if e.cameo[:2] in ("18", "19", "20")]
    assert {e.source.code[:3] for e in violent} == {"IND", "PAK"}, violent
    for event in violent:
        target = event.target.code if event.target else ""
        assert {event.source.code[:3], target[:3]} != {"IND", "PAK"}, event


def test_argument_conjuncts_subjects_of_a_mutual_act_still_pair(builtin_coder: Coder) -> None:
    pairs = _pairs(builtin_coder.code_text("India and Pakistan held talks in Doha.", DAY))
    assert ("IND", "PAK") in pairs and ("PAK", "IND") in pairs
