"""dyadwatch as a spaCy pipeline component: ``nlp.add_pipe("dyadwatch")`` fills ``doc._.events``.

Stages of one document, each with declared inputs and outputs::

    spaCy Doc (sentences, tags, dependencies, lemmas)
    sentence --ActorMatcher--> [Mention]           actors, agents (dictionary)
    sentence --RuleIndex-----> [TriggerHit]        trigger words and their rules
    hits × mentions --code_sentence--> [Event]     roles, modality, codes
    events --Enricher--> [Event]                   dates, places, casualties

The factory's config says which knowledge the component runs with::

    nlp.add_pipe("dyadwatch")                                   # the built-in knowledge
    nlp.add_pipe("dyadwatch", config={"dictionaries": ["mine.yaml"]})  # extended by a user's
    nlp.add_pipe("dyadwatch", config={"petrarch": {"actors": …, "agents": …, "verbs": …}})
    nlp.add_pipe("dyadwatch", config={"knowledge": {"@misc": "my.knowledge.v1"}})
    nlp.add_pipe("dyadwatch", config={"settings": {"cache_dir": "/tmp/dw"}})

The package declares the factory as a ``spacy_factories`` entry point, so an
installed dyadwatch is found by spaCy without being imported first.
:class:`dyadwatch.coder.engine.Coder` is the convenience over this component
for documents with ids and dates, in batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.symbols import PRON
from spacy.tokens import Doc, Span

from dyadwatch.actors.dictionary import ActorDictionary, ActorEntry
from dyadwatch.actors.matcher import ActorMatcher
from dyadwatch.casualties import extract_size
from dyadwatch.coder.arguments import (
    ArgumentResolver,
    ArgumentWords,
    Discourse,
    ResolvedActor,
    split_code,
)
from dyadwatch.coder.coreference import attack_mention, link_attacks, nearby_attack
from dyadwatch.coder.enrich import Enricher
from dyadwatch.coder.knowledge import MATERIAL_ROOTS, Knowledge
from dyadwatch.coder.modality import load_clause_knowledge
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.coder.scoring import Rescorer, Scorer, SentenceView, confident, mentioned_actors
from dyadwatch.coder.scoring.features import rule_keys
from dyadwatch.coder.sentence import SentenceContext, code_sentence
from dyadwatch.coder.triggers import RuleIndex
from dyadwatch.config import Settings
from dyadwatch.errors import ConfigError, DictionaryError, Errors
from dyadwatch.geo import load_gazetteer
from dyadwatch.model import Event
from dyadwatch.nlp.words import DocWords, WordReader, word_ids
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover
from dyadwatch.temporal import DateResolver

__all__ = [
    "EVENTS",
    "FACTORY",
    "EventCoder",
    "builtin_knowledge",
    "make_event_coder",
    "petrarch_knowledge",
    "user_knowledge",
]

FACTORY = "dyadwatch"
"""The name of the component's factory: ``nlp.add_pipe("dyadwatch")``."""
EVENTS = "events"
"""The ``Doc`` extension the component fills: ``doc._.events``."""
PETRARCH_FILES = ("actors", "agents", "verbs", "discards")

OnError = Callable[[DictionaryError], None]


# -- knowledge --------------------------------------------------------------


def builtin_knowledge(
    extra: Iterable[ActorDictionary] = (), extra_rules: Iterable[TriggerRule] = ()
) -> Knowledge:
    """dyadwatch's own actor knowledge and trigger lexicon.

    ``extra`` dictionaries and ``extra_rules`` (a user's YAML/CSV additions)
    extend it; on equal phrases the user's entry wins.
    """
    from dyadwatch.actors.knowledge import load_builtin_dictionary
    from dyadwatch.coder.lexicon import load_builtin_rules

    actors = load_builtin_dictionary()
    for dictionary in extra:
        actors = actors.merged(dictionary)
    return _knowledge(actors, (*load_builtin_rules(), *extra_rules))


def user_knowledge(paths: Iterable[Path | str], on_error: OnError | None = None) -> Knowledge:
    """The built-in knowledge extended by user dictionaries (.yaml/.yml/.csv)."""
    from dyadwatch.dictionaries.userdict import read_user_dictionary, read_user_rules

    files = [Path(p) for p in paths]
    dictionaries = [read_user_dictionary(p, on_error=on_error) for p in files]
    rules = [
        rule
        for p in files
        if p.suffix.lower() in (".yaml", ".yml")
        for rule in read_user_rules(p, on_error=on_error)
    ]
    return builtin_knowledge(dictionaries, rules)


def petrarch_knowledge(
    *,
    actors: Path | str,
    agents: Path | str,
    verbs: Path | str,
    discards: Path | str | None = None,
    on_error: OnError | None = None,
) -> Knowledge:
    """A user's PETRARCH/TABARI dictionaries, run as they are (no intent recoding)."""
    from dyadwatch.dictionaries.petrarch import read_actors, read_agents, read_discards
    from dyadwatch.dictionaries.petrarch_verbs import read_verbs

    dictionary = ActorDictionary.of(
        read_actors(Path(actors), on_error=on_error),
        read_agents(Path(agents), on_error=on_error),
        read_discards(Path(discards), on_error=on_error) if discards else (),
    )
    rules = read_verbs(Path(verbs), on_error=on_error)
    return _knowledge(dictionary, rules, recode_intent=False)


def _knowledge(
    actors: ActorDictionary, rules: Sequence[TriggerRule], *, recode_intent: bool = True
) -> Knowledge:
    return Knowledge(
        actors=actors,
        rules=tuple(rules),
        clauses=load_clause_knowledge(),
        cameo=load_cameo(),
        plover=load_plover(),
        recode_intent=recode_intent,
        sourceless_roots=MATERIAL_ROOTS if recode_intent else frozenset(),
    )


# -- the component ------------------------------------------------------------


class EventCoder:
    """Codes a parsed ``Doc`` into events with one bundle of knowledge.

    Called as a pipeline component it sets ``doc._.events`` (the document
    undated, its id ``"text"``); :meth:`code` takes an id and a publication date.
    """

    def __init__(
        self,
        nlp: Language,
        knowledge: Knowledge,
        *,
        cache_dir: Path | None = None,
        scorer: Rescorer | None = None,
        min_confidence: float = 0.0,
    ) -> None:
        """``scorer`` (docs/MODEL.md) decides type, code and pair of the lexicon's
        drafts; events below ``min_confidence`` are left out (DW804 outside [0, 1])."""
        self.knowledge = knowledge
        self.scorer = scorer
        self.min_confidence = min_confidence
        confident([], min_confidence)  # DW804 now rather than at the first document

        def tokenize(text: str) -> list[str]:
            return [t.text for t in nlp.tokenizer(text)]

        self.matcher = ActorMatcher(knowledge.actors, tokenize, nlp.Defaults.stop_words)
        self.rules = RuleIndex(knowledge.rules)
        self._rule_keys = rule_keys(knowledge.rules)  # the scorer's name for each rule
        self._words = WordReader()
        self._enricher = Enricher(
            DateResolver(), load_gazetteer(cache_dir), extract_size,
            incidents=knowledge.recode_intent,
        )  # fmt: skip
        if not Doc.has_extension(EVENTS):
            Doc.set_extension(EVENTS, default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(EVENTS, self.code(doc))
        return doc

    def code(self, doc: Doc, doc_id: str = "text", date: dt.date | None = None) -> list[Event]:
        """Events of a parsed document; ``date`` is its publication date."""
        if self._story_discard(doc):
            return []
        discourse = Discourse()
        dating = self._enricher.dates.for_document(doc, date)
        tenure_day = date or _mid_year(dating.year)
        sentences = list(doc.sents)
        attacks = [self._attack_mention(s) for s in sentences]
        words = self._words.read(doc)
        found = _Found(
            words,
            self.rules.may_trigger(words),
            self.matcher.may_start(words),
            _subjects(words),
        )
        events: list[Event] = []
        for index, sentence in enumerate(sentences):
            context = SentenceContext(
                doc_id, index, sentence, nearby_attack(attacks, index) is not None
            )
            events.extend(self._code_span(context, tenure_day, discourse, found))
        if self.knowledge.recode_intent:
            # One strike told across sentences: its toll takes its weapon.
            events = link_attacks(events, attacks, self.knowledge, sentences)
        if self.min_confidence > 0.0:
            events = confident(events, self.min_confidence)
        # The named countries only place events, and only through a gazetteer: a
        # second pass over the document's mentions is wasted without both.
        placing = bool(events) and self._enricher.gazetteer is not None
        named = self._named_countries(doc, found, tenure_day) if placing else []
        return self._enricher.document(doc, dating, events, named)

    def _named_countries(self, doc: Doc, found: _Found, day: dt.date | None) -> list[str]:
        """The countries of every actor the document names, one per mention,
        coded or not ("Yemeni officials said", "AQAP"): where the story is
        when nothing else says (:meth:`Enricher.document`)."""
        countries = []
        for mention in self.matcher.mentions(doc, found.mention):
            entry = mention.entry
            code = entry.code_on(day) if isinstance(entry, ActorEntry) else None
            country, sector = split_code(code) if code else (None, None)
            if country and sector != "MED":  # an outlet says nothing of where
                countries.append(country)
        return countries

    def _attack_mention(self, sentence: Span) -> str | None:
        if not self.knowledge.recode_intent:
            return None  # a PETRARCH dictionary codes only what its patterns say
        air = self.knowledge.clauses.air_weapons
        return attack_mention(sentence, air, self.knowledge.attacks)

    def _story_discard(self, doc: Doc) -> bool:
        # Any story-level phrase drops the document, even after a sentence-level one.
        return any(entry.story for entry in self.matcher.discards(doc))

    def _code_span(
        self,
        context: SentenceContext,
        tenure_day: dt.date | None,
        discourse: Discourse,
        found: _Found,
    ) -> list[Event]:
        """Events of one sentence, undated: the enricher dates them afterwards.

        ``tenure_day`` picks the code of people whose office changes over time;
        ``found`` tells which tokens of the document can start a trigger or a mention.
        """
        sentence = context.sentence
        if self.matcher.discard(sentence) is not None:
            return []
        mentions = self.matcher.mentions(sentence, found.mention)
        is_actor = [False] * len(sentence.doc)
        for mention in mentions:
            if mention.kind == "actor":
                is_actor[mention.start] = True
        doc = sentence.doc
        words = self.rules.words(doc, found.words, is_actor)
        eventive = [i for i in range(sentence.start, sentence.end) if found.trigger[i]]
        context = replace(context, eventive=frozenset(eventive))
        triggers = (doc[i] for i in eventive)
        hits = [h for h in (self.rules.best(t, words) for t in triggers) if h is not None]
        clauses = self.knowledge.clauses
        # A user's PETRARCH dictionaries keep PETRARCH's own argument reading.
        reading = clauses.arguments if self.knowledge.recode_intent else ArgumentWords()
        resolver = ArgumentResolver(
            mentions, tenure_day, discourse, clauses.collective, clauses.partitives, reading
        )
        discourse.remember(_named_actors(sentence, resolver, found.subject))
        for group in _named_groups(sentence, resolver, found.subject):
            discourse.remember_group(group)
        events = code_sentence(context, hits, resolver, self.knowledge)
        if self.scorer is not None:
            # The learned scorer decides type, code and pair (dyadwatch.coder.scoring),
            # and whether a sentence the lexicon drafts nothing for holds an event.
            actors = mentioned_actors(sentence, mentions, resolver)
            view = SentenceView(sentence, actors, context.doc_id, context.index, self._rule_keys,
                                clauses.communication)  # fmt: skip
            events = self.scorer.rescore(events, view)
        return events


@Language.factory(
    FACTORY,
    default_config={
        "knowledge": None,
        "dictionaries": [],
        "petrarch": None,
        "settings": {},
        "learned": True,
        "min_confidence": 0.0,
    },
    assigns=[f"doc._.{EVENTS}"],
    requires=["token.dep", "token.lemma", "token.tag", "token.pos"],
)
def make_event_coder(
    nlp: Language,
    name: str,
    knowledge: Any,
    dictionaries: list[str],
    petrarch: dict[str, str] | None,
    settings: dict[str, Any],
    learned: bool,
    min_confidence: float,
) -> EventCoder:
    """The ``dyadwatch`` factory: its config picks the knowledge and the settings.

    ``knowledge`` (a :class:`Knowledge`, from a function in spaCy's ``misc``
    registry: ``{"@misc": "my.knowledge.v1"}``) wins; else ``petrarch`` (the
    paths of ``actors``, ``agents``, ``verbs`` and optionally ``discards``);
    else the built-in knowledge extended by the ``dictionaries`` files.
    ``settings`` overrides fields of :meth:`Settings.from_env` (``cache_dir``
    is the one the component reads). ``learned`` runs the learned scorer over the
    built-in lexicon's events (never over PETRARCH dictionaries' own codes);
    ``min_confidence`` leaves out less likely events. A bad value raises
    ConfigError DW001, a bad dictionary DictionaryError.
    """
    chosen = Settings.from_env().with_values(settings)
    bundle = _chosen_knowledge(knowledge, dictionaries, petrarch)
    scorer = Scorer.load(chosen.scorer_weights) if learned and petrarch is None else None
    return EventCoder(
        nlp, bundle, cache_dir=chosen.cache_dir, scorer=scorer, min_confidence=min_confidence
    )


def _chosen_knowledge(
    knowledge: object, dictionaries: Sequence[str], petrarch: Mapping[str, str] | None
) -> Knowledge:
    if knowledge is not None:
        if not isinstance(knowledge, Knowledge):
            value = type(knowledge).__name__
            reason = "must be a dyadwatch.coder.knowledge.Knowledge"
            raise ConfigError(Errors.DW001, name="knowledge", value=value, reason=reason)
        return knowledge
    if petrarch is not None:
        files = dict(petrarch)
        if set(files) - set(PETRARCH_FILES) or not {"actors", "agents", "verbs"} <= set(files):
            reason = "needs the paths of actors, agents and verbs, and may give discards"
            raise ConfigError(Errors.DW001, name="petrarch", value=files, reason=reason)
        return petrarch_knowledge(
            actors=files["actors"],
            agents=files["agents"],
            verbs=files["verbs"],
            discards=files.get("discards"),
        )
    return user_knowledge(dictionaries)


@dataclass(frozen=True, slots=True)
class _Found:
    """Per token of a document: its word ids, whether a trigger, and a mention,
    can start there, and what the token is as a subject (see :func:`_subjects`)."""

    words: DocWords
    trigger: Sequence[bool]
    mention: Sequence[bool] | None
    subject: Sequence[bool | None]


def _mid_year(year: int | None) -> dt.date | None:
    return dt.date(year, 7, 1) if year is not None else None


_SUBJECT_DEPS = word_ids({"nsubj", "nsubjpass"})


def _subjects(words: DocWords) -> list[bool | None]:
    """Per token: None for a pronoun, else whether it is a nominal subject."""
    return [
        None if pos == PRON else dep in _SUBJECT_DEPS
        for pos, dep in zip(words.pos, words.dep, strict=True)
    ]


def _named_actors(
    sentence: Span, resolver: ArgumentResolver, subjects: Sequence[bool | None]
) -> list[ResolvedActor]:
    """Actors named in the sentence, subjects flagged, in text order (for pronouns)."""
    found: list[ResolvedActor] = []
    doc = sentence.doc
    for i in range(sentence.start, sentence.end):
        subject = subjects[i]
        if subject or (subject is not None and resolver.has_actor_at(i)):
            named = resolver.resolve_plain(doc[i])
            flag = bool(subject)
            found.extend(r if r.subject == flag else replace(r, subject=flag) for r in named)
    return sorted(found, key=lambda r: r.start)


def _named_groups(
    sentence: Span, resolver: ArgumentResolver, subjects: Sequence[bool | None]
) -> list[list[ResolvedActor]]:
    """Coordinated subjects of the sentence, each as one group."""
    doc = sentence.doc
    return [resolver.group_of(doc[i]) for i in range(sentence.start, sentence.end) if subjects[i]]
