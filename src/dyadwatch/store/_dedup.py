"""Cross-article deduplication: link each event mention to one happening.

A factual mention (neither negated nor hypothetical) joins the stored
``dyadwatch`` event that has the same dyad, the same CAMEO base code, a date
within the window and a compatible place; the closest date wins, then the
older event id. Otherwise the mention founds a new event whose id is
``dyadwatch:<mention id>``, so the same input in the same order always gives
the same events, whatever crashes happened in between.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.errors import Errors, StoreError
from dyadwatch.model import Actor, Document, Event, Location
from dyadwatch.store._sql import insert_rows, register
from dyadwatch.store._stored import STORED_COLUMNS, STORED_TYPES, stored_row
from dyadwatch.store.records import STORY_ID, StoredEvent

__all__ = ["DedupRules", "MentionFacts", "link_mentions", "relink_all"]

_LINK_COLUMNS = ("mention_id", "event_id")
_PROBE = "_dyadwatch_probe"
_CHUNK = 5000
"""Mentions linked per round when a whole store is relinked."""


@dataclass(frozen=True, slots=True)
class DedupRules:
    """When two mentions report the same happening (see docs/STORE.md).

    ``window_days``: largest date gap, in days, between a mention and the event.
    ``code_digits``: how many leading CAMEO digits must agree (3 = base code).
    ``match_place``: require a compatible place (same country and ADM1 where
    both are known); when False, places are ignored.
    Bad values raise StoreError DW307.
    """

    window_days: int = 1
    code_digits: int = 3
    match_place: bool = True

    def __post_init__(self) -> None:
        if not _is_int(self.window_days) or not 0 <= self.window_days <= 366:
            _bad_rule("window_days", self.window_days, "expected an integer 0-366")
        if not _is_int(self.code_digits) or not 2 <= self.code_digits <= 4:
            _bad_rule("code_digits", self.code_digits, "expected an integer 2-4")
        if not isinstance(self.match_place, bool):
            _bad_rule("match_place", self.match_place, "expected a boolean")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bad_rule(name: str, value: object, reason: str) -> None:
    raise StoreError(Errors.DW307, name=name, value=value, reason=reason)


@dataclass(frozen=True, slots=True)
class MentionFacts:
    """What linking needs to know of one stored event mention."""

    id: str
    date: dt.date | None
    source: Actor
    target: Actor | None
    cameo: str
    goldstein: float | None
    quad: int | None
    location: Location | None
    factual: bool
    url: str | None
    doc_id: str | None = None

    @classmethod
    def of(cls, event: Event, doc: Document) -> MentionFacts:
        """An event's facts; undated events take their document's date."""
        modality = event.modality
        return cls(
            event.id, event.date or doc.date, event.source, event.target, event.cameo,
            event.goldstein, event.quad, event.location,
            not (modality.negated or modality.hypothetical), doc.url, doc.id,
        )  # fmt: skip


Side = tuple[str | None, str | None]


def _side(actor: Actor | None) -> Side:
    # Country and sector; an actor without a country (an IGO) is its own code.
    if actor is None:
        return (None, None)
    return (actor.country or actor.code, actor.sector)


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: str
    date: dt.date
    country: str | None
    adm1: str | None


_Key = tuple[Side, Side, str]


def _key(facts: MentionFacts, rules: DedupRules) -> _Key:
    return (_side(facts.source), _side(facts.target), facts.cameo[: rules.code_digits])


def _compatible(event: _Candidate, place: Location | None) -> bool:
    if place is None:
        return True
    pairs = ((event.country, place.country), (event.adm1, place.adm1))
    return all(a is None or b is None or a == b for a, b in pairs)


def _pick(
    candidates: Iterable[_Candidate], facts: MentionFacts, day: dt.date, rules: DedupRules
) -> _Candidate | None:
    best: tuple[int, str, _Candidate] | None = None
    for event in candidates:
        gap = abs((event.date - day).days)
        if gap > rules.window_days:
            continue
        if rules.match_place and not _compatible(event, facts.location):
            continue
        if best is None or (gap, event.id) < best[:2]:
            best = (gap, event.id, event)
    return best[2] if best else None


_CANDIDATES = f"""
SELECT DISTINCT e.id, e.date, e.location_country, e.location_adm1,
    coalesce(e.source_country, e.source_code), e.source_sector,
    coalesce(e.target_country, e.target_code), e.target_sector,
    left(e.cameo, $digits)
FROM events e JOIN {_PROBE} p
    ON left(e.cameo, $digits) = p.base
    AND coalesce(e.source_country, e.source_code) IS NOT DISTINCT FROM p.s_who
    AND e.source_sector IS NOT DISTINCT FROM p.s_sector
    AND coalesce(e.target_country, e.target_code) IS NOT DISTINCT FROM p.t_who
    AND e.target_sector IS NOT DISTINCT FROM p.t_sector
    AND e.date BETWEEN p.lo AND p.hi
WHERE e.provenance = 'dyadwatch' AND e.date BETWEEN $lo AND $hi
"""


def _stored_candidates(
    con: duckdb.DuckDBPyConnection, dated: Sequence[tuple[MentionFacts, dt.date]], rules: DedupRules
) -> dict[_Key, list[_Candidate]]:
    """Stored events that could match one of ``dated``, by their key."""
    window = dt.timedelta(days=rules.window_days)
    probes = {(*_key(f, rules), day) for f, day in dated}
    if not probes:
        return {}
    rows = sorted(probes, key=repr)
    columns = {
        "s_who": pa.array([r[0][0] for r in rows], pa.string()),
        "s_sector": pa.array([r[0][1] for r in rows], pa.string()),
        "t_who": pa.array([r[1][0] for r in rows], pa.string()),
        "t_sector": pa.array([r[1][1] for r in rows], pa.string()),
        "base": pa.array([r[2] for r in rows], pa.string()),
        "lo": pa.array([r[3] - window for r in rows], pa.date32()),
        "hi": pa.array([r[3] + window for r in rows], pa.date32()),
    }
    days = [r[3] for r in rows]
    params = {"digits": rules.code_digits, "lo": min(days) - window, "hi": max(days) + window}
    with register(con, _PROBE, columns):
        found = con.execute(_CANDIDATES, params).fetchall()
    candidates: dict[_Key, list[_Candidate]] = {}
    for row in sorted(found, key=lambda r: str(r[0])):
        key: _Key = ((row[4], row[5]), (row[6], row[7]), row[8])
        candidates.setdefault(key, []).append(_Candidate(row[0], row[1], row[2], row[3]))
    return candidates


def _new_event(facts: MentionFacts) -> StoredEvent:
    return StoredEvent(
        id=f"dyadwatch:{facts.id}",
        provenance="dyadwatch",
        date=facts.date,
        source=facts.source,
        target=facts.target,
        cameo=facts.cameo,
        goldstein=facts.goldstein,
        quad=facts.quad,
        location=facts.location,
        source_url=facts.url,
        # ICEWS names an event's story; ours is the first document that reported it.
        extra=MappingProxyType({STORY_ID: facts.doc_id}) if facts.doc_id else MappingProxyType({}),
    )


@dataclass(slots=True)
class _Plan:
    """What one linking round writes; filled by :func:`_plan` and local to it."""

    new: list[StoredEvent]
    links: list[tuple[str, str]]
    placed: dict[str, Location]


def _plan(
    mentions: Sequence[MentionFacts],
    candidates: dict[_Key, list[_Candidate]],
    rules: DedupRules,
) -> _Plan:
    plan = _Plan([], [], {})
    for facts in mentions:
        if not facts.factual:
            continue  # negated or hypothetical: it did not happen
        pool = candidates.setdefault(_key(facts, rules), [])
        match = _pick(pool, facts, facts.date, rules) if facts.date else None
        if match is None:
            event = _new_event(facts)
            plan.new.append(event)
            plan.links.append((facts.id, event.id))
            if facts.date is not None:  # an undated event can never be matched
                place = facts.location
                country, adm1 = (place.country, place.adm1) if place else (None, None)
                pool.append(_Candidate(event.id, facts.date, country, adm1))
            continue
        plan.links.append((facts.id, match.id))
        if facts.location is not None and match.country is None and match.adm1 is None:
            # The event learns its place from the first mention that names one.
            plan.placed.setdefault(match.id, facts.location)
            place = facts.location
            pool[pool.index(match)] = replace(match, country=place.country, adm1=place.adm1)
    return plan


def link_mentions(
    con: duckdb.DuckDBPyConnection, mentions: Sequence[MentionFacts], rules: DedupRules
) -> int:
    """Link stored ``mentions`` (in order) to events; returns the events created.

    Runs inside the caller's transaction. Counts and casualty ranges of every
    touched event are recomputed from all its mentions.
    """
    dated = [(f, f.date) for f in mentions if f.factual and f.date is not None]
    candidates = _stored_candidates(con, dated, rules)
    plan = _plan(mentions, candidates, rules)
    rows = [stored_row(event) for event in plan.new]
    insert_rows(con, "events", STORED_COLUMNS, rows, STORED_TYPES)
    insert_rows(con, "event_links", _LINK_COLUMNS, plan.links, {})
    for event_id, place in plan.placed.items():
        con.execute(_SET_PLACE, [json.dumps(place.to_dict(), sort_keys=True), place.lat,
                                 place.lon, place.country, place.adm1, event_id])  # fmt: skip
    recount(con, sorted({event_id for _, event_id in plan.links}))
    return len(plan.new)


_SET_PLACE = (
    "UPDATE events SET location = ?, lat = ?, lon = ?, location_country = ?,"
    " location_adm1 = ? WHERE id = ?"
)

_PUBLISHER = (
    "lower(coalesce(nullif(trim(d.publisher), ''),"
    " nullif(regexp_extract(d.url, '^[A-Za-z][A-Za-z0-9+.-]*://(www\\.)?([^/:?#]+)', 2), ''),"
    " 'document:' || d.id))"
)
"""Who published a document: its publisher, else its URL's host, else itself."""


def _casualty(kind: str, bound: str) -> str:
    fn = "min" if bound == "min" else "max"
    return f"{fn}(CAST(m.size ->> '$.{kind}.{bound}' AS INTEGER)) AS {kind}_{bound}"


_RECOUNT = f"""
UPDATE events SET
    num_mentions = c.mentions, num_articles = c.articles, num_sources = c.sources,
    killed_min = c.killed_min, killed_max = c.killed_max,
    injured_min = c.injured_min, injured_max = c.injured_max
FROM (
    SELECT l.event_id,
        count(*) AS mentions,
        count(DISTINCT m.doc_id) AS articles,
        count(DISTINCT {_PUBLISHER}) AS sources,
        {_casualty("killed", "min")}, {_casualty("killed", "max")},
        {_casualty("injured", "min")}, {_casualty("injured", "max")}
    FROM event_links l
    JOIN event_mentions m ON m.id = l.mention_id
    JOIN documents d ON d.id = m.doc_id
    WHERE l.event_id IN (SELECT unnest($ids))
    GROUP BY l.event_id
) AS c
WHERE events.id = c.event_id
"""


def recount(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> None:
    """Recompute the live counts and widest casualty ranges of ``event_ids``."""
    if event_ids:
        con.execute(_RECOUNT, {"ids": list(event_ids)})


_ALL_MENTIONS = """
SELECT m.id, coalesce(m.date, d.date), m.source_text, m.source_code, m.source_country,
    m.source_sector, m.source_name, m.target_text, m.target_code, m.target_country,
    m.target_sector, m.target_name, m.cameo, m.goldstein, m.quad, m.location,
    NOT (m.negated OR m.hypothetical), d.url, m.doc_id
FROM event_mentions m JOIN documents d ON d.id = m.doc_id
WHERE m.provenance = 'dyadwatch'
ORDER BY d.ingested_at, m.doc_id, m.sentence_index, m.id
"""


def _facts_of_row(row: Sequence[Any]) -> MentionFacts:
    source = Actor(row[2], row[3], row[4], row[5], row[6])
    target = None if row[8] is None else Actor(row[7], row[8], row[9], row[10], row[11])
    place = None if row[15] is None else Location(**json.loads(row[15]))
    return MentionFacts(
        row[0], row[1], source, target, row[12], row[13], row[14], place, row[16], row[17],
        row[18],
    )  # fmt: skip


def relink_all(con: duckdb.DuckDBPyConnection, rules: DedupRules) -> None:
    """Rebuild every ``dyadwatch`` event from the stored mentions, in ingest order.

    Runs inside the caller's transaction; imported events are left alone.
    """
    con.execute("DELETE FROM event_links")
    con.execute("DELETE FROM events WHERE provenance = 'dyadwatch'")
    rows = con.execute(_ALL_MENTIONS).fetchall()
    for start in range(0, len(rows), _CHUNK):
        facts = [_facts_of_row(row) for row in rows[start : start + _CHUNK]]
        link_mentions(con, facts, rules)
