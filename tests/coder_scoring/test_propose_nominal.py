"""Arguments of event nouns and statements the proposer now reaches: a noun's
possessor and ``by`` phrase as its doer, a statement's complement subject as
the target; and the pair model's view of a trigger's alternatives (``ranked``).

Our own sentences with no dictionary actors: every phrase is an unnamed one.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Span, Token

from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.propose import SentenceView, argument_phrases, ranked
from dyadwatch.model import Actor, Event, Evidence


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


def _candidate(sentence: Span, source: str, target: str | None, lexicon: bool) -> Candidate:
    def span(word: str) -> tuple[int, int]:
        token = _trigger(sentence, word)
        return (token.idx - sentence.start_char, token.idx + len(token.text) - sentence.start_char)

    trigger = _trigger(sentence, "fined")
    event = Event(
        id="", doc_id="d", sentence_index=0, sentence=sentence.text,
        source=Actor(source, "---"), target=Actor(target, "---") if target else None,
        cameo="172", goldstein=None, quad=None, plover=None,
        evidence=Evidence(span(trigger.text), span(source), span(target) if target else None),
    )  # fmt: skip
    return Candidate(event, (), ("pair_lexicon=x",), lexicon)


def test_propose_nominal_ranked_tells_the_nearest_source_and_the_drafted_side(
    nlp: Language,
) -> None:
    sentence = _sentence(nlp, "The mayor said the council fined the bakers.")
    trigger = _trigger(sentence, "fined")
    group = [
        _candidate(sentence, "council", "bakers", True),
        _candidate(sentence, "mayor", "bakers", False),
        _candidate(sentence, "council", None, False),
    ]
    found = [
        dict(f.split("=", 1) for f in c.pair_features) for c in ranked(group, trigger, sentence)
    ]
    assert [f["pair_srank"] for f in found] == ["0", "1", "0"]
    assert [f["pair_trank"] for f in found] == ["0", "0", "none"]
    assert [f["pair_lexside"] for f in found] == ["True|True", "False|True", "True|False"]
    # The features are added, never replacing the pair's own.
    assert all(c.pair_features[0] == "pair_lexicon=x" for c in ranked(group, trigger, sentence))
