"""Political leaders with dated offices: the people part of the built-in knowledge.

``data/people.yaml`` lists who held which office when. Each person compiles to
one ``ActorEntry`` per alias, all sharing the same codes: one ``DatedCode`` per
tenure (country + sector, e.g. ``PAKGOV`` from 2018-08-18 to 2022-04-10) and one
undated fallback, country + ``ELI``, for any day outside every tenure, since a
former or future officeholder is still part of the country's elite.

Validation happens at load: a bad entry raises ``DictionaryError`` (DW207)
naming the file and the YAML line of the offending person or tenure.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn

import pycountry
import yaml

from dyadwatch.actors.dictionary import ActorEntry, DatedCode
from dyadwatch.errors import DictionaryError, Errors

__all__ = ["ROLES", "Person", "Tenure", "load_people", "read_people"]

ROLES = frozenset(
    {
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "defence_minister",
        "party_leader",
        "military_chief",
        "insurgent_leader",
    }
)
"""Offices a tenure may name; the sector, not the office, decides the code."""

FALLBACK_SECTOR = "ELI"
_SECTOR = re.compile(r"[A-Z]{3}")
_PERSON_KEYS = frozenset({"name", "aliases", "country", "roles", "note"})
_TENURE_KEYS = frozenset({"role", "sector", "start", "end", "approx", "note"})
_PACKAGE_FILE = "people.yaml"


@dataclass(frozen=True, slots=True)
class Tenure:
    """One office held from ``start`` to ``end`` (inclusive; None = still in office)."""

    role: str
    sector: str
    start: dt.date
    end: dt.date | None = None
    approx: bool = False
    """The dates are known to the month or so, not to the day."""


@dataclass(frozen=True, slots=True)
class Person:
    """A leader as listed in people.yaml, with the YAML line it starts on."""

    name: str
    aliases: tuple[str, ...]
    country: str
    tenures: tuple[Tenure, ...]
    line: int | None = None

    @property
    def phrases(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    def codes(self) -> tuple[DatedCode, ...]:
        """Dated codes, GOV tenures first, then the undated elite fallback.

        ``ActorEntry.code_on`` takes the first covering code, so when offices
        overlap (Musharraf as president and army chief) the government one wins.
        """
        ordered = sorted(self.tenures, key=lambda t: (t.sector != "GOV", t.start))
        dated = tuple(DatedCode(self.country + t.sector, t.start, t.end) for t in ordered)
        return (*dated, DatedCode(self.country + FALLBACK_SECTOR))

    def entries(self) -> tuple[ActorEntry, ...]:
        """One ``ActorEntry`` per phrase, all naming this person."""
        codes = self.codes()
        return tuple(ActorEntry(p, codes, self.name, kind="person") for p in self.phrases)


def load_people(path: Path | None = None) -> tuple[ActorEntry, ...]:
    """Actor entries for every alias of every person in ``path`` (default: built-in file).

    Raises ``DictionaryError`` (DW207) with the file and line of a bad entry.
    """
    people = read_people(path) if path is not None else _builtin_people()
    return tuple(entry for person in people for entry in person.entries())


def read_people(path: Path | None = None) -> tuple[Person, ...]:
    """The validated people of ``path`` (default: the built-in people.yaml)."""
    if path is None:
        return _builtin_people()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(Errors.DW207, path=path, detail=str(exc)) from exc
    return _parse(text, str(path))


@functools.cache
def _builtin_people() -> tuple[Person, ...]:
    source = resources.files("dyadwatch.actors").joinpath("data", _PACKAGE_FILE)
    return _parse(source.read_text(encoding="utf-8"), f"dyadwatch/actors/data/{_PACKAGE_FILE}")


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is ours to report with its line."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


@dataclass(frozen=True, slots=True)
class _Where:
    """Where in the file a value came from, so errors can name the line."""

    path: str
    line: int | None

    def fail(self, detail: str) -> NoReturn:
        raise DictionaryError(Errors.DW207, path=self.path, line=self.line, detail=detail)


def _parse(text: str, path: str) -> tuple[Person, ...]:
    try:
        data = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DictionaryError(Errors.DW207, path=path, line=line, detail=str(exc)) from exc
    top = _Where(path, 1)
    if not isinstance(data, Mapping) or not isinstance(data.get("people"), list):
        top.fail("expected a mapping with a 'people' list")
    banned = frozenset(s.casefold() for s in _strings(data.get("ambiguous_surnames", []), top))
    shared = data.get("shared_aliases") or {}
    if not isinstance(shared, Mapping):
        top.fail("'shared_aliases' must map an alias to the reason it is shared")
    if not isinstance(root, yaml.MappingNode):
        top.fail("expected a mapping with a 'people' list")
    lines = _people_lines(root)
    people = tuple(
        _person(raw, _Where(path, line), role_lines, banned)
        for raw, (line, role_lines) in zip(data["people"], lines, strict=True)
    )
    _check_shared(people, frozenset(str(a).casefold() for a in shared), path)
    return people


def _people_lines(root: yaml.MappingNode) -> list[tuple[int, list[int]]]:
    """For each person node, its line and the lines of its role items."""
    seq = next(v for k, v in root.value if k.value == "people")
    out: list[tuple[int, list[int]]] = []
    for node in seq.value:
        roles = next((v for k, v in node.value if k.value == "roles"), None)
        items = roles.value if isinstance(roles, yaml.SequenceNode) else []
        out.append((node.start_mark.line + 1, [r.start_mark.line + 1 for r in items]))
    return out


def _person(raw: object, where: _Where, role_lines: list[int], banned: frozenset[str]) -> Person:
    if not isinstance(raw, Mapping):
        where.fail("a person must be a mapping")
    unknown = set(raw) - _PERSON_KEYS
    if unknown:
        where.fail(f"unknown keys {sorted(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        where.fail("'name' must be a non-empty string")
    aliases = _strings(raw.get("aliases") or [], where)
    for alias in (name, *aliases):
        if alias.casefold() in banned:
            where.fail(f"alias {alias!r} is a common surname listed in ambiguous_surnames")
    country = _country(raw.get("country"), where)
    roles = raw.get("roles")
    if not isinstance(roles, list) or not roles:
        where.fail(f"{name!r} needs a non-empty 'roles' list")
    tenures = tuple(
        _tenure(r, _Where(where.path, line)) for r, line in zip(roles, role_lines, strict=True)
    )
    return Person(name.strip(), tuple(a.strip() for a in aliases), country, tenures, where.line)


def _tenure(raw: object, where: _Where) -> Tenure:
    if not isinstance(raw, Mapping):
        where.fail("a role must be a mapping")
    unknown = set(raw) - _TENURE_KEYS
    if unknown:
        where.fail(f"unknown keys {sorted(unknown)}")
    role = raw.get("role")
    if role not in ROLES:
        where.fail(f"unknown role {role!r}; expected one of {sorted(ROLES)}")
    sector = raw.get("sector")
    if not isinstance(sector, str) or not _SECTOR.fullmatch(sector):
        where.fail(f"sector {sector!r} must be three uppercase letters")
    start = _date(raw.get("start"), "start", where)
    end = _date(raw.get("end"), "end", where) if raw.get("end") is not None else None
    if start is None:
        where.fail("'start' is required")
    if end is not None and end < start:
        where.fail(f"end {end} is before start {start}")
    return Tenure(str(role), sector, start, end, bool(raw.get("approx", False)))


def _date(value: object, key: str, where: _Where) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return where.fail(f"{key} {value!r} is not a YYYY-MM-DD date")


def _country(value: object, where: _Where) -> str:
    # pycountry matches case-insensitively; CAMEO codes need the upper-case form.
    if not isinstance(value, str) or not value.isupper():
        where.fail(f"country {value!r} must be an upper-case ISO 3166-1 alpha-3 code")
    if len(value) != 3 or pycountry.countries.get(alpha_3=value) is None:
        where.fail(f"country {value!r} is not an ISO 3166-1 alpha-3 code")
    return value


def _strings(value: object, where: _Where) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        where.fail(f"expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def _check_shared(people: Sequence[Person], allowed: frozenset[str], path: str) -> None:
    """An alias naming two people is an error unless the file documents why."""
    owner: dict[str, Person] = {}
    for person in people:
        for phrase in person.phrases:
            key = phrase.casefold()
            first = owner.setdefault(key, person)
            if first is not person and key not in allowed:
                _Where(path, person.line).fail(
                    f"alias {phrase!r} also names {first.name!r} (line {first.line}); "
                    "list it under shared_aliases with a reason"
                )
