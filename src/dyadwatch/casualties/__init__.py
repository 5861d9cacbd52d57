"""How many: casualty figures (killed, injured, arrested) from parsed sentences.

``extract_size`` reads one sentence's figures as ``Size`` ranges; ``widen``
merges the sizes of several reports of one event; ``parse_number`` reads a
bare number phrase ("at least 5", "dozens"). The words behind all three are
data (``data/casualties.yaml``, ``data/numbers.yaml``); see docs/CASUALTIES.md.
"""

from __future__ import annotations

from dyadwatch.casualties.extract import extract_size, widen
from dyadwatch.casualties.numbers import parse_number
from dyadwatch.casualties.vocabulary import (
    CasualtyVocabulary,
    FieldWords,
    NumberWords,
    load_number_words,
    load_vocabulary,
)

__all__ = [
    "CasualtyVocabulary",
    "FieldWords",
    "NumberWords",
    "extract_size",
    "load_number_words",
    "load_vocabulary",
    "parse_number",
    "widen",
]
