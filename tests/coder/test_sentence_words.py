"""The English word lists of coder/data/sentence.yaml: loaded, and checked with DW207."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.coder.sentence import load_sentence_words
from dyadwatch.errors import DictionaryError


def test_sentence_words_builtin_lists_load() -> None:
    words = load_sentence_words()
    assert "against" in words["target_preps"] and "by" in words["agent_preps"]
    assert words["strike_preps"] <= words["cause_preps"] | words["agent_preps"]
    assert "fire" in words["firing"] and "anti-aircraft" in words["ground_only"]
    assert all(lists for lists in words.values())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "words.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sentence_words_missing_list_is_dw207(tmp_path: Path) -> None:
    path = _write(tmp_path, "target_preps: [with]\n")
    with pytest.raises(DictionaryError) as caught:
        load_sentence_words(path)
    assert caught.value.code == "DW207" and "missing key 'agent_preps'" in caught.value.message


def test_sentence_words_upper_case_entry_is_dw207_with_its_line(tmp_path: Path) -> None:
    good = load_sentence_words()
    lines = [f"{key}: [{', '.join(sorted(words))}]" for key, words in good.items()]
    lines[3] = "ground_only: [Anti-Aircraft]"
    with pytest.raises(DictionaryError) as caught:
        load_sentence_words(_write(tmp_path, "\n".join(lines) + "\n"))
    assert caught.value.code == "DW207" and caught.value.line == 4
    assert "'Anti-Aircraft'" in caught.value.message
