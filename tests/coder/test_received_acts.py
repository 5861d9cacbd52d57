"""An act the clause's subject receives: "X drew criticism from Y", "X received aid
from Y" are Y's acts toward X, so the "from" phrase is the source and the subject
(or the owner of the act it names) the target (docs/MODEL_LOG.md, row 281)."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coder.engine import Coder

DAY = dt.date(2026, 3, 2)

pytestmark = pytest.mark.slow


def pairs(coder: Coder, text: str) -> set[tuple[str, str | None, str]]:
    events = coder.code_text(text, DAY)
    return {(e.source.code, e.target.code if e.target else None, e.cameo[:2]) for e in events}


@pytest.mark.parametrize(
    ("text", "source", "target", "root"),
    [
        ("Israel's raid drew condemnation from Egypt.", "EGY", "ISR", "11"),
        ("India drew praise from Washington.", "USA", "IND", "05"),
        ("Serbia faced sanctions from the EU.", "IGOEEC", "SRB", "16"),
        ("Pakistan secured a loan from the IMF.", "IGOIMF", "PAK", "07"),
    ],
)
def test_received_act_is_done_by_the_from_phrase(
    builtin_coder: Coder, text: str, source: str, target: str, root: str
) -> None:
    found = pairs(builtin_coder, text)
    assert (source, target, root) in found, found
    assert all((s, t) != (target, source) for s, t, r in found if r == root), found


def test_an_act_carried_by_other_verbs_keeps_its_subject_as_doer(builtin_coder: Coder) -> None:
    # "launched", not a receiving verb: the subject does the act.
    found = pairs(builtin_coder, "Egypt launched a protest against Israel.")
    assert ("EGY", "ISR", "14") in found, found


def test_a_capital_in_the_from_phrase_speaks_for_its_government(builtin_coder: Coder) -> None:
    found = pairs(builtin_coder, "India drew praise from Washington.")
    assert any(source == "USA" for source, _, _ in found), found


def test_accepting_without_a_giver_keeps_the_subject_a_party(builtin_coder: Coder) -> None:
    # "accept", "secure", "win", "get", "obtain" receive only from a named giver;
    # "accepted talks with the EU": Iran takes part in the talks.
    found = pairs(builtin_coder, "Iran accepted talks with the EU.")
    assert ("IRN", "IGOEEC", "04") in found, found
    given = pairs(builtin_coder, "The court accepted a request from Russia.")
    assert any(source == "RUS" and root == "02" for source, _, root in given), given
