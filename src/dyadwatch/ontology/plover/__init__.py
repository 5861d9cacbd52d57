"""CAMEO → PLOVER 2.0: event type, mode and context for any CAMEO event code.

The table is ``cameo_to_plover.tsv`` beside this module. It lists every CAMEO
root and each code whose mapping differs from its parent's; a code that is not
listed takes the mapping of its nearest listed ancestor ("0579" → "057" → "05").
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dyadwatch.errors import DictionaryError, Errors, OntologyError
from dyadwatch.model import PloverCode

__all__ = ["PLOVER_TYPES", "PloverMapping", "load_plover", "parse_plover_table"]

_DATA_FILE = "cameo_to_plover.tsv"
_HEADER = ("cameo", "type", "mode", "context")

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
"""The sixteen PLOVER 2.0 event types, cooperative to conflictual."""


_DROPPED = "-"
"""Type column value for a CAMEO code that PLOVER does not code."""


@dataclass(frozen=True)
class PloverMapping:
    """Immutable CAMEO → PLOVER table with ancestor fallback."""

    table: Mapping[str, PloverCode | None]
    """``None`` marks codes PLOVER drops (most CAMEO 01x statements)."""

    def types(self) -> tuple[str, ...]:
        return PLOVER_TYPES

    def map(self, cameo_code: str) -> PloverCode | None:
        """The PLOVER code of ``cameo_code`` or of its nearest listed ancestor.

        ``None`` when PLOVER drops the code (plain statements, CAMEO 010).
        Raises ``OntologyError`` (DW252) when not even the root is listed.
        """
        code = cameo_code.strip()
        for length in range(len(code), 1, -1):
            prefix = code[:length]
            if prefix in self.table:
                return self.table[prefix]
        raise OntologyError(Errors.DW252, code=cameo_code)


@functools.cache
def load_plover() -> PloverMapping:
    """The built-in mapping, parsed and validated once per process.

    Raises ``DictionaryError`` (DW207) naming the file and line of a bad row.
    """
    resource = importlib.resources.files(__package__).joinpath(_DATA_FILE)
    return parse_plover_table(resource.read_text(encoding="utf-8"), path=_DATA_FILE)


def parse_plover_table(text: str, *, path: str) -> PloverMapping:
    """Parse the ``cameo<TAB>type<TAB>mode<TAB>context`` table; ``#`` starts a comment line."""
    table: dict[str, PloverCode | None] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if not header_seen:
            if tuple(fields) != _HEADER:
                raise _bad(path, number, f"header must be {'<TAB>'.join(_HEADER)}")
            header_seen = True
            continue
        code, plover = _parse_row(fields, path, number)
        if code in table:
            raise _bad(path, number, f"duplicate CAMEO code {code!r}")
        table[code] = plover
    return PloverMapping(MappingProxyType(table))


def _parse_row(fields: list[str], path: str, number: int) -> tuple[str, PloverCode | None]:
    if not 2 <= len(fields) <= len(_HEADER):
        raise _bad(path, number, f"expected 2 to {len(_HEADER)} tab-separated fields")
    # Editors strip trailing tabs, so a row may omit an empty mode and context.
    code, kind, mode, context = (*fields, "", "")[:4]
    if not (code.isdigit() and 2 <= len(code) <= 4):
        raise _bad(path, number, f"invalid CAMEO code {code!r}")
    if kind == _DROPPED:
        return code, None
    if kind not in PLOVER_TYPES:
        raise _bad(path, number, f"unknown PLOVER type {kind!r}")
    contexts = tuple(part.strip() for part in context.split(";") if part.strip())
    return code, PloverCode(kind, mode or None, contexts)


def _bad(path: str, line: int, detail: str) -> DictionaryError:
    return DictionaryError(Errors.DW207, path=path, line=line, detail=detail)
