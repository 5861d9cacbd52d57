"""A sentence with no draft: cross-validation scores its fallback only when coding
would propose it (with a source), while the event model still learns from it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.model import Scorer, decide, load_weights
from dyadwatch.coder.scoring.propose import FALLBACK_RULE
from dyadwatch.coder.scoring.train import Corpus
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover

# None of these draws a trigger of the small lexicon: each is a no-draft sentence.
NO_DOER = "Repair the flooded granary roads before the harvest."  # imperative, no actor
PRONOUN = "They repaired the flooded granary roads after the storm."  # a pronoun is no doer
DOER = "Farmers from Pakistan repaired the flooded granary roads."  # PAK inside the subject


def _corpus(nlp: Language, knowledge: Knowledge, texts: list[str]) -> Corpus:
    """The texts as training codes them (``train.code_corpus``'s recorder), as negatives."""
    recorder = train.Recorder()
    Coder(nlp, knowledge, scorer=recorder).code_texts(texts)
    assert not recorder.found  # no draft in any of them
    return Corpus(
        tuple(texts),
        tuple((Label(t, train.NEGATIVE),) for t in texts),
        tuple(() for _ in texts),
        tuple(recorder.fallbacks.get(f"text-{i}") for i in range(len(texts))),
    )


def _eager() -> Scorer:
    """The shipped scorer with an event model that fires on every sentence it is asked about."""
    weights = load_weights()
    return Scorer(replace(weights, event=replace(weights.event, bias=np.asarray([60.0]))),
                  scope="all", fallback=True)  # fmt: skip


def test_train_cv_skips_a_no_draft_fallback_without_a_source(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    corpus = _corpus(nlp, small_knowledge, [NO_DOER, PRONOUN, DOER])
    assert all(f is not None for f in corpus.fallbacks)  # training holds all three
    assert corpus.scoring(0) == () and corpus.scoring(1) == ()
    assert corpus.scoring(2) == (corpus.fallbacks[2],)


def test_train_cv_events_of_no_draft_sentences_are_codings(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    texts = [NO_DOER, PRONOUN, DOER]
    corpus, scorer = _corpus(nlp, small_knowledge, texts), _eager()
    coder = Coder(nlp, small_knowledge, scorer=scorer)
    for index, text in enumerate(texts):
        scored = [scorer.judge(c, scorer.read(c)) for c in corpus.scoring(index)]
        cv = decide(scored, load_cameo(), load_plover())
        coded = coder.code_text(text)
        assert [e.source.code for e in cv] == [e.source.code for e in coded], text
    assert [e.rule for e in coder.code_text(DOER)] == [FALLBACK_RULE]


def test_train_event_model_still_learns_from_a_sourceless_fallback(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    # Coding never asks about it, but it is a negative of the same bag of words.
    corpus = _corpus(nlp, small_knowledge, [NO_DOER])
    training = train._Training()
    train._fallback_examples(corpus, 0, training, None)
    assert training.event.targets == [0]
