"""The words casualty extraction relies on, loaded from validated YAML.

``data/numbers.yaml`` holds English number words and quantity phrases;
``data/casualties.yaml`` the verbs and nouns of killing, injuring and
arresting, and the words that say who the victims were. Both are checked at
load: a bad entry raises ``DictionaryError`` (DW207) naming the file and line.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

import yaml

from dyadwatch.errors import DictionaryError
from dyadwatch.model import Range
from dyadwatch.yaml_nodes import compose_knowledge, knowledge_error, mapping_fields

__all__ = [
    "BoundKind",
    "CasualtyVocabulary",
    "Field",
    "FieldWords",
    "NumberWords",
    "load_number_words",
    "load_vocabulary",
]

Field = Literal["killed", "injured", "arrested"]
FIELDS: tuple[Field, ...] = get_args(Field)

BoundKind = Literal["floor", "above", "ceiling", "below", "about"]
_BOUND_KINDS = frozenset(get_args(BoundKind))

Phrase = tuple[str, ...]
"""A phrase as its lower-case words: ``("at", "least")``."""

_FIELD_KEYS = frozenset({"verbs", "passive_only", "intransitive", "states", "nouns", "tolls"})
_NUMBER_KEYS = frozenset({"units", "tens", "multipliers", "vague", "bounds", "trailing", "zero"})
_WORD_KEYS = frozenset(
    {"people", "civilians", "children", "partitives", "not_people", "toll_rises", "lives"}
)
_VOCABULARY_KEYS = frozenset(FIELDS) | _WORD_KEYS


@dataclass(frozen=True, slots=True)
class NumberWords:
    """Cardinal words, vague amounts, bounding phrases and zero phrases."""

    units: Mapping[str, int]
    tens: Mapping[str, int]
    multipliers: Mapping[str, int]
    vague: Mapping[Phrase, Range]
    bounds: Mapping[Phrase, BoundKind]
    trailing: Mapping[Phrase, BoundKind]
    zero: frozenset[Phrase]
    words: frozenset[str]
    """Every word any of the above uses: what a number phrase may be made of."""


@dataclass(frozen=True, slots=True)
class FieldWords:
    """The words that report one kind of casualty (see ``casualties.yaml``)."""

    verbs: Mapping[str, tuple[Phrase, ...]]
    """Verb lemma → the extra words each of its entries needs among its dependents."""
    passive_only: frozenset[str]
    intransitive: frozenset[str]
    states: frozenset[str]
    nouns: frozenset[str]
    tolls: frozenset[str]


@dataclass(frozen=True, slots=True)
class CasualtyVocabulary:
    """Everything ``extract_size`` needs to know about words."""

    killed: FieldWords
    injured: FieldWords
    arrested: FieldWords
    people: frozenset[str]
    civilians: frozenset[str]
    children: frozenset[str]
    partitives: frozenset[str]
    not_people: frozenset[str]
    toll_rises: frozenset[str]
    lives: frozenset[str]
    numbers: NumberWords
    anchors: frozenset[str] = dataclasses.field(init=False, repr=False, compare=False)
    """Every word that can anchor a figure, as lemma or form: a field's verbs,
    states and nouns, "life" ("claimed 30 lives") and "toll". A word outside
    it reports no casualty, whatever its parse."""

    def __post_init__(self) -> None:
        words: set[str] = {"life", "toll"}
        for _, known in self.field_words():
            words |= known.verbs.keys() | known.passive_only | known.intransitive
            words |= known.states | known.nouns
        object.__setattr__(self, "anchors", frozenset(words))

    def field_words(self) -> tuple[tuple[Field, FieldWords], ...]:
        return (("killed", self.killed), ("injured", self.injured), ("arrested", self.arrested))


def load_number_words(path: Path | None = None) -> NumberWords:
    """The number words: built in (read once), or from ``path`` (same YAML layout).

    Raises ``DictionaryError`` (DW207) naming the file and line of a bad entry.
    """
    return _builtin_numbers() if path is None else _read_numbers(_Reader.open(path, ""))


def load_vocabulary(path: Path | None = None, numbers: Path | None = None) -> CasualtyVocabulary:
    """The casualty vocabulary: built in (read once), or from ``path`` (same YAML layout);
    ``numbers`` replaces the built-in number words.

    Raises ``DictionaryError`` (DW207) naming the file and line of a bad entry.
    """
    if path is None and numbers is None:
        return _builtin_vocabulary()
    reader = _Reader.open(path, "casualties.yaml")
    return _read_vocabulary(reader, load_number_words(numbers))


@functools.cache
def _builtin_numbers() -> NumberWords:
    return _read_numbers(_Reader.open(None, "numbers.yaml"))


@functools.cache
def _builtin_vocabulary() -> CasualtyVocabulary:
    return _read_vocabulary(_Reader.open(None, "casualties.yaml"), _builtin_numbers())


def _read_numbers(reader: _Reader) -> NumberWords:
    sections = reader.mapping(reader.root, _NUMBER_KEYS, required=tuple(sorted(_NUMBER_KEYS)))
    return reader.number_words(sections)


def _read_vocabulary(reader: _Reader, numbers: NumberWords) -> CasualtyVocabulary:
    sections = reader.mapping(reader.root, _VOCABULARY_KEYS, required=FIELDS)
    words = {key: reader.word_set(sections.get(key)) for key in _WORD_KEYS}
    return CasualtyVocabulary(
        killed=reader.field_words(sections["killed"]),
        injured=reader.field_words(sections["injured"]),
        arrested=reader.field_words(sections["arrested"]),
        numbers=numbers,
        **words,
    )


@dataclass(frozen=True, slots=True)
class _Reader:
    """Walks composed YAML nodes; knows the file for error messages."""

    path: str
    root: yaml.Node

    @classmethod
    def open(cls, path: Path | None, builtin: str) -> _Reader:
        if path is None:
            source = resources.files("dyadwatch.casualties") / "data" / builtin
            text, origin = (
                source.read_text(encoding="utf-8"),
                f"dyadwatch/casualties/data/{builtin}",
            )
        else:
            text, origin = path.read_text(encoding="utf-8"), str(path)
        return cls(origin, compose_knowledge(text, origin))

    def error(self, node: yaml.Node, detail: str) -> DictionaryError:
        return knowledge_error(self.path, node, detail)

    def mapping(
        self, node: yaml.Node, allowed: frozenset[str] | None, required: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node]:
        """``allowed`` None: any key (tables whose keys are the data)."""
        return mapping_fields(
            node, path=self.path, key=self.word, allowed=allowed, required=required
        )

    def word(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.error(node, "expected a non-empty word")
        text = " ".join(str(node.value).split())
        if text != text.lower():
            raise self.error(node, f"{text!r} must be written in lower case")
        return text

    def words(self, node: yaml.Node | None) -> list[tuple[str, yaml.Node]]:
        """A list of distinct words, each with its node (for error lines)."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, "expected a list of words")
        seen: set[str] = set()
        out = []
        for item in node.value:
            word = self.word(item)
            if word in seen:
                raise self.error(item, f"duplicate entry {word!r}")
            seen.add(word)
            out.append((word, item))
        return out

    def word_set(self, node: yaml.Node | None) -> frozenset[str]:
        return frozenset(word for word, _ in self.words(node))

    def integer(self, node: yaml.Node, *, minimum: int = 0) -> int:
        value = self.word(node)
        if not (value.isascii() and value.isdigit()) or int(value) < minimum:
            raise self.error(node, f"expected a whole number >= {minimum}, not {value!r}")
        return int(value)

    def field_words(self, node: yaml.Node) -> FieldWords:
        sections = self.mapping(node, _FIELD_KEYS)
        verbs: dict[str, list[Phrase]] = {}
        for entry, _ in self.words(sections.get("verbs")):
            lemma, *extra = entry.split()
            verbs.setdefault(lemma, []).append(tuple(extra))
        return FieldWords(
            verbs=MappingProxyType({lemma: tuple(needs) for lemma, needs in verbs.items()}),
            passive_only=self.word_set(sections.get("passive_only")),
            intransitive=self.word_set(sections.get("intransitive")),
            states=self.word_set(sections.get("states")),
            nouns=self.word_set(sections.get("nouns")),
            tolls=self.word_set(sections.get("tolls")),
        )

    def table(self, node: yaml.Node, *, minimum: int) -> Mapping[str, int]:
        rows = self.mapping(node, None)
        return MappingProxyType({k: self.integer(v, minimum=minimum) for k, v in rows.items()})

    def vague(self, node: yaml.Node) -> Mapping[Phrase, Range]:
        out: dict[Phrase, Range] = {}
        for key, value in self.mapping(node, None).items():
            if not isinstance(value, yaml.SequenceNode) or len(value.value) != 2:
                raise self.error(value, f"{key!r}: expected [min, max]")
            low, high = (self.integer(item) for item in value.value)
            if low > high:
                raise self.error(value, f"{key!r}: min {low} is above max {high}")
            out[tuple(key.split())] = Range(low, high)
        return MappingProxyType(out)

    def bounds(self, node: yaml.Node) -> Mapping[Phrase, BoundKind]:
        out: dict[Phrase, BoundKind] = {}
        for key, value in self.mapping(node, None).items():
            kind = self.word(value)
            if kind not in _BOUND_KINDS:
                raise self.error(value, f"{key!r}: unknown bound {kind!r}")
            out[tuple(key.split())] = kind  # type: ignore[assignment]
        return MappingProxyType(out)

    def number_words(self, sections: dict[str, yaml.Node]) -> NumberWords:
        units = self.table(sections["units"], minimum=0)
        tens = self.table(sections["tens"], minimum=20)
        multipliers = self.table(sections["multipliers"], minimum=2)
        vague = self.vague(sections["vague"])
        bounds = self.bounds(sections["bounds"])
        trailing = self.bounds(sections["trailing"])
        zero = frozenset(tuple(word.split()) for word, _ in self.words(sections["zero"]))
        phrases = [*vague, *bounds, *trailing, *zero]
        words = {*units, *tens, *multipliers, *(w for p in phrases for w in p)}
        words |= {f"{m}s" for m in multipliers} | {"a", "an", "half", "and", "of"}
        words |= {"between", "from", "to", "or", "-"}
        return NumberWords(
            units, tens, multipliers, vague, bounds, trailing, zero, frozenset(words)
        )
