"""PLOVER JSON lines: one event object per line, with the manual's field names.

The record follows the PLOVER data-field tables: ``id``, ``date``, ``actor``
and ``recipient`` (lists of entity objects), ``event``, ``mode``, ``context``,
``quad_code``, ``event_scale``, ``event_loc``, ``cite_info``; it adds the
CAMEO code and the report counts under their own names, and a self-coded
event's ``date_basis`` (``text``, ``anchored`` or ``publication``: how far
``date`` is the event's own) and ``confidence`` (null for imported events). The PLOVER type,
mode and context come from :func:`dyadwatch.ontology.plover.load_plover`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TextIO

from dyadwatch.errors import OntologyError
from dyadwatch.model import Actor, Location, PloverCode, Range
from dyadwatch.ontology.plover import load_plover
from dyadwatch.store.records import StoredEvent

__all__ = ["plover_record", "write_plover"]

_RESOLUTION: Mapping[str, int] = MappingProxyType({"country": 1, "adm1": 2, "city": 4})
"""PLOVER location resolution: 1 country, 2 province, 3 district, 4 city, 5 sub-city."""


def write_plover(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write one PLOVER JSON object per line; returns the number of events."""
    count = 0
    for event in events:
        out.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count


def plover_record(event: StoredEvent) -> dict[str, object]:
    """The PLOVER JSON object of ``event`` (``event`` is empty for a code PLOVER lacks)."""
    plover = _plover(event.cameo)
    record: dict[str, object] = {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "actor": [_entity(event.source)] if event.source else [],
        "recipient": [_entity(event.target)] if event.target else [],
        "event": [plover.type] if plover else [],
        "mode": [plover.mode] if plover and plover.mode else [],
        "context": list(plover.context) if plover else [],
        "quad_code": event.quad,
        "event_scale": event.goldstein,
        "event_loc": _place(event.location) if event.location else None,
        "cite_info": {"corpus": event.provenance, "url": event.source_url},
        "cameo": event.cameo,
        "num_mentions": event.num_mentions,
        "num_sources": event.num_sources,
        "num_articles": event.num_articles,
        "date_basis": event.extra.get("date_basis"),
        "confidence": _number(event.extra.get("confidence")),
    }
    size = {k: _range(v) for k, v in (("dead", event.killed), ("injured", event.injured)) if v}
    if size:
        record["size"] = size
    return record


def _number(text: str | None) -> float | None:
    return float(text) if text is not None else None


def _plover(cameo: str) -> PloverCode | None:
    try:
        return load_plover().map(cameo)
    except OntologyError:
        return None


def _entity(actor: Actor) -> dict[str, object]:
    # PLOVER's "code" is the top-level entity (a country); the CAMEO code rides along.
    return {
        "code": actor.country,
        "sector": actor.sector,
        "entity_text": actor.text,
        "identifier_text": actor.name,
        "cameo_code": actor.code,
    }


def _place(location: Location) -> dict[str, object]:
    return {
        "resolved_place": location.name,
        "lat": location.lat,
        "lon": location.lon,
        "province": location.adm1,
        "country_code": location.country,
        "geonameid": location.geonames_id,
        "resolution": _RESOLUTION[location.precision],
    }


def _range(value: Range) -> int | dict[str, int]:
    return value.min if value.min == value.max else value.to_dict()
