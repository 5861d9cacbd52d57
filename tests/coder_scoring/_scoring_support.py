"""Helpers shared by the scorer's tests: a candidate recorder and tiny training corpora."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.model import Scorer
from dyadwatch.coder.scoring.propose import SentenceView, argument_phrases, propose
from dyadwatch.coder.scoring.train import NEGATIVE, Corpus
from dyadwatch.model import Actor, Event, Evidence, Modality

Row = tuple[str, str | None, tuple[Candidate, ...], Candidate | None]
"""A corpus row: text key, labelled PLOVER type (None: a negative), candidates, fallback."""


@dataclass
class Keep:
    """A rescorer that records every sentence's candidates and changes nothing."""

    found: list[Candidate] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        self.found.extend(propose(events, view))
        return events


@dataclass
class Recording:
    """Keeps every sentence the coder hands the scorer, and passes it on."""

    inner: Scorer
    seen: list[tuple[list[Event], SentenceView]] = field(default_factory=list)

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        self.seen.append((list(events), view))
        return self.inner.rescore(events, view)


def candidate(
    code: str, *, lexicon: bool = True, negated: bool = False, source: str = "COP"
) -> Candidate:
    """A drafted arrest-shaped candidate with ``code`` ("Police arrested Rohan.")."""
    event = Event(
        "e", "d", 0, "Police arrested Rohan.", Actor("Police", source), None, code, -5.0, 4, None,
        Evidence((7, 15)), modality=Modality(negated=negated),
    )  # fmt: skip
    return Candidate(event, ("lem=arrest",), ("pair_lexicon=True",), lexicon)


def label(text: str, kind: str | None) -> Label:
    """A plv label of type ``kind`` with a COP source, or a negative for None."""
    if kind is None:
        return Label(text, NEGATIVE)
    return Label(text, "plv", plover_type=kind, source_codes=frozenset({"COP"}))


def corpus_of(rows: Sequence[Row]) -> Corpus:
    """A corpus of one label per row, its text the label's key and the row's index."""
    labels = tuple((label(f"{t}{i}", k),) for i, (t, k, _, _) in enumerate(rows))
    return Corpus(
        tuple(lab.text for (lab,) in labels),
        labels,
        tuple(c for _, _, c, _ in rows),
        tuple(f for _, _, _, f in rows),
    )


def worded_event(
    text: str, trigger: str, source: str, target: str | None, **modality: bool
) -> Event:
    """An event of ``text`` whose trigger, source and target are the first occurrence of
    each word, with actor codes made from the words."""

    def span(word: str) -> tuple[int, int]:
        start = text.index(word)
        return (start, start + len(word))

    return Event(
        id="e",
        doc_id="d",
        sentence_index=0,
        sentence=text,
        source=Actor(source, source.upper()[:3]),
        target=Actor(target, target.upper()[:3]) if target else None,
        cameo="070",
        goldstein=7.0,
        quad=2,
        plover=None,
        evidence=Evidence(span(trigger), span(source), span(target) if target else None),
        modality=Modality(**modality),
    )


def phrase_roles(nlp: Language, text: str, word: str) -> tuple[set[str], set[str]]:
    """The phrases ``argument_phrases`` offers as sources and as targets of the first
    token spelled ``word`` in ``text``'s first sentence (no dictionary actors)."""
    sentence = next(iter(nlp(text).sents))
    trigger = next(t for t in sentence if t.text == word)
    sources, targets = argument_phrases(trigger, SentenceView(sentence, ()))
    return {a.text for _, a in sources}, {a.text for _, a in targets}


def empty_eval(folder: Path) -> Path:
    """An eval folder whose labelled files exist and hold no rows (``builtin_labels``
    then reads only the written sets)."""
    for suite, name in (("plv_train", "pairs.jsonl"), ("plover", "records.dev.jsonl"),
                        ("cameo_quad", "train.dev.jsonl")):  # fmt: skip
        (folder / suite).mkdir(parents=True)
        (folder / suite / name).write_text("", encoding="utf-8")
    return folder
