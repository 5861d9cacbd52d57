"""``StoredEvent`` to and from a row of the ``events`` table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any, cast

import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.model import Actor, Location, Range
from dyadwatch.store.records import Provenance, StoredEvent

__all__ = ["STORED_COLUMNS", "STORED_TYPES", "stored_from_row", "stored_row"]

STORED_COLUMNS = (
    "id", "provenance", "external_id", "date",
    "source_code", "source_country", "source_sector", "source_text", "source_name",
    "target_code", "target_country", "target_sector", "target_text", "target_name",
    "cameo", "cameo_root", "goldstein", "quad",
    "location", "lat", "lon", "location_country", "location_adm1",
    "num_mentions", "num_sources", "num_articles", "avg_tone", "source_url",
    "killed_min", "killed_max", "injured_min", "injured_max", "extra",
)  # fmt: skip

STORED_TYPES: dict[str, pa.DataType] = {
    "date": pa.date32(),
    "goldstein": pa.float64(),
    "quad": pa.int32(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "num_mentions": pa.int32(),
    "num_sources": pa.int32(),
    "num_articles": pa.int32(),
    "avg_tone": pa.float64(),
    "killed_min": pa.int32(),
    "killed_max": pa.int32(),
    "injured_min": pa.int32(),
    "injured_max": pa.int32(),
}
"""Arrow types of the non-text columns; JSON columns travel as text."""

_JSON = json.JSONEncoder(sort_keys=True)
"""One encoder for all rows: ``json.dumps`` with options builds a new one per call."""


def _actor_values(actor: Actor | None) -> tuple[object, ...]:
    if actor is None:
        return (None,) * 5
    return (actor.code, actor.country, actor.sector, actor.text, actor.name)


def _place_values(place: Location | None) -> tuple[object, ...]:
    if place is None:
        return (None,) * 5
    text = _JSON.encode(place.to_dict())
    return (text, place.lat, place.lon, place.country, place.adm1)


def _range_values(value: Range | None) -> tuple[object, object]:
    return (None, None) if value is None else (value.min, value.max)


def stored_row(event: StoredEvent) -> tuple[object, ...]:
    """The ``events`` row of ``event``, in :data:`STORED_COLUMNS` order."""
    extra = _JSON.encode(dict(event.extra)) if event.extra else None
    return (
        event.id, event.provenance, event.external_id, event.date,
        *_actor_values(event.source), *_actor_values(event.target),
        event.cameo, event.cameo[:2], event.goldstein, event.quad,
        *_place_values(event.location),
        event.num_mentions, event.num_sources, event.num_articles, event.avg_tone,
        event.source_url, *_range_values(event.killed), *_range_values(event.injured), extra,
    )  # fmt: skip


def _actor(values: Sequence[Any]) -> Actor | None:
    code, country, sector, text, name = values
    if code is None:
        return None
    return Actor(text if text is not None else "", code, country, sector, name)


def _location(text: str | None) -> Location | None:
    if text is None:
        return None
    fields = json.loads(text)
    return Location(**fields)


def _range(low: int | None, high: int | None) -> Range | None:
    return None if low is None or high is None else Range(low, high)


def stored_from_row(row: Sequence[Any]) -> StoredEvent:
    """The ``StoredEvent`` of an ``events`` row read in :data:`STORED_COLUMNS` order."""
    extra = json.loads(row[32]) if row[32] else {}
    return StoredEvent(
        id=row[0],
        provenance=cast(Provenance, row[1]),
        external_id=row[2],
        date=row[3],
        source=_actor(row[4:9]),
        target=_actor(row[9:14]),
        cameo=row[14],
        goldstein=row[16],
        quad=row[17],
        location=_location(row[18]),
        num_mentions=row[23],
        num_sources=row[24],
        num_articles=row[25],
        avg_tone=row[26],
        source_url=row[27],
        killed=_range(row[28], row[29]),
        injured=_range(row[30], row[31]),
        extra=MappingProxyType({str(k): str(v) for k, v in extra.items()}),
    )
