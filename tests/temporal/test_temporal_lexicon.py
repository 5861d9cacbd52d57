"""The temporal lexicon: the built-in files load; a bad line names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.errors import DictionaryError
from dyadwatch.temporal.lexicon import FixedPhrase, load_temporal_lexicon

HEADER_PHRASES = "phrase\tbase\tunit\toffset\tmode\n"
HEADER_WORDS = "kind\tword\tlow\thigh\n"


def test_lexicon_builtin_loads() -> None:
    lexicon = load_temporal_lexicon()
    assert lexicon.phrases["last week"] == FixedPhrase("published", "week", -1, "whole")
    assert lexicon.quantities["a few"] == (2, 5)
    assert "will" in lexicon.future_aux


@pytest.mark.parametrize(
    ("phrases", "words", "where", "detail"),
    [
        ("yesterday\tpublished\tday\t-1\n", "", "phrases.tsv:2", "columns"),
        ("yesterday\tpublished\tfortnight\t-1\twhole\n", "", "phrases.tsv:2", "fortnight"),
        ("yesterday\tpublished\tday\tone\twhole\n", "", "phrases.tsv:2", "whole number"),
        ("", "# note\nquantity\ta few\t2\t5\nmood\tcalm\t1\t1\n", "words.tsv:4", "unknown kind"),
    ],
)
def test_lexicon_bad_line_raises_dw207(
    tmp_path: Path, phrases: str, words: str, where: str, detail: str
) -> None:
    (tmp_path / "phrases.tsv").write_text(HEADER_PHRASES + phrases, encoding="utf-8")
    (tmp_path / "words.tsv").write_text(HEADER_WORDS + words, encoding="utf-8")
    with pytest.raises(DictionaryError) as raised:
        load_temporal_lexicon(tmp_path)
    assert raised.value.code == "DW207"
    assert where in str(raised.value) and detail in str(raised.value)
