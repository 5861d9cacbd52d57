"""Behaviour of the Coder end to end: roles, conjuncts, modality, discourse, evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch.actors.dictionary import ActorDictionary, DiscardEntry
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.model import Document, Event

DAY = dt.date(2019, 2, 26)
BALAKOT = (
    "Indian warplanes struck what New Delhi called a militant training camp near Balakot "
    "on 26 February 2019. The next day Pakistan's military said it had shot down two Indian "
    "jets, and China urged both sides to exercise restraint."
)
CONTRACT_KEYS = {
    "id", "doc_id", "doc_url", "sentence_index", "sentence", "date", "date_precision",
    "date_range", "date_basis", "source", "target", "cameo", "cameo_root", "goldstein", "quad",
    "plover", "modality", "location", "size", "evidence", "confidence", "rule", "next_type",
    "next_type_probability", "mentions", "alternatives", "place_basis",
}  # fmt: skip
ACTOR_KEYS = {"text", "code", "country", "sector", "name"}


def dyads(events: list[Event]) -> set[tuple[str, str | None, str]]:
    return {(e.source.code, e.target.code if e.target else None, e.cameo) for e in events}


def only(events: list[Event]) -> Event:
    assert len(events) == 1, dyads(events)
    return events[0]


def test_engine_active_voice_codes_subject_to_object(small_coder: Coder) -> None:
    event = only(small_coder.code_text("India attacked Pakistan.", DAY))
    assert (event.source.code, event.target and event.target.code, event.cameo) == (
        "IND",
        "PAK",
        "190",
    )
    assert event.modality.to_dict() == {"negated": False, "hypothetical": False, "reported": False}


def test_engine_passive_voice_codes_agent_to_subject(small_coder: Coder) -> None:
    event = only(small_coder.code_text("Pakistan was attacked by India.", DAY))
    assert dyads([event]) == {("IND", "PAK", "190")}
    assert event.goldstein == -10.0
    assert event.quad == 4


def test_engine_compound_subject_gives_one_event_per_member(small_coder: Coder) -> None:
    events = small_coder.code_text("India and China attacked Pakistan.", DAY)
    assert dyads(events) == {("IND", "PAK", "190"), ("CHN", "PAK", "190")}
    assert len(events) == 2


def test_engine_compound_object_gives_one_event_per_member(small_coder: Coder) -> None:
    events = small_coder.code_text("Pakistan attacked India and Afghanistan.", DAY)
    assert dyads(events) == {("PAK", "IND", "190"), ("PAK", "AFG", "190")}
    assert len(events) == 2


def test_engine_negation_is_flagged_not_dropped(small_coder: Coder) -> None:
    event = only(small_coder.code_text("India did not attack Pakistan.", DAY))
    assert dyads([event]) == {("IND", "PAK", "190")}
    assert event.modality.negated is True
    assert event.modality.hypothetical is False


def test_engine_conditional_makes_both_clauses_hypothetical(small_coder: Coder) -> None:
    events = small_coder.code_text("If India attacks Pakistan, China would attack India.", DAY)
    assert dyads(events) == {("IND", "PAK", "190"), ("CHN", "IND", "190")}
    assert all(e.modality.hypothetical for e in events)
    assert not any(e.modality.negated or e.modality.reported for e in events)


def test_engine_reported_claim_resolves_pronoun_to_speaker(small_coder: Coder) -> None:
    text = "Pakistan's military said it had shot down two Indian jets."
    event = only(small_coder.code_text(text, DAY))
    assert event.source.code == "PAKMIL"
    # The pronoun's antecedent is in the sentence: the evidence is its words.
    assert event.source.text == "Pakistan's military"
    assert event.evidence.source is not None
    assert event.sentence[slice(*event.evidence.source)] == "Pakistan's military"
    assert event.target is not None and event.target.code == "INDMIL"
    assert event.cameo == "190"
    assert event.modality.reported is True
    assert event.sentence[slice(*event.evidence.trigger)] == "shot"


def test_engine_intent_control_verb_recodes_and_adds_no_event(small_coder: Coder) -> None:
    event = only(small_coder.code_text("Pakistan agreed to hold talks with India.", DAY))
    assert dyads([event]) == {("PAK", "IND", "036")}
    # "agreed" has its own rule (030) but only frames "hold talks": no event of its own.
    assert event.sentence[slice(*event.evidence.trigger)] == "hold"


def test_engine_future_tense_is_intent(small_coder: Coder) -> None:
    events = small_coder.code_text("Pakistan will hold talks with India.", DAY)
    assert dyads(events) == {("PAK", "IND", "036")}


def test_engine_refusal_recodes_to_reject(small_coder: Coder) -> None:
    event = only(small_coder.code_text("Pakistan refused to hold talks with India.", DAY))
    assert event.cameo.startswith("12")
    assert dyads([event]) == {("PAK", "IND", "125")}


def test_engine_collective_target_is_the_last_two_countries(small_coder: Coder) -> None:
    text = "Pakistan's military attacked India. China urged both sides to exercise restraint."
    events = [e for e in small_coder.code_text(text, DAY) if e.sentence_index == 1]
    assert dyads(events) == {("CHN", "IND", "0256"), ("CHN", "PAK", "0256")}
    for event in events:
        # "both sides" are the countries, not the PAKMIL that was named.
        assert event.target is not None
        assert event.target.sector is None
        assert event.target.country == event.target.code
        assert event.target.text == "sides"


def test_engine_collective_without_history_has_no_target(small_coder: Coder) -> None:
    events = small_coder.code_text("China urged both sides to exercise restraint.", DAY)
    assert dyads(events) == {("CHN", None, "0256")}


def test_engine_evidence_spans_point_into_the_sentence(small_coder: Coder) -> None:
    event = only(small_coder.code_text("Pakistan was attacked by India.", DAY))
    sentence = event.sentence
    assert sentence[slice(*event.evidence.trigger)] == "attacked"
    assert event.evidence.source is not None and event.evidence.target is not None
    assert sentence[slice(*event.evidence.source)] == "India"
    assert sentence[slice(*event.evidence.target)] == "Pakistan"


def test_engine_evidence_source_covers_the_whole_actor_phrase(small_coder: Coder) -> None:
    text = "Pakistan's military attacked India."
    event = only(small_coder.code_text(text, DAY))
    assert event.evidence.source is not None
    assert event.sentence[slice(*event.evidence.source)] == "Pakistan's military"
    assert event.source.text == "Pakistan's military"


def test_engine_evidence_is_relative_to_its_sentence(small_coder: Coder) -> None:
    events = small_coder.code_text("India met China. Pakistan attacked India.", DAY)
    second = next(e for e in events if e.sentence_index == 1)
    assert second.sentence == "Pakistan attacked India."
    assert second.sentence[slice(*second.evidence.trigger)] == "attacked"


def test_engine_to_dict_is_exactly_the_output_contract(small_coder: Coder) -> None:
    event = only(small_coder.code_text("India attacked Pakistan.", DAY))
    data = event.to_dict()
    assert set(data) == CONTRACT_KEYS
    assert isinstance(data["source"], dict) and set(data["source"]) == ACTOR_KEYS
    assert isinstance(data["target"], dict) and set(data["target"]) == ACTOR_KEYS
    assert data["cameo_root"] == "19"
    assert data["date"] == "2019-02-26"
    assert data["date_precision"] == "day"
    assert data["evidence"] == {"trigger": [6, 14], "source": [0, 5], "target": [15, 23]}


def test_engine_sentence_date_beats_publication_date(small_coder: Coder) -> None:
    text = "India attacked Pakistan on 3 March 2019. China attacked India."
    first, second = small_coder.code_text(text, DAY)
    assert (first.date, first.date_precision) == (dt.date(2019, 3, 3), "day")
    assert (second.date, second.date_precision) == (DAY, "day")


def test_engine_undated_text_gives_undated_events(small_coder: Coder) -> None:
    event = only(small_coder.code_text("India attacked Pakistan."))
    assert event.date is None and event.date_precision is None


def test_engine_event_ids_are_stable_and_distinct(small_coder: Coder) -> None:
    text = "India and China attacked Pakistan."
    first = [e.id for e in small_coder.code_text(text, DAY)]
    again = [e.id for e in small_coder.code_text(text, DAY)]
    assert first == again
    assert len(set(first)) == len(first)


def test_engine_text_without_actors_or_triggers_codes_nothing(small_coder: Coder) -> None:
    assert small_coder.code_text("The weather was mild on Tuesday.", DAY) == []
    assert small_coder.code_text("Pakistan and India.", DAY) == []


def test_engine_discards_drop_a_sentence_or_a_story(small_coder: Coder) -> None:
    knowledge = small_coder.knowledge
    discards = ActorDictionary.of(
        discards=[DiscardEntry("football match"), DiscardEntry("movie review", story=True)]
    )
    coder = Coder(small_coder.nlp, replace(knowledge, actors=knowledge.actors.merged(discards)))
    sentence = "India attacked Pakistan in a football match. China attacked India."
    assert dyads(coder.code_text(sentence, DAY)) == {("CHN", "IND", "190")}
    assert coder.code_text("This movie review is short. China attacked India.", DAY) == []
    # A story-level phrase after a sentence-level one still drops the story.
    late = "The football match ended. This movie review is late. China attacked India."
    assert coder.code_text(late, DAY) == []


def test_engine_code_texts_keeps_order_and_dates(small_coder: Coder) -> None:
    first, second = small_coder.code_texts(
        ["India attacked Pakistan.", "China met India."], [None, dt.date(2020, 1, 1)]
    )
    assert dyads(first) == {("IND", "PAK", "190")} and first[0].date is None
    assert dyads(second) == {("CHN", "IND", "040")} and second[0].date == dt.date(2020, 1, 1)
    assert (first[0].doc_id, second[0].doc_id) == ("text-0", "text-1")


def test_engine_code_documents_turns_a_crash_into_an_error_record(
    small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = [
        Document("a", "India attacked Pakistan.", DAY),
        Document("boom", "China attacked India.", DAY, origin="feed.jsonl:2"),
        Document("c", "Pakistan attacked Afghanistan.", DAY),
    ]
    real = small_coder._code_doc

    def flaky(doc: Doc, doc_id: str, date: dt.date | None) -> list[Event]:
        if doc_id == "boom":
            raise ValueError("parser fell over")
        return real(doc, doc_id, date)

    monkeypatch.setattr(small_coder, "_code_doc", flaky)
    results = list(small_coder.code_documents(documents))
    assert [d.id for d, _ in results] == ["a", "boom", "c"]
    error = results[1][1]
    assert isinstance(error, ErrorRecord)
    assert error.code == "DW111"
    assert error.doc_id == "boom"
    assert error.path == "feed.jsonl:2"
    assert "parser fell over" in error.message
    last = results[2][1]
    assert isinstance(last, list) and dyads(last) == {("PAK", "AFG", "190")}


def test_engine_code_documents_reparses_alone_when_a_batch_parse_fails(
    small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    class OneByOne:
        """The pipeline, except that its batch parse falls over."""

        def __init__(self, nlp: Language) -> None:
            self.nlp = nlp
            self.alone = 0

        def pipe(self, texts: object) -> Iterator[Doc]:
            raise ValueError("batch fell over")

        def __call__(self, text: str) -> Doc:
            self.alone += 1
            if "Bhutan" in text:
                raise ValueError("this one is broken")
            return self.nlp(text)

    fake = OneByOne(small_coder.nlp)
    monkeypatch.setattr(small_coder, "nlp", fake)
    documents = [
        Document("a", "India attacked Pakistan.", DAY),
        Document("b", "Bhutan met Nepal.", DAY),
        Document("c", "China met India.", DAY),
    ]
    results = list(small_coder.code_documents(documents, batch_size=3))
    assert fake.alone == 3
    assert [d.id for d, _ in results] == ["a", "b", "c"]
    assert dyads(results[0][1]) == {("IND", "PAK", "190")}  # type: ignore[arg-type]
    assert isinstance(results[1][1], ErrorRecord) and results[1][1].code == "DW111"
    assert dyads(results[2][1]) == {("CHN", "IND", "040")}  # type: ignore[arg-type]


def test_engine_code_documents_keeps_the_code_of_a_domain_error(
    small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(doc: Doc, doc_id: str, date: dt.date | None) -> list[Event]:
        raise InputError(Errors.DW101)

    monkeypatch.setattr(small_coder, "_code_doc", failing)
    [(_, error)] = small_coder.code_documents([Document("x", "India attacked Pakistan.")])
    assert isinstance(error, ErrorRecord)
    assert (error.code, error.doc_id) == ("DW101", "x")


def test_engine_knowledge_is_held_by_the_coder(small_coder: Coder) -> None:
    assert isinstance(small_coder.knowledge, Knowledge)
    assert len(small_coder.knowledge.rules) == 10


# -- the built-in coder (slow: loads the built-in knowledge) -----------------


@pytest.mark.slow
def test_engine_builtin_codes_the_balakot_example(builtin_coder: Coder) -> None:
    events = builtin_coder.code_text(BALAKOT, dt.date(2019, 2, 27))
    strike = [e for e in events if e.cameo == "195"]
    assert strike, dyads(events)
    assert strike[0].source.code == "INDMIL"
    assert strike[0].date == dt.date(2019, 2, 26)
    assert strike[0].sentence[slice(*strike[0].evidence.trigger)] == "struck"
    claims = [e for e in events if e.source.code == "PAKMIL" and e.cameo.startswith("19")]
    assert claims, dyads(events)
    assert claims[0].target is not None and claims[0].target.code.startswith("IND")
    assert claims[0].modality.reported is True
    assert {("CHN", "IND", "0256"), ("CHN", "PAK", "0256")} <= dyads(events)


@pytest.mark.slow
def test_engine_builtin_active_and_passive_agree(builtin_coder: Coder) -> None:
    active = builtin_coder.code_text("India attacked Pakistan.", DAY)
    passive = builtin_coder.code_text("Pakistan was attacked by India.", DAY)
    assert dyads(active) == dyads(passive) == {("IND", "PAK", "190")}


@pytest.mark.slow
def test_engine_builtin_codes_capitalised_us(builtin_coder: Coder) -> None:
    events = builtin_coder.code_text("US troops attacked Pakistan.", DAY)
    assert ("USAMIL", "PAK", "190") in dyads(events)
