"""The scorer's fast path decides as the per-model reference does (docs/MODEL.md, "Speed")."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _scoring_support import Recording
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import Scorer
from dyadwatch.coder.scoring.features import Candidate, hash_features
from dyadwatch.coder.scoring.model import ScorerWeights
from dyadwatch.coder.scoring.propose import fallback, propose
from dyadwatch.config import Settings

# Our own sentences: drafts with alternative pairs, nested triggers, and sentences the
# lexicon drafts nothing for (the fallback candidate).
TEXTS = [
    "Indian police arrested two Pakistani men near the border on Tuesday.",
    "China condemned the Japanese drone strike and urged Tokyo to show restraint.",
    "The United States sent military aid to Ukraine, officials in Washington said.",
    "Egyptian and Sudanese ministers met in Cairo to discuss the dam.",
    "Turkish troops shelled Kurdish positions in northern Syria.",
    "Brazil's central bank raised interest rates for the third time this year.",
    "The farmers of Punjab harvested wheat early because of the heat.",
    "Israel promised to release Palestinian prisoners after the truce.",
]


def _candidates(scorer: Scorer, nlp: Language) -> list[Candidate]:
    recording = Recording(scorer)
    base = Coder.builtin(Settings(), nlp=nlp, learned=False)
    Coder(base.nlp, base.knowledge, scorer=recording).code_texts(TEXTS)
    found: list[Candidate] = []
    for events, view in recording.seen:
        mine = [e for e in events if scorer.touches(e)]
        if mine:
            found.extend(propose(mine, view))
        elif not events and (candidate := fallback(view)) is not None:
            found.append(candidate)
    return found


def _reference(weights: ScorerWeights, candidate: Candidate) -> dict[str, np.ndarray]:
    """Each model scored on its own, as LinearModel.probabilities does."""
    vector = hash_features(candidate.type_features)
    return {
        "types": weights.types.probabilities(vector),
        "penta": weights.penta.probabilities(vector),
        "pair": weights.pair.probabilities(hash_features(candidate.pair_features)),
        "event": weights.event.probabilities(vector),
    }


@pytest.mark.slow
def test_scoring_fast_path_matches_the_per_model_reference(nlp: Language) -> None:
    scorer = Scorer.load()
    weights = scorer.weights
    candidates = _candidates(scorer, nlp)
    assert sum(c.fallback for c in candidates) >= 2 and sum(not c.fallback for c in candidates) >= 8
    classes = list(weights.types.classes)
    for candidate in candidates:
        scored = scorer.score(candidate)
        reference = _reference(weights, candidate)
        types = reference["types"]
        assert math.isclose(scored.pair_probability, float(reference["pair"][0]), abs_tol=1e-12)
        if candidate.fallback:
            assert math.isclose(scored.event_probability, float(reference["event"][0]),
                                abs_tol=1e-12)  # fmt: skip
        # The chosen code's class: the one whose reference P(type) it reports (none: a
        # class the type model lacks, scored uniformly).
        matching = [c for c, p in zip(classes, types, strict=True)
                    if math.isclose(scored.type_probability, float(p), abs_tol=1e-12)]  # fmt: skip
        if not matching:
            assert math.isclose(scored.type_probability, 1 / len(classes))
        chosen = matching[0] if matching else None
        others = [(c, float(p)) for c, p in zip(classes, types, strict=True) if c != chosen]
        runner = max(others, key=lambda cp: cp[1])
        assert scored.next_type == runner[0]
        assert math.isclose(scored.next_probability or 0.0, runner[1], abs_tol=1e-12)
