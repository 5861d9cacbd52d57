"""A live page's lead-in label ("Breaking:", "Breaking news:") keeps its clause's
event: the parser hangs the clause on the label, and a participle with its own
subject and auxiliary is read as the clause it is (docs/MODEL.md, row 273)."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coder.engine import Coder

DAY = dt.date(2026, 3, 2)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("label", ["", "Breaking: ", "Breaking news: ", "Update: "])
def test_lead_in_label_keeps_the_event(builtin_coder: Coder, label: str) -> None:
    events = builtin_coder.code_text(label + "Kenya has expelled Uganda's ambassador.", DAY)
    found = {(e.source.code, e.target.code if e.target else None, e.cameo) for e in events}
    assert ("KEN", "UGAGOV", "166") in found, events


def test_lead_in_label_leaves_a_true_reduced_passive_alone(builtin_coder: Coder) -> None:
    events = builtin_coder.code_text("The diplomats expelled by Kenya flew home.", DAY)
    # The diplomats are who was expelled: Kenya's target, never the source.
    pairs = {(e.source.text, e.target.text if e.target else None) for e in events}
    assert ("Kenya", "diplomats") in pairs, events
    assert all(e.source.text != "diplomats" for e in events), events
