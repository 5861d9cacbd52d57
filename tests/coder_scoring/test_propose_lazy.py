"""``propose(..., typed=False)``: type features built only for the candidates selection
keeps, the same vectors, probabilities and events as building them all (docs/MODEL.md,
"Speed", session 15)."""

from __future__ import annotations

import pytest
from _scoring_support import Recording, candidate
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import Scorer
from dyadwatch.coder.scoring.features import DenseReader, hash_features
from dyadwatch.coder.scoring.model import EVENT_THRESHOLD, decide
from dyadwatch.coder.scoring.propose import fallback_draft, propose
from dyadwatch.config import Settings

# Our own sentences: one draft; many triggers and pairs (selection drops several);
# no draft (the fallback's path), one of them with a doer; no candidate at all; odd ones.
TEXTS = [
    "Indian police arrested two Pakistani men near the border on Tuesday.",
    "Russia attacked Ukraine, Ukraine shelled Russian positions, and Poland condemned "
    "Russia, while France and Germany urged Moscow and Kyiv to hold talks with Turkey.",
    "The Chinese navy blocked Philippine boats near the shoal, Manila said.",
    "The farmers of Punjab harvested wheat early because of the heat.",
    "It rained.",
    "",
    "...",
    "Arrested!",
]


def _coded(nlp: Language, scorer: Scorer) -> Recording:
    recording = Recording(scorer)
    base = Coder.builtin(Settings(), nlp=nlp, learned=False)
    Coder(base.nlp, base.knowledge, scorer=recording).code_texts(TEXTS)
    return recording


@pytest.mark.slow
def test_propose_lazy_candidates_type_as_the_eager_ones(nlp: Language) -> None:
    scorer = Scorer.load()
    recording = _coded(nlp, scorer)
    candidates = 0
    for events, view in recording.seen:
        mine = [e for e in events if scorer.touches(e)]
        eager = DenseReader(view.sentence).attach(propose(mine, view))
        # As the scorer proposes: type features left to build, dense blocks made with it.
        lazy = propose(mine, view, typed=False, dense=DenseReader(view.sentence))
        assert len(lazy) == len(eager)
        for left, right in zip(lazy, eager, strict=True):
            assert left.pending is not None and left.type_features == ()
            assert right.pending is None
            built = left.typed()
            assert built.pending is None
            assert built == right  # every compared field, the type features among them
            assert built.type_features == right.type_features
            assert len(built.dense) and built.dense.tobytes() == right.dense.tobytes()
            assert hash_features(built.type_features) == hash_features(right.type_features)
            assert scorer.pair_probability(left) == scorer.pair_probability(right)
            assert scorer.read(built) == scorer.read(right)  # same probabilities
            assert scorer.score(built) == scorer.score(right)
            candidates += 1
    assert candidates >= 20  # the many-pair sentence gives most of them


@pytest.mark.slow
def test_propose_lazy_rescore_gives_the_events_of_scoring_everything(nlp: Language) -> None:
    scorer = Scorer.load()
    recording = _coded(nlp, scorer)
    dropped = bare = without_candidate = 0
    for events, view in recording.seen:
        decided = [e.to_dict() for e in scorer.rescore(list(events), view)]
        mine = [e for e in events if scorer.touches(e)]
        if not events:
            bare += 1
            draft = fallback_draft(view, need_source=True)
            expected = []
            if draft is not None:
                whole = DenseReader(view.sentence).attach([draft.candidate()])[0]
                assert whole.pending is None  # the fallback's features are built eagerly
                scored = scorer.score(whole)
                if scored.event_probability >= EVENT_THRESHOLD:
                    expected = decide([scored], scorer._cameo, scorer._plover)
            else:
                without_candidate += 1
            assert decided == [e.to_dict() for e in expected]
            continue
        eager = DenseReader(view.sentence).attach(propose(mine, view))
        everything = [scorer.score(c) for c in eager]
        kept = decide(everything, scorer._cameo, scorer._plover)
        others = [e for e in events if not scorer.touches(e)]
        expected = sorted([*others, *kept], key=lambda e: (e.evidence.trigger, e.source.code))
        assert decided == [e.to_dict() for e in expected]
        dropped += len(everything) - len(kept)
    assert dropped >= 3  # selection dropped candidates whose type features were never built
    assert bare >= 3 and without_candidate >= 1


def test_propose_lazy_read_refuses_a_candidate_without_its_type_features() -> None:
    scorer = Scorer.load()
    built = candidate("0111")
    assert built.typed() is built  # nothing left to build
    pending = built.__class__(
        built.event, (), built.pair_features, True, pending=lambda: ("lem=arrest",)
    )
    with pytest.raises(ValueError, match="typed"):
        scorer.read(pending)
    assert scorer.read(pending.typed()) == scorer.read(built)
