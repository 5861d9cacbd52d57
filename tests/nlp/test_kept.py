"""Values kept with a document: worked out once per key, and the doc still serialises."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch.nlp.kept import kept


def test_kept_makes_each_value_once_per_doc_and_key(nlp: Language) -> None:
    calls: list[str] = []

    def lengths(doc: Doc) -> list[int]:
        calls.append("lengths")
        return [len(token) for token in doc]

    doc = nlp("India and Pakistan held talks.")
    assert kept(doc, "test.lengths", lengths) == [5, 3, 8, 4, 5, 1]
    assert kept(doc, "test.lengths", lengths) == [5, 3, 8, 4, 5, 1]
    assert calls == ["lengths"]
    assert kept(doc, "test.other", lambda d: [0]) == [0]  # another key, another value
    other = nlp("China urged restraint.")
    assert kept(other, "test.lengths", lengths) == [5, 5, 9, 1]
    assert calls == ["lengths", "lengths"]  # another doc, made afresh
    assert Doc(nlp.vocab).from_bytes(doc.to_bytes()).user_data["test.lengths"] == [5, 3, 8, 4, 5, 1]
