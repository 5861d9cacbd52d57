"""The Coder: raw text in, coded events out.

A thin convenience over the spaCy component (:class:`EventCoder`, the
``dyadwatch`` factory of :mod:`dyadwatch.coder.component`): the Coder holds a
pipeline that parses and a component that codes, and adds documents with ids
and dates, batches, and error records. The pipeline is given to the
constructor (``Coder(nlp, knowledge)``, or ``nlp=`` of the class methods) or
loaded once from the settings; nothing lives in module globals. A document
that fails is turned into an ``ErrorRecord`` by ``code_documents`` and the
batch goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch._iterate import chunks
from dyadwatch.actors.dictionary import ActorDictionary
from dyadwatch.actors.matcher import ActorMatcher
from dyadwatch.coder.component import (
    EventCoder,
    builtin_knowledge,
    petrarch_knowledge,
    user_knowledge,
)
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.coder.scoring import Rescorer, Scorer
from dyadwatch.coder.scoring.model import Scope
from dyadwatch.coder.triggers import RuleIndex
from dyadwatch.config import Settings
from dyadwatch.errors import DictionaryError, DyadwatchError, ErrorRecord, Errors, InputError
from dyadwatch.model import Document, Event
from dyadwatch.nlp.pipeline import load_pipeline

__all__ = ["Coder", "CodingResult"]

CodingResult = tuple[Document, list[Event] | ErrorRecord]
"""A document with its events, or the error that stopped it."""


class Coder:
    """Codes documents with one spaCy pipeline and one bundle of knowledge."""

    def __init__(
        self,
        nlp: Language,
        knowledge: Knowledge,
        settings: Settings | None = None,
        scorer: Rescorer | None = None,
        min_confidence: float = 0.0,
    ) -> None:
        """Code with ``nlp`` (it parses; it need not hold the ``dyadwatch`` component)
        and ``knowledge``; ``settings`` give the component's cache directory;
        ``scorer`` decides type, code and pair of the lexicon's drafts
        (docs/MODEL.md); events below ``min_confidence`` are left out."""
        self.nlp = nlp
        self.knowledge = knowledge
        cache_dir = settings.cache_dir if settings is not None else None
        self.component = EventCoder(
            nlp, knowledge, cache_dir=cache_dir, scorer=scorer, min_confidence=min_confidence
        )

    @property
    def scorer(self) -> Rescorer | None:
        """The learned scorer the component runs, if any."""
        return self.component.scorer

    # The component's matcher and rule index, where tests of those stages look.
    @property
    def _matcher(self) -> ActorMatcher:
        return self.component.matcher

    @property
    def _rules(self) -> RuleIndex:
        return self.component.rules

    # -- construction -----------------------------------------------------

    @classmethod
    def builtin(
        cls,
        settings: Settings | None = None,
        extra: Iterable[ActorDictionary] = (),
        extra_rules: Iterable[TriggerRule] = (),
        *,
        nlp: Language | None = None,
        learned: bool = True,
        min_confidence: float = 0.0,
    ) -> Coder:
        """A coder with dyadwatch's own actor knowledge and trigger lexicon.

        ``extra`` dictionaries and ``extra_rules`` (a user's YAML/CSV additions)
        extend it; on equal phrases the user's entry wins. ``nlp`` is the
        pipeline to parse with (default: ``settings.spacy_model``, loaded).
        ``learned`` runs the learned scorer (``settings.scorer_weights``, else the
        shipped weights) over the built-in lexicon's events
        (the user's own rules keep their codes); ``min_confidence`` leaves out
        less likely events.
        """
        knowledge = builtin_knowledge(extra, extra_rules)
        return cls._with(settings, knowledge, nlp, learned, min_confidence)

    @classmethod
    def from_user_files(
        cls,
        paths: Iterable[Path],
        settings: Settings | None = None,
        on_error: Callable[[DictionaryError], None] | None = None,
        *,
        nlp: Language | None = None,
        learned: bool = True,
        min_confidence: float = 0.0,
    ) -> Coder:
        """The built-in coder extended by user dictionaries (.yaml/.yml/.csv)."""
        knowledge = user_knowledge(paths, on_error)
        return cls._with(settings, knowledge, nlp, learned, min_confidence)

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
        nlp: Language | None = None,
        learned: bool = False,
        min_confidence: float = 0.0,
    ) -> Coder:
        """A coder running a user's PETRARCH/TABARI dictionaries as they are.

        The learned scorer stays off unless ``learned``: the dictionaries are the
        user's own coding scheme (it then rescores events with CAMEO codes).
        """
        knowledge = petrarch_knowledge(
            actors=actors, agents=agents, verbs=verbs, discards=discards, on_error=on_error
        )
        return cls._with(settings, knowledge, nlp, learned, min_confidence, scope="all")

    @classmethod
    def _with(
        cls,
        settings: Settings | None,
        knowledge: Knowledge,
        nlp: Language | None,
        learned: bool,
        min_confidence: float,
        scope: Scope = "builtin",
    ) -> Coder:
        """Settings resolved once; the scorer (``settings.scorer_weights``, else the
        shipped weights) loaded before the pipeline, so a bad weights file (DW803)
        fails before seconds of spaCy loading."""
        settings = settings or Settings.from_env()
        scorer = Scorer.load(settings.scorer_weights, scope=scope) if learned else None
        pipeline = nlp or load_pipeline(settings.spacy_model)
        return cls(pipeline, knowledge, settings, scorer, min_confidence)

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
        events = self._code_doc(self.nlp(document.text), document.id, document.date)
        return _with_url(events, document.url)

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
            return _with_url(self._code_doc(doc, document.id, document.date), document.url)
        except DyadwatchError as exc:
            return exc.to_record(document.id)
        except _PARSE_ERRORS as exc:
            error = InputError(Errors.DW111, path=document.origin, stage="coder", detail=repr(exc))
            return error.to_record(document.id)

    def _code_doc(self, doc: Doc, doc_id: str, date: dt.date | None) -> list[Event]:
        return self.component.code(doc, doc_id, date)


_PARSE_ERRORS = (ValueError, RuntimeError, IndexError, KeyError)
"""What spaCy and the parse walkers raise on pathological input."""


def _with_url(events: list[Event], url: str | None) -> list[Event]:
    # Sentences are coded without their document; its URL is joined on once, here.
    return [event.with_doc_url(url) for event in events]
