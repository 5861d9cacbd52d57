"""One incident, one event: the acts of violence a document tells, resolved.

A report tells one strike several times: "A suspected U.S. drone *strike*
*killed* two people in Kurram. The *strike* hit a house. Officials said the
*attack* killed three militants." The coder finds a trigger each time, and one
trigger can give several (source, target) readings ("Pakistan", "two people",
"civilians"). This stage folds them into incidents:

* only factual violence (CAMEO 18-20, neither negated nor hypothetical) takes
  part; every other event passes unchanged;
* an event joins the latest incident of the document it is compatible with:
  no two different doers (or the victim of one as the doer of the other), no
  two victim countries of one trigger ("attacked India and Afghanistan"), no
  two different kinds of attack (plain force is compatible with any), the same
  country and ADM1 where both are placed, dates at most a day apart, and its
  sentence does not announce another incident ("another strike", "separately");
* the incident keeps the best-attested coding (a named doer, then a specific
  code; a generic code takes the most specific one of the incident),
  one target built from all readings (country from the text, else from the
  place, and the sector: ``PAKCVL``), the finest place, the casualty range
  reconciled over all its mentions (:func:`dyadwatch.casualties.widen`), the
  list of its mentions and the codings it folded in as ``alternatives``;
* co-doers (one trigger, one victim, another doer: "police *and troops*
  killed three militants") keep an event each, as the scorer decided, but
  one act has one toll: the best-attested co-doer's event takes part in the
  incidents and carries the toll, the others pass with no ``size``, so a
  ledger counts the dead once; one act has one date too: the others take the
  date (and its basis) of their lead's incident, which another mention may
  have given ("The militants were killed in a raid on Monday").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dyadwatch.casualties import widen
from dyadwatch.model import Actor, Coding, Event, IncidentMention, Location, PlaceBasis

__all__ = ["compatible_codes", "resolve_incidents"]

_VIOLENT = frozenset({"18", "19", "20"})
_GENERIC = frozenset({"18", "180", "1823", "19", "190", "20", "200"})
"""Codes that say violence happened without saying how: compatible with any kind."""
_UNKNOWN = "---"
_NEW_INCIDENT = re.compile(
    r"\b(another|separate|separately|elsewhere|meanwhile|also\s+killed|in\s+a\s+second)\b", re.I
)
"""Words by which a sentence tells a further incident, not the one before."""
_DAY_GAP = 1
_REPORT_LAG = 7
"""Days a report may come after the act it tells without its own date."""
_DATED: dict[str | None, int] = {"text": 2, "anchored": 1, "publication": 0}
"""How much a mention's date basis says about when the act happened."""
_PRECISION = {"country": 0, "adm1": 1, "city": 2}


def compatible_codes(a: str, b: str) -> bool:
    """Whether two violent codes can tell one act: the same base code, or one generic."""
    return a[:3] == b[:3] or a in _GENERIC or b in _GENERIC


def _violent(event: Event) -> bool:
    modality = event.modality
    return event.cameo_root in _VIOLENT and not (modality.negated or modality.hypothetical)


def _doer(event: Event) -> str | None:
    source = event.source
    return None if source.code == _UNKNOWN else source.country


def _sectors_differ(a: Event, b: Event) -> bool:
    """Doers with no country told apart by sector: "police firing" and a mob's attack
    on the police (COP, CVL) are two acts, though neither side has a country."""
    if _UNKNOWN in (a.source.code, b.source.code) or a.source.country or b.source.country:
        return False
    return bool(a.source.sector and b.source.sector and a.source.sector != b.source.sector)


def _victim(event: Event) -> str | None:
    return event.target.country if event.target is not None else None


def _same_act(a: Event, b: Event) -> bool:
    """Nothing in ``a`` and ``b`` tells two different acts."""
    da, db = _doer(a), _doer(b)
    if da is not None and db is not None and da != db:
        return False
    if _sectors_differ(a, b):
        return False
    # "Israel struck Gaza ... Gaza fighters fired at Israel": one side's victim doing the other.
    if _turned(da, _victim(a), db, _victim(b)) or _turned(db, _victim(b), da, _victim(a)):
        return False
    if not compatible_codes(a.cameo, b.cameo):
        return False
    va, vb = _victim(a), _victim(b)
    one_trigger = (a.sentence_index, a.evidence.trigger) == (b.sentence_index, b.evidence.trigger)
    if one_trigger and va is not None and vb is not None and va != vb:
        return False  # "attacked India and Afghanistan": one verb, two victims
    if not _same_time(a, b):
        return False
    return _same_area(a.location, b.location)


def _co_doers(a: Event, b: Event) -> bool:
    """One trigger, one victim, two doers: the doers acted together ("police and
    troops killed three militants")."""
    one_trigger = (a.sentence_index, a.evidence.trigger) == (b.sentence_index, b.evidence.trigger)
    if not one_trigger or a.evidence.target != b.evidence.target:
        return False
    if a.source.code == b.source.code:
        return False
    victims = (a.target.code if a.target else None, b.target.code if b.target else None)
    # Either doer as the other's victim is a fight, not a joint act.
    return victims[0] == victims[1] and a.source.code != victims[1] and b.source.code != victims[0]


def _same_time(a: Event, b: Event) -> bool:
    """Dates at most a day apart; a mention dated only by the publication is
    compatible with an earlier date the document gives ("killed on Thursday
    morning. … kills 15-18 in Shaktoi."): the report came after the act."""
    if a.date is None or b.date is None or abs((a.date - b.date).days) <= _DAY_GAP:
        return True
    early, late = (a, b) if a.date < b.date else (b, a)
    assert early.date is not None and late.date is not None
    return late.date_basis == "publication" and (late.date - early.date).days <= _REPORT_LAG


def _turned(
    doer: str | None, victim: str | None, other_doer: str | None, other: str | None
) -> bool:
    # Violence within one country (its army against its rebels) turns nothing.
    return doer is not None and doer == other and doer != victim and other_doer != doer


def _same_area(a: Location | None, b: Location | None) -> bool:
    if a is None or b is None:
        return True
    pairs = ((a.country, b.country), (a.adm1, b.adm1))
    return all(x is None or y is None or x == y for x, y in pairs)


@dataclass(slots=True)
class _Incident:
    members: list[int]
    sentences: set[int]


def resolve_incidents(events: Sequence[Event]) -> list[Event]:
    """``events`` of one document (document order) with each incident as one event.

    Each incident stands where its first mention stood; other events keep
    their place and are returned unchanged, but for a co-doer's, which loses
    its toll to the best-attested co-doer's event and takes its date.
    """
    incidents: list[_Incident] = []
    home: dict[int, _Incident] = {}
    joint = _joint_doers(events)
    for i, event in enumerate(events):
        if not _violent(event) or i in joint:
            continue
        host = _host(incidents, events, event)
        if host is None:
            host = _Incident([], set())
            incidents.append(host)
        host.members.append(i)
        host.sentences.add(event.sentence_index)
        home[i] = host
    folded = {id(one): _fold([events[j] for j in one.members]) for one in incidents}
    out: list[Event] = []
    for i, event in enumerate(events):
        incident = home.get(i)
        if i in joint:
            out.append(_dated_as(replace(event, size=None), folded[id(home[joint[i]])]))
        elif incident is None:
            out.append(event)
        elif incident.members[0] == i:
            out.append(folded[id(incident)])
    return out


def _dated_as(event: Event, lead: Event) -> Event:
    """``event`` with the date of ``lead``, the incident its co-doer leads: one
    act, one date, though only the lead's fold saw the other mentions."""
    return replace(
        event, date=lead.date, date_precision=lead.date_precision, date_range=lead.date_range,
        date_basis=lead.date_basis,
    )  # fmt: skip


def _joint_doers(events: Sequence[Event]) -> dict[int, int]:
    """The violent events whose act another event of the same trigger and
    victim tells with another doer (:func:`_co_doers`) and attests better
    (:func:`_rank`, the first of equals), each with the index of that event,
    its lead: the lead carries the toll."""
    acts: list[list[int]] = []
    for i, event in enumerate(events):
        if not _violent(event):
            continue
        act = next((a for a in acts if _co_doers(events[a[0]], event)), None)
        if act is None:
            acts.append([i])
        else:
            act.append(i)
    joint: dict[int, int] = {}
    for act in acts:
        lead = max(act, key=lambda i: _rank(events[i]))
        joint.update((i, lead) for i in act if i != lead)
    return joint


def _host(
    incidents: Sequence[_Incident], events: Sequence[Event], event: Event
) -> _Incident | None:
    announces_new = bool(_NEW_INCIDENT.search(event.sentence))
    for incident in reversed(incidents):
        if announces_new and event.sentence_index not in incident.sentences:
            continue
        if all(_same_act(events[j], event) for j in incident.members):
            return incident
    return None


def _rank(event: Event) -> tuple[int, int, int, float]:
    """How well an event attests its incident: a named doer, a specific code, a target."""
    named = int(_doer(event) is not None) * 2 + int(event.source.code != _UNKNOWN)
    specific = int(event.cameo not in _GENERIC)
    return (named, specific, int(event.target is not None), event.confidence)


def _specificity(event: Event) -> tuple[int, int, float]:
    return (int(event.cameo not in _GENERIC), len(event.cameo), event.confidence)


def _fold(members: Sequence[Event]) -> Event:
    # max keeps the first of equals: the earliest mention
    best = max(members, key=_rank)
    how = max(members, key=_specificity)
    if how.cameo != best.cameo and best.cameo in _GENERIC:
        # "the CIA attack … killed in a strike": the doer of one, the kind of the other.
        best = replace(best, cameo=how.cameo, goldstein=how.goldstein, quad=how.quad,
                       plover=how.plover)  # fmt: skip
    place, basis = _finest([best, *members], best)
    target = _target(best, members, place)
    size = widen(m.size for m in members)
    # the date the text gives wins over the publication's (best's own of equals)
    when = max([best, *members], key=lambda m: (m.date is not None, _DATED.get(m.date_basis, 0)))
    mentions = _mentions(best, members)
    kept = (best.source.code, target.code if target else None, best.cameo)
    alternatives = _alternatives(members, kept)
    if len(members) == 1 and not alternatives:
        return replace(best, mentions=mentions)
    return replace(
        best, target=target, location=place, place_basis=basis, size=size, date=when.date,
        date_precision=when.date_precision, date_range=when.date_range,
        date_basis=when.date_basis, confidence=max(m.confidence for m in members),
        mentions=mentions, alternatives=alternatives,
    )  # fmt: skip


def _finest(members: Sequence[Event], best: Event) -> tuple[Location | None, PlaceBasis | None]:
    """The most precise place any mention gives the incident (the first of
    equals: ``best``'s own), and its basis: a place from another mention's own
    sentence is the incident's (``incident``)."""
    placed = [(m, m.location) for m in members if m.location is not None]
    if not placed:
        return None, None
    # of equals, a place read in a sentence beats the document's focus
    chosen, place = max(
        placed, key=lambda p: (_PRECISION.get(p[1].precision, 0), p[0].place_basis != "document")
    )
    basis = chosen.place_basis
    if chosen is not best and basis == "text":
        basis = "incident"
    return place, basis


def _target(best: Event, members: Sequence[Event], place: Location | None) -> Actor | None:
    """One target from every reading: its country and its sector."""
    readings = [best.target, *(m.target for m in members)]
    given = [t for t in readings if t is not None]
    if not given:
        return None
    doer = best.source.country
    countries = Counter(t.country for t in given if t.country and t.country != doer)
    where = place.country if place is not None else None
    country = _country(countries, where, doer)
    sector = next((t.sector for t in given if t.sector), None)
    whole = next((t for t in given if t.country == country and t.sector == sector), None)
    if whole is not None:
        return whole
    if country is None:
        return best.target or given[0]
    text = (best.target or given[0]).text
    return Actor(text, f"{country}{sector or ''}", country, sector, None)


def _country(countries: Counter[str], where: str | None, doer: str | None) -> str | None:
    if where is not None and (where in countries or not countries) and where != doer:
        return where
    if countries:
        return countries.most_common(1)[0][0]
    return None


def _mentions(best: Event, members: Sequence[Event]) -> tuple[IncidentMention, ...]:
    found = [IncidentMention(best.sentence_index, best.evidence.trigger)]
    for member in members:
        mention = IncidentMention(member.sentence_index, member.evidence.trigger)
        if mention not in found:
            found.append(mention)
    return tuple(found)


def _alternatives(
    members: Sequence[Event], kept: tuple[str, str | None, str]
) -> tuple[Coding, ...]:
    seen = {kept}
    found: list[Coding] = []
    for m in members:
        key = (m.source.code, m.target.code if m.target else None, m.cameo)
        if key in seen:
            continue
        seen.add(key)
        found.append(Coding(m.sentence_index, m.evidence.trigger, *key))
    return tuple(found)
