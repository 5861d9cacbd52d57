"""A moved pair never takes a place or the act's reporter as its doer (row 295,
``coder/scoring/bystanders.py``); the sentences are the team's own."""

from __future__ import annotations

import pytest
from _scoring_support import Keep
from spacy.language import Language

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.modality import load_clause_knowledge
from dyadwatch.coder.scoring.bystanders import placed, places, speakers
from dyadwatch.coder.scoring.features import Candidate

COMMUNICATION = load_clause_knowledge().communication


def _moved_sources(coder: Coder, text: str, roots: tuple[str, ...]) -> set[str]:
    """The source words of every moved candidate of the given CAMEO roots."""
    keep = Keep()
    Coder(coder.nlp, coder.knowledge, scorer=keep).code_text(text)
    return {_source(c) for c in keep.found if not c.lexicon_pair and c.event.cameo[:2] in roots}


def _source(candidate: Candidate) -> str:
    span = candidate.event.evidence.source
    return "" if span is None else candidate.event.sentence[span[0] : span[1]]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Gunmen attacked a church in northern Mali.", "Mali", True),
        ("Troops pushed into Iraq and Kuwait.", "Kuwait", True),
        ("A blast hit a town in the north of Ghana.", "Ghana", True),
        ("Gunmen shot ten men in the Mexican city of Leon.", "Leon", True),
        ("The leaders of India met in Delhi.", "India", False),
        ("Troops from Chad crossed the border.", "Chad", False),
        ("Iran condemned Israel.", "Israel", False),
    ],
)
def test_placed_reads_the_locative_preposition(
    nlp: Language, text: str, word: str, expected: bool
) -> None:
    doc = nlp(text)
    head = next(t for t in doc if t.text == word)
    assert placed(head) is expected


def test_places_leave_event_nouns_out(nlp: Language) -> None:
    doc = nlp("Five people were killed in an attack by militants in Somalia.")
    sentence = doc[:]
    attack = next(t.i for t in doc if t.text == "attack")
    found = {doc[i].text for i in places(sentence, {attack})}
    assert "Somalia" in found
    assert "attack" not in found
    assert "militants" not in found


@pytest.mark.parametrize(
    ("text", "trigger", "speaker"),
    [
        ("Kenyan officials say rebels have attacked a police post.", "attacked", "officials"),
        ("Rebels shelled the town, the army said.", "shelled", "army"),
        ("According to the ministry, rebels shelled the town.", "shelled", "ministry"),
    ],
)
def test_speakers_are_who_report_the_act(
    nlp: Language, text: str, trigger: str, speaker: str
) -> None:
    doc = nlp(text)
    act = next(t for t in doc if t.text == trigger)
    assert speaker in {doc[i].text for i in speakers(act, COMMUNICATION)}


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Iran said it had seized a tanker.", "seized"),
        ("The army said its jets had bombed the camp.", "bombed"),
        ("The army said rebels shelled the town.", "said"),
    ],
)
def test_no_speaker_when_the_speaker_may_be_the_doer(
    nlp: Language, text: str, trigger: str
) -> None:
    doc = nlp(text)
    act = next(t for t in doc if t.text == trigger)
    assert not speakers(act, COMMUNICATION)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "bystander"),
    [
        ("At least nine people were killed when gunmen attacked a wedding in northern Niger.",
         "Niger"),
        ("Four soldiers were wounded when a roadside bomb exploded near their base in Mali.",
         "Mali"),
        ("Afghan officials say Taliban fighters have attacked a checkpoint, killing six police.",
         "Afghan officials"),
        ("Eleven peacekeepers were injured in a grenade blast in Goma, the UN said.", "UN"),
    ],
)  # fmt: skip
def test_moved_pairs_take_no_place_or_reporter_as_the_doer(
    builtin_coder: Coder, text: str, bystander: str
) -> None:
    sources = _moved_sources(builtin_coder, text, ("18", "19", "20"))
    assert bystander not in sources, sources


@pytest.mark.slow
def test_a_doer_named_inside_a_place_phrase_stays(builtin_coder: Coder) -> None:
    # "in a US drone strike": the strike is an event noun, not where it happened.
    keep = Keep()
    text = "Five people were killed in a US drone strike in Yemen."
    Coder(builtin_coder.nlp, builtin_coder.knowledge, scorer=keep).code_text(text)
    killed = [c for c in keep.found if c.event.cameo[:2] in ("18", "19")]
    assert any(c.event.source.code.startswith("USA") for c in killed), [
        (c.event.source.code, _source(c)) for c in killed
    ]
    assert "Yemen" not in {_source(c) for c in killed if not c.lexicon_pair}
