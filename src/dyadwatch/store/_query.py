"""Validated, parameterised filters for reading events back."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal, NoReturn, TypedDict, Unpack, get_args

from dyadwatch.errors import Errors, StoreError
from dyadwatch.store.records import Provenance

__all__ = [
    "EVENT_ORDER",
    "MENTION_ORDER",
    "DyadDirection",
    "DyadLevel",
    "EventFilter",
    "Filters",
    "MentionFilter",
]

DyadDirection = Literal["both", "a_to_b", "b_to_a"]
DyadLevel = Literal["any", "country", "code"]
_DIRECTIONS = get_args(DyadDirection)
_LEVELS = get_args(DyadLevel)

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


class Filters(TypedDict, total=False):
    """The fields of :class:`EventFilter` as keyword arguments of the store's reads."""

    dyad: tuple[str, str] | None
    since: dt.date | None
    until: dt.date | None
    root: str | None
    limit: int | None
    provenance: str | None
    direction: DyadDirection
    level: DyadLevel


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters of the store's event reads, checked on construction (DW303).

    ``dyad`` is a pair of actors (a, b). ``level`` says how a side matches:
    ``any`` (the default) its actor code or its country; ``country`` the
    country, except that a side longer than three letters (PAKMIL) matches
    codes; ``code`` the code and its sub-codes (PAKMIL takes PAKMILREB).
    ``direction`` is ``both``, ``a_to_b`` or ``b_to_a``. Values only ever
    reach DuckDB as parameters; the SQL text is built from the constant
    clauses of this module, never from what a caller passed.
    """

    dyad: tuple[str, str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    root: str | None = None
    limit: int | None = None
    provenance: str | None = None
    direction: DyadDirection = "both"
    level: DyadLevel = "any"

    def __post_init__(self) -> None:
        if self.direction not in _DIRECTIONS:
            _invalid("direction", self.direction, f"expected one of {', '.join(_DIRECTIONS)}")
        if self.level not in _LEVELS:
            _invalid("actor_level", self.level, f"expected one of {', '.join(_LEVELS[1:])}")
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

    @classmethod
    def of(cls, where: EventFilter | None = None, **filters: Unpack[Filters]) -> EventFilter:
        """``where`` with ``filters`` set on it (a new filter without ``where``)."""
        if where is None:
            return cls(**filters)
        return replace(where, **filters) if filters else where

    def sql(self, order: str = MENTION_ORDER) -> tuple[str, dict[str, object]]:
        """``WHERE … ORDER BY … LIMIT …`` text and its named parameters.

        ``order`` is one of the constant clauses of this module.
        """
        clauses, params = self._clauses()
        text = " WHERE " + " AND ".join(clauses) if clauses else ""
        text += order
        if self.limit is not None:
            text += " LIMIT $limit"
            params["limit"] = self.limit
        return text, params

    def where(self) -> tuple[str, dict[str, object]]:
        """The conditions alone (no WHERE, order or limit) and their named parameters."""
        clauses, params = self._clauses()
        return " AND ".join(clauses) or "TRUE", params

    def _clauses(self) -> tuple[list[str], dict[str, object]]:
        clauses: list[str] = []
        params: dict[str, object] = {}
        if self.dyad is not None:
            clauses.append(self._dyad_sql())
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
        return clauses, params

    def _dyad_sql(self) -> str:
        if self.level == "any" and self.direction == "both":
            return _DYAD_SQL
        a, b = self.dyad or ("", "")
        forward = f"({self._side('source', 'a', a)} AND {self._side('target', 'b', b)})"
        backward = f"({self._side('source', 'b', b)} AND {self._side('target', 'a', a)})"
        if self.direction == "a_to_b":
            return forward
        if self.direction == "b_to_a":
            return backward
        return f"({forward} OR {backward})"

    def _side(self, side: str, param: str, actor: str) -> str:
        """SQL matching ``side`` (source/target) against the actor bound to ``$param``."""
        if self.level == "any":
            return f"({side}_code = ${param} OR {side}_country = ${param})"
        if self.level == "code" or len(actor) > 3:
            return f"starts_with({side}_code, ${param})"
        return f"{side}_country = ${param}"


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


_CAMEO_PREFIX = re.compile(r"\d{2,4}")
_PLOVER_NAME = re.compile(r"[A-Z]{3,12}")
_COUNTRY = re.compile(r"[A-Z]{3}")
_MAX_PLACE = 100


@dataclass(frozen=True, slots=True)
class MentionFilter:
    """Filters of the mention reads behind ``GET /events``, checked on construction (DW303).

    ``where`` holds the dyad, dates and root; ``actor`` matches a side's code or
    country; ``code`` is a CAMEO prefix; ``plover`` a PLOVER type; ``country``
    and ``place`` match the mention's place (its ISO-3 country, a piece of its
    name in any case); the flags match the modality. Like :class:`EventFilter`,
    values reach DuckDB only as parameters.
    """

    where: EventFilter = EventFilter()
    actor: str | None = None
    code: str | None = None
    plover: str | None = None
    country: str | None = None
    place: str | None = None
    negated: bool | None = None
    hypothetical: bool | None = None
    reported: bool | None = None

    def __post_init__(self) -> None:
        for name, pattern in (
            ("actor", _ACTOR), ("code", _CAMEO_PREFIX), ("plover", _PLOVER_NAME),
            ("country", _COUNTRY),
        ):  # fmt: skip
            value = getattr(self, name)
            if value is None:
                continue
            upper = value.strip().upper() if isinstance(value, str) else ""
            if not pattern.fullmatch(upper):
                _invalid(name, value, f"expected {pattern.pattern}")
            object.__setattr__(self, name, upper)
        if self.place is not None and not (
            isinstance(self.place, str) and 0 < len(self.place) <= _MAX_PLACE
        ):
            _invalid("place", self.place, f"expected 1-{_MAX_PLACE} characters")

    def conditions(self) -> tuple[str, dict[str, object]]:
        """The conditions over ``event_mentions`` columns and their named parameters."""
        clauses, params = self.where._clauses()
        if self.actor is not None:
            clauses.append("$actor IN (source_code, source_country, target_code, target_country)")
            params["actor"] = self.actor
        if self.code is not None:
            clauses.append("starts_with(cameo, $code)")
            params["code"] = self.code
        if self.plover is not None:
            clauses.append("plover_type = $plover")
            params["plover"] = self.plover
        for flag in ("negated", "hypothetical", "reported"):
            wanted = getattr(self, flag)
            if wanted is not None:
                clauses.append(f"{flag} = ${flag}")
                params[flag] = bool(wanted)
        if self.country is not None:
            clauses.append("json_extract_string(location, '$.country') = $country")
            params["country"] = self.country
        if self.place is not None:
            clauses.append("contains(lower(json_extract_string(location, '$.name')), $place)")
            params["place"] = self.place.lower()
        return " AND ".join(clauses) or "TRUE", params
