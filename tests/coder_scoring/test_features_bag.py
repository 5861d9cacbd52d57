"""A sentence's bag of words hashed once gives the vectors and decisions of hashing it
with every candidate (docs/MODEL.md, "Speed", session 14)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import pytest
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import Scorer, SentenceView
from dyadwatch.coder.scoring.features import (
    HASH_BITS,
    BagVector,
    Candidate,
    FeatureVector,
    hash_bag,
    hash_features,
    hash_with_bag,
)
from dyadwatch.coder.scoring.propose import propose
from dyadwatch.config import Settings
from dyadwatch.model import Event

# Our own sentences: one draft, many drafts and pairs, none (the fallback), odd ones.
TEXTS = [
    "Indian police arrested two Pakistani men near the border on Tuesday.",
    "Russia attacked Ukraine, Ukraine shelled Russian positions, and Poland condemned "
    "Russia, while France and Germany urged Moscow and Kyiv to hold talks with Turkey.",
    "The farmers of Punjab harvested wheat early because of the heat.",
    "...",
    "Arrested!",
    "Police police police arrested arrested arrested the the the men men men.",
]


def test_features_hash_with_bag_equals_hashing_all_strings() -> None:
    own = ["code=190", "lem=attack", "kid=nsubj|police", "w-1=police", "w1=the", "nest=x"]
    bag = ["u=police", "u=attack", "u=police", "u=village", "u=police"]
    hashed = hash_bag(bag)
    assert hashed is not None and hashed.group == "u"
    split = hash_with_bag(own, hashed)
    assert split == hash_features([*own[:4], *bag, *own[4:]])
    assert split == hash_features([*own, *bag])


def test_features_hash_bag_needs_one_group() -> None:
    assert hash_bag([]) is None
    assert hash_bag(["u=police", "b=police_arrest"]) is None


def test_features_hash_with_bag_declines_a_shared_group() -> None:
    hashed = hash_bag(["u=police", "u=men"])
    assert hashed is not None
    # Another "u=" string changes the bag's weight: the caller hashes all strings.
    assert hash_with_bag(["lem=arrest", "u=village"], hashed) is None


def test_features_hash_with_bag_declines_a_shared_index() -> None:
    index = zlib.crc32(b"lem=arrest") & ((1 << HASH_BITS) - 1)
    collided = BagVector("u", {index: 0.5})
    # A bag index that another feature also hashes to: the additions' order could differ.
    assert hash_with_bag(["lem=arrest", "code=173"], collided) is None


@dataclass
class _Recording:
    """Keeps every sentence the coder hands the scorer, and passes it on."""

    inner: Scorer
    seen: list[tuple[list[Event], SentenceView]] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        self.seen.append((list(events), view))
        return self.inner.rescore(events, view)


class _PlainScorer(Scorer):
    """The scorer with every candidate's type features hashed whole (the plain path)."""

    def type_vector(
        self, candidate: Candidate, bags: dict[tuple[str, ...], BagVector | None]
    ) -> FeatureVector:
        return hash_features(candidate.type_features)


@pytest.fixture(scope="module")
def seen(nlp: Language) -> list[tuple[list[Event], SentenceView]]:
    recording = _Recording(Scorer.load())
    base = Coder.builtin(Settings(), nlp=nlp, learned=False)
    Coder(base.nlp, base.knowledge, scorer=recording).code_texts(TEXTS)
    return recording.seen


@pytest.mark.slow
def test_features_bag_once_a_sentence_gives_the_same_vectors(
    seen: list[tuple[list[Event], SentenceView]],
) -> None:
    scorer = Scorer.load()
    counts = []
    for events, view in seen:
        mine = [e for e in events if scorer.touches(e)]
        candidates = propose(mine, view) if mine else []
        counts.append(len(candidates))
        bags: dict[tuple[str, ...], BagVector | None] = {}
        for candidate in candidates:
            start, end = candidate.bag
            assert end > start
            assert all(f.startswith("u=") for f in candidate.type_features[start:end])
            vector = scorer.type_vector(candidate, bags)
            assert vector == hash_features(candidate.type_features)
            assert scorer.read(candidate, vector) == scorer.read(candidate)
        assert len(bags) <= 1  # one bag a sentence, hashed once
    assert 0 in counts and max(counts) >= 6  # sentences without and with many candidates


@pytest.mark.slow
def test_features_bag_once_a_sentence_gives_the_same_events(
    seen: list[tuple[list[Event], SentenceView]],
) -> None:
    fast, plain = Scorer.load(), _PlainScorer(Scorer.load().weights)
    for events, view in seen:
        decided = fast.rescore(list(events), view)
        assert [e.to_dict() for e in decided] == [
            e.to_dict() for e in plain.rescore(list(events), view)
        ]
