"""Reading the gazetteer's own data files (TSV, ``#`` comments), validated at load.

A bad row raises ``DictionaryError`` (DW207) naming the file and line.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Final, NoReturn

import pycountry

from dyadwatch.errors import DictionaryError, Errors

__all__ = [
    "DATA_FILES",
    "AliasRow",
    "PlaceRow",
    "data_fingerprint",
    "read_adm1_table",
    "read_far_reaching",
    "read_names",
    "read_places",
    "read_stopwords",
]

DATA_FILES: Final = ("geonames_adm1.tsv", "places.tsv", "names.tsv", "not_places.tsv")
_KINDS: Final = frozenset({"adm1", "district", "city"})


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One place of ``places.tsv``."""

    name: str
    kind: str
    country: str | None
    adm1: str | None
    lat: float
    lon: float
    aliases: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class AliasRow:
    """More names for an ISO 3166-2 code, an ISO-3 country or a GeoNames id."""

    target: str
    names: tuple[str, ...]


def _text(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def data_fingerprint() -> str:
    """A hash of the data files: part of the cache key of the derived index."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(_text(name).encode("utf-8"))
    return digest.hexdigest()[:16]


def _rows(name: str, width: int) -> Iterator[tuple[int, list[str]]]:
    """Non-comment rows padded to ``width`` cells, with their line numbers."""
    for number, line in enumerate(_text(name).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) > width or len(cells) < 2:
            _fail(name, number, f"expected up to {width} tab-separated cells, got {len(cells)}")
        yield number, cells + [""] * (width - len(cells))


def _fail(name: str, line: int, detail: str) -> NoReturn:
    raise DictionaryError(Errors.DW207, path=f"dyadwatch/geo/data/{name}", line=line, detail=detail)


@functools.cache
def _subdivision_codes() -> frozenset[str]:
    return frozenset(str(sub.code) for sub in pycountry.subdivisions)


def _subdivision(name: str, line: int, code: str) -> str:
    if code not in _subdivision_codes():
        _fail(name, line, f"unknown ISO 3166-2 code {code!r}")
    return code


def _country(name: str, line: int, code: str) -> str:
    if pycountry.countries.get(alpha_3=code) is None:
        _fail(name, line, f"unknown ISO 3166-1 alpha-3 code {code!r}")
    return code


def read_adm1_table(name: str = "geonames_adm1.tsv") -> dict[tuple[str, str], str]:
    """``(country alpha-2, GeoNames admin1 code) → ISO 3166-2`` code."""
    table: dict[tuple[str, str], str] = {}
    for line, (country, admin1, iso) in _rows(name, 3):
        if not iso.startswith(country + "-"):
            _fail(name, line, f"{iso!r} is not a subdivision of {country!r}")
        table[(country, admin1)] = _subdivision(name, line, iso)
    return table


def read_places(name: str = "places.tsv") -> tuple[PlaceRow, ...]:
    """The places of ``places.tsv``, each with its aliases."""
    return tuple(_place(name, line, cells) for line, cells in _rows(name, 8))


def _place(name: str, line: int, cells: list[str]) -> PlaceRow:
    title, kind, country, adm1, lat, lon, aliases, note = cells
    if kind not in _KINDS:
        _fail(name, line, f"kind {kind!r} is not one of {sorted(_KINDS)}")
    try:
        lat_value, lon_value = float(lat), float(lon)
    except ValueError:
        _fail(name, line, f"bad coordinates {lat!r}, {lon!r}")
    if not (-90 <= lat_value <= 90 and -180 <= lon_value <= 180):
        _fail(name, line, f"coordinates out of range: {lat_value}, {lon_value}")
    return PlaceRow(
        title,
        kind,
        None if country == "-" else _country(name, line, country),
        None if adm1 == "-" else _subdivision(name, line, adm1),
        lat_value,
        lon_value,
        tuple(alias for alias in aliases.split("|") if alias),
        note or None,
    )


def read_names(name: str = "names.tsv") -> tuple[AliasRow, ...]:
    """Extra names for existing places; targets are checked against pycountry."""
    rows = []
    for line, (target, names) in _rows(name, 2):
        if "-" in target:
            _subdivision(name, line, target)
        elif not target.isdigit():
            _country(name, line, target)
        rows.append(AliasRow(target, tuple(n for n in names.split("|") if n)))
    return tuple(rows)


def read_stopwords(name: str = "not_places.tsv") -> frozenset[str]:
    """Words never read as a place on their own (given names, titles, months …)."""
    words = set()
    for line, (word, why) in _rows(name, 2):
        if not why or " " in word:
            _fail(name, line, "expected one word and the reason it is listed")
        words.add(word)
    return frozenset(words)


def read_far_reaching(name: str = "far_reaching.tsv") -> frozenset[str]:
    """ISO-3 countries whose actors say little about where a story happens."""
    codes = set()
    for line, (code, why) in _rows(name, 2):
        if not why:
            _fail(name, line, "expected a country code and the reason it is listed")
        codes.add(_country(name, line, code))
    return frozenset(codes)
