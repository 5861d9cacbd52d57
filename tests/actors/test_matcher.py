"""ActorMatcher: longest-first phrase matching over forms, lemmas and stems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from dyadwatch.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    AgentEntry,
    DatedCode,
    DiscardEntry,
)
from dyadwatch.actors.matcher import ActorMatcher, Mention
from dyadwatch.coder.engine import Coder
from dyadwatch.nlp.words import WordReader

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def actor(phrase: str, code: str, *, stem: bool = False) -> ActorEntry:
    return ActorEntry(phrase, (DatedCode(code),), phrase, "country", stem=stem)


DICTIONARY = ActorDictionary.of(
    [
        actor("Korea", "KOR"),
        actor("North Korea", "PRK"),
        actor("Pakistan", "PAK"),
        actor("US", "USA"),
        actor("Argentin", "ARG", stem=True),
        actor("Army", "ARMYACT"),
    ],
    [AgentEntry("jet", "MIL"), AgentEntry("army", "MIL"), AgentEntry("foreign minister", "GOV")],
    [DiscardEntry("football match"), DiscardEntry("film review", story=True)],
)


@pytest.fixture(scope="module")
def matcher(nlp: Language) -> ActorMatcher:
    def tokenize(text: str) -> list[str]:
        return [t.text for t in nlp.tokenizer(text)]

    return ActorMatcher(DICTIONARY, tokenize, nlp.Defaults.stop_words)


def found(nlp: Language, matcher: ActorMatcher, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(doc[m.start : m.end].text, m.kind, m.entry.phrase) for m in matcher.mentions(doc)]


def test_matcher_prefers_the_longest_phrase(nlp: Language, matcher: ActorMatcher) -> None:
    assert found(nlp, matcher, "North Korea warned Korea.") == [
        ("North Korea", "actor", "North Korea"),
        ("Korea", "actor", "Korea"),
    ]


def test_matcher_matches_lemmas_of_agents(nlp: Language, matcher: ActorMatcher) -> None:
    assert found(nlp, matcher, "Two jets crashed.") == [("jets", "agent", "jet")]


def test_matcher_multiword_agent_is_case_blind(nlp: Language, matcher: ActorMatcher) -> None:
    hits = found(nlp, matcher, "The Foreign Minister of Pakistan spoke.")
    assert hits == [
        ("Foreign Minister", "agent", "foreign minister"),
        ("Pakistan", "actor", "Pakistan"),
    ]


def test_matcher_stem_matches_word_prefix(nlp: Language, matcher: ActorMatcher) -> None:
    hits = found(nlp, matcher, "Argentina and the Argentine navy.")
    assert [h[0] for h in hits] == ["Argentina", "Argentine"]
    assert all(h[2] == "Argentin" for h in hits)


def test_matcher_actor_wins_a_tie_with_an_agent(nlp: Language, matcher: ActorMatcher) -> None:
    assert found(nlp, matcher, "The army moved.") == [("army", "actor", "Army")]


def test_matcher_stop_word_acronym_needs_capitals(nlp: Language, matcher: ActorMatcher) -> None:
    assert found(nlp, matcher, "They told us to leave.") == []
    assert found(nlp, matcher, "Us and them.") == []
    assert found(nlp, matcher, "US troops left.") == [("US", "actor", "US")]


def test_matcher_mentions_do_not_overlap_and_keep_doc_offsets(
    nlp: Language, matcher: ActorMatcher
) -> None:
    doc = nlp("Rain fell. North Korea and Pakistan met.")
    second = list(doc.sents)[1]
    mentions = matcher.mentions(second)
    assert [(m.start, m.end) for m in mentions] == [(3, 5), (6, 7)]
    assert mentions[0].covers(4) and not mentions[0].covers(5)
    assert all(isinstance(m, Mention) for m in mentions)


def test_matcher_empty_span_has_no_mentions(nlp: Language, matcher: ActorMatcher) -> None:
    assert matcher.mentions(nlp("")) == []
    assert matcher.discard(nlp("")) is None


def test_matcher_discard_finds_the_phrase(nlp: Language, matcher: ActorMatcher) -> None:
    hit = matcher.discard(nlp("Pakistan won the football match."))
    assert hit == DiscardEntry("football match")
    story = matcher.discard(nlp("A film review of a war movie."))
    assert story is not None and story.story is True
    assert matcher.discard(nlp("Pakistan won the match.")) is None


def test_matcher_empty_dictionary_matches_nothing(nlp: Language) -> None:
    empty = ActorMatcher(ActorDictionary(), lambda text: text.split())
    assert empty.mentions(nlp("Pakistan attacked India.")) == []


def test_matcher_cased_entry_matches_only_as_written(nlp: Language) -> None:
    entry = ActorEntry("LeT", (DatedCode("PAKINSLET"),), "Lashkar-e-Taiba", "group", cased=True)
    matcher = ActorMatcher(
        ActorDictionary.of([entry]), lambda t: [w.text for w in nlp.tokenizer(t)]
    )
    assert [m.entry for m in matcher.mentions(nlp("Police blamed LeT for the attack."))] == [entry]
    assert matcher.mentions(nlp("They let the convoy pass.")) == []


def test_matcher_may_start_changes_no_mention_of_the_demo_corpus(
    nlp: Language, builtin_coder: Coder
) -> None:
    """Skipping the tokens where no phrase begins finds what trying every token finds."""
    matcher, reader = builtin_coder._matcher, WordReader()
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    texts += ["The JETS of the Army's foreign ministers.", "Argentines met Pakistanis.", ""]
    skipped = 0
    for doc in nlp.pipe(texts):
        may_start = matcher.may_start(reader.read(doc))
        assert may_start is not None
        skipped += may_start.count(False)
        for sentence in doc.sents:
            assert matcher.mentions(sentence, may_start) == matcher.mentions(sentence)
    assert skipped > 1000  # most tokens begin no phrase: the check bites


def test_matcher_with_a_one_word_stem_tries_every_token(nlp: Language) -> None:
    stems = ActorDictionary.of([actor("Argentin", "ARG", stem=True)], [], [])
    matcher = ActorMatcher(stems, lambda text: text.split())
    assert matcher.may_start(WordReader().read(nlp("Argentines met."))) is None


def test_matcher_may_start_keeps_phrases_begun_by_a_lemma(nlp: Language) -> None:
    no_stems = ActorDictionary.of(
        [actor("North Korea", "PRK")], [AgentEntry("jet", "MIL"), AgentEntry("army", "MIL")], []
    )
    matcher = ActorMatcher(no_stems, lambda text: [t.text for t in nlp.tokenizer(text)])
    doc = nlp("Two jets hit the armies of North Korea.")  # "jets" is "jet" by its lemma
    may_start = matcher.may_start(WordReader().read(doc))
    assert may_start is not None and may_start.count(True) == 3
    starts = [doc[m.start].text for m in matcher.mentions(doc, may_start)]
    assert starts == ["jets", "armies", "North"]
