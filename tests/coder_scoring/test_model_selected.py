"""``Scorer.rescore`` scores only the candidates selection keeps, and decides as scoring
every candidate does (docs/MODEL.md, "Speed", session 14)."""

from __future__ import annotations

import pytest
from _scoring_support import Recording
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import Scorer
from dyadwatch.coder.scoring.features import DenseReader
from dyadwatch.coder.scoring.model import decide
from dyadwatch.coder.scoring.propose import propose
from dyadwatch.config import Settings

# Our own sentences: one trigger, many triggers and pairs (most of them dropped by
# selection), co-doers, no draft (the fallback), and odd ones.
TEXTS = [
    "Indian police arrested two Pakistani men near the border on Tuesday.",
    "Russia attacked Ukraine, Ukraine shelled Russian positions, and Poland condemned "
    "Russia, while France and Germany urged Moscow and Kyiv to hold talks with Turkey.",
    "Police and troops killed three militants in Kashmir, Indian officials said.",
    "The farmers of Punjab harvested wheat early because of the heat.",
    "...",
    "Arrested!",
]


@pytest.mark.slow
def test_model_rescore_scores_only_kept_candidates_with_the_same_events(nlp: Language) -> None:
    scorer = Scorer.load()
    recording = Recording(scorer)
    base = Coder.builtin(Settings(), nlp=nlp, learned=False)
    Coder(base.nlp, base.knowledge, scorer=recording).code_texts(TEXTS)
    dropped = bare = 0
    for events, view in recording.seen:
        mine = [e for e in events if scorer.touches(e)]
        if not mine:
            bare += 1
            continue
        # The plain path: every candidate read and judged, then selected.
        candidates = DenseReader(view.sentence).attach(propose(mine, view))
        for candidate in candidates:  # P(pair) handed in reads as P(pair) found
            given = scorer.read(candidate, pair=scorer.pair_probability(candidate))
            assert given == scorer.read(candidate)
        everything = [scorer.score(c) for c in candidates]
        kept = decide(everything, scorer._cameo, scorer._plover)
        others = [e for e in events if not scorer.touches(e)]
        expected = sorted([*others, *kept], key=lambda e: (e.evidence.trigger, e.source.code))
        decided = scorer.rescore(list(events), view)
        assert [e.to_dict() for e in decided] == [e.to_dict() for e in expected]
        dropped += len(candidates) - len(kept)
    assert dropped >= 3  # selection dropped candidates the fast path never judged
    assert bare >= 2  # sentences without a draft (the fallback's path) were coded too
