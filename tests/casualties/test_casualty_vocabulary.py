"""The casualty and number vocabularies load, and a bad entry names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.casualties import load_number_words, load_vocabulary, parse_number
from dyadwatch.errors import DictionaryError
from dyadwatch.model import Range

GOOD_VOCABULARY = """\
killed:
  verbs: [kill, shoot dead]
injured:
  verbs: [injure]
arrested:
  verbs: [arrest]
  passive_only: [hold]
people: [man]
"""

GOOD_NUMBERS = """\
units: {one: 1, two: 2}
tens: {twenty: 20}
multipliers: {dozen: 12}
vague: {dozens: [24, 99]}
bounds: {at least: floor}
trailing: {or more: floor}
zero: [nobody]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_casualty_vocabulary_builtin_loads() -> None:
    words = load_vocabulary()
    assert "kill" in words.killed.verbs
    assert ("into", "custody") in words.arrested.verbs["take"]
    assert "child" in words.children
    assert words.numbers.vague[("dozens",)] == Range(24, 99)
    assert load_vocabulary() is words  # built once, then shared


def test_casualty_vocabulary_reads_a_user_file(tmp_path: Path) -> None:
    words = load_vocabulary(write(tmp_path, "v.yaml", GOOD_VOCABULARY))
    assert words.killed.verbs["shoot"] == (("dead",),)
    assert words.arrested.passive_only == frozenset({"hold"})


def test_casualty_vocabulary_number_words_drive_parse_number(tmp_path: Path) -> None:
    words = load_number_words(write(tmp_path, "n.yaml", GOOD_NUMBERS))
    assert parse_number("twenty-two", words) == Range(22, 22)
    assert parse_number("three", words) is None  # not in this file's units


@pytest.mark.parametrize(
    ("name", "text", "line", "detail"),
    [
        ("v.yaml", GOOD_VOCABULARY + "victims: [man]\n", 9, "unknown key 'victims'"),
        ("v.yaml", GOOD_VOCABULARY.replace("[man]", "[man, man]"), 8, "duplicate entry"),
        ("v.yaml", GOOD_VOCABULARY.replace("[kill,", "[Kill,"), 2, "lower case"),
        ("v.yaml", GOOD_VOCABULARY.replace("  verbs: [injure]\n", "  verbs: injure\n"), 4,
         "expected a list"),
        ("v.yaml", GOOD_VOCABULARY.replace("arrested:", "arested:"), 5, "unknown key"),
        ("v.yaml", "killed: [kill\n", None, "not valid YAML"),
        ("v.yaml", "", 1, "empty file"),
        ("v.yaml", "killed: {}\ninjured: {}\n", 1, "missing key 'arrested'"),
        ("n.yaml", GOOD_NUMBERS.replace("[24, 99]", "[99, 24]"), 4, "above max"),
        ("n.yaml", GOOD_NUMBERS.replace("[24, 99]", "[24]"), 4, "expected [min, max]"),
        ("n.yaml", GOOD_NUMBERS.replace("at least: floor", "at least: roof"), 5,
         "unknown bound 'roof'"),
        ("n.yaml", GOOD_NUMBERS.replace("two: 2", "two: -2"), 1, "whole number"),
        ("n.yaml", GOOD_NUMBERS.replace("twenty: 20", "twenty: 2"), 2, ">= 20"),
    ],
)  # fmt: skip
def test_casualty_vocabulary_bad_entry_names_file_and_line(
    tmp_path: Path, name: str, text: str, line: int | None, detail: str
) -> None:
    path = write(tmp_path, name, text)
    load = load_number_words if name == "n.yaml" else load_vocabulary
    with pytest.raises(DictionaryError) as caught:
        load(path)
    assert caught.value.code == "DW207"
    assert caught.value.path == str(path)
    if line is not None:
        assert caught.value.line == line
    assert detail in caught.value.message
