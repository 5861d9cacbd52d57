"""ICEWS coded-event ``.tab`` files (20 columns, header row) ↔ :class:`StoredEvent`.

ICEWS names its actors ("Ministry (Japan)") with sector names and a country
name; we model the country as ISO-3, the sector as a CAMEO agent code where
one fits, and the code as their join ("JPNGOV"). Original cells stay in
``extra`` (as ``raw:<column>`` when modelled) so an export gives them back.
``NA`` marks an empty cell, on reading and on writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TextIO

from dyadwatch.errors import ErrorRecord, Errors, InputError, OntologyError
from dyadwatch.model import Actor, Location
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.store.interop._columns import ICEWS_COLUMNS
from dyadwatch.store.interop._lines import bad_row, tab_lines
from dyadwatch.store.interop._tables import country_names, icews_sectors
from dyadwatch.store.interop._values import (
    BadValue,
    float_text,
    format_float,
    keep_raw,
    parse_float,
    pick,
)
from dyadwatch.store.records import StoredEvent

__all__ = ["icews_row", "parse_icews_event", "read_icews_events", "write_icews"]

FORMAT = "ICEWS"
NA = "NA"
_MODELLED = frozenset(
    {
        "Event ID", "Event Date", "Source Name", "Source Country", "CAMEO Code", "Intensity",
        "Target Name", "Target Country", "Province", "Country", "Latitude", "Longitude",
    }
)  # fmt: skip


# Reading


def read_icews_events(path: Path | str) -> Iterator[StoredEvent | ErrorRecord]:
    """Each row of an ICEWS ``.tab`` file; a bad row as a DW112 record.

    Raises InputError DW113 when the first line is not the ICEWS header and
    DW108 when the file cannot be read.
    """
    source = Path(path)
    lines = tab_lines(source, FORMAT)
    first = next(lines, None)
    if not isinstance(first, tuple) or tuple(first[1]) != ICEWS_COLUMNS:
        raise InputError(
            Errors.DW113, path=source, line=1, format=FORMAT, detail="no ICEWS header row"
        )
    for item in lines:
        if isinstance(item, ErrorRecord):
            yield item
            continue
        number, fields = item
        try:
            yield parse_icews_event(fields)
        except BadValue as exc:
            yield bad_row(source, number, FORMAT, str(exc))


def parse_icews_event(fields: list[str]) -> StoredEvent:
    """One data row, split on tabs. Raises BadValue saying what is wrong."""
    if len(fields) != len(ICEWS_COLUMNS):
        raise BadValue(f"expected {len(ICEWS_COLUMNS)} tab-separated fields, got {len(fields)}")
    row = {c: ("" if v == NA else v) for c, v in zip(ICEWS_COLUMNS, fields, strict=True)}
    extra = {c: v for c, v in row.items() if v and c not in _MODELLED}
    external_id = row["Event ID"]
    if not external_id:
        raise BadValue("Event ID is empty")
    cameo = row["CAMEO Code"]
    if not (cameo.isascii() and cameo.isdigit() and 2 <= len(cameo) <= 4):
        raise BadValue(f"CAMEO Code {cameo!r} is not a CAMEO event code")
    goldstein = parse_float(row["Intensity"], "Intensity")
    keep_raw(extra, "Intensity", fields[7], _na(format_float(goldstein)))
    return StoredEvent(
        id=f"icews:{external_id}",
        provenance="icews",
        date=_date(row["Event Date"]),
        source=_actor(row, "Source", extra),
        target=_actor(row, "Target", extra),
        cameo=cameo,
        goldstein=goldstein,
        quad=_quad(cameo),
        external_id=external_id,
        location=_location(row, extra),
        extra=MappingProxyType(extra),
    )


def _na(text: str) -> str:
    return text or NA


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadValue(f"Event Date {text!r} is not a YYYY-MM-DD date") from None


def _quad(cameo: str) -> int | None:
    try:
        return load_cameo().quad(cameo)
    except OntologyError:
        return None


def _sector(sectors: str) -> str | None:
    """The CAMEO agent code of the highest-priority sector listed, if any."""
    listed = set(sectors.split(","))
    for name, code in icews_sectors().forward.items():
        if name in listed:
            return code
    return None


def _sector_name(code: str | None) -> str:
    return icews_sectors().backward.get(code, "") if code else ""


def _actor(row: Mapping[str, str], side: str, extra: dict[str, str]) -> Actor | None:
    name, sectors, country_name = (row[f"{side} {part}"] for part in ("Name", "Sectors", "Country"))
    if not (name or country_name):
        return None
    country = country_names().iso3(country_name) if country_name else None
    sector = _sector(sectors)
    keep_raw(extra, f"{side} Country", _na(country_name), _na(_country_name(country)))
    return Actor(
        text=name,
        code=(country or "") + (sector or ""),
        country=country,
        sector=sector,
        name=name or None,
    )


def _country_name(iso3: str | None) -> str:
    return (country_names().name(iso3) or "") if iso3 else ""


def _location(row: Mapping[str, str], extra: dict[str, str]) -> Location | None:
    city, province, country_name = row["City"], row["Province"], row["Country"]
    lat = parse_float(row["Latitude"], "Latitude")
    lon = parse_float(row["Longitude"], "Longitude")
    if not (city or province or country_name or lat is not None):
        return None
    country = country_names().iso3(country_name) if country_name else None
    precision: Literal["country", "adm1", "city"] = (
        "city" if city or row["District"] else "adm1" if province else "country"
    )
    keep_raw(extra, "Country", _na(country_name), _na(_country_name(country)))
    keep_raw(extra, "Latitude", _na(row["Latitude"]), _na(format_float(lat)))
    keep_raw(extra, "Longitude", _na(row["Longitude"]), _na(format_float(lon)))
    name = city or row["District"] or province or country_name
    return Location(
        name=name, country=country, adm1=province or None, lat=lat, lon=lon, precision=precision
    )


# Writing


def write_icews(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write the ICEWS header and one row per event; returns the number of events."""
    out.write("\t".join(ICEWS_COLUMNS) + "\n")
    count = 0
    for event in events:
        out.write("\t".join(icews_row(event)) + "\n")
        count += 1
    return count


def icews_row(event: StoredEvent) -> list[str]:
    """The cells of ``event`` in ICEWS column order, ``NA`` for empty ones."""
    extra = event.extra
    cells = {column: extra.get(column, "") for column in ICEWS_COLUMNS}
    if event.provenance != "icews":
        cells.update(_derived(event))
    cells.update(
        {
            "Event ID": event.external_id or event.id,
            "Event Date": event.date.isoformat() if event.date else "",
            "CAMEO Code": event.cameo,
            "Intensity": pick(extra, "Intensity", _na(format_float(event.goldstein)), _na_float),
        }
    )
    for side, actor in (("Source", event.source), ("Target", event.target)):
        if actor is not None:
            cells.update(_actor_cells(actor, side, extra))
    if event.location is not None:
        cells.update(_location_cells(event.location, extra))
        if event.provenance != "icews" and event.location.precision == "city":
            cells["City"] = event.location.name
    return [cells[column] or NA for column in ICEWS_COLUMNS]


def _na_float(text: str) -> str:
    return _na(float_text("" if text == NA else text))


def _na_country(text: str) -> str:
    return _na(_country_name(country_names().iso3(text) if text != NA else None))


def _actor_cells(actor: Actor, side: str, extra: Mapping[str, str]) -> dict[str, str]:
    sectors = extra.get(f"{side} Sectors", "")
    if _sector(sectors) != actor.sector:  # the stored sectors no longer say this actor's role
        sectors = _sector_name(actor.sector)
    country = pick(extra, f"{side} Country", _na(_country_name(actor.country)), _na_country)
    return {
        f"{side} Name": actor.name or actor.text,
        f"{side} Sectors": sectors,
        f"{side} Country": country,
    }


def _location_cells(location: Location, extra: Mapping[str, str]) -> dict[str, str]:
    country = pick(extra, "Country", _na(_country_name(location.country)), _na_country)
    return {
        "Province": location.adm1 or "",
        "Country": country,
        "Latitude": pick(extra, "Latitude", _na(format_float(location.lat)), _na_float),
        "Longitude": pick(extra, "Longitude", _na(format_float(location.lon)), _na_float),
    }


def _derived(event: StoredEvent) -> dict[str, str]:
    """Cells ICEWS always fills, for events that did not come from ICEWS."""
    try:
        label = load_cameo().label(event.cameo)
    except OntologyError:
        label = ""
    return {"Event Text": label}
