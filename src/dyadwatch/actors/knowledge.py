"""The built-in actor knowledge base, compiled to one ``ActorDictionary``.

Sources, all in ``dyadwatch/actors/data`` (see docs/ACTORS.md):

* every country in pycountry, its ISO-3 code being its CAMEO code, plus
  ``countries.yaml`` (short names, demonyms, capitals, organs of state);
* ``regions.yaml`` (CAMEO regional codes: "Middle East" → MEA);
* ``sectors.yaml`` (agent words: "army" → MIL);
* ``organisations.yaml`` (IGOs and NGOs: "NATO" → IGONAT);
* ``armed_groups.yaml`` (non-state armed groups: "TTP" → PAKINSTTP);
* ``people.yaml``, read by :mod:`dyadwatch.actors.people` when present.

Every file is validated at load: a bad entry raises ``DictionaryError``
(DW207) naming the file and the YAML line of the entry.

Phrases a data file lists under ``cased`` are English words once lower-cased
("LeT" → "let"). They enter the dictionary flagged ``cased=True``, so the
matcher takes them only as written; :func:`load_cased_actors` lists them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NoReturn, cast, get_args

import pycountry
import yaml

from dyadwatch.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    ActorKind,
    AgentEntry,
    DatedCode,
)
from dyadwatch.errors import DictionaryError, Errors

__all__ = ["DATA_FILES", "load_builtin_dictionary", "load_cased_actors"]

DATA_FILES = (
    "countries.yaml",
    "regions.yaml",
    "sectors.yaml",
    "organisations.yaml",
    "armed_groups.yaml",
)
"""The knowledge files this module reads; people.yaml belongs to ``people``."""

_PACKAGE_LABEL = "dyadwatch/actors/data"
_CODE = re.compile(r"(?:[A-Z]{3})+")
_COUNTRY = re.compile(r"[A-Z]{3}")
_KINDS = frozenset(get_args(ActorKind))
_COUNTRY_KEYS = frozenset(
    {"name", "names", "demonyms", "capitals", "places", "institutions", "cased", "exclude"}
)
_LISTED_KEYS = frozenset({"code", "codes", "name", "phrases", "cased", "kind"})
_SECTOR_KEYS = frozenset({"label", "phrases"})
_DATE_KEYS = frozenset({"code", "start", "end"})


# --- public API -------------------------------------------------------------


def load_builtin_dictionary(directory: str | Path | None = None) -> ActorDictionary:
    """The built-in actors and agents; people are included for the packaged data.

    ``directory`` replaces the packaged data folder (any of ``DATA_FILES``
    may be missing there; pycountry countries are always present). Raises
    ``DictionaryError`` (DW207) with file and line for a malformed entry.
    """
    return _knowledge(directory).dictionary


def load_cased_actors(directory: str | Path | None = None) -> tuple[ActorEntry, ...]:
    """Entries whose phrases must match with their case ("US", "LeT", "WHO").

    They are part of :func:`load_builtin_dictionary`, flagged ``cased=True``.
    """
    return _knowledge(directory).cased


# --- assembly ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Knowledge:
    dictionary: ActorDictionary
    cased: tuple[ActorEntry, ...]


@dataclass(slots=True)
class _Collector:
    """Entries gathered while reading, each with the place it was read from."""

    actors: list[tuple[ActorEntry, _Where]] = field(default_factory=list)
    agents: list[AgentEntry] = field(default_factory=list)
    cased: list[ActorEntry] = field(default_factory=list)

    def add_actors(self, entries: Iterable[ActorEntry], where: _Where) -> None:
        self.actors.extend((entry, where) for entry in entries)


def _knowledge(directory: str | Path | None) -> _Knowledge:
    if directory is None:
        return _packaged()
    root = Path(directory)
    return _build(root, str(root), with_people=False)


@functools.cache
def _packaged() -> _Knowledge:
    root = resources.files("dyadwatch.actors").joinpath("data")
    return _build(root, _PACKAGE_LABEL, with_people=True)


def _build(root: Traversable, label: str, *, with_people: bool) -> _Knowledge:
    found = _Collector()
    _read_countries(_load(root, label, "countries.yaml"), found)
    _read_listed(_load(root, label, "regions.yaml"), "country", found)
    _read_listed(_load(root, label, "organisations.yaml"), "igo", found)
    _read_listed(_load(root, label, "armed_groups.yaml"), "group", found)
    _read_sectors(_load(root, label, "sectors.yaml"), found)
    _check_conflicts(found.actors)
    actors = tuple(entry for entry, _ in found.actors)
    if with_people and root.joinpath("people.yaml").is_file():
        actors += _people()
    cased = tuple(found.cased)
    return _Knowledge(ActorDictionary.of((*actors, *cased), found.agents), cased)


def _people() -> tuple[ActorEntry, ...]:
    """People from the sibling module, or none while that module is absent."""
    try:
        from dyadwatch.actors.people import load_people
    except ModuleNotFoundError as exc:
        if exc.name != "dyadwatch.actors.people":
            raise
        return ()
    return load_people()


def _check_conflicts(actors: list[tuple[ActorEntry, _Where]]) -> None:
    """The same phrase (ignoring case) may not name two different codes."""
    seen: dict[str, tuple[ActorEntry, _Where]] = {}
    for entry, where in actors:
        key = entry.phrase.casefold()
        first = seen.setdefault(key, (entry, where))
        if first[0].codes != entry.codes:
            where.fail(
                f"phrase {entry.phrase!r} is already {first[0].name!r} "
                f"({first[1].path}:{first[1].line})"
            )


# --- YAML nodes with their lines ----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    """A file and line, so that every complaint can say where it comes from."""

    path: str
    line: int | None

    @classmethod
    def of(cls, path: str, node: yaml.Node) -> _Where:
        return cls(path, node.start_mark.line + 1)

    def fail(self, detail: str) -> NoReturn:
        raise DictionaryError(Errors.DW207, path=self.path, line=self.line, detail=detail)


@dataclass(frozen=True, slots=True)
class _Doc:
    """A parsed file: its root node (None when absent or empty) and its path."""

    path: str
    root: yaml.Node | None


def _load(root: Traversable, label: str, name: str) -> _Doc:
    path = f"{label}/{name}"
    source = root.joinpath(name)
    if not source.is_file():
        return _Doc(path, None)
    try:
        return _Doc(path, yaml.compose(source.read_text(encoding="utf-8"), Loader=yaml.SafeLoader))
    except UnicodeDecodeError as exc:
        raise DictionaryError(Errors.DW207, path=path, detail=str(exc)) from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise DictionaryError(Errors.DW207, path=path, line=line, detail=str(exc)) from exc
    except yaml.YAMLError as exc:
        raise DictionaryError(Errors.DW207, path=path, detail=str(exc)) from exc


def _pairs(node: yaml.Node, path: str) -> Iterator[tuple[str, yaml.Node, _Where]]:
    """Key, value and key position of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        _Where.of(path, node).fail("expected a mapping")
    for key, value in node.value:
        yield _text(key, path), value, _Where.of(path, key)


def _items(node: yaml.Node, path: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        _Where.of(path, node).fail("expected a list")
    return list(node.value)


def _text(node: yaml.Node, path: str) -> str:
    """A non-empty scalar, with no stray spaces around it."""
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        _Where.of(path, node).fail("expected a single value")
    value: str = node.value
    if not value or value != value.strip():
        _Where.of(path, node).fail(f"empty or space-padded value {value!r}")
    return value


def _texts(node: yaml.Node, path: str) -> tuple[str, ...]:
    return tuple(_text(item, path) for item in _items(node, path))


def _fields(node: yaml.Node, path: str, allowed: frozenset[str]) -> dict[str, yaml.Node]:
    """A mapping's values by key, refusing keys outside ``allowed``."""
    fields: dict[str, yaml.Node] = {}
    for key, value, where in _pairs(node, path):
        if key not in allowed:
            where.fail(f"unknown key {key!r}; expected one of {sorted(allowed)}")
        fields[key] = value
    return fields


def _code(node: yaml.Node, path: str, pattern: re.Pattern[str] = _CODE) -> str:
    value = _text(node, path)
    if not pattern.fullmatch(value):
        _Where.of(path, node).fail(f"code {value!r} must be uppercase letters in groups of three")
    return value


# --- countries --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CountryData:
    """What countries.yaml says about one country."""

    name: str | None = None
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    institutions: tuple[tuple[str, str], ...] = ()
    cased: tuple[str, ...] = ()
    exclude: frozenset[str] = frozenset()


def _read_countries(doc: _Doc, found: _Collector) -> None:
    extra: dict[str, tuple[_CountryData, _Where]] = {}
    if doc.root is not None:
        for code, value, where in _pairs(doc.root, doc.path):
            if not _COUNTRY.fullmatch(code):
                where.fail(f"country code {code!r} must be three uppercase letters")
            extra[code] = (_country_data(value, doc.path), where)
    for country in pycountry.countries:
        data, where = extra.pop(country.alpha_3, (_CountryData(), _Where(doc.path, None)))
        iso_names = _iso_names(country)
        display = data.name or (iso_names[0] if iso_names else country.name)
        _add_country(country.alpha_3, display, iso_names, data, where, found)
    for code, (data, where) in extra.items():
        if data.name is None:
            where.fail(f"{code} is not an ISO 3166 country, so it needs a 'name'")
        _add_country(code, data.name, (), data, where, found)


def _country_data(node: yaml.Node, path: str) -> _CountryData:
    fields = _fields(node, path, _COUNTRY_KEYS)

    def texts(key: str) -> tuple[str, ...]:
        return _texts(fields[key], path) if key in fields else ()

    institutions: tuple[tuple[str, str], ...] = ()
    if "institutions" in fields:
        pairs = _pairs(fields["institutions"], path)
        institutions = tuple((phrase, _code(sector, path)) for phrase, sector, _ in pairs)
    name = _text(fields["name"], path) if "name" in fields else None
    return _CountryData(
        name,
        texts("names"),
        texts("demonyms"),
        texts("capitals"),
        texts("places"),
        institutions,
        texts("cased"),
        frozenset(texts("exclude")),
    )


def _iso_names(country: object) -> tuple[str, ...]:
    """pycountry's names as text writes them; inverted forms ("Korea, Republic of") drop."""
    found: list[str] = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if not isinstance(value, str) or "," in value or "(" in value:
            continue
        found.append(value.removeprefix("the "))
    return tuple(dict.fromkeys(found))


def _add_country(
    code: str,
    display: str,
    iso_names: tuple[str, ...],
    data: _CountryData,
    where: _Where,
    found: _Collector,
) -> None:
    names = tuple(n for n in iso_names if n not in data.exclude) + data.names
    dated = (DatedCode(code),)
    groups: tuple[tuple[tuple[str, ...], ActorKind], ...] = (
        (tuple(dict.fromkeys(names)), "country"),
        (data.demonyms, "demonym"),
        (data.capitals, "capital"),
        (data.places, "actor"),
    )
    for phrases, kind in groups:
        found.add_actors((ActorEntry(p, dated, display, kind) for p in phrases), where)
    found.add_actors(
        (
            ActorEntry(phrase, (DatedCode(code + sector),), f"{display}: {phrase}", "actor")
            for phrase, sector in data.institutions
        ),
        where,
    )
    found.cased.extend(ActorEntry(p, dated, display, "country", cased=True) for p in data.cased)


# --- regions, organisations, armed groups ------------------------------------


def _read_listed(doc: _Doc, default_kind: ActorKind, found: _Collector) -> None:
    """Entries of the form {code | codes, name, phrases, cased?, kind?}."""
    if doc.root is None:
        return
    for item in _items(doc.root, doc.path):
        where = _Where.of(doc.path, item)
        fields = _fields(item, doc.path, _LISTED_KEYS)
        for required in ("name", "phrases"):
            if required not in fields:
                where.fail(f"missing {required!r}")
        name = _text(fields["name"], doc.path)
        codes = _listed_codes(fields, doc.path, where)
        kind = _kind(fields["kind"], doc.path) if "kind" in fields else default_kind
        phrases = _texts(fields["phrases"], doc.path)
        found.add_actors((ActorEntry(p, codes, name, kind) for p in phrases), where)
        cased = _texts(fields["cased"], doc.path) if "cased" in fields else ()
        found.cased.extend(ActorEntry(p, codes, name, kind, cased=True) for p in cased)


def _listed_codes(fields: dict[str, yaml.Node], path: str, where: _Where) -> tuple[DatedCode, ...]:
    if ("code" in fields) == ("codes" in fields):
        where.fail("give exactly one of 'code' or 'codes'")
    if "code" in fields:
        return (DatedCode(_code(fields["code"], path)),)
    codes = tuple(_dated_code(node, path) for node in _items(fields["codes"], path))
    if not codes:
        where.fail("'codes' is empty")
    return codes


def _dated_code(node: yaml.Node, path: str) -> DatedCode:
    """``PAKINSTTP`` or ``{code: AFGGOVTAL, start: 2021-08-15, end: …}``."""
    if isinstance(node, yaml.ScalarNode):
        return DatedCode(_code(node, path))
    fields = _fields(node, path, _DATE_KEYS)
    where = _Where.of(path, node)
    if "code" not in fields:
        where.fail("a dated code needs 'code'")
    start = _date(fields["start"], path) if "start" in fields else None
    end = _date(fields["end"], path) if "end" in fields else None
    if start is not None and end is not None and end < start:
        where.fail(f"end {end} is before start {start}")
    return DatedCode(_code(fields["code"], path), start, end)


def _date(node: yaml.Node, path: str) -> dt.date:
    value = _text(node, path)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return _Where.of(path, node).fail(f"{value!r} is not a YYYY-MM-DD date")


def _kind(node: yaml.Node, path: str) -> ActorKind:
    value = _text(node, path)
    if value not in _KINDS:
        _Where.of(path, node).fail(f"kind {value!r} is not one of {sorted(_KINDS)}")
    return cast(ActorKind, value)


# --- sectors ------------------------------------------------------------------


def _read_sectors(doc: _Doc, found: _Collector) -> None:
    if doc.root is None:
        return
    sectors: dict[str, str] = {}
    for code, value, where in _pairs(doc.root, doc.path):
        if not _CODE.fullmatch(code):
            where.fail(f"sector code {code!r} must be uppercase letters in groups of three")
        fields = _fields(value, doc.path, _SECTOR_KEYS)
        if "label" not in fields or "phrases" not in fields:
            where.fail(f"sector {code} needs 'label' and 'phrases'")
        _text(fields["label"], doc.path)
        for node in _items(fields["phrases"], doc.path):
            phrase = _text(node, doc.path)
            earlier = sectors.setdefault(phrase.casefold(), code)
            if earlier != code:
                _Where.of(doc.path, node).fail(f"phrase {phrase!r} is already sector {earlier}")
            found.agents.append(AgentEntry(phrase, code))
