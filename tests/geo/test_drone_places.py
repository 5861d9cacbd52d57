"""Issue 3's location target on the drone-strike narratives (needs ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from geo_drone_eval import DEFAULT_PATH, run
from spacy.language import Language


@pytest.fixture
def strikes() -> Path:
    if not DEFAULT_PATH.exists():
        pytest.skip(f"{DEFAULT_PATH} is absent")
    return DEFAULT_PATH


@pytest.mark.shared
@pytest.mark.slow
def test_drone_places_seventy_percent_within_50km_or_right_adm1(
    nlp: Language, strikes: Path
) -> None:
    outcomes = run(strikes, nlp)
    share = sum(o.hit for o in outcomes) / len(outcomes)
    assert share >= 0.70, f"{share:.1%}"
