"""Word ids read in bulk agree with what each Token says."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.strings import get_string_id

from dyadwatch.coder.component import _subjects
from dyadwatch.nlp.words import WordReader

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def _texts() -> list[str]:
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:80]
    return [json.loads(line)["text"] for line in lines] + ["They left. WE said so.", ""]


def test_word_reader_matches_each_token(nlp: Language) -> None:
    reader = WordReader()
    for doc in nlp.pipe(_texts()):
        words = reader.read(doc)
        assert words.pos == [t.pos for t in doc]
        assert words.lower == [t.lower for t in doc]
        assert words.dep == [t.dep for t in doc]
        assert words.lemma == [get_string_id(t.lemma_.lower()) for t in doc]


def test_subjects_flag_pronouns_and_nominal_subjects(nlp: Language) -> None:
    reader = WordReader()
    subjects = pronouns = 0
    for doc in nlp.pipe(_texts()):
        expected = [None if t.pos_ == "PRON" else t.dep_ in ("nsubj", "nsubjpass") for t in doc]
        assert _subjects(reader.read(doc)) == expected
        subjects, pronouns = subjects + expected.count(True), pronouns + expected.count(None)
    assert subjects > 100 and pronouns > 10
