"""Candidates: the lexicon's drafts and the trigger's other actor pairs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from _scoring_support import Keep
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.propose import (
    FALLBACK_RULE,
    PAIR_RULE,
    UNKNOWN,
    SentenceView,
    fallback,
)
from dyadwatch.model import Event


def test_propose_lexicon_pair_first_then_other_pairs(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    keep = Keep()
    coder = Coder(nlp, small_knowledge, scorer=keep)
    events = coder.code_text("India attacked Pakistan near the Chinese border.")
    assert events
    lexicon = [c for c in keep.found if c.lexicon_pair]
    others = [c for c in keep.found if not c.lexicon_pair]
    assert [(c.event.source.code, c.event.target.code if c.event.target else None)
            for c in lexicon] == [("IND", "PAK")]  # fmt: skip
    pairs = {(c.event.source.code, c.event.target.code if c.event.target else None)
             for c in others}  # fmt: skip
    assert ("IND", None) in pairs
    # Another pair may take another actor for a role, never flip the drafted roles.
    assert ("IND", "PAK") not in pairs and ("PAK", "IND") not in pairs
    for candidate in others:
        assert candidate.event.rule is not None and candidate.event.rule.startswith(PAIR_RULE)
        assert candidate.event.evidence.source is not None
        start, end = candidate.event.evidence.source
        assert candidate.event.sentence[start:end] == "India"
        assert "pair_lexicon=False" in candidate.pair_features
    assert "pair_lexicon=True" in lexicon[0].pair_features
    assert "lem=attack" in lexicon[0].type_features


def test_propose_nothing_without_events(nlp: Language, small_knowledge: Knowledge) -> None:
    keep = Keep()
    Coder(nlp, small_knowledge, scorer=keep).code_text("The weather was mild in India.")
    assert keep.found == []


def test_propose_unnamed_object_phrase_is_an_unknown_target(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    keep = Keep()
    Coder(nlp, small_knowledge, scorer=keep).code_text("India attacked a remote hospital.")
    unknown = [c for c in keep.found if c.event.target is not None
               and c.event.target.code == UNKNOWN]  # fmt: skip
    # The argument rules now draft this target themselves; the proposer adds no twin.
    assert len(unknown) == 1
    candidate = unknown[0]
    assert candidate.event.source is not None and candidate.event.source.code == "IND"
    assert candidate.event.target is not None
    assert candidate.event.target.text.endswith("remote hospital")
    assert candidate.event.evidence.target is not None
    start, end = candidate.event.evidence.target
    assert candidate.event.sentence[start:end].endswith("remote hospital")


def test_propose_named_actors_are_not_repeated_as_unknown_phrases(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    keep = Keep()
    Coder(nlp, small_knowledge, scorer=keep).code_text("India attacked Pakistan on Monday.")
    codes = {c.event.target.code for c in keep.found if c.event.target is not None}
    # "Monday" is a date, Pakistan a named actor; India, the drafted doer, is no target.
    assert codes == {"PAK"}


@pytest.mark.slow
def test_propose_event_noun_keeps_its_own_doer(builtin_coder: Coder) -> None:
    keep = Keep()
    coder = Coder(builtin_coder.nlp, builtin_coder.knowledge, scorer=keep)
    coder.code_text("Pakistan condemned the U.S. drone strike.")
    strike = [c for c in keep.found if c.event.cameo.startswith("19")]
    own = [c for c in strike if c.lexicon_pair and c.own_doer]
    assert [c.event.source.code for c in own] == ["USA"]
    assert all("pair_owndoer=self" in c.pair_features for c in own)
    assert {c.event.source.code for c in strike} == {"USA"}  # never PAK's strike
    condemned = [c for c in keep.found if c.event.cameo.startswith("11")]
    assert condemned and not any(c.own_doer for c in condemned)
    assert all("pair_owndoer=none" in c.pair_features for c in condemned)
    assert ("PAK", "USAMIL") in {
        (c.event.source.code, c.event.target.code if c.event.target else None) for c in condemned
    }


@pytest.mark.slow
def test_propose_no_second_candidate_on_the_drafted_words(builtin_coder: Coder) -> None:
    keep = Keep()
    coder = Coder(builtin_coder.nlp, builtin_coder.knowledge, scorer=keep)
    coder.code_text("Police arrested two men in Lucknow on Monday.")
    drafted = [c for c in keep.found if c.lexicon_pair]
    assert drafted
    for candidate in keep.found:
        if candidate.lexicon_pair:
            continue
        same = [
            d
            for d in drafted
            if d.event.evidence.source == candidate.event.evidence.source
            and d.event.evidence.target == candidate.event.evidence.target
        ]
        assert not same, candidate.event
        target = candidate.event.target
        assert target is None or target.text != "two men"  # the drafted target, as CVL


def test_propose_fallback_takes_the_main_predicate_and_its_parties(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    seen: list[Candidate] = []

    @dataclass
    class _Fallbacks:
        def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
            found = fallback(view)
            if found is not None and not events:
                seen.append(found)
            return events

    Coder(nlp, small_knowledge, scorer=_Fallbacks()).code_text(
        "The harbour master of Pakistan lectured India about fishing rights."
    )
    (candidate,) = seen
    event = candidate.event
    assert candidate.fallback and event.rule == FALLBACK_RULE
    assert event.sentence[slice(*event.evidence.trigger)] == "lectured"
    assert event.source.code == "PAK"
    assert event.target is not None and event.target.code == "IND"
    assert "fblem=lecture" in candidate.type_features
