"""Sense selection by argument structure: what a verb acts on picks its code."""

from __future__ import annotations

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Event

pytestmark = pytest.mark.slow


def _codes(coder: Coder, text: str) -> set[tuple[str, str]]:
    events: list[Event] = coder.code_text(text)
    return {(e.source.code, e.cameo) for e in events}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Formal relations with Chile were broken off by Peru.", ("PER", "161")),
        ("Diplomatic ties with Qatar were cut by Saudi Arabia.", ("SAU", "161")),
        ("Military aid to Jordan was suspended by Washington.", ("USA", "1622")),
        ("Trade with Cuba was halted by the United States.", ("USA", "163")),
    ],
)
def test_senses_passive_subject_is_what_the_verb_acts_on(
    builtin_coder: Coder, text: str, expected: tuple[str, str]
) -> None:
    # The passive subject stands where the active object would: the same sense.
    assert expected in _codes(builtin_coder, text)


def test_senses_passive_and_active_pick_the_same_sense(builtin_coder: Coder) -> None:
    active = _codes(builtin_coder, "Peru broke off formal relations with Chile.")
    passive = _codes(builtin_coder, "Formal relations with Chile were broken off by Peru.")
    assert ("PER", "161") in active & passive


def test_senses_passive_subject_outside_the_senses_codes_nothing(builtin_coder: Coder) -> None:
    # "cut" alone is null; a passive subject that is no cooperation keeps it so.
    found = _codes(builtin_coder, "Income taxes were cut by the Finance Ministry.")
    assert not any(code.startswith("16") for _, code in found)


def test_senses_active_subject_is_not_read_as_an_object(builtin_coder: Coder) -> None:
    # Only a passive's subject stands for the object: an active subject never does.
    found = _codes(builtin_coder, "The talks halted after Syria walked out.")
    assert not any(code == "164" for _, code in found)
