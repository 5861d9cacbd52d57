"""extract_size and widen on literal sentences parsed by the session pipeline."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
from spacy.language import Language

from dyadwatch.casualties import extract_size, widen
from dyadwatch.casualties.vocabulary import FieldWords, load_vocabulary
from dyadwatch.model import Range, Size


def size_of(nlp: Language, text: str) -> Size | None:
    return extract_size(next(iter(nlp(text).sents)))


def fields(size: Size | None) -> dict[str, tuple[int, int]]:
    """The stated fields of a size, as (min, max) pairs."""
    if size is None:
        return {}
    found = {
        "killed": size.killed,
        "injured": size.injured,
        "arrested": size.arrested,
        "civilians": size.civilians,
        "children": size.children,
    }
    return {name: (r.min, r.max) for name, r in found.items() if r is not None}


FORMS = [
    ("At least 5 people were killed in the blast.", {"killed": (5, 5)}),
    ("The strike killed up to 7 people.", {"killed": (1, 7)}),
    ("As many as 12 people were killed.", {"killed": (1, 12)}),
    ("More than 20 people were killed.", {"killed": (21, 21)}),
    ("A drone strike killed between 4 and 6 militants.", {"killed": (4, 6)}),
    ("Gunmen killed 4-6 villagers.", {"killed": (4, 6)}),
    ("Gunmen killed 4 to 6 villagers.", {"killed": (4, 6)}),
    ("Gunmen killed five villagers.", {"killed": (5, 5)}),
    ("Police arrested dozens of protesters.", {"arrested": (24, 99)}),
    ("Scores of people were detained.", {"arrested": (40, 99)}),
    ("Hundreds of people were injured in the stampede.", {"injured": (200, 999)}),
    ("Police killed a family of six.", {"killed": (6, 6)}),
    ("A couple of bystanders were injured.", {"injured": (2, 2)}),
    (
        "A drone fired missiles at a car, killing two militants and a civilian.",
        {"killed": (3, 3), "civilians": (1, 1)},
    ),
    (
        "The strike killed 6-8 people, including 2 children.",
        {"killed": (6, 8), "children": (2, 2)},
    ),
    (
        "18 civilians, including 6 children, were killed when a drone fired on 3 houses.",
        {"killed": (18, 18), "civilians": (18, 18), "children": (6, 6)},
    ),
    ("Four dead after a blast in Quetta.", {"killed": (4, 4)}),
    ("Four men were blown to pieces by the missile.", {"killed": (4, 4)}),
    ("The blast left two dead and five injured.", {"killed": (2, 2), "injured": (5, 5)}),
    ("The death toll rose to 30.", {"killed": (30, 30)}),
    ("The blast raised the death toll to 30.", {"killed": (30, 30)}),
    ("The attack had a death toll of 30.", {"killed": (30, 30)}),
    ("The toll rose from 20 to 30.", {"killed": (30, 30)}),
    ("Reports of the death toll ranged from 5 to 15 people.", {"killed": (5, 15)}),
    (
        "A missile killed 5 and wounded 6 others.",
        {"killed": (5, 5), "injured": (6, 6)},
    ),
    (
        "At least 6 people were killed and 8 others injured in the strike.",
        {"killed": (6, 6), "injured": (8, 8)},
    ),
    ("Three protesters were taken into custody.", {"arrested": (3, 3)}),
    ("Two suspects were held.", {"arrested": (2, 2)}),
    ("Police detained eleven students.", {"arrested": (11, 11)}),
    ("No one was hurt in the attack.", {"injured": (0, 0)}),
    ("Nobody was killed.", {"killed": (0, 0)}),
    ("Ninety-nine people were injured.", {"injured": (99, 99)}),
    ("Twenty-one soldiers were killed.", {"killed": (21, 21)}),
    ("A hundred people were arrested.", {"arrested": (100, 100)}),
    ("A dozen people were injured.", {"injured": (12, 12)}),
    ("Half a dozen activists were arrested.", {"arrested": (6, 6)}),
    ("25 killed, several injured in twin blasts.", {"killed": (25, 25), "injured": (3, 9)}),
    ("5-7 killed in an attack on a compound.", {"killed": (5, 7)}),
    ("The commander was killed with 13 others.", {"killed": (14, 14)}),
    (
        "Baitullah Mehsud and as many as 10 others were killed by a drone.",
        {"killed": (2, 11)},
    ),
    ("The floods claimed 30 lives.", {"killed": (30, 30)}),
    ("The ambush caused five deaths.", {"killed": (5, 5)}),
    ("There were no injuries.", {"injured": (0, 0)}),
    ("Five people died in the crash.", {"killed": (5, 5)}),
    ("7 civilians and 4 or more militants were killed.", {"killed": (11, 11), "civilians": (7, 7)}),
    # A participle after the object describes the object, however the parser hangs it.
    ("The attack left 8 others injured.", {"injured": (8, 8)}),
    ("The clashes left two policemen injured.", {"injured": (2, 2)}),
    (
        "A suicide bomber killed six soldiers and left eleven others wounded.",
        {"killed": (6, 6), "injured": (11, 11)},
    ),
    ("Rescuers pulled 14 people injured from the rubble.", {"injured": (14, 14)}),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_casualty_extract_reads_news_forms(
    nlp: Language, text: str, expected: dict[str, tuple[int, int]]
) -> None:
    assert fields(size_of(nlp, text)) == expected


NOT_CASUALTIES = [
    "China will build a 60-billion-dollar corridor through Pakistan.",
    "The $60bn project was announced in Beijing.",
    "India condemned the 1998 tests.",
    "The talks opened on 26 February.",
    "A 25-year-old man addressed the crowd.",
    "The siege lasted two days.",
    "The meeting began at 5:30 pm.",
    "Turnout rose by 30 percent.",
    "Two jets fired three rockets at two villages.",
    "Police held talks with two leaders.",
    "The strike destroyed two houses and three cars.",
    "The army could kill thousands.",
    "The five passengers were not killed.",
    "He finished first in the race.",
    "The bomb blew the door to pieces.",
    "Rebels blew up two bridges.",
    "The raid left two compounds destroyed.",
]


@pytest.mark.parametrize("text", NOT_CASUALTIES)
def test_casualty_extract_ignores_numbers_that_count_no_casualties(
    nlp: Language, text: str
) -> None:
    assert size_of(nlp, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A 25-year-old man was killed on 26 February.", {"killed": (1, 1)}),
        ("The attack on the 60-billion-dollar corridor killed 5 workers.", {"killed": (5, 5)}),
        ("Militants fired two rockets, killing three soldiers.", {"killed": (3, 3)}),
        ("Twelve people were killed in two villages two days ago.", {"killed": (12, 12)}),
        ("The 1998 blast killed 4 people.", {"killed": (4, 4)}),
    ],
)
def test_casualty_extract_takes_the_casualty_figure_beside_other_numbers(
    nlp: Language, text: str, expected: dict[str, tuple[int, int]]
) -> None:
    assert fields(size_of(nlp, text)) == expected


def test_casualty_extract_prefers_figures_in_the_trigger_clause(nlp: Language) -> None:
    sentence = next(iter(nlp("Police arrested 3 men after a bomb killed 7 people.").sents))
    killed = next(t for t in sentence if t.lower_ == "killed")
    arrested = next(t for t in sentence if t.lower_ == "arrested")
    assert fields(extract_size(sentence, killed)) == {"killed": (7, 7), "arrested": (3, 3)}
    sentence = next(iter(nlp("A strike killed 4 people and a second strike killed 9.").sents))
    first, second = (t for t in sentence if t.lower_ == "killed")
    assert extract_size(sentence, first) == Size(killed=Range(4, 4))
    assert extract_size(sentence, second) == Size(killed=Range(9, 9))
    assert extract_size(sentence, arrested) == extract_size(sentence)  # foreign trigger: root


def test_casualty_extract_returns_none_without_casualty_words(nlp: Language) -> None:
    assert size_of(nlp, "India and Pakistan held talks in Delhi.") is None
    assert size_of(nlp, "...") is None


def test_casualty_widen_takes_least_min_and_greatest_max() -> None:
    a = Size(killed=Range(5, 5), civilians=Range(2, 2))
    b = Size(killed=Range(3, 8), injured=Range(4, 4))
    assert widen([a, None, b]) == Size(
        killed=Range(3, 8), injured=Range(4, 4), civilians=Range(2, 2)
    )


def test_casualty_widen_of_nothing_is_none() -> None:
    assert widen([]) is None
    assert widen([None, None]) is None


def test_casualty_widen_of_one_size_is_that_size() -> None:
    only = Size(arrested=Range(2, 9))
    assert widen([only]) == only


# -- the anchor pre-check ------------------------------------------------------------

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def test_the_anchor_check_never_changes_a_size(nlp: Language) -> None:
    vocabulary = load_vocabulary()
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines] + [text for text, _ in FORMS]
    sentences = [s for doc in nlp.pipe(texts) for s in doc.sents]
    # Anchors that admit every word of these sentences: each token's parse is
    # read, as before the check.
    every_word = {form for s in sentences for t in s for form in (t.lower_, t.lemma_.lower())}
    unchecked = copy.copy(vocabulary)
    object.__setattr__(unchecked, "anchors", frozenset(every_word))
    found = [extract_size(s, vocabulary=vocabulary) for s in sentences]
    assert found == [extract_size(s, vocabulary=unchecked) for s in sentences]
    assert sum(size is not None for size in found) > 50  # the check has sizes to keep


def test_every_casualty_word_is_an_anchor() -> None:
    vocabulary = load_vocabulary()
    for _, words in vocabulary.field_words():
        for group in (words.verbs.keys(), words.passive_only, words.intransitive):
            assert set(group) <= vocabulary.anchors
        assert words.states | words.nouns <= vocabulary.anchors
    assert {"life", "toll"} <= vocabulary.anchors


def test_extract_size_reads_one_doc_with_two_vocabularies(nlp: Language) -> None:
    """A doc's casualty-word flags are kept per vocabulary, never shared between two."""
    sentence = next(iter(nlp("Police arrested five men and the blast killed two.").sents))
    builtin = load_vocabulary()
    none = FieldWords({}, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
    no_arrests = dataclasses.replace(builtin, arrested=none)
    both = {"arrested": (5, 5), "killed": (2, 2)}
    assert fields(extract_size(sentence, vocabulary=no_arrests)) == {"killed": (2, 2)}
    assert fields(extract_size(sentence, vocabulary=builtin)) == both
    assert fields(extract_size(sentence, vocabulary=no_arrests)) == {"killed": (2, 2)}
    assert sentence.doc.to_bytes()  # the flags kept with the doc are plain data
