"""An event noun under another doer's commenting verb keeps its own type."""

from __future__ import annotations

import pytest

from dyadwatch.coder.engine import Coder


@pytest.mark.slow
def test_model_nested_noun_keeps_its_lexicon_code(builtin_coder: Coder) -> None:
    events = builtin_coder.code_text("Pakistan condemned the U.S. drone strike.")
    strikes = [e for e in events if e.source.code.startswith("USA")]
    assert strikes, events
    # The strike is the Americans' air attack, not a second condemnation.
    assert [e.cameo[:2] for e in strikes] == ["19"]
    assert all(e.plover is not None and e.plover.type == "ASSAULT" for e in strikes)
    condemned = [e for e in events if e.source.code == "PAK"]
    assert condemned and all(e.cameo[:2] == "11" for e in condemned)
