"""The words of a parsed document as string ids, for index look-ups in bulk.

Dictionaries (actor phrases, trigger lemmas) are looked up by a token's
lower-cased form or lower-cased lemma. Reading those one Token object at a
time costs a Python string per attribute; reading the document's attribute
array once and testing ids against a set of hashed words lets the coder visit
only the tokens that can match.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from dyadwatch._memo import BoundedMemo

__all__ = ["DocWords", "WordReader", "word_ids"]

_LOWERED_LIMIT = 200_000
"""Lemmas whose lower-cased id is remembered before the memo starts afresh."""


def word_ids(words: frozenset[str] | set[str]) -> frozenset[int]:
    """The string ids (hashes) of ``words``, as token attribute arrays hold them."""
    return frozenset(get_string_id(word) for word in words)


@dataclass(frozen=True, slots=True)
class DocWords:
    """Per token of a document: its part of speech, lower-cased form,
    lower-cased lemma and dependency label, each as a string id."""

    pos: list[int]
    lower: list[int]
    lemma: list[int]
    dep: list[int]


class WordReader:
    """Reads :class:`DocWords`, lower-casing each distinct lemma once."""

    def __init__(self) -> None:
        self._lowered: BoundedMemo[int, int] = BoundedMemo(_LOWERED_LIMIT)

    def read(self, doc: Doc) -> DocWords:
        if len(doc) == 0:
            return DocWords([], [], [], [])
        columns = doc.to_array([POS, LOWER, LEMMA, DEP]).T.tolist()
        pos, lower, lemma, dep = columns
        return DocWords(pos, lower, [self._lower(key, doc) for key in lemma], dep)

    def _lower(self, lemma: int, doc: Doc) -> int:
        lowered = self._lowered.get(lemma)
        if lowered is None:
            key = get_string_id(doc.vocab.strings[lemma].lower())
            lowered = self._lowered.remember(lemma, key)
        return lowered
