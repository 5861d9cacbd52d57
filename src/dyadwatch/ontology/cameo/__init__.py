"""The CAMEO event ontology: codes, labels, Goldstein weights and class schemes.

The table is ``eventcodes.tsv`` beside this module (``code<TAB>label<TAB>goldstein``,
one CAMEO event code per line, two to four digits). Load it once with
:func:`load_cameo`; the returned :class:`CameoOntology` is immutable.

Codes found in the wild are often more specific than the codebook (PETRARCH
dictionaries use "0579" or "102b"); :meth:`CameoOntology.normalise` maps them to
their nearest known ancestor, and every lookup goes through it.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dyadwatch.errors import DictionaryError, Errors, OntologyError

__all__ = ["CameoCode", "CameoOntology", "load_cameo", "parse_cameo_table"]

_DATA_FILE = "eventcodes.tsv"
_HEADER = ("code", "label", "goldstein")

# GDELT's QuadClass: 1 verbal cooperation, 2 material cooperation,
# 3 verbal conflict, 4 material conflict.
_QUAD_BY_ROOT: Mapping[int, int] = MappingProxyType(
    {root: 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4 for root in range(1, 21)}
)

# The Phoenix pipeline's five classes: 0 statement, 1 verbal cooperation,
# 2 material cooperation, 3 verbal conflict, 4 material conflict. Unlike GDELT it
# counts reduced relations (16) as verbal conflict and protests (14) as material.
_PENTA_BY_ROOT: Mapping[int, int] = MappingProxyType(
    {
        1: 0, 2: 0,
        3: 1, 4: 1, 5: 1,
        6: 2, 7: 2, 8: 2,
        9: 3, 10: 3, 11: 3, 12: 3, 13: 3, 16: 3,
        14: 4, 15: 4, 17: 4, 18: 4, 19: 4, 20: 4,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One row of the CAMEO table."""

    code: str
    label: str
    goldstein: float

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class CameoOntology:
    """Immutable CAMEO event table with lookups that accept over-specific codes.

    Every method taking a ``code`` raises ``OntologyError`` (DW251) when not even
    the code's two-digit root is a CAMEO code.
    """

    entries: Mapping[str, CameoCode]

    @classmethod
    def from_rows(cls, rows: Iterable[CameoCode]) -> CameoOntology:
        return cls(MappingProxyType({row.code: row for row in rows}))

    def codes(self) -> tuple[str, ...]:
        """All known codes in table order (roots before their children)."""
        return tuple(self.entries)

    def is_known(self, code: str) -> bool:
        """True when ``code`` is itself in the table (no normalisation)."""
        return code in self.entries

    def normalise(self, code: str) -> str:
        """``code`` itself when known, else its nearest known ancestor.

        "0579" → "057", "102b" → "102", "1999" → "19".
        """
        cleaned = code.strip()
        for length in (len(cleaned), 3, 2):
            candidate = cleaned[:length]
            if len(candidate) >= 2 and candidate in self.entries:
                return candidate
        raise OntologyError(Errors.DW251, code=code)

    def entry(self, code: str) -> CameoCode:
        """The table row for ``code`` after normalisation."""
        return self.entries[self.normalise(code)]

    def label(self, code: str) -> str:
        return self.entry(code).label

    def goldstein(self, code: str) -> float:
        """The Goldstein conflict-cooperation weight, -10.0 … +10.0."""
        return self.entry(code).goldstein

    def root(self, code: str) -> str:
        """The two-digit cue category, e.g. "19" for "195"."""
        return self.entry(code).root

    def quad(self, code: str) -> int:
        """GDELT QuadClass 1..4 (01–05, 06–09, 10–14, 15–20)."""
        return _QUAD_BY_ROOT[int(self.root(code))]

    def penta(self, code: str) -> int:
        """Phoenix class 0..4: statement, verbal/material cooperation, verbal/material conflict."""
        return _PENTA_BY_ROOT[int(self.root(code))]


@functools.cache
def load_cameo() -> CameoOntology:
    """The built-in CAMEO table, parsed and validated once per process.

    Raises ``DictionaryError`` (DW207) naming the file and line of a bad row.
    """
    resource = importlib.resources.files(__package__).joinpath(_DATA_FILE)
    return parse_cameo_table(resource.read_text(encoding="utf-8"), path=_DATA_FILE)


def parse_cameo_table(text: str, *, path: str) -> CameoOntology:
    """Parse a ``code<TAB>label<TAB>goldstein`` table with a header line."""
    rows: dict[str, CameoCode] = {}
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != _HEADER:
        raise _bad(path, 1, f"header must be {'<TAB>'.join(_HEADER)}")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        row = _parse_row(line, path, number)
        if row.code in rows:
            raise _bad(path, number, f"duplicate code {row.code!r}")
        if len(row.code) > 2 and row.code[:-1] not in rows:
            raise _bad(path, number, f"code {row.code!r} comes before its parent {row.code[:-1]!r}")
        rows[row.code] = row
    return CameoOntology.from_rows(rows.values())


def _parse_row(line: str, path: str, number: int) -> CameoCode:
    fields = line.split("\t")
    if len(fields) != len(_HEADER):
        raise _bad(path, number, f"expected {len(_HEADER)} tab-separated fields, got {len(fields)}")
    code, label, weight = (field.strip() for field in fields)
    if not (code.isdigit() and 2 <= len(code) <= 4) or not 1 <= int(code[:2]) <= 20:
        raise _bad(path, number, f"invalid CAMEO code {code!r}")
    if not label:
        raise _bad(path, number, f"code {code!r} has no label")
    try:
        goldstein = float(weight)
    except ValueError as exc:
        raise _bad(path, number, f"Goldstein weight {weight!r} is not a number") from exc
    if not -10.0 <= goldstein <= 10.0:
        raise _bad(path, number, f"Goldstein weight {goldstein} is outside -10..10")
    return CameoCode(code, label, goldstein)


def _bad(path: str, line: int, detail: str) -> DictionaryError:
    return DictionaryError(Errors.DW207, path=path, line=line, detail=detail)
