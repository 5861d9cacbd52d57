"""The prefilter never turns away a text that yields events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from dyadwatch.batch import Prefilter
from dyadwatch.batch.prefilter import inflections
from dyadwatch.coder.engine import Coder

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def test_prefilter_inflections_cover_regular_forms() -> None:
    assert {"attacks", "attacked", "attacking"} <= inflections("attack")
    assert {"releasing", "released"} <= inflections("release")
    assert {"denies", "denied"} <= inflections("deny")
    assert {"banned", "banning"} <= inflections("ban")


def test_prefilter_small_coder_rejects_only_eventless_texts(small_coder: Coder) -> None:
    prefilter = Prefilter.for_coder(small_coder)
    assert prefilter("Pakistan's jets ATTACKED Indian posts.")
    assert not prefilter("The weather in Lahore was mild and sunny.")
    rejected = [
        text
        for text in ("Rain fell.", "India said Pakistan must withdraw.", "Officials spoke.")
        if not prefilter(text)
    ]
    assert "India said Pakistan must withdraw." not in rejected  # obligations need no trigger
    assert all(small_coder.code_text(text) == [] for text in rejected)


def test_prefilter_skips_parsing_in_code_documents(small_coder: Coder) -> None:
    from dyadwatch.model import Document

    prefilter = Prefilter.for_coder(small_coder)
    docs = [Document.from_text("Rain fell."), Document.from_text("Pakistan attacked India.")]
    with_filter = list(small_coder.code_documents(docs, prefilter))
    assert with_filter == list(small_coder.code_documents(docs))
    assert with_filter[0][1] == []


@pytest.mark.slow
def test_prefilter_never_rejects_a_demo_sentence_with_events(builtin_coder: Coder) -> None:
    prefilter = Prefilter.for_coder(builtin_coder)
    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer")
    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    sentences = [s.text for text in texts for s in splitter(text).sents]
    pieces = sentences + [w for s in sentences[:150] for w in s.split(", ")]
    rejected = [text for text in pieces if not prefilter(text)]
    assert rejected, "the sample should hold texts the prefilter turns away"
    assert all(prefilter(text) for text in texts)
    assert [t for t in rejected if builtin_coder.code_text(t)] == []
