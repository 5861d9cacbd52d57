"""Validated, parameterised filters for reading events back."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NoReturn, get_args

from dyadwatch.errors import Errors, StoreError
from dyadwatch.store.records import Provenance

__all__ = ["EVENT_ORDER", "MENTION_ORDER", "EventFilter"]

_ACTOR = re.compile(r"[A-Z0-9]{3,30}")
"""A CAMEO actor code or ISO-3 country: what a dyad side may name."""

_ROOT = re.compile(r"\d{2}")
_ROOTS = range(1, 21)
_PROVENANCES = frozenset(get_args(Provenance))

MENTION_ORDER = " ORDER BY date NULLS LAST, doc_id, sentence_index, id"
EVENT_ORDER = " ORDER BY date NULLS LAST, id"

_DYAD_SQL = (
    "(((source_code = $a OR source_country = $a) AND (target_code = $b OR target_country = $b))"
    " OR ((source_code = $b OR source_country = $b) AND (target_code = $a OR target_country = $a)))"
)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters of :meth:`Store.events`, checked on construction (DW303).

    Values only ever reach DuckDB as parameters; the SQL text is built from
    the constant clauses below, never from what a caller passed.
    """

    dyad: tuple[str, str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    root: str | None = None
    limit: int | None = None
    provenance: str | None = None

    def __post_init__(self) -> None:
        if self.dyad is not None:
            object.__setattr__(self, "dyad", _check_dyad(self.dyad))
        object.__setattr__(self, "since", _check_date("since", self.since))
        object.__setattr__(self, "until", _check_date("until", self.until))
        if self.since and self.until and self.since > self.until:
            _invalid("until", self.until, f"before since={self.since.isoformat()}")
        if self.root is not None:
            _check_root(self.root)
        if self.provenance is not None and self.provenance not in _PROVENANCES:
            _invalid("provenance", self.provenance, f"expected one of {sorted(_PROVENANCES)}")
        if self.limit is not None and (
            not isinstance(self.limit, int) or isinstance(self.limit, bool) or self.limit < 0
        ):
            _invalid("limit", self.limit, "expected a non-negative integer")

    def sql(self, order: str = MENTION_ORDER) -> tuple[str, dict[str, object]]:
        """``WHERE … ORDER BY … LIMIT …`` text and its named parameters.

        ``order`` is one of the constant clauses of this module.
        """
        clauses: list[str] = []
        params: dict[str, object] = {}
        if self.dyad is not None:
            clauses.append(_DYAD_SQL)
            params["a"], params["b"] = self.dyad
        if self.since is not None:
            clauses.append("date >= $since")
            params["since"] = self.since
        if self.until is not None:
            clauses.append("date <= $until")
            params["until"] = self.until
        if self.root is not None:
            clauses.append("cameo_root = $root")
            params["root"] = self.root
        if self.provenance is not None:
            clauses.append("provenance = $provenance")
            params["provenance"] = self.provenance
        text = " WHERE " + " AND ".join(clauses) if clauses else ""
        text += order
        if self.limit is not None:
            text += " LIMIT $limit"
            params["limit"] = self.limit
        return text, params


def _invalid(name: str, value: object, reason: str) -> NoReturn:
    raise StoreError(Errors.DW303, name=name, value=value, reason=reason)


def _check_dyad(dyad: object) -> tuple[str, str]:
    if not isinstance(dyad, tuple | list) or len(dyad) != 2:
        _invalid("dyad", dyad, "expected a pair of actor codes")
    sides = []
    for side in dyad:
        code = side.strip().upper() if isinstance(side, str) else ""
        if not _ACTOR.fullmatch(code):
            _invalid("dyad", side, "expected an actor code or ISO-3 country (letters, digits)")
        sides.append(code)
    return sides[0], sides[1]


def _check_date(name: str, value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        _invalid(name, value, "expected a date")
    return value


def _check_root(root: object) -> None:
    if not isinstance(root, str) or not _ROOT.fullmatch(root) or int(root) not in _ROOTS:
        _invalid("root", root, "expected a CAMEO root code 01-20")
