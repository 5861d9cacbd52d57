"""The fallback drafted in two steps: what the event model reads, then the candidate."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.scoring.model import Scorer, load_weights
from dyadwatch.coder.scoring.propose import (
    FALLBACK_RULE,
    SentenceView,
    fallback,
    fallback_draft,
)
from dyadwatch.model import Event

LECTURE = "The harbour master of Pakistan lectured India about fishing rights."
NO_DOER = "Close the old border road before the monsoon."


@dataclass
class _Views:
    """Keeps the view of every sentence the lexicon drafts nothing for."""

    views: list[SentenceView] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        if not events:
            self.views.append(view)
        return events


def _view(nlp: Language, knowledge: Knowledge, text: str) -> SentenceView:
    recorder = _Views()
    Coder(nlp, knowledge, scorer=recorder).code_text(text)
    (view,) = recorder.views
    return view


def test_fallback_draft_candidate_is_the_fallback(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    view = _view(nlp, small_knowledge, LECTURE)
    draft = fallback_draft(view)
    whole, bare = fallback(view), fallback(view, pairs=False)
    assert draft is not None and whole is not None and bare is not None
    assert draft.candidate() == whole
    assert draft.candidate(pairs=False) == bare and bare.pair_features == ()
    assert draft.type_features == whole.type_features
    assert whole.event.rule == FALLBACK_RULE and "pair_fallback=1" in whole.pair_features


def test_fallback_draft_needs_a_source_only_when_asked(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    view = _view(nlp, small_knowledge, NO_DOER)
    draft = fallback_draft(view)
    assert draft is not None and draft.source is None  # no named actor, no subject
    assert fallback_draft(view, need_source=True) is None
    assert fallback_draft(_view(nlp, small_knowledge, LECTURE), need_source=True) is not None


def test_fallback_draft_scorer_codes_no_event_without_a_doer(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    weights = load_weights()
    # An event model that fires on every sentence it is asked about.
    eager = replace(weights, event=replace(weights.event, bias=np.asarray([60.0])))
    coder = Coder(nlp, small_knowledge, scorer=Scorer(eager, scope="all", fallback=True))
    (event,) = coder.code_text(LECTURE)
    assert event.rule == FALLBACK_RULE and event.source.code == "PAK"
    assert coder.code_text(NO_DOER) == []
