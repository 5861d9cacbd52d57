"""Arguments of event nouns and statements the proposer now reaches: a noun's
possessor and ``by`` phrase as its doer, a statement's complement subject as
the target.

Our own sentences with no dictionary actors: every phrase is an unnamed one.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span, Token

from dyadwatch.coder.scoring.propose import SentenceView, argument_phrases


def _sentence(nlp: Language, text: str) -> Span:
    return next(iter(nlp(text).sents))


def _trigger(sentence: Span, word: str) -> Token:
    return next(t for t in sentence if t.text == word)


def _roles(nlp: Language, text: str, word: str) -> tuple[set[str], set[str]]:
    sentence = _sentence(nlp, text)
    sources, targets = argument_phrases(_trigger(sentence, word), SentenceView(sentence, ()))
    return {a.text for _, a in sources}, {a.text for _, a in targets}


def test_propose_nominal_possessor_is_the_nouns_doer(nlp: Language) -> None:
    sources, targets = _roles(nlp, "The smugglers' raid on the border post lasted an hour.", "raid")
    assert "The smugglers" in sources
    assert "the border post" in targets
    assert "The smugglers" not in targets


def test_propose_nominal_by_phrase_is_the_doer_not_the_target(nlp: Language) -> None:
    sources, targets = _roles(
        nlp, "The raid by the smugglers on the border post lasted an hour.", "raid"
    )
    assert "the smugglers" in sources
    assert "the smugglers" not in targets


def test_propose_nominal_verb_by_phrase_stays_a_preposition(nlp: Language) -> None:
    # A verb's "by" phrase that is no agent ("stood by the miners") keeps its target role.
    _, targets = _roles(nlp, "The union stood by the miners during the strike.", "stood")
    assert "the miners" in targets


def test_propose_nominal_statement_complement_subject_is_a_target(nlp: Language) -> None:
    sources, targets = _roles(
        nlp, "The fishermen said the harbour board must lower its fees.", "said"
    )
    assert "The fishermen" in sources
    assert "the harbour board" in targets
