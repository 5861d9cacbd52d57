"""Which actors named on a cause noun ("killed in police action") are its doers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.coder.arguments import ResolvedActor, split_code
from dyadwatch.coder.sentence import _force_doers
from dyadwatch.model import Actor

_PARTS = ("PAK", "USA", "IND", "COP", "MIL", "REB", "GOV", "CVL", "IGO", "NGO", "UAF", "---")


def _resolved(code: str) -> ResolvedActor:
    # as the argument resolver makes every actor: its country and sector split off its code
    country, sector = split_code(code)
    return ResolvedActor(Actor("them", code, country, sector, None), 0, 1)


@given(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=3).map("".join))
def test_sentence_force_doers_a_force_sector_is_in_the_code(code: str) -> None:
    # The sector is a part of the code, so the code alone tells a force.
    resolved = _resolved(code)
    if resolved.actor.sector in ("COP", "MIL"):
        assert _force_doers([resolved]) == [resolved]


def test_sentence_force_doers_keep_police_and_soldiers_only() -> None:
    found = [_resolved(code) for code in ("INDCOP", "PAKMIL", "MIL", "PAKREB", "IND", "---")]
    assert [r.actor.code for r in _force_doers(found)] == ["INDCOP", "PAKMIL", "MIL"]
