"""Cross-article deduplication: link each event mention to one happening.

A factual mention (neither negated nor hypothetical) joins the stored
``dyadwatch`` event whose evidence agrees with its own (:func:`agreement`):
compatible actors, the same CAMEO base code (or, for violence, a generic one),
a date within the window, a compatible place at the finest level both have and
compatible casualty ranges. Conflicting evidence keeps them apart. The closest
date wins, then the event that agrees on more fields, then the older id; the
link records which fields agreed. Otherwise the mention founds a new event
whose id is ``dyadwatch:<mention id>``, so the same input in the same order
always gives the same events, whatever crashes happened in between. Mentions a
user split off an event (:func:`unmerge`) never join an event holding a
mention they were split from, in every later relink too.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.errors import Errors, StoreError
from dyadwatch.model import Actor, Document, Event, Location, Range
from dyadwatch.store import _rollup
from dyadwatch.store._sql import insert_rows, register
from dyadwatch.store._stored import STORED_COLUMNS, STORED_TYPES, stored_row
from dyadwatch.store.records import STORY_ID, StoredEvent

__all__ = [
    "DedupRules",
    "MentionFacts",
    "agreement",
    "link_mentions",
    "merged_into",
    "relink_all",
    "unmerge",
]

_LINK_COLUMNS = ("mention_id", "event_id", "reasons")
_PROBE = "_dyadwatch_probe"
_CHUNK = 5000
"""Mentions linked per round when a whole store is relinked."""
_VIOLENT = frozenset({"18", "19", "20"})
_GENERIC = frozenset({"18", "180", "1823", "19", "190", "20", "200"})
"""Violent codes that do not say how: compatible with any violent code."""
_UNKNOWN = "---"
_EARTH_KM = 6371.0
_SEQUEL = re.compile(
    r"\b((another|second|third|fourth|fifth|2nd|3rd|4th|5th|follow-up)\s+(\S+\s+){0,2}?"
    r"(strike|attack|missile|raid|drone|bombing|airstrike|air\s+strike)s?"
    r"|(second|third|fourth|fifth|2nd|3rd|4th|5th)\s+time"
    r"|(struck|hit|attacked|fired|returned)\s+again"
    r"|(fired|launched|dropped)\s+(more|further)\s+(missiles|rockets|bombs)"
    r"|(minutes|hours)\s+later|shortly\s+after|after\s+the\s+first)\b",
    re.I,
)
"""Words by which a report tells a further strike after another one ("minutes
later, another drone fired", "the second strike in two days", "hit the area
for the second time")."""


def tells_sequel(sentence: str) -> bool:
    """Whether ``sentence`` tells an attack as following another one.

    Such a report and one that does not say so are about two attacks: the
    first strike and the one that followed it, at the same place and day, with
    similar tolls, are otherwise indistinguishable.
    """
    return bool(_SEQUEL.search(sentence))


@functools.cache
def _districts() -> frozenset[str]:
    """Names of the gazetteer's districts: places that hold many towns, whose
    agreement says less than a town's does."""
    from dyadwatch.geo import district_names

    return district_names()


@dataclass(frozen=True, slots=True)
class DedupRules:
    """When two mentions report the same happening (see docs/STORE.md).

    ``window_days``: largest date gap, in days, between a mention and the event.
    ``code_digits``: how many leading CAMEO digits must agree (3 = base code).
    ``match_place``: require a compatible place at the finest level both have
    (country, ADM1, and for two towns or districts at most ``place_km`` apart);
    when False, places are ignored.
    ``toll_ratio``: two killed ranges are compatible when they overlap or the
    larger low end is at most ``toll_ratio`` times the smaller high end plus
    one (tolls grow as reports come in); 0 ignores tolls.
    ``place_required`` (with ``match_place``): two mentions of violence merge
    only when both are placed and agree; when False an unknown place is
    compatible with any (always so outside violence).
    ``late_reports``: two reports of violence dated a day apart by their own
    words are one attack only in the same town; when True (the default), a
    report dated only by its publication may be a day late and needs no
    more than the other rules. Bad values raise StoreError DW307.
    """

    window_days: int = 1
    code_digits: int = 3
    match_place: bool = True
    place_km: float = 25.0
    toll_ratio: float = 1.5
    place_required: bool = True
    late_reports: bool = True

    def __post_init__(self) -> None:
        if not _is_int(self.window_days) or not 0 <= self.window_days <= 366:
            _bad_rule("window_days", self.window_days, "expected an integer 0-366")
        if not _is_int(self.code_digits) or not 2 <= self.code_digits <= 4:
            _bad_rule("code_digits", self.code_digits, "expected an integer 2-4")
        if not isinstance(self.match_place, bool):
            _bad_rule("match_place", self.match_place, "expected a boolean")
        if not _is_number(self.place_km) or not 0 < self.place_km <= 20_000:
            _bad_rule("place_km", self.place_km, "expected a number of km above 0")
        if not _is_number(self.toll_ratio) or not 0 <= self.toll_ratio <= 1000:
            _bad_rule("toll_ratio", self.toll_ratio, "expected a number 0-1000")
        if not isinstance(self.place_required, bool):
            _bad_rule("place_required", self.place_required, "expected a boolean")
        if not isinstance(self.late_reports, bool):
            _bad_rule("late_reports", self.late_reports, "expected a boolean")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return ok and math.isfinite(float(value))  # type: ignore[arg-type]


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
    killed: Range | None = None
    sequel: bool = False
    """The report tells the act as following another (:func:`tells_sequel`);
    told only for violence, the only acts it keeps apart."""
    dated: bool = True
    """The date comes from the text, not from the document's publication."""

    @classmethod
    def of(cls, event: Event, doc: Document) -> MentionFacts:
        """An event's facts; undated events take their document's date."""
        modality = event.modality
        return cls(
            event.id, event.date or doc.date, event.source, event.target, event.cameo,
            event.goldstein, event.quad, event.location,
            not (modality.negated or modality.hypothetical), doc.url, doc.id,
            event.size.killed if event.size else None, _sequel(event.cameo, event.sentence),
            _from_text(event.date_basis),
        )  # fmt: skip


def _sequel(cameo: str, sentence: str | None) -> bool:
    """:func:`tells_sequel` for violence, which alone reads it (:func:`_same_attack`)."""
    return cameo[:2] in _VIOLENT and sentence is not None and tells_sequel(sentence)


@dataclass(frozen=True, slots=True)
class _Told:
    """How an event's founding report tells it: as a sequel to another attack
    (:func:`tells_sequel`), and with a date read from its text."""

    sequel: bool
    dated: bool


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A stored (or just founded) event as linking sees it."""

    id: str
    date: dt.date
    cameo: str
    source: Actor | None
    target: Actor | None
    location: Location | None
    killed: Range | None
    told: _Told | None = None
    """How its founding report tells it; None for a stored event, whose report
    is read only when a report of violence gets that far (:class:`_Founders`)."""


def _who(actor: Actor) -> str | None:
    """The actor's country, else its own code (an IGO); None when unnamed or a bare sector."""
    if actor.country:
        return actor.country
    if actor.code == _UNKNOWN or (actor.sector and actor.code == actor.sector):
        return None
    return actor.code


def _sectors_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a in b or b in a


def _actor_reason(a: Actor | None, b: Actor | None, role: str) -> str | bool:
    """What two actors share (a reason), True when nothing is known to compare,
    False when they conflict.

    ``strict``: the same country (or code) and sector; no actor matches only
    no actor. ``doer`` (of violence): an unnamed doer agrees with any; named
    ones need the same country and sectors that do not differ (``USASPYMIL``
    and ``USAMIL`` agree; ``REB`` and ``MIL`` do not). ``victim``: only the
    country counts, since reports describe the same dead differently
    ("two people", "militants", "Pakistan").
    """
    if a is None or b is None:
        return role != "strict" or a is b
    if role == "strict":
        same = (a.country or a.code, a.sector) == (b.country or b.code, b.sector)
        return (a.country or a.code) if same else False
    wa, wb = _who(a), _who(b)
    if wa is not None and wb is not None and wa != wb:
        return False
    if role == "doer" and not _sectors_agree(a.sector, b.sector):
        return False
    return wa or wb or True


def _family(cameo: str) -> str:
    """Where candidates are looked for: the CAMEO root, one family for all violence."""
    return "violence" if cameo[:2] in _VIOLENT else cameo[:2]


def _codes_agree(a: str, b: str, digits: int) -> bool:
    if a[:digits] == b[:digits]:
        return True
    violent = a[:2] in _VIOLENT and b[:2] in _VIOLENT
    return violent and (a in _GENERIC or b in _GENERIC)


def _km(a: Location, b: Location) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _place_reason(a: Location | None, b: Location | None, rules: DedupRules) -> str | bool:
    """The finest level at which two places agree; False when they conflict."""
    if not rules.match_place or a is None or b is None:
        return True
    if a.country is not None and b.country is not None and a.country != b.country:
        return False
    if a.adm1 is not None and b.adm1 is not None and a.adm1 != b.adm1:
        return False
    if a.precision == "city" and b.precision == "city":
        finer = _town_reason(a, b, rules)
        if finer is not None:
            return finer
    if a.adm1 is not None and a.adm1 == b.adm1:
        return f"adm1 {a.adm1}"
    return f"country {a.country}" if a.country and a.country == b.country else True


def _town_reason(a: Location, b: Location, rules: DedupRules) -> str | bool | None:
    """How two places below ADM1 agree: the same town or district, two towns
    at most ``place_km`` apart, a town at most ``2 * place_km`` from a
    district's seat (within it); two different districts, or places farther
    apart, conflict. None when only their ADM1 can tell (one district inside
    the other, no coordinates)."""
    districts = _districts()
    same_id = a.geonames_id is not None and a.geonames_id == b.geonames_id
    if same_id or a.name == b.name:
        return f"{'district' if a.name in districts else 'town'} {a.name}"
    wide = (a.name in districts) + (b.name in districts)
    if wide == 2:  # one district inside the other ("Waziristan") says no more than the ADM1
        return None if a.name in b.name or b.name in a.name else False
    km = _km(a, b)
    if km is None:
        return None
    if wide:
        district = a.name if a.name in districts else b.name
        return f"in district {district}" if km <= 2 * rules.place_km else False
    return f"town {round(km)} km" if km <= rules.place_km else False


def _toll_reason(a: Range | None, b: Range | None, rules: DedupRules) -> str | bool:
    if a is None or b is None or rules.toll_ratio == 0:
        return True
    low, high = max(a.min, b.min), min(a.max, b.max)
    if low <= high:
        return f"killed {low}-{high}"
    if low <= rules.toll_ratio * high + 1:
        return f"killed {a.min}-{a.max} ~ {b.min}-{b.max}"
    return False


def agreement(
    facts: MentionFacts, event: _Candidate, rules: DedupRules, told: Callable[[_Candidate], _Told]
) -> dict[str, object] | None:
    """The fields on which a mention and an event agree, or None when any conflicts.

    ``told`` gives how the event's founding report tells it; asked last, and
    only of violence.
    """
    if facts.date is None:
        return None
    gap = abs((event.date - facts.date).days)
    if gap > rules.window_days or not _codes_agree(facts.cameo, event.cameo, rules.code_digits):
        return None
    loose = facts.cameo[:2] in _VIOLENT
    reasons: dict[str, object] = {"date_gap": gap, "code": event.cameo[: rules.code_digits]}
    checks = (
        ("source", _actor_reason(facts.source, event.source, "doer" if loose else "strict")),
        ("target", _actor_reason(facts.target, event.target, "victim" if loose else "strict")),
        ("place", _place_reason(facts.location, event.location, rules)),
        ("killed", _toll_reason(facts.killed, event.killed, rules)),
    )
    for name, found in checks:
        if found is False:
            return None
        if isinstance(found, str):
            reasons[name] = found
    if loose and _reversed(facts, event):
        return None
    if loose and rules.match_place and rules.place_required and not _below_country(reasons):
        # Two reports of violence are one only where both say it happened,
        # finer than a country: a country holds many strikes a day.
        return None
    if loose and not _same_attack(facts, event, told(event), gap, rules):
        return None
    return reasons


def _below_country(reasons: dict[str, object]) -> bool:
    place = reasons.get("place")
    return isinstance(place, str) and not place.startswith("country")


def _same_attack(
    facts: MentionFacts, event: _Candidate, told: _Told, gap: int, rules: DedupRules
) -> bool:
    """What else two reports of violence need to be one attack.

    A report that tells a follow-up strike ("minutes later, another drone
    fired") is not the first strike's. Two reports dated a day apart by
    their own words need finer evidence: the same town (not a district or a
    province, where strikes on consecutive days are common). With
    ``late_reports``, a report dated only by its publication may be a day
    late and needs no more than the place rules.
    """
    if facts.sequel != told.sequel:
        return False
    if gap == 0 or not rules.match_place:
        return True
    if rules.late_reports and not (facts.dated and told.dated):
        # A late report still names the same town or district: a province
        # sees strikes on consecutive days.
        return _same_district(facts.location, event.location, rules)
    return _same_town(facts.location, event.location)


def _from_text(basis: str | None) -> bool:
    """Whether a mention's date was read from its text: one dated by its
    publication may report the day before."""
    return basis is not None and basis != "publication"


def _same_town(a: Location | None, b: Location | None) -> bool:
    if a is None or b is None or a.precision != "city" or b.precision != "city":
        return False
    same_id = a.geonames_id is not None and a.geonames_id == b.geonames_id
    return (same_id or a.name == b.name) and a.name not in _districts()


def _same_district(a: Location | None, b: Location | None, rules: DedupRules) -> bool:
    if a is None or b is None or a.precision != "city" or b.precision != "city":
        return False
    # Both name the town, or both the district: a town and the district
    # around it a day apart are as often two strikes as one.
    found = _town_reason(a, b, rules)
    return isinstance(found, str) and not found.startswith("in district")


def _reversed(facts: MentionFacts, event: _Candidate) -> bool:
    """One side's victim is the other's doer: retaliation, not the same attack."""
    doer, victim = _who(facts.source), _who(facts.target) if facts.target else None
    other_doer = _who(event.source) if event.source else None
    other_victim = _who(event.target) if event.target else None
    return _turned(doer, victim, other_doer, other_victim) or _turned(
        other_doer, other_victim, doer, victim
    )


def _turned(
    doer: str | None, victim: str | None, other_doer: str | None, other: str | None
) -> bool:
    # Violence within one country (its army against its rebels) turns nothing.
    return doer is not None and doer == other and doer != victim and other_doer != doer


_CANDIDATES = f"""
SELECT DISTINCT e.id, e.date, e.cameo,
    e.source_text, e.source_code, e.source_country, e.source_sector, e.source_name,
    e.target_text, e.target_code, e.target_country, e.target_sector, e.target_name,
    e.location, e.killed_min, e.killed_max
FROM events e JOIN {_PROBE} p
    ON (CASE WHEN e.cameo_root IN ('18', '19', '20') THEN 'violence' ELSE e.cameo_root END)
        = p.root AND e.date BETWEEN p.lo AND p.hi
WHERE e.provenance = 'dyadwatch' AND e.date BETWEEN $lo AND $hi
"""


def _actor_of(row: Sequence[Any]) -> Actor | None:
    text, code, country, sector, name = row
    return None if code is None else Actor(text or "", code, country, sector, name)


def _candidate_of(row: Sequence[Any]) -> _Candidate:
    place = None if row[13] is None else Location(**json.loads(row[13]))
    killed = None if row[14] is None or row[15] is None else Range(row[14], row[15])
    return _Candidate(
        row[0], row[1], row[2], _actor_of(row[3:8]), _actor_of(row[8:13]), place, killed
    )


_FOUNDED = "dyadwatch:"
_ONE_BY_ONE = 16
"""Founding reports read one by one in a round; past these, the rest at once."""


@dataclass(slots=True)
class _Founders:
    """How stored events' founding reports tell them, read from the store when
    first asked; local to one linking round.

    Few candidates get as far as this question (see :func:`agreement`), so a
    look-up by key or two costs far less than joining every candidate to its
    report. A round that asks many (a dense day, a relink) reads the founding
    reports of all its stored violence in one query instead.
    """

    con: duckdb.DuckDBPyConnection
    stored: Sequence[str]
    """The ids of the round's stored candidates of violence (the only ones asked)."""
    read: dict[str, _Told] = field(default_factory=dict)

    def told(self, event: _Candidate) -> _Told:
        if event.told is not None:
            return event.told
        if event.id not in self.read:
            many = len(self.read) >= _ONE_BY_ONE
            rest = [i for i in self.stored if i not in self.read] if many else []
            self.read.update(_founding(self.con, [event.id, *rest]))
        return self.read[event.id]


def _founding(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> dict[str, _Told]:
    """How the reports that founded ``event_ids`` tell them; an event with no
    such report is told as by one that tells nothing."""
    # A founded event's id is "dyadwatch:<mention id>".
    mentions = {e[len(_FOUNDED) :]: e for e in event_ids if e.startswith(_FOUNDED)}
    told = dict.fromkeys(event_ids, _Told(sequel=False, dated=False))
    if mentions:
        # Parameters, not a list to unnest: DuckDB plans a short IN list cheaply.
        marks = ", ".join("?" * len(mentions))
        query = f"SELECT id, sentence, date_basis FROM event_mentions WHERE id IN ({marks})"
        for mention_id, sentence, basis in con.execute(query, list(mentions)).fetchall():
            told[mentions[mention_id]] = _Told(tells_sequel(sentence), _from_text(basis))
    return told


@dataclass(slots=True)
class _Pool:
    """Candidate events by CAMEO root and day; local to one linking round."""

    by_day: dict[tuple[str, dt.date], list[_Candidate]] = field(default_factory=dict)

    def add(self, event: _Candidate) -> None:
        self.by_day.setdefault((_family(event.cameo), event.date), []).append(event)

    def replace(self, old: _Candidate, new: _Candidate) -> None:
        bucket = self.by_day[(_family(old.cameo), old.date)]
        bucket[bucket.index(old)] = new

    def stored_violence(self) -> list[str]:
        """The ids of the stored candidates of violence, before the round adds any."""
        found = self.by_day.items()
        return [e.id for (root, _), bucket in found if root == "violence" for e in bucket]

    def near(self, root: str, day: dt.date, window: int) -> Iterator[_Candidate]:
        for offset in range(-window, window + 1):
            yield from self.by_day.get((root, day + dt.timedelta(days=offset)), ())


def _stored_candidates(
    con: duckdb.DuckDBPyConnection, mentions: Sequence[MentionFacts], rules: DedupRules
) -> _Pool:
    """Stored events that could match one of ``mentions``."""
    window = dt.timedelta(days=rules.window_days)
    probes = sorted({(_family(f.cameo), f.date) for f in mentions if f.date is not None})
    pool = _Pool()
    if not probes:
        return pool
    columns = {
        "root": pa.array([root for root, _ in probes], pa.string()),
        "lo": pa.array([day - window for _, day in probes], pa.date32()),
        "hi": pa.array([day + window for _, day in probes], pa.date32()),
    }
    days = [day for _, day in probes]
    params = {"lo": min(days) - window, "hi": max(days) + window}
    with register(con, _PROBE, columns):
        found = con.execute(_CANDIDATES, params).fetchall()
    for row in sorted(found, key=lambda r: str(r[0])):
        pool.add(_candidate_of(row))
    return pool


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
    links: list[tuple[str, str, str | None]]
    placed: dict[str, Location]


@dataclass(frozen=True, slots=True)
class _Apart:
    """Mentions a user split apart, and the events their partners are in."""

    partners: dict[str, set[str]]
    linked: dict[str, str]

    def barred(self, mention_id: str) -> set[str]:
        """Events ``mention_id`` may not join."""
        partners = self.partners.get(mention_id, ())
        return {self.linked[p] for p in partners if p in self.linked}


def _pick(
    pool: _Pool, facts: MentionFacts, rules: DedupRules, barred: set[str], founders: _Founders
) -> tuple[_Candidate, dict[str, object]] | None:
    assert facts.date is not None
    best: tuple[tuple[int, int, str], _Candidate, dict[str, object]] | None = None
    for event in pool.near(_family(facts.cameo), facts.date, rules.window_days):
        if event.id in barred:
            continue
        reasons = agreement(facts, event, rules, founders.told)
        if reasons is None:
            continue
        rank = (int(str(reasons["date_gap"])), -len(reasons), event.id)
        if best is None or rank < best[0]:
            best = (rank, event, reasons)
    return (best[1], best[2]) if best else None


def _plan(
    mentions: Sequence[MentionFacts],
    pool: _Pool,
    rules: DedupRules,
    apart: _Apart,
    founders: _Founders,
) -> _Plan:
    plan = _Plan([], [], {})
    for facts in mentions:
        if not facts.factual:
            continue  # negated or hypothetical: it did not happen
        barred = apart.barred(facts.id)
        match = _pick(pool, facts, rules, barred, founders) if facts.date else None
        if match is None:
            event = _new_event(facts)
            plan.new.append(event)
            plan.links.append((facts.id, event.id, None))
            apart.linked[facts.id] = event.id
            if facts.date is not None:  # an undated event can never be matched
                pool.add(_Candidate(event.id, facts.date, facts.cameo, facts.source,
                                    facts.target, facts.location, facts.killed,
                                    _Told(facts.sequel, facts.dated)))  # fmt: skip
            continue
        found, reasons = match
        plan.links.append((facts.id, found.id, json.dumps(reasons, sort_keys=True)))
        apart.linked[facts.id] = found.id
        pool.replace(found, _learnt(found, facts, plan))
    return plan


def _learnt(event: _Candidate, facts: MentionFacts, plan: _Plan) -> _Candidate:
    """The event after a mention joined it: its place, if it had none, and its toll."""
    place = event.location
    if facts.location is not None and (
        place is None or (place.country, place.adm1) == (None, None)
    ):
        # The event learns its place from the first mention that names one.
        plan.placed.setdefault(event.id, facts.location)
        place = facts.location
    killed = event.killed
    if facts.killed is not None:
        k = facts.killed
        killed = k if killed is None else Range(min(k.min, killed.min), max(k.max, killed.max))
    return replace(event, location=place, killed=killed)


_APART = """
SELECT s.mention_id, s.apart_from, l.event_id
FROM event_splits s LEFT JOIN event_links l ON l.mention_id = s.apart_from
WHERE s.mention_id IN (SELECT unnest($ids))
"""


def _apart(con: duckdb.DuckDBPyConnection, mentions: Sequence[MentionFacts]) -> _Apart:
    found = con.execute(_APART, {"ids": [f.id for f in mentions]}).fetchall()
    partners: dict[str, set[str]] = {}
    linked: dict[str, str] = {}
    for mention, partner, event in found:
        partners.setdefault(mention, set()).add(partner)
        if event is not None:
            linked[partner] = event
    return _Apart(partners, linked)


def link_mentions(
    con: duckdb.DuckDBPyConnection, mentions: Sequence[MentionFacts], rules: DedupRules
) -> int:
    """Link stored ``mentions`` (in order) to events; returns the events created.

    Runs inside the caller's transaction. Counts and casualty ranges of every
    touched event are recomputed from all its mentions.
    """
    pool = _stored_candidates(con, [f for f in mentions if f.factual], rules)
    founders = _Founders(con, pool.stored_violence())
    plan = _plan(mentions, pool, rules, _apart(con, mentions), founders)
    rows = [stored_row(event) for event in plan.new]
    insert_rows(con, "events", STORED_COLUMNS, rows, STORED_TYPES)
    _rollup.count(con, [event.id for event in plan.new])
    insert_rows(con, "event_links", _LINK_COLUMNS, plan.links, {})
    for event_id, place in plan.placed.items():
        con.execute(_SET_PLACE, [json.dumps(place.to_dict(), sort_keys=True), place.lat,
                                 place.lon, place.country, place.adm1, event_id])  # fmt: skip
    recount(con, sorted({event_id for _, event_id, _ in plan.links}))
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
        _rollup.retract(con, event_ids)  # their mention counts change
        con.execute(_RECOUNT, {"ids": list(event_ids)})
        _rollup.count(con, event_ids)


_ALL_MENTIONS = """
SELECT m.id, coalesce(m.date, d.date), m.source_text, m.source_code, m.source_country,
    m.source_sector, m.source_name, m.target_text, m.target_code, m.target_country,
    m.target_sector, m.target_name, m.cameo, m.goldstein, m.quad, m.location,
    NOT (m.negated OR m.hypothetical), d.url,
    TRY_CAST(m.size ->> '$.killed.min' AS INTEGER), TRY_CAST(m.size ->> '$.killed.max' AS INTEGER),
    m.doc_id, m.sentence, m.date_basis
FROM event_mentions m JOIN documents d ON d.id = m.doc_id
WHERE m.provenance = 'dyadwatch'
ORDER BY d.ingested_at, m.doc_id, m.sentence_index, m.id
"""


def _facts_of_row(row: Sequence[Any]) -> MentionFacts:
    source = Actor(row[2], row[3], row[4], row[5], row[6])
    target = None if row[8] is None else Actor(row[7], row[8], row[9], row[10], row[11])
    place = None if row[15] is None else Location(**json.loads(row[15]))
    killed = None if row[18] is None or row[19] is None else Range(row[18], row[19])
    return MentionFacts(
        row[0], row[1], source, target, row[12], row[13], row[14], place, row[16], row[17],
        row[20], killed, _sequel(row[12], row[21]), _from_text(row[22]),
    )  # fmt: skip


def relink_all(con: duckdb.DuckDBPyConnection, rules: DedupRules) -> None:
    """Rebuild every ``dyadwatch`` event from the stored mentions, in ingest order.

    Runs inside the caller's transaction; imported events are left alone.
    """
    con.execute("DELETE FROM event_links")
    _rollup.retract(con, where="provenance = 'dyadwatch'")
    con.execute("DELETE FROM events WHERE provenance = 'dyadwatch'")
    rows = con.execute(_ALL_MENTIONS).fetchall()
    for start in range(0, len(rows), _CHUNK):
        facts = [_facts_of_row(row) for row in rows[start : start + _CHUNK]]
        link_mentions(con, facts, rules)


_MERGED = """
SELECT l.mention_id, m.doc_id, m.sentence_index, l.reasons
FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
WHERE l.event_id = $id
ORDER BY l.reasons IS NOT NULL, m.doc_id, m.sentence_index, l.mention_id
"""


def merged_into(con: duckdb.DuckDBPyConnection, event_id: str) -> list[dict[str, object]]:
    """The mentions linked to ``event_id``: the founding one first (``reasons`` None),
    then each merged one with the fields on which it agreed."""
    rows = con.execute(_MERGED, {"id": event_id}).fetchall()
    return [
        {"mention_id": r[0], "doc_id": r[1], "sentence_index": r[2],
         "reasons": None if r[3] is None else json.loads(r[3])}
        for r in rows
    ]  # fmt: skip


def unmerge(
    con: duckdb.DuckDBPyConnection, event_id: str, mention_ids: Sequence[str], rules: DedupRules
) -> None:
    """Split ``mention_ids`` off ``event_id``, for good.

    Each is recorded as apart from every mention left in the event
    (``event_splits``), and the store is relinked, so the split holds in every
    later relink and re-ingest. Runs inside the caller's transaction; DW309
    when the event is not self-coded, a mention is not in it, or none would stay.
    """
    members = [str(r["mention_id"]) for r in merged_into(con, event_id)]
    split = sorted(set(mention_ids))
    if not members:
        raise StoreError(Errors.DW309, event_id=event_id, detail="no self-coded event has this id")
    strangers = [m for m in split if m not in members]
    if strangers or not split:
        detail = f"mentions {strangers or split} are not linked to it"
        raise StoreError(Errors.DW309, event_id=event_id, detail=detail)
    staying = [m for m in members if m not in split]
    if not staying:
        raise StoreError(Errors.DW309, event_id=event_id, detail="at least one mention must stay")
    pairs = [(a, b) for a in split for b in staying] + [(b, a) for a in split for b in staying]
    insert_rows(con, "event_splits", ("mention_id", "apart_from"), pairs, {}, or_ignore=True)
    relink_all(con, rules)
