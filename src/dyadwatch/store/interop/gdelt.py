"""GDELT event files (1.0: 57/58 columns, 2.0: 61 columns) ↔ :class:`StoredEvent`.

Reading maps the columns dyadwatch models (see docs/INTEROP.md) onto the
event and keeps every other non-empty cell verbatim in ``extra``; writing
reverses that, so an imported row exports to the same bytes. Events of other
provenances get GDELT columns derived from their fields.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TextIO

from dyadwatch.errors import ErrorRecord
from dyadwatch.model import Actor, Location
from dyadwatch.store.interop._columns import GDELT1_EVENT_COLUMNS, GDELT2_EVENT_COLUMNS
from dyadwatch.store.interop._lines import bad_row, tab_lines
from dyadwatch.store.interop._tables import fips_table
from dyadwatch.store.interop._values import (
    BadValue,
    float_text,
    format_float,
    format_scale,
    keep_raw,
    parse_float,
    parse_int,
    parse_yyyymmdd,
    pick,
    scale_text,
)
from dyadwatch.store.records import Provenance, StoredEvent

__all__ = [
    "GdeltVersion",
    "gdelt_row",
    "parse_gdelt_event",
    "read_gdelt_events",
    "write_gdelt",
]

GdeltVersion = Literal[1, 2]

FORMAT = "GDELT event"
SHORT_ROW = "gdelt:fields"
"""``extra`` key marking a 1.0 backfile row that had 57 fields (no SOURCEURL)."""

_PRECISION: Mapping[str, Literal["country", "adm1", "city"]] = MappingProxyType(
    {"1": "country", "2": "adm1", "3": "city", "4": "city", "5": "adm1"}
)
"""ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""

_ACTOR_PARTS = ("Code", "Name", "CountryCode", "Type1Code")
_GEO_PARTS = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long")
_ALWAYS_MODELLED = frozenset(
    {
        "GLOBALEVENTID", "SQLDATE", "EventCode", "QuadClass", "GoldsteinScale",
        "NumMentions", "NumSources", "NumArticles", "AvgTone", "SOURCEURL",
    }
)  # fmt: skip


# Reading


def read_gdelt_events(path: Path | str) -> Iterator[StoredEvent | ErrorRecord]:
    """Each row of a GDELT 1.0 or 2.0 event file, in order; a bad row as a DW112 record.

    1.0 rows (57 or 58 fields) get provenance ``gdelt1``, 2.0 rows (61) ``gdelt2``;
    both may share a file. Raises InputError DW108 when the file cannot be read.
    """
    source = Path(path)
    for item in tab_lines(source, FORMAT):
        if isinstance(item, ErrorRecord):
            yield item
            continue
        number, fields = item
        try:
            yield parse_gdelt_event(fields)
        except BadValue as exc:
            yield bad_row(source, number, FORMAT, str(exc))


def parse_gdelt_event(fields: list[str]) -> StoredEvent:
    """One event row, split on tabs. Raises BadValue (a ValueError) saying what is wrong."""
    row, provenance = _named(fields)
    extra = {c: v for c, v in row.items() if v and c not in _ALWAYS_MODELLED}
    if len(fields) == 57:
        extra[SHORT_ROW] = "57"
    external_id = row["GLOBALEVENTID"]
    if not (external_id.isascii() and external_id.isdigit()):
        raise BadValue(f"GLOBALEVENTID {external_id!r} is not a number")
    cameo = row["EventCode"]
    if not (cameo.isascii() and cameo.isdigit() and 2 <= len(cameo) <= 4):
        raise BadValue(f"EventCode {cameo!r} is not a CAMEO event code")
    return StoredEvent(
        id=f"{provenance}:{external_id}",
        provenance=provenance,
        date=parse_yyyymmdd(row["SQLDATE"], "SQLDATE"),
        source=_actor(row, 1, extra),
        target=_actor(row, 2, extra),
        cameo=cameo,
        goldstein=_scale(row, extra),
        quad=_quad(row, extra),
        external_id=external_id,
        location=_location(row, extra),
        num_mentions=_int(row, "NumMentions", extra),
        num_sources=_int(row, "NumSources", extra),
        num_articles=_int(row, "NumArticles", extra),
        avg_tone=_float(row, "AvgTone", extra),
        source_url=row.get("SOURCEURL") or None,
        extra=MappingProxyType(extra),
    )


def _named(fields: list[str]) -> tuple[dict[str, str], Provenance]:
    count = len(fields)
    if count == len(GDELT2_EVENT_COLUMNS):
        return dict(zip(GDELT2_EVENT_COLUMNS, fields, strict=True)), "gdelt2"
    if count in (57, 58):
        return dict(zip(GDELT1_EVENT_COLUMNS, fields, strict=False)), "gdelt1"
    raise BadValue(f"expected 57, 58 or 61 tab-separated fields, got {count}")


def _int(row: Mapping[str, str], column: str, extra: dict[str, str]) -> int:
    value = parse_int(row[column], column)
    keep_raw(extra, column, row[column], str(value))
    return value


def _float(row: Mapping[str, str], column: str, extra: dict[str, str]) -> float | None:
    value = parse_float(row[column], column)
    keep_raw(extra, column, row[column], format_float(value))
    return value


def _scale(row: Mapping[str, str], extra: dict[str, str]) -> float | None:
    value = parse_float(row["GoldsteinScale"], "GoldsteinScale")
    keep_raw(extra, "GoldsteinScale", row["GoldsteinScale"], format_scale(value))
    return value


def _quad(row: Mapping[str, str], extra: dict[str, str]) -> int | None:
    text = row["QuadClass"]
    if not text:
        return None
    value = parse_int(text, "QuadClass")
    if not 1 <= value <= 4:
        raise BadValue(f"QuadClass {text!r} is not 1, 2, 3 or 4")
    keep_raw(extra, "QuadClass", text, str(value))
    return value


def _actor(row: Mapping[str, str], n: int, extra: dict[str, str]) -> Actor | None:
    code, name, country, sector = (row[f"Actor{n}{part}"] for part in _ACTOR_PARTS)
    if not (code or name or country or sector):
        return None
    for part in _ACTOR_PARTS:
        extra.pop(f"Actor{n}{part}", None)
    return Actor(
        text=name, code=code, country=country or None, sector=sector or None, name=name or None
    )


def _location(row: Mapping[str, str], extra: dict[str, str]) -> Location | None:
    kind = row["ActionGeo_Type"]
    precision = _PRECISION.get(kind)
    if precision is None:  # 0 or empty: GDELT found no place; its cells stay in extra
        return None
    fips = row["ActionGeo_CountryCode"]
    country = fips_table().forward.get(fips) or None
    location = Location(
        name=row["ActionGeo_FullName"],
        country=country,
        adm1=row["ActionGeo_ADM1Code"] or None,
        lat=parse_float(row["ActionGeo_Lat"], "ActionGeo_Lat"),
        lon=parse_float(row["ActionGeo_Long"], "ActionGeo_Long"),
        precision=precision,
    )
    for part in _GEO_PARTS:
        extra.pop(f"ActionGeo_{part}", None)
    keep_raw(extra, "ActionGeo_Type", kind, _geo_type(location))
    keep_raw(extra, "ActionGeo_CountryCode", fips, _fips(country))
    keep_raw(extra, "ActionGeo_Lat", row["ActionGeo_Lat"], format_float(location.lat))
    keep_raw(extra, "ActionGeo_Long", row["ActionGeo_Long"], format_float(location.lon))
    return location


def _geo_type(location: Location) -> str:
    us = location.country == "USA"
    if location.precision == "country":
        return "1"
    if location.precision == "adm1":
        return "2" if us else "5"
    return "3" if us else "4"


def _fips(iso3: str | None) -> str:
    return fips_table().backward.get(iso3, "") if iso3 else ""


# Writing


def write_gdelt(events: Iterable[StoredEvent], out: TextIO, *, version: GdeltVersion = 2) -> int:
    """Write events as GDELT ``version`` rows (tab-separated, no header); returns the count."""
    count = 0
    for event in events:
        out.write("\t".join(gdelt_row(event, version=version)) + "\n")
        count += 1
    return count


def gdelt_row(event: StoredEvent, *, version: GdeltVersion = 2) -> list[str]:
    """The cells of ``event`` in the column order of GDELT ``version``."""
    columns = GDELT2_EVENT_COLUMNS if version == 2 else GDELT1_EVENT_COLUMNS
    extra = event.extra
    cells = {column: extra.get(column, "") for column in columns}
    if not event.provenance.startswith("gdelt"):
        cells.update(_derived(event, version))
    cells.update(_event_cells(event))
    if event.source is not None:
        cells.update(_actor_cells(event.source, 1))
    if event.target is not None:
        cells.update(_actor_cells(event.target, 2))
    if event.location is not None:
        cells.update(_location_cells(event.location, extra))
    row = [cells[column] for column in columns]
    if version == 1 and extra.get(SHORT_ROW) and not event.source_url:
        return row[:57]
    return row


def _event_cells(event: StoredEvent) -> dict[str, str]:
    extra = event.extra
    return {
        "GLOBALEVENTID": _global_id(event),
        "SQLDATE": event.date.strftime("%Y%m%d") if event.date else "",
        "EventCode": event.cameo,
        "QuadClass": pick(extra, "QuadClass", _opt_int(event.quad), lambda t: str(int(t))),
        "GoldsteinScale": pick(extra, "GoldsteinScale", format_scale(event.goldstein), scale_text),
        "NumMentions": pick(extra, "NumMentions", str(event.num_mentions), lambda t: str(int(t))),
        "NumSources": pick(extra, "NumSources", str(event.num_sources), lambda t: str(int(t))),
        "NumArticles": pick(extra, "NumArticles", str(event.num_articles), lambda t: str(int(t))),
        "AvgTone": pick(extra, "AvgTone", format_float(event.avg_tone), float_text),
        "SOURCEURL": event.source_url or "",
    }


def _opt_int(value: int | None) -> str:
    return "" if value is None else str(value)


def _global_id(event: StoredEvent) -> str:
    if event.external_id and event.external_id.isdigit():
        return event.external_id
    # GDELT ids are integers: a stable 60-bit number from our id stands in.
    return str(int(hashlib.sha256(event.id.encode("utf-8")).hexdigest()[:15], 16))


def _actor_cells(actor: Actor, n: int) -> dict[str, str]:
    return {
        f"Actor{n}Code": actor.code,
        f"Actor{n}Name": actor.name or actor.text,
        f"Actor{n}CountryCode": actor.country or "",
        f"Actor{n}Type1Code": actor.sector or "",
    }


def _location_cells(location: Location, extra: Mapping[str, str]) -> dict[str, str]:
    def fips_of(text: str) -> str:
        return _fips(fips_table().forward.get(text) or None)

    def type_of(text: str) -> str:
        precision = _PRECISION.get(text)
        if precision is None:
            raise ValueError(text)
        return _geo_type(Location(name="", country=location.country, precision=precision))

    return {
        "ActionGeo_Type": pick(extra, "ActionGeo_Type", _geo_type(location), type_of),
        "ActionGeo_FullName": location.name,
        "ActionGeo_CountryCode": pick(
            extra, "ActionGeo_CountryCode", _fips(location.country), fips_of
        ),
        "ActionGeo_ADM1Code": location.adm1 or "",
        "ActionGeo_Lat": pick(extra, "ActionGeo_Lat", format_float(location.lat), float_text),
        "ActionGeo_Long": pick(extra, "ActionGeo_Long", format_float(location.lon), float_text),
    }


def _derived(event: StoredEvent, version: GdeltVersion) -> dict[str, str]:
    """Cells GDELT always fills, for events that did not come from GDELT."""
    cells = {
        "IsRootEvent": "0",
        "EventBaseCode": event.cameo[:3],
        "EventRootCode": event.cameo[:2],
    }
    if event.date is not None:
        cells.update(_date_cells(event.date, version))
    return cells


def _date_cells(day: dt.date, version: GdeltVersion) -> dict[str, str]:
    # GDELT's FractionDate counts 30-day months: YYYY + ((month-1)*30 + day)/365.
    fraction = day.year + ((day.month - 1) * 30 + day.day) / 365
    added = day.strftime("%Y%m%d") + ("000000" if version == 2 else "")
    return {
        "MonthYear": day.strftime("%Y%m"),
        "Year": str(day.year),
        "FractionDate": f"{fraction:.4f}",
        "DATEADDED": added,
    }
