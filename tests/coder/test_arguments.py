"""From argument words to actor codes: code parts, noun phrases and discourse memory."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.actors.dictionary import ActorDictionary, ActorEntry, AgentEntry, DatedCode
from dyadwatch.actors.matcher import ActorMatcher, Mention
from dyadwatch.coder.arguments import (
    ArgumentResolver,
    Discourse,
    ResolvedActor,
    _last_in_subtree,
    compose_code,
    split_code,
)
from dyadwatch.coder.engine import Coder
from dyadwatch.model import Actor

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"

MIL = AgentEntry("military", "MIL")
COLLECTIVE = (("both", "sides"), ("the", "two", "countries"))


def country(phrase: str, *codes: DatedCode) -> ActorEntry:
    return ActorEntry(phrase, codes, phrase, "country")


DICTIONARY = ActorDictionary.of(
    [
        country("Pakistan", DatedCode("PAK")),
        country("India", DatedCode("IND")),
        country("Indian", DatedCode("IND")),
        country("China", DatedCode("CHN")),
        country(
            "Arnor",
            DatedCode("ARN", end=dt.date(1999, 12, 31)),
            DatedCode("ARNGOV", start=dt.date(2000, 1, 1)),
        ),
    ],
    [MIL, AgentEntry("ambassador", "GOV"), AgentEntry("refugee", "REF")],
)


@pytest.fixture(scope="module")
def matcher(nlp: Language) -> ActorMatcher:
    return ActorMatcher(
        DICTIONARY, lambda text: [t.text for t in nlp.tokenizer(text)], nlp.Defaults.stop_words
    )


def resolver_for(
    doc: Doc, matcher: ActorMatcher, day: dt.date | None = None, memory: Discourse | None = None
) -> ArgumentResolver:
    return ArgumentResolver(matcher.mentions(doc), day, memory or Discourse(), COLLECTIVE)


def word(doc: Doc, text: str) -> Token:
    return next(t for t in doc if t.text == text)


def remembered(code: str, start: int, *, subject: bool = False) -> ResolvedActor:
    country_code, sector = split_code(code)
    return ResolvedActor(Actor(code, code, country_code, sector), start, start + 1, subject=subject)


# -- compose_code / split_code ------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "agent", "expected"),
    [
        ("PAK", MIL, "PAKMIL"),
        ("PAK", AgentEntry("human rights body", "NGO", prefix=True), "NGOPAK"),
        (None, MIL, "MIL"),
        ("PAK", None, "PAK"),
        (None, None, None),
        ("PAKMIL", MIL, "PAKMIL"),  # the sector is already there
        ("USAMILNAV", MIL, "USAMILNAV"),
        ("USAGOV", MIL, "USAGOVMIL"),
    ],
)
def test_arguments_compose_code(
    actor: str | None, agent: AgentEntry | None, expected: str | None
) -> None:
    assert compose_code(actor, agent) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("PAKMIL", ("PAK", "MIL")),
        ("PAK", ("PAK", None)),
        ("PAKINSTTP", ("PAK", "INS")),
        ("IGOUNO", (None, "IGO")),
        ("MIL", (None, "MIL")),
        ("---", (None, None)),
    ],
)
def test_arguments_split_code(code: str, expected: tuple[str | None, str | None]) -> None:
    assert split_code(code) == expected


# -- noun phrases --------------------------------------------------------------


def test_arguments_possessor_gives_the_country_and_agent_the_sector(
    nlp: Language, matcher: ActorMatcher
) -> None:
    doc = nlp("Pakistan's military attacked.")
    [found] = resolver_for(doc, matcher).resolve(word(doc, "military"))
    assert found.actor == Actor("Pakistan's military", "PAKMIL", "PAK", "MIL", "Pakistan")
    assert (found.start, found.end, found.via_memory) == (0, 3, False)


def test_arguments_demonym_modifier(nlp: Language, matcher: ActorMatcher) -> None:
    doc = nlp("Indian refugees fled.")
    [found] = resolver_for(doc, matcher).resolve(word(doc, "refugees"))
    assert (found.actor.code, found.actor.text) == ("INDREF", "Indian refugees")


def test_arguments_of_phrase_with_coordination_gives_each_country(
    nlp: Language, matcher: ActorMatcher
) -> None:
    doc = nlp("The ambassadors of India and China met.")
    found = resolver_for(doc, matcher).resolve(word(doc, "ambassadors"))
    assert [f.actor.code for f in found] == ["INDGOV", "CHNGOV"]


def test_arguments_agent_alone_has_no_country(nlp: Language, matcher: ActorMatcher) -> None:
    doc = nlp("Refugees fled.")
    [found] = resolver_for(doc, matcher).resolve(word(doc, "Refugees"))
    assert found.actor == Actor("Refugees", "REF", None, "REF", None)


def test_arguments_coordinated_actors_resolve_one_each(
    nlp: Language, matcher: ActorMatcher
) -> None:
    doc = nlp("India and China met.")
    resolver = resolver_for(doc, matcher)
    assert [f.actor.code for f in resolver.resolve(word(doc, "India"))] == ["IND", "CHN"]
    assert resolver.has_actor(word(doc, "India"))
    assert not resolver.has_actor(word(doc, "met"))


def test_arguments_dated_codes_follow_the_day(nlp: Language, matcher: ActorMatcher) -> None:
    doc = nlp("Arnor attacked.")
    early = resolver_for(doc, matcher, dt.date(1999, 1, 1)).resolve(doc[0])
    late = resolver_for(doc, matcher, dt.date(2005, 1, 1)).resolve(doc[0])
    assert (early[0].actor.code, late[0].actor.code) == ("ARN", "ARNGOV")


def test_arguments_unknown_word_resolves_to_nothing(nlp: Language, matcher: ActorMatcher) -> None:
    doc = nlp("The crowd fled.")
    assert resolver_for(doc, matcher).resolve(word(doc, "crowd")) == []


# -- pronouns, "both sides" and memory --------------------------------------


def test_arguments_pronoun_recalls_the_last_subject(nlp: Language, matcher: ActorMatcher) -> None:
    doc = nlp("It attacked.")
    memory = Discourse()
    memory.remember([remembered("PAKMIL", -5, subject=True), remembered("IND", -2)])
    [found] = resolver_for(doc, matcher, memory=memory).resolve(doc[0])
    assert found.via_memory is True
    assert found.actor == Actor("It", "PAKMIL", "PAK", "MIL", None)
    assert (found.start, found.end) == (0, 1)


def test_arguments_pronoun_without_memory_resolves_to_nothing(
    nlp: Language, matcher: ActorMatcher
) -> None:
    doc = nlp("It attacked.")
    resolver = resolver_for(doc, matcher)
    assert resolver.resolve(doc[0]) == []
    assert resolver.resolve_plain(doc[0]) == []


def test_arguments_both_sides_are_the_last_two_countries_excluding_the_source(
    nlp: Language, matcher: ActorMatcher
) -> None:
    doc = nlp("China urged both sides to stop.")
    memory = Discourse()
    memory.remember(
        [remembered("PAKMIL", -9), remembered("IND", -6), remembered("CHN", -3, subject=True)]
    )
    found = resolver_for(doc, matcher, memory=memory).resolve(
        word(doc, "sides"), exclude=frozenset({"CHN"})
    )
    assert [f.actor.code for f in found] == ["PAK", "IND"]
    assert all(f.actor.sector is None and f.via_memory for f in found)
    assert resolver_for(doc, matcher, memory=memory).resolve_plain(word(doc, "sides")) == []


def test_arguments_discourse_prefers_subjects_then_any_actor() -> None:
    memory = Discourse()
    assert memory.last(10) is None
    memory.remember([remembered("IND", 1), remembered("PAK", 3)])
    last = memory.last(10)
    assert last is not None and last.actor.code == "PAK"
    memory.remember([remembered("CHN", 0, subject=True)])
    chosen = memory.last(10)
    assert chosen is not None and chosen.actor.code == "CHN"
    only_before = memory.last(2)
    assert only_before is not None and only_before.actor.code == "CHN"


def test_arguments_discourse_forgets_nothing_it_only_echoed() -> None:
    memory = Discourse()
    echo = ResolvedActor(Actor("it", "PAK", "PAK"), 4, 5, via_memory=True)
    memory.remember([echo, remembered("IND", 1)])
    assert [a.actor.code for a in memory.actors] == ["IND"]


def test_arguments_last_pair_needs_distinct_countries_before_the_token() -> None:
    memory = Discourse()
    memory.remember(
        [remembered("IND", 1), remembered("INDMIL", 2), remembered("PAK", 3), remembered("AFG", 20)]
    )
    assert [a.actor.code for a in memory.last_pair(10)] == ["INDMIL", "PAK"]
    assert [a.actor.code for a in memory.last_pair(10, frozenset({"PAK"}))] == ["INDMIL"]
    assert memory.last_pair(0) == []


def test_arguments_last_in_subtree_is_what_subtree_yields_last(nlp: Language) -> None:
    """The collective pre-test reads one token; it must be the subtree's last, in
    the subtree's own order (which follows the tree, not always the text)."""
    lines = DEMO_CORPUS.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[:80]]
    checked = 0
    for doc in nlp.pipe(texts):
        for token in doc:
            assert _last_in_subtree(token).i == list(token.subtree)[-1].i
            checked += 1
    assert checked > 3000


@pytest.mark.slow
def test_arguments_asked_again_answer_as_a_fresh_resolver(
    nlp: Language, builtin_coder: Coder
) -> None:
    """What a resolver keeps of one sentence (agents, modifier actors, collectives)
    never changes an answer: every word, asked twice, answers as a new resolver does."""
    lines = DEMO_CORPUS.read_text(encoding="utf-8").splitlines()[:60]
    matcher_ = builtin_coder._matcher
    clauses = builtin_coder.knowledge.clauses
    day = dt.date(2019, 2, 26)

    def fresh(mentions: list[Mention]) -> ArgumentResolver:
        return ArgumentResolver(mentions, day, Discourse(), clauses.collective, clauses.partitives)

    checked = 0
    for doc in nlp.pipe(json.loads(line)["text"] for line in lines):
        for sentence in doc.sents:
            mentions = matcher_.mentions(sentence)
            kept = fresh(mentions)
            for token in sentence:
                first = kept.resolve(token), kept.resolve_plain(token), kept.group_of(token)
                again = kept.resolve(token), kept.resolve_plain(token), kept.group_of(token)
                new = fresh(mentions)
                alone = new.resolve(token), new.resolve_plain(token), new.group_of(token)
                assert first == again == alone, (sentence.text, token.text)
                checked += bool(first[0])
    assert checked > 100  # words that name actors were among them
