"""The code tables the converters need: FIPS → ISO-3, ICEWS sectors and country names.

Each lives as a TSV file in ``interop/data`` and is parsed and validated once
per process; a bad row raises DictionaryError DW207 naming its file and line.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pycountry

from dyadwatch.errors import DictionaryError, Errors

__all__ = ["CodeTable", "country_names", "fips_table", "icews_sectors", "parse_table"]

_ISO3 = re.compile(r"[A-Z]{3}")
_FIPS = re.compile(r"[A-Z]{2}")
_SECTOR = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class CodeTable:
    """A many-to-one table read both ways: ``forward[key]`` and ``backward[value]``.

    ``backward`` maps each value to the first key that gives it (file order).
    """

    forward: Mapping[str, str]
    backward: Mapping[str, str]


def parse_table(
    text: str, *, path: str, header: tuple[str, str], check: Callable[[str, str], str | None]
) -> CodeTable:
    """Parse a two-column TSV with ``header``; ``check`` returns a problem or None."""
    forward: dict[str, str] = {}
    backward: dict[str, str] = {}
    seen_header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not seen_header:
            if tuple(fields[:2]) != header:
                raise _bad(path, number, f"header must start {'<TAB>'.join(header)}")
            seen_header = True
            continue
        if len(fields) < 2:
            raise _bad(path, number, "expected at least 2 tab-separated fields")
        key, value = fields[0], fields[1]
        problem = check(key, value) or (f"duplicate key {key!r}" if key in forward else None)
        if problem:
            raise _bad(path, number, problem)
        forward[key] = value
        if value:
            backward.setdefault(value, key)
    return CodeTable(MappingProxyType(forward), MappingProxyType(backward))


def _bad(path: str, line: int, detail: str) -> DictionaryError:
    return DictionaryError(Errors.DW207, path=path, line=line, detail=detail)


def _read(name: str) -> str:
    return importlib.resources.files(__package__).joinpath("data", name).read_text("utf-8")


def _check_fips(key: str, value: str) -> str | None:
    if not _FIPS.fullmatch(key):
        return f"invalid FIPS code {key!r}"
    if value and not _ISO3.fullmatch(value):
        return f"invalid ISO-3 code {value!r}"
    return None


def _check_sector(key: str, value: str) -> str | None:
    if not key.strip():
        return "empty sector name"
    return None if _SECTOR.fullmatch(value) else f"invalid CAMEO agent code {value!r}"


def _check_country(key: str, value: str) -> str | None:
    if not key.strip():
        return "empty country name"
    return None if _ISO3.fullmatch(value) else f"invalid ISO-3 code {value!r}"


@functools.cache
def fips_table() -> CodeTable:
    """GDELT location country codes (FIPS 10-4) ↔ ISO-3; '' for a place with no ISO code."""
    name = "fips_iso3.tsv"
    return parse_table(_read(name), path=name, header=("fips", "iso3"), check=_check_fips)


@functools.cache
def icews_sectors() -> CodeTable:
    """ICEWS sector name → CAMEO agent code, in priority order."""
    name = "icews_sectors.tsv"
    return parse_table(_read(name), path=name, header=("sector", "code"), check=_check_sector)


@functools.cache
def _country_aliases() -> CodeTable:
    name = "icews_countries.tsv"
    return parse_table(_read(name), path=name, header=("name", "iso3"), check=_check_country)


@dataclass(frozen=True, eq=False)
class CountryNames:
    """Country names ↔ ISO-3: our alias table first, then pycountry.

    Compared and hashed by identity, which its memoised lookups need.
    """

    aliases: CodeTable

    @functools.cache  # noqa: B019 - the one instance lives as long as the process
    def iso3(self, name: str) -> str | None:
        """The ISO-3 code of a country name, or None when it names no country."""
        found = self.aliases.forward.get(name)
        if found is not None:
            return found
        try:
            return str(pycountry.countries.lookup(name).alpha_3)
        except LookupError:
            return None

    @functools.cache  # noqa: B019 - see iso3
    def name(self, iso3: str) -> str | None:
        """The name ICEWS writes for an ISO-3 code, or None for an unknown code."""
        alias = self.aliases.backward.get(iso3)
        if alias is not None:
            return alias
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            return None
        return str(getattr(country, "common_name", None) or country.name)


@functools.cache
def country_names() -> CountryNames:
    """The shared name ↔ ISO-3 lookup (with its memo of pycountry lookups)."""
    return CountryNames(_country_aliases())
