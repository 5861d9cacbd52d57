"""Candidate phrases a clause away from the trigger: conjuncts, relative and
reduced clauses, event nouns carried by a verb, prepositional chains.

``argument_phrases`` is read on parses of our own sentences with no dictionary
actors, so every phrase it finds is an unnamed one, in the role it gives it.
"""

from __future__ import annotations

from _scoring_support import phrase_roles
from spacy.language import Language


def test_propose_clauses_conjoined_subjects_are_doers_and_partners(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The fishermen and the harbour board signed a deal on quotas.", "signed"
    )
    assert {"The fishermen", "the harbour board"} <= sources
    # Partners of a mutual act: each may be the other's counterpart.
    assert "the harbour board" in targets


def test_propose_clauses_conjoined_objects_share_the_target_role(nlp: Language) -> None:
    sources, targets = phrase_roles(nlp, "The council fined the bakers and the millers.", "fined")
    assert {"the bakers", "the millers"} <= targets
    assert not {"the bakers", "the millers"} & sources


def test_propose_clauses_conjoined_agents_are_co_doers_only(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The depot was looted by the guards and the porters.", "looted"
    )
    assert {"the guards", "the porters"} <= sources
    assert not {"the guards", "the porters"} & targets


def test_propose_clauses_relative_pronoun_stands_for_its_noun(nlp: Language) -> None:
    sources, _ = phrase_roles(
        nlp, "The farmers, who blocked the highway, went home at dusk.", "blocked"
    )
    assert "The farmers" in sources
    assert "who" not in sources


def test_propose_clauses_carried_event_noun_takes_the_verbphrase_roles(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The farmers launched a fierce attack on the grain depot.", "attack"
    )
    assert "The farmers" in sources
    assert "the grain depot" in targets


def test_propose_clauses_noun_not_carried_takes_no_subject(nlp: Language) -> None:
    # A subject noun is not carried by its verb: the verb's object is no doer.
    sources, _ = phrase_roles(nlp, "The attack on the depot angered the farmers.", "attack")
    assert "the farmers" not in sources


def test_propose_clauses_prepositional_clause_subject(nlp: Language) -> None:
    sources, _ = phrase_roles(nlp, "The millers were guilty of blocking the canal.", "blocking")
    assert "The millers" in sources


def test_propose_clauses_object_controls_a_prepositional_clause(nlp: Language) -> None:
    sources, _ = phrase_roles(
        nlp, "The mayor accused the millers of blocking the canal.", "blocking"
    )
    assert "the millers" in sources
    assert "The mayor" not in sources


def test_propose_clauses_two_prepositions_away(nlp: Language) -> None:
    _, targets = phrase_roles(nlp, "The mayor left on a visit to the harbour board.", "left")
    assert "the harbour board" in targets
