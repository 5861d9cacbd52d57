"""The shipped scorer: offline loading, its decisions on events, confidence filtering."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring import Scorer, confident, load_weights
from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.model import (
    WEIGHTS_FILE,
    Scored,
    builtin_event,
    decide,
    select,
    type_class,
    write_npz,
)
from dyadwatch.config import Settings
from dyadwatch.errors import ScorerError
from dyadwatch.model import Actor, Event, Evidence
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "dyadwatch" / "coder" / "scoring" / "data"


def _event(rule: str | None, confidence: float = 0.5) -> Event:
    return Event(
        "e", "d", 0, "Rohan shelled Gondor.", Actor("Rohan", "ROH", "ROH"), None, "190", -10.0,
        4, None, Evidence((6, 13)), confidence=confidence, rule=rule,
    )  # fmt: skip


def test_model_shipped_weights_load_offline_and_are_small() -> None:
    path = SHIPPED / WEIGHTS_FILE
    assert path.stat().st_size < 25 * 2**20
    weights = load_weights()
    assert "ASSAULT" in weights.types.classes
    assert weights.penta.classes == ("0", "1", "2", "3", "4")
    # One more signal, the second stage's pick, when the weights hold the stage.
    assert len(weights.calibrator.coef) == 6 + (weights.choice is not None)
    assert weights.event.classes == ("right",)


def test_model_damaged_weights_are_dw803(tmp_path: Path) -> None:
    bad = tmp_path / "scorer.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ScorerError) as caught:
        load_weights(bad)
    assert caught.value.code == "DW803"


def test_model_only_builtin_rules_are_touched() -> None:
    scorer = Scorer.load()
    assert scorer.touches(_event("triggers.yaml:120"))
    assert scorer.touches(_event("pair:triggers.yaml:120"))
    assert not scorer.touches(_event("my_rules.yaml:3"))
    assert not builtin_event(_event(None))
    assert Scorer.load(scope="all").touches(_event("my_rules.yaml:3"))


def test_model_confident_filters_and_checks_its_threshold() -> None:
    events = [_event("x", 0.2), _event("x", 0.7), _event("x", 0.9)]
    assert [e.confidence for e in confident(events, 0.7)] == [0.7, 0.9]
    assert confident(events, 0.0) == events
    for bad in (-0.1, 1.5):
        with pytest.raises(ScorerError) as caught:
            confident(events, bad)
        assert caught.value.code == "DW804"


@pytest.mark.slow
def test_model_scored_events_explain_themselves(scored_coder: Coder) -> None:
    assert scored_coder.scorer is not None
    events = scored_coder.code_text("Pakistani troops shelled Indian border posts on Sunday.")
    assert events
    for event in events:
        assert 0.0 <= event.confidence <= 1.0
        assert event.rule is not None
        own = type_class(event.plover.type) if event.plover else None
        assert event.next_type is not None and event.next_type != own
        assert event.next_type_probability is not None
        assert {"rule", "next_type", "next_type_probability"} <= set(event.to_dict())


@pytest.mark.slow
def test_model_min_confidence_leaves_out_doubtful_events(nlp: Language) -> None:
    text = "India accused Pakistan of shelling its posts and then agreed to talks with China."
    every = Coder.builtin(Settings(), nlp=nlp).code_text(text)
    assert len(every) >= 2
    cut = sorted(e.confidence for e in every)[len(every) // 2]
    kept = Coder.builtin(Settings(), nlp=nlp, min_confidence=cut).code_text(text)
    assert kept and all(e.confidence >= cut for e in kept)
    assert len(kept) < len(every)
    with pytest.raises(ScorerError):
        Coder.builtin(Settings(), nlp=nlp, min_confidence=2.0)


@pytest.mark.slow
def test_model_lexicon_only_coder_keeps_heuristic_confidence(nlp: Language) -> None:
    coder = Coder.builtin(Settings(), nlp=nlp, learned=False)
    assert coder.scorer is None
    (event, *_) = coder.code_text("Pakistani troops shelled Indian border posts on Sunday.")
    assert event.next_type is None and event.next_type_probability is None


def _scored(source: str, pair: float, *, lexicon: bool, own: bool) -> Scored:
    event = replace(_event("triggers.yaml:1"), source=Actor(source, source, source))
    candidate = Candidate(event, (), (), lexicon, own)
    return Scored(candidate, "190", 0.5, 0.5, pair, None, None, (0.0, 0.0, 0.0, 1.0), 0.5)


def test_model_select_keeps_an_event_nouns_own_doer_when_no_pair_is_accepted() -> None:
    own = _scored("ROH", 0.3, lexicon=True, own=True)
    other = _scored("GON", 0.45, lexicon=False, own=False)
    assert select([own, other]) == [own]
    plain = _scored("ROH", 0.3, lexicon=True, own=False)
    assert select([plain, other]) == [other]  # no own doer: the likeliest pair
    sure = _scored("GON", 0.6, lexicon=False, own=False)
    assert select([own, sure]) == [sure]  # an accepted pair still wins


def _fallback(p_event: float) -> Scored:
    event = replace(_event("fallback"), cameo="---", goldstein=None, quad=None)
    candidate = Candidate(event, (), (), False, fallback=True)
    return Scored(candidate, "190", 0.5, 0.5, 0.5, None, None, (0.0,) * 6, 0.5, p_event)


def test_model_select_keeps_a_fallback_only_when_the_event_model_says_so() -> None:
    assert select([_fallback(0.2)]) == []
    sure = _fallback(0.9)
    assert select([sure]) == [sure]


def test_model_fallback_event_takes_the_chosen_code_and_its_scores() -> None:
    (event,) = decide([_fallback(0.9)], load_cameo(), load_plover())
    assert event.cameo == "190" and event.goldstein is not None and event.quad == 4
    assert event.plover is not None and event.plover.type == "ASSAULT"
    assert event.rule == "fallback" and event.id != "e"


@pytest.mark.slow
def test_model_fallback_is_off_for_petrarch_scope(nlp: Language) -> None:
    assert Scorer.load().fallback
    assert not Scorer.load(scope="all").fallback


def test_model_weights_with_removed_keys_load_as_the_same_weights(tmp_path: Path) -> None:
    """A file written before session 16 may hold the listwise pair ranker (``rank_*``)
    and the second stage's removed settings (``choice_shortlist`` ...): the loader
    reads the keys it knows, so such a file gives the weights it gives without them."""
    now = tmp_path / "now.npz"
    load_weights().save(now)
    with np.load(now, allow_pickle=False) as arrays:
        old = dict(arrays)
    old |= {
        "rank_classes": np.asarray(["rank"]),
        "rank_rows": np.asarray([7], dtype=np.int64),
        "rank_weights": np.ones((1, 1), dtype=np.float32),
        "rank_bias": np.zeros(1),
        "choice_shortlist": np.asarray([3], dtype=np.int64),
        "choice_marginal": np.asarray([True]),
        "choice_keep_own": np.asarray([True]),
        "choice_own_bonus": np.asarray([2.0]),
    }
    write_npz(tmp_path / "old.npz", old)
    again = tmp_path / "again.npz"
    load_weights(tmp_path / "old.npz").save(again)
    assert again.read_bytes() == now.read_bytes()
    with zipfile.ZipFile(again) as saved:
        names = {n.removesuffix(".npy") for n in saved.namelist()}
    assert not names & {"rank_rows", "choice_shortlist", "choice_own_bonus"}
