"""The text of a run of tokens, sliced from the document's text.

``Span.text`` joins the text of every token of the span, making a Token
object for each; the coder asks for the text of sentences, clauses and
names many times per document. The document's text is joined once (and kept
with the doc, see :mod:`dyadwatch.nlp.kept`), and a run's text
is a slice of it between its first token's offset and its last token's end:
the same string, since a token's offset is where its text starts in the
document's.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from dyadwatch.nlp.kept import kept

__all__ = ["doc_text", "span_text", "tokens_text"]

_TEXT_KEY = "dyadwatch.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document."""
    return kept(doc, _TEXT_KEY, _joined)


def _joined(doc: Doc) -> str:
    return doc.text


def tokens_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text`` for ``0 <= start <= end <= len(doc)``."""
    if start >= end:
        return ""
    last = doc[end - 1]
    return doc_text(doc)[doc[start].idx : last.idx + len(last)]


def span_text(span: Span) -> str:
    """``span.text``."""
    return tokens_text(span.doc, span.start, span.end)
