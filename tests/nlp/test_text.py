"""Token-run text sliced from the document's text is spaCy's own Span.text."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch.nlp.text import doc_text, span_text, tokens_text

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def test_text_of_every_sentence_and_name_of_the_demo_corpus(nlp: Language) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:80]
    for doc in nlp.pipe(json.loads(line)["text"] for line in lines):
        assert doc_text(doc) == doc.text
        for sentence in doc.sents:
            assert span_text(sentence) == sentence.text
            for start in range(sentence.start, sentence.end):
                for end in range(start, min(start + 4, sentence.end) + 1):
                    assert tokens_text(doc, start, end) == doc[start:end].text


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.text(min_size=1, max_size=5).filter(lambda w: not w.isspace()), max_size=8),
    spaces=st.lists(st.booleans(), min_size=8, max_size=8),
    bounds=st.tuples(st.integers(0, 8), st.integers(0, 8)),
)
def test_text_of_any_run_of_a_built_doc(
    nlp: Language, words: list[str], spaces: list[bool], bounds: tuple[int, int]
) -> None:
    """Docs built word by word, odd spacing and whitespace words included."""
    doc = Doc(nlp.vocab, words=words, spaces=spaces[: len(words)])
    start, end = sorted(min(b, len(doc)) for b in bounds)
    assert tokens_text(doc, start, end) == doc[start:end].text
    assert tokens_text(doc, end, start) == ("" if start != end else doc[end:end].text)


def test_the_doc_text_is_kept_as_plain_data(nlp: Language) -> None:
    doc = nlp("India and Pakistan held talks. China urged restraint.")
    assert tokens_text(doc, 0, 3) == "India and Pakistan"
    assert Doc(nlp.vocab).from_bytes(doc.to_bytes()).text == doc.text
