"""What opens a sentence before its clause: a live page's label ("Breaking:") keeps
its clause's event, since a participle with its own subject and auxiliary is read as
the clause it is (docs/MODEL_LOG.md, row 273); a wire dateline's place is no party to
it, for the scorer's proposer as for the lexicon (row 274)."""

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


@pytest.mark.parametrize(
    "dateline", ["NAIROBI (Reuters) - ", "NAIROBI, March 2 (Reuters) - ", "NAIROBI, Kenya (AP) _ "]
)
def test_dateline_place_is_no_party(builtin_coder: Coder, dateline: str) -> None:
    events = builtin_coder.code_text(dateline + "Kenya expelled Uganda's ambassador.", DAY)
    assert {(e.source.text, e.cameo) for e in events} == {("Kenya", "166")}, events
