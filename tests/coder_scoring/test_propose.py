"""Candidates: the lexicon's drafts and the trigger's other actor pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.propose import PAIR_RULE, SentenceView, propose
from dyadwatch.model import Event


@dataclass
class _Keep:
    """A rescorer that records every sentence's candidates and changes nothing."""

    found: list[Candidate] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        self.found.extend(propose(events, view))
        return events


def test_propose_lexicon_pair_first_then_other_pairs(
    nlp: Language, small_knowledge: Knowledge
) -> None:
    keep = _Keep()
    coder = Coder(nlp, small_knowledge, scorer=keep)
    events = coder.code_text("India attacked Pakistan near the Chinese border.")
    assert events
    lexicon = [c for c in keep.found if c.lexicon_pair]
    others = [c for c in keep.found if not c.lexicon_pair]
    assert [(c.event.source.code, c.event.target.code if c.event.target else None)
            for c in lexicon] == [("IND", "PAK")]  # fmt: skip
    pairs = {(c.event.source.code, c.event.target.code if c.event.target else None)
             for c in others}  # fmt: skip
    assert ("PAK", "IND") in pairs and ("IND", None) in pairs
    assert ("IND", "PAK") not in pairs
    for candidate in others:
        assert candidate.event.rule is not None and candidate.event.rule.startswith(PAIR_RULE)
        assert candidate.event.evidence.source is not None
        start, end = candidate.event.evidence.source
        assert candidate.event.sentence[start:end] in {"India", "Pakistan"}
        assert "pair_lexicon=False" in candidate.pair_features
    assert "pair_lexicon=True" in lexicon[0].pair_features
    assert "lem=attack" in lexicon[0].type_features


def test_propose_nothing_without_events(nlp: Language, small_knowledge: Knowledge) -> None:
    keep = _Keep()
    Coder(nlp, small_knowledge, scorer=keep).code_text("The weather was mild in India.")
    assert keep.found == []
