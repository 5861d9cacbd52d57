"""Lexicon senses fixed in the PLOVER manual's terms (docs/MODEL.md, session 14):
opening borders to refugees is asylum (AID), handing over aid is AID, and
agreeing to a named agreement concludes it (SUPPORT); session 15: a pardon or
amnesty is a concession (CONCEDE) and debt forgiveness is AID."""

from __future__ import annotations

import pytest

from dyadwatch.coder.engine import Coder

pytestmark = pytest.mark.slow


def _codes(coder: Coder, text: str) -> set[str]:
    return {e.cameo for e in coder.code_text(text)}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Territorial asylum (CAMEO 075, PLOVER AID), not access eased (0863, RETREAT).
        ("Chile opened its borders to refugees fleeing the famine.", "075"),
        ("Peru opened the border to migrants from the north.", "075"),
        # Provision of material aid (070, AID), not the return of goods (084, RETREAT).
        ("Norway handed over medical supplies to the Sudanese health ministry.", "070"),
        ("Japan handed over food aid to Haiti.", "070"),
        # Concluding a named agreement is SUPPORT (057), not an intent (031x, AGREE).
        ("Kenya and Ghana agreed to a free trade agreement on Friday.", "057"),
        ("Rohan and Gondor agreed to a peace deal after the summit.", "057"),
        # Session 15: a pardon or amnesty is a concession (081, CONCEDE), not a release.
        ("The president of Gondor pardoned forty jailed protesters on Sunday.", "081"),
        ("Rohan granted an amnesty to the rebels who laid down their arms.", "081"),
        # Debt forgiveness is economic aid (071, AID), not forgiving an offence (056).
        ("France forgave Mali two billion dollars of debt.", "071"),
        ("France has forgiven the debt of Mali.", "071"),
    ],
)
def test_senses_plover_manual_sense(builtin_coder: Coder, text: str, code: str) -> None:
    assert code in _codes(builtin_coder, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Greece opened the border crossing for trucks.", "0863"),
        ("The rebels handed over the prisoners to the Red Cross.", "0841"),
        ("Kenya and Ghana agreed to expand trade.", "0311"),
        ("Rohan freed the forty detainees on Monday.", "0841"),
        ("Gondor forgave Rohan for the insult.", "056"),
    ],
)
def test_senses_plover_neighbouring_senses_unchanged(
    builtin_coder: Coder, text: str, code: str
) -> None:
    assert code in _codes(builtin_coder, text)
