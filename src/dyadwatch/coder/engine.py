"""The Coder: raw text in, coded events out.

Stages, each with declared inputs and outputs::

    Document --nlp.pipe--> spaCy Doc (sentences, tags, dependencies, lemmas)
    sentence --ActorMatcher--> [Mention]           actors, agents (dictionary)
    sentence --RuleIndex-----> [TriggerHit]        trigger words and their rules
    hits × mentions --code_sentence--> [Event]     roles, modality, codes

The spaCy pipeline and all knowledge are built once and held by the Coder;
nothing lives in module globals. A document that fails is turned into an
``ErrorRecord`` by ``code_documents`` and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.symbols import PRON
from spacy.tokens import Doc, Span

from dyadwatch._iterate import chunks
from dyadwatch.actors.dictionary import ActorDictionary
from dyadwatch.actors.matcher import ActorMatcher
from dyadwatch.casualties import extract_size
from dyadwatch.coder.arguments import ArgumentResolver, Discourse, ResolvedActor
from dyadwatch.coder.coreference import (
    attack_mention,
    link_attacks,
    nearby_attack,
)
from dyadwatch.coder.enrich import Enricher
from dyadwatch.coder.knowledge import MATERIAL_ROOTS, Knowledge
from dyadwatch.coder.modality import load_clause_knowledge
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.coder.sentence import SentenceContext, code_sentence
from dyadwatch.coder.triggers import RuleIndex
from dyadwatch.config import Settings
from dyadwatch.errors import DictionaryError, DyadwatchError, ErrorRecord, Errors, InputError
from dyadwatch.geo import load_gazetteer
from dyadwatch.model import Document, Event
from dyadwatch.nlp.pipeline import load_pipeline
from dyadwatch.nlp.words import DocWords, WordReader, word_ids
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover
from dyadwatch.temporal import DateResolver

__all__ = ["Coder", "CodingResult"]

CodingResult = tuple[Document, list[Event] | ErrorRecord]
"""A document with its events, or the error that stopped it."""


class Coder:
    """Codes documents with one spaCy pipeline and one bundle of knowledge."""

    def __init__(self, nlp: Language, knowledge: Knowledge) -> None:
        self.nlp = nlp
        self.knowledge = knowledge

        def tokenize(text: str) -> list[str]:
            return [t.text for t in nlp.tokenizer(text)]

        self._matcher = ActorMatcher(knowledge.actors, tokenize, nlp.Defaults.stop_words)
        self._rules = RuleIndex(knowledge.rules)
        self._words = WordReader()
        self._enricher = Enricher(
            DateResolver(), load_gazetteer(), extract_size, incidents=knowledge.recode_intent
        )

    # -- construction -----------------------------------------------------

    @classmethod
    def builtin(
        cls,
        settings: Settings | None = None,
        extra: Iterable[ActorDictionary] = (),
        extra_rules: Iterable[TriggerRule] = (),
    ) -> Coder:
        """A coder with dyadwatch's own actor knowledge and trigger lexicon.

        ``extra`` dictionaries and ``extra_rules`` (a user's YAML/CSV additions)
        extend it; on equal phrases the user's entry wins.
        """
        from dyadwatch.actors.knowledge import load_builtin_dictionary
        from dyadwatch.coder.lexicon import load_builtin_rules

        actors = load_builtin_dictionary()
        for dictionary in extra:
            actors = actors.merged(dictionary)
        return cls._with(settings, actors, (*load_builtin_rules(), *extra_rules))

    @classmethod
    def from_user_files(
        cls,
        paths: Iterable[Path],
        settings: Settings | None = None,
        on_error: Callable[[DictionaryError], None] | None = None,
    ) -> Coder:
        """The built-in coder extended by user dictionaries (.yaml/.yml/.csv)."""
        from dyadwatch.actors.userdict import read_user_dictionary, read_user_rules

        files = list(paths)
        dictionaries = [read_user_dictionary(p, on_error=on_error) for p in files]
        rules = [
            rule
            for p in files
            if p.suffix.lower() in (".yaml", ".yml")
            for rule in read_user_rules(p, on_error=on_error)
        ]
        return cls.builtin(settings, dictionaries, rules)

    @classmethod
    def from_petrarch(
        cls,
        *,
        actors: Path,
        agents: Path,
        verbs: Path,
        discards: Path | None = None,
        settings: Settings | None = None,
        on_error: Callable[[DictionaryError], None] | None = None,
    ) -> Coder:
        """A coder running a user's PETRARCH/TABARI dictionaries as they are."""
        from dyadwatch.actors.petrarch import read_actors, read_agents, read_discards
        from dyadwatch.coder.petrarch_verbs import read_verbs

        dictionary = ActorDictionary.of(
            read_actors(actors, on_error=on_error),
            read_agents(agents, on_error=on_error),
            read_discards(discards, on_error=on_error) if discards else (),
        )
        rules = read_verbs(verbs, on_error=on_error)
        return cls._with(settings, dictionary, rules, recode_intent=False)

    @classmethod
    def _with(
        cls,
        settings: Settings | None,
        actors: ActorDictionary,
        rules: Sequence[TriggerRule],
        *,
        recode_intent: bool = True,
    ) -> Coder:
        settings = settings or Settings.from_env()
        knowledge = Knowledge(
            actors=actors,
            rules=tuple(rules),
            clauses=load_clause_knowledge(),
            cameo=load_cameo(),
            plover=load_plover(),
            recode_intent=recode_intent,
            sourceless_roots=MATERIAL_ROOTS if recode_intent else frozenset(),
        )
        return cls(load_pipeline(settings.spacy_model), knowledge)

    # -- coding -----------------------------------------------------------

    def code_text(
        self, text: str, date: dt.date | None = None, doc_id: str = "text"
    ) -> list[Event]:
        """Events of one text; ``date`` is its publication date."""
        return self._code_doc(self.nlp(text), doc_id, date)

    def code_texts(
        self, texts: Sequence[str], dates: Sequence[dt.date | None] | None = None
    ) -> list[list[Event]]:
        """Events of many texts, parsed in batches (faster than one by one)."""
        days = list(dates) if dates is not None else [None] * len(texts)
        parsed = self.nlp.pipe(texts, batch_size=64)
        return [self._code_doc(doc, f"text-{i}", days[i]) for i, doc in enumerate(parsed)]

    def code_document(self, document: Document) -> list[Event]:
        return self._code_doc(self.nlp(document.text), document.id, document.date)

    def code_documents(
        self,
        documents: Iterable[Document],
        prefilter: Callable[[str], bool] | None = None,
        batch_size: int = 32,
    ) -> Iterator[CodingResult]:
        """Code documents in order; a failure becomes an ErrorRecord, not an abort.

        Documents are parsed ``batch_size`` at a time with ``nlp.pipe`` (one
        matrix product per layer for the batch, not one per document); a batch
        the parser fails on is parsed again one document at a time, so only
        the document at fault gets an error. ``prefilter(text)`` False means
        the text cannot yield an event (see :class:`dyadwatch.batch.Prefilter`):
        the document gets ``[]`` unparsed.
        """
        for chunk in chunks(documents, max(1, batch_size)):
            yield from self._code_chunk(chunk, prefilter)

    def _code_chunk(
        self, chunk: Sequence[Document], prefilter: Callable[[str], bool] | None
    ) -> Iterator[CodingResult]:
        wanted = [d for d in chunk if prefilter is None or prefilter(d.text)]
        try:
            docs = self.nlp.pipe(d.text for d in wanted)
            parsed = dict(zip((id(d) for d in wanted), docs, strict=True))
        except _PARSE_ERRORS:
            parsed = {}  # recode one by one below: the failing document is singled out
        wanted_ids = {id(d) for d in wanted}
        for document in chunk:
            if id(document) not in wanted_ids:
                yield document, []
            else:
                yield document, self._code_isolated(document, parsed.get(id(document)))

    def _code_isolated(self, document: Document, doc: Doc | None) -> list[Event] | ErrorRecord:
        try:
            if doc is None:
                doc = self.nlp(document.text)
            return self._code_doc(doc, document.id, document.date)
        except DyadwatchError as exc:
            return exc.to_record(document.id)
        except _PARSE_ERRORS as exc:
            error = InputError(Errors.DW111, path=document.origin, stage="coder", detail=repr(exc))
            return error.to_record(document.id)

    def _code_doc(self, doc: Doc, doc_id: str, date: dt.date | None) -> list[Event]:
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
            self._rules.may_trigger(words),
            self._matcher.may_start(words),
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
        return self._enricher.document(doc, dating, events)

    def _attack_mention(self, sentence: Span) -> str | None:
        if not self.knowledge.recode_intent:
            return None  # a PETRARCH dictionary codes only what its patterns say
        air = self.knowledge.clauses.air_weapons
        return attack_mention(sentence, air, self.knowledge.attacks)

    def _story_discard(self, doc: Doc) -> bool:
        # Any story-level phrase drops the document, even after a sentence-level one.
        return any(entry.story for entry in self._matcher.discards(doc))

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
        if self._matcher.discard(sentence) is not None:
            return []
        mentions = self._matcher.mentions(sentence, found.mention)
        is_actor = [False] * len(sentence.doc)
        for mention in mentions:
            if mention.kind == "actor":
                is_actor[mention.start] = True
        doc = sentence.doc
        words = self._rules.words(doc, found.words, is_actor)
        triggers = (doc[i] for i in range(sentence.start, sentence.end) if found.trigger[i])
        hits = [h for h in (self._rules.best(t, words) for t in triggers) if h is not None]
        clauses = self.knowledge.clauses
        resolver = ArgumentResolver(
            mentions, tenure_day, discourse, clauses.collective, clauses.partitives
        )
        discourse.remember(_named_actors(sentence, resolver, found.subject))
        for group in _named_groups(sentence, resolver, found.subject):
            discourse.remember_group(group)
        return code_sentence(context, hits, resolver, self.knowledge)


@dataclass(frozen=True, slots=True)
class _Found:
    """Per token of a document: its word ids, whether a trigger, and a mention,
    can start there, and what the token is as a subject (see :func:`_subjects`)."""

    words: DocWords
    trigger: Sequence[bool]
    mention: Sequence[bool] | None
    subject: Sequence[bool | None]


_PARSE_ERRORS = (ValueError, RuntimeError, IndexError, KeyError)
"""What spaCy and the parse walkers raise on pathological input."""


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
