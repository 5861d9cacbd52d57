"""Arguments of event nouns and statements the proposer now reaches: a noun's
possessor and ``by`` phrase as its doer, a statement's complement subject as
the target.

Our own sentences with no dictionary actors: every phrase is an unnamed one.
"""

from __future__ import annotations

from _scoring_support import phrase_roles
from spacy.language import Language


def test_propose_nominal_possessor_is_the_nouns_doer(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The smugglers' raid on the border post lasted an hour.", "raid"
    )
    assert "The smugglers" in sources
    assert "the border post" in targets
    assert "The smugglers" not in targets


def test_propose_nominal_by_phrase_is_the_doer_not_the_target(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The raid by the smugglers on the border post lasted an hour.", "raid"
    )
    assert "the smugglers" in sources
    assert "the smugglers" not in targets


def test_propose_nominal_verb_by_phrase_stays_a_preposition(nlp: Language) -> None:
    # A verb's "by" phrase that is no agent ("stood by the miners") keeps its target role.
    _, targets = phrase_roles(nlp, "The union stood by the miners during the strike.", "stood")
    assert "the miners" in targets


def test_propose_nominal_statement_complement_subject_is_a_target(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The fishermen said the harbour board must lower its fees.", "said"
    )
    assert "The fishermen" in sources
    assert "the harbour board" in targets
