"""Mapping coded events into the label spaces of the benchmark suites.

Each suite asks its own question of a sentence or snippet; these functions
answer it from the events a coder produced, with general tables rather than
anything fitted to the suites' sentences:

* PLOVER: the type (and mode) of the best event, see :func:`best_event`;
* CAMEO penta classes: the Phoenix five-way class of the best event's code;
* IndiaPoliceEvents: yes/no answers to KILL, ARREST, FAIL, FORCE and
  ANY_ACTION from police-source events (table ``ipe_labels.tsv``);
* CASE 2021: an ACLED-style sub-type from PLOVER modes and CAMEO prefixes
  (table ``case2021_labels.tsv``);
* drone strikes: the US air strike event, its place and the killed range.

The tables live beside this module and are validated when loaded: a bad line
raises EvaluationError (DW402) naming the file and line.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from dyadwatch.errors import Errors, EvaluationError, OntologyError
from dyadwatch.model import Actor, Event, Location, Range
from dyadwatch.ontology.cameo import load_cameo

__all__ = [
    "AIR_WEAPON_WORDS",
    "CASE_FALLBACK",
    "CASE_LABELS",
    "CASE_SEEN_LABELS",
    "CASE_UNSEEN_LABELS",
    "IPE_LABELS",
    "STATE_SECTORS",
    "STRIKER_COUNTRIES",
    "CaseRule",
    "CaseTable",
    "DronePrediction",
    "IpeRules",
    "actor_countries",
    "best_event",
    "case_label",
    "drone_predict",
    "ipe_labels",
    "is_air_strike",
    "is_air_violence",
    "load_case_table",
    "load_ipe_rules",
    "parse_case_table",
    "parse_ipe_rules",
    "penta_of",
    "penta_predict",
    "plover_mode_predict",
    "plover_predict",
]

CASE_SEEN_LABELS = (
    "ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK",
    "ATTACK", "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DISR_WEAP", "FORCE_AGAINST_PROTEST",
    "GOV_REGAINS_TERIT", "GRENADE", "HQ_ESTABLISHED", "MOB_VIOL",
    "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "OTHER", "PEACE_PROTEST",
    "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB",
    "VIOL_DEMONSTR",
)  # fmt: skip
"""The 25 ACLED sub-types of CASE 2021 sub-task 1."""

CASE_UNSEEN_LABELS = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")
"""Sub-task 2 added the first three, sub-task 3 the last two."""

CASE_LABELS = CASE_SEEN_LABELS + CASE_UNSEEN_LABELS
CASE_FALLBACK = "OTHER"
"""The CASE answer when no event maps to a sub-type."""

IPE_LABELS = ("KILL", "ARREST", "FAIL", "FORCE", "ANY_ACTION")

STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})
"""Sectors that make an actor the state (for territory and protest rules)."""

_MATERIAL_PENTA = frozenset({2, 4})
_CASE_FILE = "case2021_labels.tsv"
_IPE_FILE = "ipe_labels.tsv"
_CAMEO_PREFIX = re.compile(r"\d{2,4}")
_PLOVER_KEY = re.compile(r"PLOVER:([A-Z]+)/([a-z-]+)")

SourceCondition = Literal["any", "state", "nonstate"]
_SOURCE_CONDITIONS: Mapping[str, SourceCondition] = MappingProxyType(
    {"any": "any", "state": "state", "nonstate": "nonstate"}
)


# ---------------------------------------------------------------- choosing


def _actual(event: Event) -> tuple[bool, bool]:
    return (not event.modality.negated, not event.modality.hypothetical)


def best_event(events: Sequence[Event]) -> Event | None:
    """The event a one-label suite should answer with, or None.

    Events that happened beat negated ones, asserted beat hypothetical, then
    higher confidence; ties go to the earliest event.
    """
    if not events:
        return None
    return max(events, key=lambda e: (*_actual(e), e.confidence))


def _plover(event: Event | None) -> tuple[str | None, str | None]:
    """PLOVER (type, mode); (None, None) for a code outside CAMEO without a PLOVER mapping."""
    if event is None or event.plover is None:
        return (None, None)
    return (event.plover.type, event.plover.mode)


def plover_predict(events: Sequence[Event]) -> str | None:
    """PLOVER event type of the best event PLOVER codes (statements it drops)."""
    return _plover(best_event(_plover_coded(events)))[0]


def plover_mode_predict(events: Sequence[Event]) -> str | None:
    """PLOVER mode of the best event PLOVER codes (None when it has none)."""
    return _plover(best_event(_plover_coded(events)))[1]


def _plover_coded(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if e.plover is not None]


def actor_countries(event: Event | None, role: Literal["source", "target"]) -> frozenset[str]:
    """Country part of the event's source or target code (PLOVER gold drops sectors)."""
    if event is None:
        return frozenset()
    actor = event.source if role == "source" else event.target
    if actor is None or actor.code == "---":
        return frozenset()  # an unknown party ("---", kept with its words) names no country
    return frozenset({actor.country or actor.code[:3]})


def penta_of(cameo: str) -> int | None:
    """Phoenix five-way class of a CAMEO code (None for an unknown code)."""
    try:
        return load_cameo().penta(cameo)
    except OntologyError:
        return None


def penta_predict(events: Sequence[Event]) -> int | None:
    """Five-way class (0 statement … 4 material conflict) of the best event."""
    event = best_event(events)
    return penta_of(event.cameo) if event else None


# ---------------------------------------------------------------- tables


def _table_lines(text: str) -> Iterable[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, [cell.strip() for cell in line.split("\t")]


def _bad_table(path: str, line: int, detail: str) -> EvaluationError:
    return EvaluationError(Errors.DW402, path=path, line=line, detail=detail)


def _read_resource(name: str) -> str:
    return importlib.resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _sectors(actor: Actor) -> frozenset[str]:
    """Three-letter sector codes of an actor (from .sector, else the code after the country)."""
    return _code_sectors(actor.sector if actor.sector else actor.code[3:])


def _code_sectors(code: str) -> frozenset[str]:
    """Every three-letter chunk of a CAMEO actor code (``INDCOP``: IND and COP)."""
    return frozenset(code[i : i + 3] for i in range(0, len(code) - 2, 3))


def _is_state(actor: Actor) -> bool:
    return bool(_sectors(actor) & STATE_SECTORS)


# ---------------------------------------------------------------- IndiaPoliceEvents


@dataclass(frozen=True, slots=True)
class IpeRules:
    """What makes an event answer each IndiaPoliceEvents question (see ``ipe_labels.tsv``)."""

    police_sectors: frozenset[str]
    police_words: frozenset[str]
    kill_codes: tuple[str, ...]
    kill_words: tuple[str, ...]
    force_codes: tuple[str, ...]
    arrest_codes: tuple[str, ...]
    arrest_modes: frozenset[tuple[str, str]]
    mutual_words: tuple[str, ...] = ()
    felled_sectors: frozenset[str] = frozenset()

    def is_police(self, actor: Actor) -> bool:
        """A police sector, or the actor's own words name the police."""
        if _sectors(actor) & self.police_sectors:
            return True
        return any(w in self.police_words for w in _words(actor.text))

    def is_police_code(self, code: str) -> bool:
        """A CAMEO actor code (``COP``, ``INDCOP``) with a police sector in it."""
        return bool(_code_sectors(code) & self.police_sectors)

    def police_party(self, event: Event) -> bool:
        """The police did it: its source, a folded reading's source, or a side of a
        fight both sides wage ("activists and the police clashed", whichever
        side the coder made the source).

        An incident (:mod:`dyadwatch.coder.incidents`) keeps the codings it folded
        in as ``alternatives``: "killed in police firing ... mobs attacking the
        police" may keep the mob's attack as the event and the police firing
        as an alternative; the police still fired.
        """
        if self.is_police(event.source):
            return True
        if any(self.is_police_code(alt.source) for alt in event.alternatives):
            return True
        if not self._mutual(event):
            return False
        if event.target is not None and self.is_police(event.target):
            return True
        # "one died in the clash, and 25 policemen were injured": the police named
        # anywhere in a sentence telling a fight both sides wage were a side of it.
        return any(w in self.police_words for w in _words(event.sentence))

    def felled_by_security(self, event: Event) -> bool:
        """Armed attackers killed by no one the text names ("one militant killed on
        the spot") fell to the security forces they fought, the police among them.

        A reading folded into the attackers' own incident from the same sentence
        counts too ("two of the militants who attacked the shrine were killed").
        """
        if not self.is_killing(event):
            return False
        unnamed = event.source.code == _UNNAMED and not event.source.text.strip()
        target = event.target
        if (
            unnamed
            and target is not None
            and (self._felled(target.code) or bool(_sectors(target) & self.felled_sectors))
        ):
            return True
        return any(
            alt.source == _UNNAMED
            and alt.target is not None
            and alt.sentence_index == event.sentence_index
            and alt.cameo.startswith(_VIOLENT_ROOTS)
            and self._felled(alt.target)
            for alt in event.alternatives
        )

    def _felled(self, code: str) -> bool:
        return bool(_code_sectors(code) & self.felled_sectors)

    def _mutual(self, event: Event) -> bool:
        if not event.cameo.startswith(_VIOLENT_ROOTS):
            return False
        return any(word.startswith(self.mutual_words) for word in _words(event.sentence))

    def is_killing(self, event: Event) -> bool:
        """A killing code, or violence (18-20) in a sentence that reports deaths.

        The sentence, not the trigger, is searched: reports put the deaths in
        another clause ("97 died in police firing", "shot dead").
        """
        if event.cameo.startswith(self.kill_codes):
            return True
        if not event.cameo.startswith(("18", "19", "20")):
            return False
        if event.size is not None and event.size.killed is not None and event.size.killed.max > 0:
            return True
        return any(word.startswith(self.kill_words) for word in _words(event.sentence))

    def is_arrest(self, event: Event) -> bool:
        type_, mode = _plover(event)
        return event.cameo.startswith(self.arrest_codes) or (type_, mode) in self.arrest_modes


_UNNAMED = "---"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


_IPE_KINDS = frozenset(
    {"police_sector", "police_word", "kill_code", "kill_word", "force_code", "arrest_code",
     "arrest_mode", "mutual_word", "felled_sector"}
)  # fmt: skip


def parse_ipe_rules(text: str, *, path: str) -> IpeRules:
    """Parse an ``ipe_labels.tsv``-style table (``kind<TAB>value``)."""
    values: dict[str, list[str]] = {kind: [] for kind in _IPE_KINDS}
    for number, cells in _table_lines(text):
        if len(cells) != 2 or cells[0] not in _IPE_KINDS or not cells[1]:
            raise _bad_table(path, number, f"expected one of {sorted(_IPE_KINDS)} and a value")
        kind, value = cells
        if kind.endswith("_code") and not _CAMEO_PREFIX.fullmatch(value):
            raise _bad_table(path, number, f"{value!r} is not a CAMEO code prefix")
        if kind == "arrest_mode" and "/" not in value:
            raise _bad_table(path, number, f"{value!r} is not TYPE/mode")
        values[kind].append(value)
    return IpeRules(
        police_sectors=frozenset(values["police_sector"]),
        police_words=frozenset(w.lower() for w in values["police_word"]),
        kill_codes=tuple(values["kill_code"]),
        kill_words=tuple(w.lower() for w in values["kill_word"]),
        force_codes=tuple(values["force_code"]),
        arrest_codes=tuple(values["arrest_code"]),
        arrest_modes=frozenset((t, m) for t, m in (v.split("/", 1) for v in values["arrest_mode"])),
        mutual_words=tuple(w.lower() for w in values["mutual_word"]),
        felled_sectors=frozenset(values["felled_sector"]),
    )


@functools.cache
def load_ipe_rules() -> IpeRules:
    """The built-in IndiaPoliceEvents rules, parsed once."""
    return parse_ipe_rules(_read_resource(_IPE_FILE), path=_IPE_FILE)


def ipe_labels(events: Sequence[Event], rules: IpeRules | None = None) -> frozenset[str]:
    """IndiaPoliceEvents labels answered "yes" by ``events``.

    Only events that happened count (neither negated nor hypothetical), except
    FAIL, which is a negated police-source event ("police did not act", "failed
    to arrest"). The police did an event when :meth:`IpeRules.police_party`
    says so. ANY_ACTION: any police-source event. KILL: a police-source killing.
    FORCE: a police-source use of force (a killing included). ARREST: an
    arrest by anyone, since arrests are police work and passive reports
    ("100 were arrested") name no one.
    """
    rules = rules or load_ipe_rules()
    labels: set[str] = set()
    for event in events:
        police = rules.police_party(event) or rules.felled_by_security(event)
        if event.modality.negated:
            if police and not event.modality.hypothetical:
                labels.add("FAIL")
            continue
        if event.modality.hypothetical:
            continue
        if rules.is_arrest(event):
            labels.add("ARREST")
        if not police:
            continue
        labels.add("ANY_ACTION")
        if rules.is_killing(event):
            labels.update(("KILL", "FORCE"))
        elif event.cameo.startswith(rules.force_codes):
            labels.add("FORCE")
    if "ARREST" in labels:
        labels.add("ANY_ACTION")
    return frozenset(labels)


# ---------------------------------------------------------------- CASE 2021


@dataclass(frozen=True, slots=True)
class CaseRule:
    """One row of ``case2021_labels.tsv``."""

    key: str
    source: SourceCondition
    label: str

    def matches(self, event: Event) -> bool:
        plover = _PLOVER_KEY.fullmatch(self.key)
        if plover:
            hit = _plover(event) == (plover[1], plover[2])
        else:
            hit = event.cameo.startswith(self.key)
        if not hit or self.source == "any":
            return hit
        return _is_state(event.source) == (self.source == "state")

    @property
    def specificity(self) -> int:
        """Longer CAMEO prefixes first, sourced rules before ``any``.

        A PLOVER mode rule ranks between 3- and 4-digit codes: a weapon mode
        says more than "190", but "1831" (suicide bombing) says more than a mode.
        """
        length = 3.5 if self.key.startswith("PLOVER:") else len(self.key)
        return int(length * 4) + (self.source != "any")


@dataclass(frozen=True, slots=True)
class CaseTable:
    """CASE 2021 label rules, most specific first."""

    rules: tuple[CaseRule, ...]

    def label_for(self, event: Event) -> str | None:
        """The sub-type of one event, or None when no rule matches."""
        return next((rule.label for rule in self.rules if rule.matches(event)), None)


def parse_case_table(text: str, *, path: str) -> CaseTable:
    """Parse a ``key<TAB>source<TAB>label`` table (see ``case2021_labels.tsv``)."""
    rules = []
    for number, cells in _table_lines(text):
        if len(cells) != 3:
            raise _bad_table(path, number, "expected key, source and label")
        key, source, label = cells
        if not (_CAMEO_PREFIX.fullmatch(key) or _PLOVER_KEY.fullmatch(key)):
            detail = f"{key!r} is neither a CAMEO prefix nor PLOVER:TYPE/mode"
            raise _bad_table(path, number, detail)
        condition = _SOURCE_CONDITIONS.get(source)
        if condition is None:
            raise _bad_table(path, number, f"source must be any, state or nonstate: {source!r}")
        if label not in CASE_LABELS:
            raise _bad_table(path, number, f"{label!r} is not a CASE 2021 label")
        rules.append(CaseRule(key, condition, label))
    return CaseTable(tuple(sorted(rules, key=lambda r: -r.specificity)))


@functools.cache
def load_case_table() -> CaseTable:
    """The built-in CASE 2021 table, parsed once."""
    return parse_case_table(_read_resource(_CASE_FILE), path=_CASE_FILE)


def _strongest(labelled: Sequence[tuple[Event, str]]) -> list[tuple[Event, str]]:
    """The events that should decide: asserted ones, and among them the material acts.

    Snippets report one incident; its material act (the strike, the arrest)
    says more about the sub-type than the statements around it.
    """
    pool = [(e, label) for e, label in labelled if not e.modality.hypothetical] or list(labelled)
    material = [(e, label) for e, label in pool if penta_of(e.cameo) in _MATERIAL_PENTA]
    return material or pool


def _vote(labelled: Sequence[tuple[Event, str]]) -> str:
    """The label with the most confidence mass; ties go to the earliest event's label."""
    mass: dict[str, float] = {}
    for event, label in labelled:
        mass[label] = mass.get(label, 0.0) + event.confidence
    return max(mass, key=lambda label: mass[label])  # dicts keep first-seen order


def _protest_interaction(labelled: Sequence[tuple[Event, str]]) -> str | None:
    """Protest plus a state response: ACLED's force-against / intervention sub-types.

    ACLED keeps "excessive force against protesters" for peaceful protests: when
    the protesters riot, the snippet stays a violent demonstration.
    """
    labels = {label for _, label in labelled}
    if "PEACE_PROTEST" not in labels:
        return None
    if "VIOL_DEMONSTR" in labels:
        return "VIOL_DEMONSTR"
    responses = [(e, label) for e, label in labelled if _is_state(e.source)]
    if any(
        label == "FORCE_AGAINST_PROTEST" or e.cameo[:2] in ("18", "19", "20")
        for e, label in responses
    ):
        return "FORCE_AGAINST_PROTEST"
    if any(e.cameo.startswith("17") for e, _ in responses):
        return "PROTEST_WITH_INTER"
    return None


def case_label(events: Sequence[Event], table: CaseTable | None = None) -> str:
    """The CASE 2021 sub-type of a snippet's events (``CASE_FALLBACK`` when none maps).

    Negated events are ignored; a protest met by the state gets ACLED's
    interaction sub-types; otherwise the asserted material acts vote, each with
    its confidence.
    """
    table = table or load_case_table()
    labelled = [(e, label) for e in events if (label := table.label_for(e)) is not None]
    actual = [(e, label) for e, label in labelled if not e.modality.negated]
    if not actual:
        return CASE_FALLBACK
    return _protest_interaction(actual) or _vote(_strongest(actual))


# ---------------------------------------------------------------- drone strikes

AIR_WEAPON_WORDS = (
    "drone", "missile", "airstrike", "air strike", "air raid", "airplane", "aircraft", "warplane",
    "jet", "helicopter", "gunship", "predator", "reaper", "hellfire", "unmanned", "pilotless",
)  # fmt: skip
"""Words that put an air weapon into a sentence (matched as word prefixes)."""

STRIKER_COUNTRIES = frozenset({"USA"})
"""Source countries that count as a US strike; a source with no country also counts."""

_VIOLENT_ROOTS = ("18", "19", "20")


def _us_or_unknown(event: Event) -> bool:
    """The source is US-coded or names no country (``---``, or a bare sector such as MIL)."""
    return event.source.country is None or event.source.country in STRIKER_COUNTRIES


def is_air_strike(event: Event) -> bool:
    """A US (or unattributed) aerial or drone strike, as the coder coded it.

    Strict: the event happened (not negated), its PLOVER type is ASSAULT with
    mode ``aerial`` or ``drone``, or its CAMEO code is 195 (employ aerial
    weapons); and its source is US-coded or has no country.
    """
    if event.modality.negated or not _us_or_unknown(event):
        return False
    type_, mode = _plover(event)
    return event.cameo.startswith("195") or (type_ == "ASSAULT" and mode in ("aerial", "drone"))


def is_air_violence(event: Event) -> bool:
    """Lenient: a strict air strike, or US/unattributed violence (CAMEO 18-20,
    not negated) in a sentence that names an air weapon ("a drone fired
    missiles at a house, killing 4": the coder's 190 at *killing*)."""
    if is_air_strike(event):
        return True
    if event.modality.negated or not _us_or_unknown(event):
        return False
    if not event.cameo.startswith(_VIOLENT_ROOTS):
        return False
    text = event.sentence.lower()
    return any(re.search(rf"\b{re.escape(word)}", text) for word in AIR_WEAPON_WORDS)


@dataclass(frozen=True, slots=True)
class DronePrediction:
    """What a strike narrative's events say: the strike event, killed range and place.

    ``strike`` is the first strict air strike (:func:`is_air_strike`),
    ``air_violence`` the first lenient one (:func:`is_air_violence`).
    """

    killed: Range | None
    location: Location | None
    strike: Event | None = None
    air_violence: Event | None = None


def drone_predict(events: Sequence[Event]) -> DronePrediction:
    """The strike event, the widest killed range and the strike's place.

    A narrative tells one strike, so every non-negated event's killed range
    counts the same dead: ranges are combined by max, not summed ("killing
    Abu. More than a dozen others died as well" keeps the dozen). The place is
    the strike event's (strict, else lenient, else the first violent event);
    when that event has none, the first located violent event's, else the
    first located event's.
    """
    ranges = [
        e.size.killed for e in events
        if not e.modality.negated and e.size is not None and e.size.killed is not None
    ]  # fmt: skip
    killed = Range(max(r.min for r in ranges), max(r.max for r in ranges)) if ranges else None
    strike = next((e for e in events if is_air_strike(e)), None)
    lenient = next((e for e in events if is_air_violence(e)), None)
    violent = [e for e in events if e.cameo.startswith(_VIOLENT_ROOTS) and not e.modality.negated]
    main = strike or lenient or next(iter(violent), None)
    location = main.location if main is not None else None
    for pool in (violent, events):
        location = location or next((e.location for e in pool if e.location is not None), None)
    return DronePrediction(killed, location, strike, lenient)
