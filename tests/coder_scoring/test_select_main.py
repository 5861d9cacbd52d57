"""The main predicate beside drafts: when selection keeps it, what training reads of it,
and the pair reading selection compares (P(pair) alone)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from spacy.language import Language

from dyadwatch.coder.scoring import model as scoring
from dyadwatch.coder.scoring import train
from dyadwatch.coder.scoring.features import Candidate, DenseReader, hash_features
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.linear import Binary
from dyadwatch.coder.scoring.model import Scored, load_weights, select
from dyadwatch.coder.scoring.propose import SentenceView, fallback_draft, propose
from dyadwatch.coder.scoring.train import Corpus
from dyadwatch.model import Actor, Event, Evidence

TEXT = "Rohan shelled Gondor near Mordor."


def _candidate(source: str, span: tuple[int, int], *, slot: str, lexicon: bool) -> Candidate:
    event = Event(
        "e", "d", 0, TEXT, Actor(source, source, source), Actor("Gondor", "GON", "GON"), "190",
        -10.0, 4, None, Evidence((6, 13), source=span, target=(14, 20)), rule="triggers.yaml:1",
    )  # fmt: skip
    return Candidate(event, ("lem=shell",), (f"pair_slot={slot}",), lexicon)


def _scored(source: str, pair: float) -> Scored:
    candidate = _candidate(source, (0, 5), slot=source, lexicon=False)
    return Scored(candidate, "190", 0.5, 0.5, pair, None, None, (0.0,) * 6, 0.5)


def test_model_pair_probability_is_the_pair_models_logistic() -> None:
    weights = load_weights()
    scorer = scoring.Scorer(weights)
    candidate = _candidate("ROH", (0, 5), slot="x", lexicon=True)
    logit = Binary.of(weights.pair).logit(hash_features(candidate.pair_features))
    assert scorer.pair_probability(candidate) == pytest.approx(1.0 / (1.0 + np.exp(-logit)))
    other = _candidate("MOR", (26, 32), slot="y", lexicon=False)
    assert scorer.read(other).pair == scorer.pair_probability(other)


def test_model_select_keeps_the_likeliest_pair_when_none_is_accepted() -> None:
    likely, doubtful = _scored("ROH", 0.45), _scored("MOR", 0.30)
    assert select([doubtful, likely]) == [likely]
    assert select([likely, doubtful]) == [likely]


def _main(p_event: float, pair: float) -> Scored:
    event = replace(_candidate("ROH", (0, 5), slot="main", lexicon=False).event,
                    evidence=Evidence((21, 25), source=(0, 5), target=(14, 20)),
                    cameo="---", rule="fallback")  # fmt: skip
    candidate = Candidate(event, ("pred=near",), ("pair_fallback=1",), False, fallback=True)
    return Scored(candidate, "190", 0.5, 0.5, pair, None, None, (0.0,) * 6, 0.5, p_event)


def test_model_select_keeps_a_main_predicate_beside_drafts_when_its_pair_is_likely(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafted = _scored("ROH", 0.8)
    likely, doubtful, quiet = _main(0.9, 0.8), _main(0.9, 0.3), _main(0.5, 0.8)
    assert select([drafted, likely]) == [drafted, likely]
    assert select([drafted, doubtful]) == [drafted]  # P(pair) under MAIN_THRESHOLD
    assert select([drafted, quiet]) == [drafted]  # the event model does not fire
    assert select([doubtful]) == [doubtful]  # alone, a fallback needs P(event) only
    monkeypatch.setattr(scoring, "MAIN_THRESHOLD", None)
    assert select([drafted, likely]) == [drafted]


def test_train_main_predicate_is_scored_beside_drafts_not_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafted = _candidate("ROH", (0, 5), slot="draft", lexicon=True)
    main = _main(0.9, 0.9).candidate
    labelled = Label(TEXT, "plv", plover_type="ASSAULT", source=(0, 5), target=(14, 20))
    corpus = Corpus((TEXT,), ((labelled,),), ((drafted,),), (main,))
    assert corpus.scoring(0) == (drafted, main)
    on_draft = replace(main, event=replace(main.event, evidence=drafted.event.evidence))
    same = Corpus((TEXT,), ((labelled,),), ((drafted,),), (on_draft,))
    assert same.scoring(0) == (drafted,)  # the lexicon drafted the predicate itself
    alone = Corpus((TEXT,), ((labelled,),), ((),), (main,))
    assert alone.scoring(0) == (main,) and alone.main(0) is None
    training = train._Training()
    train._main_examples(corpus, 0, training)
    assert training.pair.targets == [1]  # its subject and object are the labelled pair
    monkeypatch.setattr(scoring, "MAIN_THRESHOLD", None)
    assert corpus.scoring(0) == (drafted,)


def test_train_main_predicate_without_a_source_is_not_scored_as_coding_never_proposes_it() -> None:
    drafted = _candidate("ROH", (0, 5), slot="draft", lexicon=True)
    main = _main(0.9, 0.9).candidate
    sourceless = replace(
        main, event=replace(main.event, evidence=Evidence((21, 25), target=(14, 20)))
    )
    labelled = Label(TEXT, "plv", plover_type="ASSAULT", source=(0, 5), target=(14, 20))
    corpus = Corpus((TEXT,), ((labelled,),), ((drafted,),), (sourceless,))
    assert corpus.main(0) is None and corpus.scoring(0) == (drafted,)
    training = train._Training()
    train._main_examples(corpus, 0, training)
    assert training.pair.targets == []  # no pair example coding could not meet
    alone = Corpus((TEXT,), ((labelled,),), ((),), (sourceless,))
    assert alone.scoring(0) == ()  # with no draft either: coding never proposes it (row 221)


def _seen(nlp: Language, text: str) -> tuple[scoring.Scorer, list[Event], SentenceView]:
    """The shipped scorer and what it is handed for ``text``'s first sentence."""
    from _scoring_support import Recording

    from dyadwatch.coder.engine import Coder
    from dyadwatch.config import Settings

    scorer = scoring.Scorer.load()
    recording = Recording(scorer)
    base = Coder.builtin(Settings(), nlp=nlp, learned=False)
    Coder(base.nlp, base.knowledge, scorer=recording).code_texts([text])
    (events, view), *_ = recording.seen
    return scorer, events, view


@pytest.mark.slow
def test_model_main_predicate_without_a_doer_is_not_proposed(nlp: Language) -> None:
    # An imperative: its root has no subject and the sentence names no actor.
    scorer, _, view = _seen(nlp, "Close the old border road before the monsoon.")
    drafted = _candidate("ROH", (0, 5), slot="draft", lexicon=True)
    # An event model that always fires: only the missing doer can keep the predicate out.
    weights = scorer.weights
    eager = scoring.Scorer(replace(weights, event=replace(weights.event, bias=np.asarray([60.0]))))
    draft = fallback_draft(view)
    assert draft is not None and draft.source is None  # training would hold it
    assert eager._main_predicate(view, [drafted], DenseReader(view.sentence)) is None


@pytest.mark.slow
def test_model_main_predicate_is_read_only_when_no_draft_is_on_it(nlp: Language) -> None:
    scorer, events, view = _seen(nlp, "Rohan's army attacked the border posts of Gondor on Sunday.")
    assert events  # the lexicon drafts the attack, the sentence's root
    dense = DenseReader(view.sentence)
    proposed = dense.attach(propose(events, view))
    assert scorer._main_predicate(view, proposed, dense) is None
    assert scoring.Scorer(scorer.weights, fallback=False)._main_predicate(view, [], dense) is None
