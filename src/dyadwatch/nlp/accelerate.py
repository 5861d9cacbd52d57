"""Faster stand-ins for parts of a stock spaCy CPU pipeline, with the same output.

Where the time of ``en_core_web_sm`` goes on news text (see docs/PERFORMANCE.md):
the tok2vec and parser matrix products, then the attribute ruler (a general
token Matcher run over every token) and the rule lemmatizer (a Python call per
token, whose cache skips base forms). Four changes, each checked to give
identical annotations:

* **BLAS products.** thinc's NumpyOps multiplies with blis; numpy's own BLAS
  runs the same float32 products several times faster on the CPUs we measured
  (where blis does not recognise a CPU it runs its generic C kernel).
  ``NumpyOps(use_blis=False)`` is thinc's own switch for it.
* **Maxout by numpy.** tok2vec's five maxout layers pick the best of three
  pieces with thinc's scalar C loop, which also records which piece won (only
  training reads that). At inference the same maximum is taken with
  ``numpy.maximum``, vectorised. The one possible difference is the sign of a
  zero when +0 and -0 tie, which the layer norm after every maxout erases
  (it subtracts the row mean) unless that mean is exactly zero.
* **Stepped parser.** The greedy parse loop runs as batched numpy steps over
  spaCy's own step model and transition system (:mod:`dyadwatch.nlp.stepping`).
* **Compiled attribute ruler.** The ruler's patterns are fixed-length token
  tests on TAG, LOWER, DEP and IS_SPACE. Indexed by their first token's word or
  tag they are tested in one pass over the document's attribute array, and
  applied in the ruler's own order (a later pattern wins), through the same
  struct fields spaCy sets.
* **Memoised lemmatizer.** A rule or lookup lemma is a function of the word, its
  part of speech and its morphology (the stock cache key), so each distinct
  triple is lemmatized once, by the stock lemmatizer's own code. In rule mode
  that code runs on a twin whose word index per part of speech is a set: the
  stock tables hold lists (57,528 nouns in ``en_core_web_sm``), and every
  candidate form of a new word was looked up by scanning one.

A pipeline whose ruler uses anything else (operators, other attributes) keeps
its stock components: :func:`accelerate` never changes what is annotated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

import numpy
from numpy.typing import NDArray
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps
from thinc.layers.maxout import forward as maxout_forward
from thinc.types import Floats2d, Ints2d

from dyadwatch._memo import BoundedMemo
from dyadwatch.nlp.stepping import can_step

__all__ = ["FastMorphology", "accelerate", "compile_ruler", "indexed_twin"]

_MATCH_COLUMNS = (TAG, LOWER, DEP, IS_SPACE)
_KEY_COLUMN = MappingProxyType({"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3})
_FILING_ORDER = (1, 0, 2, 3)
"""Match columns by selectivity: a word narrows more than a tag or a relation."""
_OUTPUT_COLUMNS = (POS, MORPH, LEMMA, TAG, DEP)
_MEMO_LIMIT = 500_000
"""Distinct keys (word, POS, morphology triples; ruler match rows) a memo keeps
before it starts afresh."""

_IN, _NOT_IN, _REGEX = 0, 1, 2
Test = tuple[int, int, "frozenset[int] | re.Pattern[str]"]
"""(column, operator, operand): the token's value in ``column`` is in, not in, or
(as a string) searched by the operand, as spaCy's Matcher tests it."""


@dataclass(frozen=True, slots=True)
class _Pattern:
    rank: int
    tests: tuple[tuple[Test, ...], ...]
    target: int
    attrs: Mapping[int, int]


@dataclass(frozen=True, slots=True)
class _Index:
    """Patterns filed by a value their first token must have.

    ``by_column[c]`` maps a value of match column ``c`` (TAG, LOWER, DEP,
    IS_SPACE) to the patterns whose first token requires it; ``anywhere``
    holds the patterns with no such requirement (regular expressions).
    """

    by_column: tuple[Mapping[int, tuple[_Pattern, ...]], ...]
    anywhere: tuple[_Pattern, ...]

    def candidates(self, row: Sequence[int]) -> Iterator[_Pattern]:
        for column, index in enumerate(self.by_column):
            yield from index.get(row[column], ())
        yield from self.anywhere


_Hit = tuple[int, Mapping[int, int]]
"""(rank, attributes) of a one-token pattern that matched."""
_Row = tuple[int, ...]
"""A token's match values, in ``_MATCH_COLUMNS`` order."""


@dataclass(frozen=True, slots=True)
class _RowMatches:
    """What a row of match values starts: one-token hits, and the longer
    patterns whose first token it passes (their other tokens still to test)."""

    hits: tuple[_Hit, ...]
    longer: tuple[_Pattern, ...]


@dataclass(frozen=True, slots=True)
class CompiledRuler:
    """An attribute ruler's patterns, as one-token and longer pattern indexes.

    Whether a pattern's first token matches depends only on that token's own
    four match values, so for each distinct row of values the one-token hits
    (225 of 232 patterns in ``en_core_web_sm``) and the longer patterns it may
    start are worked out once and remembered.
    """

    single: _Index
    longer: _Index
    _memo: BoundedMemo[_Row, _RowMatches] = field(
        default_factory=lambda: BoundedMemo(_MEMO_LIMIT), compare=False, repr=False
    )

    def apply(self, doc: Doc) -> None:
        if len(doc) == 0:
            return
        values = list(zip(*doc.to_array(list(_MATCH_COLUMNS)).T.tolist(), strict=True))
        # Stable sort on rank: a later pattern's attributes are written last.
        found = sorted(self._matches(values, doc.vocab.strings), key=lambda m: m[0])
        if not found:
            return
        output = _array(doc, _OUTPUT_COLUMNS)
        columns = {attr: i for i, attr in enumerate(_OUTPUT_COLUMNS)}
        for _, token, attrs in found:
            for attr, value in attrs.items():
                output[token, columns[attr]] = value
        doc.from_array(list(_OUTPUT_COLUMNS), cast(Ints2d, output))

    def _matches(
        self, values: Sequence[_Row], strings: StringStore
    ) -> Iterator[tuple[int, int, Mapping[int, int]]]:
        for start, row in enumerate(values):
            starts = self._starts(row, strings)
            for rank, attrs in starts.hits:
                yield rank, start, attrs
            for pattern in starts.longer:
                if _matches_at(pattern.tests, values, start, strings, first=1):
                    yield pattern.rank, start + pattern.target, pattern.attrs

    def _starts(self, row: _Row, strings: StringStore) -> _RowMatches:
        starts = self._memo.get(row)
        if starts is None:
            single = [p for p in self.single.candidates(row) if _first_passes(p, row, strings)]
            longer = [p for p in self.longer.candidates(row) if _first_passes(p, row, strings)]
            hits = tuple((p.rank, p.attrs) for p in single)
            starts = self._memo.remember(row, _RowMatches(hits, tuple(longer)))
        return starts


def _first_passes(pattern: _Pattern, row: _Row, strings: StringStore) -> bool:
    return _matches_at(pattern.tests[:1], (row,), 0, strings)


def _matches_at(
    tests: tuple[tuple[Test, ...], ...],
    values: Sequence[_Row],
    start: int,
    strings: StringStore,
    first: int = 0,
) -> bool:
    """Whether the pattern ``tests`` matches at ``start``, from its token ``first`` on."""
    if start + len(tests) > len(values):
        return False
    for offset in range(first, len(tests)):
        row = values[start + offset]
        token_tests = tests[offset]
        for column, operator, operand in token_tests:
            if not _passes(row[column], operator, operand, strings):
                return False
    return True


def _passes(
    value: int, operator: int, operand: frozenset[int] | re.Pattern[str], strings: StringStore
) -> bool:
    if isinstance(operand, re.Pattern):
        return operand.search(strings[value]) is not None
    return (value in operand) != (operator == _NOT_IN)


def compile_ruler(ruler: Any) -> CompiledRuler | None:
    """Compile a spaCy AttributeRuler, or None when a pattern uses what we don't model."""
    single: list[_Pattern] = []
    longer: list[_Pattern] = []
    for rank, entry in enumerate(ruler.patterns):
        attrs = _output_attrs(ruler.attrs[rank])
        if attrs is None:
            return None
        for tokens in entry["patterns"]:
            pattern = _compile_pattern(rank, tokens, int(entry["index"]), attrs)
            if pattern is None:
                return None
            (single if len(pattern.tests) == 1 else longer).append(pattern)
    return CompiledRuler(_indexed(single), _indexed(longer))


def _indexed(patterns: Sequence[_Pattern]) -> _Index:
    by_column: list[dict[int, list[_Pattern]]] = [{} for _ in _MATCH_COLUMNS]
    anywhere: list[_Pattern] = []
    for pattern in patterns:
        _file(pattern, by_column, anywhere)
    return _Index(
        tuple({k: tuple(v) for k, v in index.items()} for index in by_column), tuple(anywhere)
    )


def _output_attrs(attrs: Mapping[object, object]) -> dict[int, int] | None:
    """The ruler's normalised attributes, if all are ones we write (no "_" extensions)."""
    found: dict[int, int] = {}
    for key, value in attrs.items():
        if not isinstance(key, int) or key not in _OUTPUT_COLUMNS or not isinstance(value, int):
            return None
        found[key] = value
    return found


def _compile_pattern(
    rank: int, tokens: Sequence[Mapping[str, object]], index: int, attrs: Mapping[int, int]
) -> _Pattern | None:
    if not tokens or not -len(tokens) <= index < len(tokens):
        return None
    compiled: list[tuple[Test, ...]] = []
    for token in tokens:
        tests = [_compile_test(key, value) for key, value in token.items()]
        if any(test is None for test in tests):
            return None
        compiled.append(tuple(cast(list[Test], tests)))
    target = index if index >= 0 else len(tokens) + index
    return _Pattern(rank, tuple(compiled), target, attrs)


def _compile_test(key: str, value: object) -> Test | None:
    column = _KEY_COLUMN.get(key)
    if column is None:
        return None
    if key == "IS_SPACE":
        return (column, _IN, frozenset({int(value)})) if isinstance(value, bool) else None
    if isinstance(value, str):
        return (column, _IN, frozenset({get_string_id(value)}))
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    ((operator, operand),) = value.items()
    if operator == "REGEX" and isinstance(operand, str):
        return (column, _REGEX, re.compile(operand))
    listed = isinstance(operand, list) and all(isinstance(o, str) for o in operand)
    if operator in ("IN", "NOT_IN") and listed:
        code = _IN if operator == "IN" else _NOT_IN
        return (column, code, frozenset(get_string_id(str(o)) for o in cast(list[str], operand)))
    return None


def _file(
    pattern: _Pattern, by_column: list[dict[int, list[_Pattern]]], anywhere: list[_Pattern]
) -> None:
    """File under the first required value of the first token (LOWER before TAG)."""
    tests = sorted(pattern.tests[0], key=lambda test: _FILING_ORDER.index(test[0]))
    for column, operator, operand in tests:
        if operator == _IN and isinstance(operand, frozenset):
            for value in operand:
                by_column[column].setdefault(value, []).append(pattern)
            return
    anywhere.append(pattern)


@dataclass(slots=True)
class _LemmaMemo:
    """Lemmas by (ORTH, POS, MORPH) hash, computed by the stock lemmatizer."""

    lemmatizer: Any
    known: BoundedMemo[tuple[int, int, int], int] = field(
        default_factory=lambda: BoundedMemo(_MEMO_LIMIT)
    )

    def apply(self, doc: Doc) -> None:
        if len(doc) == 0:
            return
        array = _array(doc, (ORTH, POS, MORPH, LEMMA))
        overwrite = bool(getattr(self.lemmatizer, "overwrite", False))
        strings = doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = self.known.get(key)
            if value is None:
                lemma = self.lemmatizer.lemmatize(doc[i])[0]
                value = self.known.remember(key, strings.add(lemma))
            array[i, 3] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], cast(Ints2d, numpy.ascontiguousarray(array[:, 3:4])))


def _array(doc: Doc, attrs: Sequence[int]) -> NDArray[numpy.uint64]:
    """The token attributes as spaCy stores them: hashes and ids, uint64."""
    return numpy.asarray(doc.to_array(list(attrs)), dtype=numpy.uint64)


def indexed_twin(lemmatizer: Any) -> Any:
    """A rule lemmatizer like ``lemmatizer`` whose ``lemma_index`` values are sets.

    ``rule_lemmatize`` only tests ``form in index``, which a set answers as a
    list does. Any other lemmatizer (lookup mode, a subclass that changes how
    it is built or how it lemmatizes, an index already of sets) is returned as
    it is.
    """
    if not _stock_rule_lemmatizer(lemmatizer):
        return lemmatizer
    tables = lemmatizer.lookups
    index = tables.get_table("lemma_index", {})
    if not any(isinstance(words, list) for words in index.values()):
        return lemmatizer
    lookups = Lookups()
    for name in tables.tables:
        table = dict(tables.get_table(name).items())
        if name == "lemma_index":
            table = {pos: _as_set(words) for pos, words in table.items()}
        lookups.add_table(name, table)
    twin = type(lemmatizer)(
        lemmatizer.vocab,
        lemmatizer.model,
        lemmatizer.name,
        mode="rule",
        overwrite=lemmatizer.overwrite,
    )
    twin.initialize(lookups=lookups)
    return twin


def _stock_rule_lemmatizer(lemmatizer: Any) -> bool:
    kind = type(lemmatizer)
    return (
        isinstance(lemmatizer, Lemmatizer)
        and lemmatizer.mode == "rule"
        and kind.__init__ is Lemmatizer.__init__
        and kind.rule_lemmatize is Lemmatizer.rule_lemmatize
    )


def _as_set(words: Any) -> Any:
    return frozenset(words) if isinstance(words, list) else words


class FastMorphology:
    """The attribute ruler then the lemmatizer, compiled and memoised (one component).

    A document without a parse (a pipeline run with the parser disabled) goes
    through the stock components, whose patterns then skip their DEP tests.
    """

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        compiled = compile_ruler(ruler)
        if compiled is None:
            raise ValueError("the attribute ruler's patterns cannot be compiled")
        self._compiled = compiled
        self._stock = (ruler, lemmatizer)
        self._lemmas = _LemmaMemo(indexed_twin(lemmatizer))
        self.patterns: list[Any] = list(ruler.patterns)
        """The stock ruler's patterns (read by :class:`dyadwatch.batch.Prefilter`)."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) and not doc.has_annotation("DEP"):
            ruler, lemmatizer = self._stock
            return cast(Doc, lemmatizer(ruler(doc)))
        self._compiled.apply(doc)
        self._lemmas.apply(doc)
        return doc


@Language.factory(
    "dyadwatch_morphology",
    requires=["token.tag", "token.dep"],
    assigns=["token.pos", "token.morph", "token.lemma"],
)
def _make_fast_morphology(nlp: Language, name: str) -> FastMorphology:
    return FastMorphology(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def accelerate(nlp: Language) -> list[str]:
    """Apply the equivalent faster paths to ``nlp`` in place; return what was applied."""
    applied = []
    if _use_numpy_blas(nlp):
        applied.append("numpy-blas")
    if _vectorise_maxout(nlp):
        applied.append("numpy-maxout")
    if _compile_morphology(nlp):
        applied.append("dyadwatch_morphology")
    if _step_parser(nlp):
        applied.append("dyadwatch_parser")
    return applied


def _use_numpy_blas(nlp: Language) -> bool:
    ops = NumpyOps(use_blis=False)
    swapped = False
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
                swapped = True
    return swapped


def _vectorise_maxout(nlp: Language) -> bool:
    # After _use_numpy_blas: the new nodes take over the old nodes' ops, and
    # only nodes on numpy's ops are swapped (the new forward is numpy code).
    # thinc offers no public handle on a node's forward function: _func it is.
    swapped = False
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in list(model.walk()):
            if node._func is maxout_forward and type(node.ops) is NumpyOps:
                swapped |= model.replace_node(node, _inference_maxout(node))
    return swapped


def _inference_maxout(node: Model[Floats2d, Floats2d]) -> Model[Floats2d, Floats2d]:
    """A maxout node on the same parameters (shared, not copied) and ops."""
    dims: dict[str, int | None] = {name: node.get_dim(name) for name in ("nO", "nP", "nI")}
    params: dict[str, Any] = {name: node.get_param(name) for name in ("W", "b")}
    return Model(node.name, _maxout_forward, dims=dims, params=params, ops=node.ops)


def _maxout_forward(
    model: Model[Floats2d, Floats2d], X: Floats2d, is_train: bool
) -> tuple[Floats2d, Any]:
    if is_train:  # training needs the winning pieces: thinc's own forward
        return maxout_forward(model, X, is_train)
    n_out, pieces, n_in = (model.get_dim(name) for name in ("nO", "nP", "nI"))
    weights = model.ops.reshape2f(model.get_param("W"), n_out * pieces, n_in)
    scores = model.ops.gemm(X, weights, trans2=True)
    scores += model.ops.reshape1f(model.get_param("b"), n_out * pieces)
    by_piece = numpy.asarray(scores).reshape((scores.shape[0], n_out, pieces))
    best = by_piece[..., 0].copy()
    for piece in range(1, pieces):
        numpy.maximum(best, by_piece[..., piece], out=best)
    return cast(Floats2d, best), _inference_only


def _inference_only(gradient: Any) -> Any:
    raise RuntimeError("this maxout layer was called for inference: it has no gradient")


def _compile_morphology(nlp: Language) -> bool:
    names = nlp.pipe_names
    if not {"parser", "attribute_ruler", "lemmatizer"} <= set(names):
        return False
    ruler_at = names.index("attribute_ruler")
    # The stock ruler must run after the parse and right before the lemmatizer,
    # which is where the replacement runs.
    if names.index("parser") > ruler_at or names.index("lemmatizer") != ruler_at + 1:
        return False
    if getattr(nlp.get_pipe("lemmatizer"), "mode", None) not in ("rule", "lookup"):
        return False  # a trained lemmatizer is not a function of (word, POS, morph)
    if compile_ruler(nlp.get_pipe("attribute_ruler")) is None:
        return False
    nlp.add_pipe("dyadwatch_morphology", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return True


def _step_parser(nlp: Language) -> bool:
    # After _compile_morphology, which looks for the stock parser by name.
    if "parser" not in nlp.pipe_names or not can_step(nlp.get_pipe("parser")):
        return False
    nlp.add_pipe("dyadwatch_parser", after="parser")
    nlp.disable_pipe("parser")
    return True
