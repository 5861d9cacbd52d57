"""Validated, parameterised filters for reading events back."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, NoReturn, TypedDict, Unpack, cast, get_args

from dyadwatch.errors import Errors, StoreError
from dyadwatch.model import DateBasis
from dyadwatch.store.records import Provenance

__all__ = [
    "DATE_BASES",
    "EVENT_ORDER",
    "EVENT_SCORES",
    "MENTION_ORDER",
    "SCORE_AGGREGATES",
    "DyadDirection",
    "DyadLevel",
    "EventFilter",
    "Filters",
    "MentionFilter",
    "MentionKey",
    "ReadTable",
    "date_bases",
    "unit_share",
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
DATE_BASES: tuple[DateBasis, ...] = get_args(DateBasis)
"""Where a date comes from, strongest first: ``text``, ``anchored``, ``publication``."""

ReadTable = Literal["mentions", "events"]
"""What a filter reads: event mentions (one coded sentence a row, with its own
confidence and date basis) or deduplicated events (which take their mentions')."""

SCORE_AGGREGATES = """max(m.confidence) AS confidence,
    max(CASE WHEN l.event_id = 'dyadwatch:' || m.id
        THEN coalesce(m.date_basis, CASE WHEN m.date IS NULL THEN 'publication' END) END)
        AS date_basis,
    arg_max(m.rule, m.confidence) AS rule,
    arg_max(m.next_type, m.confidence) AS next_type,
    arg_max(m.next_type_probability, m.confidence) AS next_type_probability"""
"""The aggregates of :data:`EVENT_SCORES` over links ``l`` joined to mentions ``m``,
for a statement that reads one event's mentions anyway (``Store.explained_event``)."""
EVENT_SCORES = f"""
SELECT l.event_id,
    {SCORE_AGGREGATES}
FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
"""
"""The one definition of a deduplicated event's confidence and date basis.

Its ``confidence`` is its best mention's (the highest); its ``date_basis`` that
of the mention that founded it (``dyadwatch:<mention id>``), whose date the
event carries; a founder without a date took its document's, so ``publication``.
``rule`` and ``next_type`` are its most confident mention's. Imported events
(GDELT, ICEWS) have no mentions, hence neither. Callers add ``WHERE`` on the
links and ``GROUP BY l.event_id``.
"""

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
    min_confidence: float | None
    date_basis: Iterable[str] | str | None


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters of the store's event reads, checked on construction (DW303).

    ``dyad`` is a pair of actors (a, b). ``level`` says how a side matches:
    ``any`` (the default) its actor code or its country; ``country`` the
    country, except that a side longer than three letters (PAKMIL) matches
    codes; ``code`` the code and its sub-codes (PAKMIL takes PAKMILREB).
    ``direction`` is ``both``, ``a_to_b`` or ``b_to_a``.

    ``min_confidence`` (0–1) keeps events at least that likely to be right and
    ``date_basis`` (some of ``text``, ``anchored``, ``publication``, as a set or
    a comma-separated string) those dated that way. On mentions both are the
    mention's own; on deduplicated events they are the event's, as
    :data:`EVENT_SCORES` defines them, so imported events, which have neither,
    never pass them. Values only ever reach DuckDB as parameters; the SQL text
    is built from the constant clauses of this module, never from what a
    caller passed.
    """

    dyad: tuple[str, str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    root: str | None = None
    limit: int | None = None
    provenance: str | None = None
    direction: DyadDirection = "both"
    level: DyadLevel = "any"
    min_confidence: float | None = None
    date_basis: frozenset[DateBasis] | None = None

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
        if self.min_confidence is not None:
            object.__setattr__(self, "min_confidence", _check_confidence(self.min_confidence))
        if self.date_basis is not None:
            object.__setattr__(self, "date_basis", date_bases(self.date_basis))

    @property
    def scored(self) -> bool:
        """Whether the filter reads confidence or date basis (events need their mentions)."""
        return self.min_confidence is not None or self.date_basis is not None

    @classmethod
    def of(cls, where: EventFilter | None = None, **filters: Unpack[Filters]) -> EventFilter:
        """``where`` with ``filters`` set on it (a new filter without ``where``).

        ``date_basis`` may come as text or any collection; construction makes it a set.
        """
        if where is None:
            return cls(**filters)  # type: ignore[arg-type]
        return replace(where, **filters) if filters else where  # type: ignore[arg-type]

    def sql(
        self, order: str = MENTION_ORDER, *, table: ReadTable = "mentions"
    ) -> tuple[str, dict[str, object]]:
        """``WHERE … ORDER BY … LIMIT …`` text and its named parameters.

        ``order`` is one of the constant clauses of this module; ``table`` what
        the statement reads.
        """
        clauses, params = self._clauses(table)
        text = " WHERE " + " AND ".join(clauses) if clauses else ""
        text += order
        if self.limit is not None:
            text += " LIMIT $limit"
            params["limit"] = self.limit
        return text, params

    def where(self, *, table: ReadTable = "events") -> tuple[str, dict[str, object]]:
        """The conditions alone (no WHERE, order or limit) and their named parameters."""
        clauses, params = self._clauses(table)
        return " AND ".join(clauses) or "TRUE", params

    def _clauses(self, table: ReadTable) -> tuple[list[str], dict[str, object]]:
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
        if self.scored:
            clauses.append(self._scored_sql(table))
            params["min_confidence"] = self.min_confidence
            params["date_basis"] = sorted(self.date_basis) if self.date_basis else None
        return clauses, params

    @staticmethod
    def _scored_sql(table: ReadTable) -> str:
        """Confidence and date basis: a mention's columns, or its event's scores.

        A null parameter leaves its condition out, so one text serves every
        combination.
        """
        test = (
            "($min_confidence::DOUBLE IS NULL OR confidence >= $min_confidence)"
            " AND ($date_basis::VARCHAR[] IS NULL OR list_contains($date_basis, date_basis))"
        )
        if table == "mentions":
            return f"({test})"
        return f"id IN (SELECT event_id FROM ({EVENT_SCORES} GROUP BY l.event_id) WHERE {test})"

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


def _check_confidence(value: object) -> float:
    return unit_share("min_confidence", value, "expected a probability from 0 to 1")


def unit_share(name: str, value: object, reason: str) -> float:
    """``value`` as a float if it is a number from 0 to 1 (not a bool, not NaN), else DW303."""
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not 0.0 <= value <= 1.0
    ):
        _invalid(name, value, reason)
    return float(value)


def date_bases(value: object) -> frozenset[DateBasis]:
    """Date bases from a set or a comma-separated string (``text,anchored``), else DW303."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Iterable) or isinstance(items, bytes | dict):
        _invalid("date_basis", value, f"expected some of {', '.join(DATE_BASES)}")
    found: set[DateBasis] = set()
    for item in items:
        name = item.strip().lower() if isinstance(item, str) else item
        if name not in DATE_BASES:
            _invalid("date_basis", value, f"expected some of {', '.join(DATE_BASES)}")
        found.add(cast(DateBasis, name))
    if not found:
        _invalid("date_basis", value, f"expected at least one of {', '.join(DATE_BASES)}")
    return frozenset(found)


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
        clauses, params = self.where._clauses("mentions")
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


_AFTER_KEY = {
    # (descending, the key has a date): mentions after the key in that order.
    (True, True): "(date IS NOT NULL AND date <= $after_date AND (date < $after_date"
    " OR (doc_id, sentence_index, id) < ($after_doc, $after_sentence, $after_id)))",
    (True, False): "(date IS NOT NULL"
    " OR (doc_id, sentence_index, id) < ($after_doc, $after_sentence, $after_id))",
    (False, True): "(date IS NULL OR date > $after_date OR (date = $after_date"
    " AND (doc_id, sentence_index, id) > ($after_doc, $after_sentence, $after_id)))",
    (False, False): "(date IS NULL"
    " AND (doc_id, sentence_index, id) > ($after_doc, $after_sentence, $after_id))",
}
"""The keyset conditions for :data:`MENTION_ORDER` (undated last) and its exact reverse
(undated first); the explicit ``date <=`` lets DuckDB skip row groups by date."""


@dataclass(frozen=True, slots=True)
class MentionKey:
    """Where a page of mentions ended: the sort key of its last mention.

    The next page is the mentions after it in the same order (keyset paging), so a
    deep page costs what the first one does, where an offset makes DuckDB order and
    skip every mention before it. Checked on construction (DW303).
    """

    date: dt.date | None
    doc_id: str
    sentence_index: int
    id: str

    def __post_init__(self) -> None:
        if self.date is not None and (
            not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime)
        ):
            _invalid("after", self.date, "expected a date or null")
        for name in ("doc_id", "id"):
            if not isinstance(getattr(self, name), str):
                _invalid("after", getattr(self, name), f"expected a text {name}")
        index = self.sentence_index
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            _invalid("after", index, "expected a sentence index ≥ 0")

    def after(self, *, descending: bool) -> tuple[str, dict[str, object]]:
        """The condition that keeps the mentions after this key, and its parameters."""
        params: dict[str, object] = {
            "after_doc": self.doc_id, "after_sentence": self.sentence_index,
            "after_id": self.id,
        }  # fmt: skip
        if self.date is not None:
            params["after_date"] = self.date
        return _AFTER_KEY[descending, self.date is not None], params
