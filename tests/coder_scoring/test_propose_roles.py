"""Candidates keep the roles the syntax gave: no flipped pairs, an event noun's own doer."""

from __future__ import annotations

import pytest
from _scoring_support import Keep

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.features import Candidate


def _candidates(coder: Coder, text: str) -> list[Candidate]:
    keep = Keep()
    Coder(coder.nlp, coder.knowledge, scorer=keep).code_text(text)
    return keep.found


def _words(candidate: Candidate, role: str) -> str | None:
    span = getattr(candidate.event.evidence, role)
    return None if span is None else candidate.event.sentence[span[0] : span[1]]


@pytest.mark.slow
def test_propose_roles_passive_victim_is_never_the_source(builtin_coder: Coder) -> None:
    found = _candidates(builtin_coder, "Three Afghan villagers were killed by a Russian missile.")
    killing = [c for c in found if c.event.cameo[:2] in ("18", "19", "20")]
    assert killing
    sources = {_words(c, "source") for c in killing}
    assert not any(s is not None and "villagers" in s for s in sources), sources
    targets = {_words(c, "target") for c in killing}
    assert not any(t is not None and "Russian" in t for t in targets), targets


@pytest.mark.slow
def test_propose_roles_drafted_doer_is_never_the_target(builtin_coder: Coder) -> None:
    found = _candidates(builtin_coder, "Turkish jets bombed Kurdish positions in Syria.")
    drafted = [c for c in found if c.lexicon_pair and c.event.cameo[:2] in ("18", "19")]
    assert drafted
    doers = {_words(c, "source") for c in drafted}
    victims = {_words(c, "target") for c in drafted} - {None}
    for candidate in found:
        if (
            candidate.lexicon_pair
            or candidate.event.evidence.trigger != drafted[0].event.evidence.trigger
        ):
            continue
        assert _words(candidate, "target") not in doers, candidate.event
        assert _words(candidate, "source") not in victims, candidate.event


@pytest.mark.slow
def test_propose_roles_doer_under_compound_is_the_noun_own_doer(builtin_coder: Coder) -> None:
    # "US" modifies "drone", which modifies "strikes": the actor list resolves it at
    # the noun itself, and it is still the strikes' own doer.
    found = _candidates(builtin_coder, "The Yemeni cabinet approved further US drone strikes.")
    strikes = [c for c in found if c.event.cameo.startswith("19")]
    assert strikes
    assert {c.event.source.code[:3] for c in strikes} == {"USA"}
    assert any(c.own_doer for c in strikes if c.lexicon_pair)


@pytest.mark.slow
def test_propose_roles_noun_under_another_doers_verb_is_held(builtin_coder: Coder) -> None:
    found = _candidates(builtin_coder, "Egypt condemned the Israeli air raid on Gaza.")
    raid = [c for c in found if c.own_doer]
    assert raid and all(c.nested_doer for c in raid)
    condemned = [c for c in found if c.event.cameo.startswith("11")]
    assert condemned and not any(c.nested_doer for c in condemned)
    # Its own doer's verb ("Israel said its raid ...") is no other doer: nothing held.
    own = _candidates(builtin_coder, "Israel defended its air raid on Gaza.")
    assert not any(c.nested_doer for c in own)
