"""Shards: deterministic slices of the input, and their Parquet output.

Items (documents and reader errors) are numbered by input order and cut into
shards of ``size`` items, so the same inputs and size always give the same
shards. A coded shard is written as three Parquet files::

    OUT/documents/part-000042.parquet   one row per coded document
    OUT/mentions/part-000042.parquet    one row per event mention
    OUT/errors/part-000042.parquet      one row per failed item

each first to a ``.tmp`` name of its writer's own, then renamed, so a reader
(or a resumed run) never sees half a file, and two writers of one shard (a
retried task) never share a temporary file. The Arrow tables are built where
the shard was coded (:class:`ShardTables`), so the process that collects the
results only writes them, or, when the workers wrote them (a
:class:`Destination` they can see), only checks them off.

Every shard has all three files, empty or not, so
``read_parquet('OUT/mentions/*.parquet')`` always works. Mention columns are
the store's ``event_mentions`` columns (JSON text for location, size and
evidence) plus ``position``, the document's input number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from dyadwatch._iterate import chunks
from dyadwatch.batch.inputs import Item
from dyadwatch.errors import ErrorRecord
from dyadwatch.model import (
    Actor,
    Coding,
    Document,
    Event,
    Evidence,
    IncidentMention,
    Location,
    Modality,
    PloverCode,
    Range,
    Size,
)

__all__ = [
    "DOCUMENT_SCHEMA",
    "ERROR_SCHEMA",
    "MENTION_SCHEMA",
    "TABLES",
    "Destination",
    "Shard",
    "ShardOutput",
    "ShardResult",
    "ShardTables",
    "count_rows",
    "deliver",
    "event_from_row",
    "event_row",
    "iter_shards",
    "read_shard",
    "shard_file",
]

TABLES = ("documents", "mentions", "errors")

DOCUMENT_SCHEMA = pa.schema(
    [
        ("position", pa.int64()),
        ("id", pa.string()),
        ("text", pa.string()),
        ("date", pa.date32()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("publisher", pa.string()),
        ("origin", pa.string()),
        ("events", pa.int32()),
    ]
)

_ACTOR_FIELDS = ("code", "country", "sector", "text", "name")

MENTION_SCHEMA = pa.schema(
    [
        ("position", pa.int64()),
        ("id", pa.string()),
        ("doc_id", pa.string()),
        ("sentence_index", pa.int32()),
        ("sentence", pa.string()),
        ("date", pa.date32()),
        ("date_precision", pa.string()),
        ("date_from", pa.date32()),
        ("date_to", pa.date32()),
        *((f"source_{f}", pa.string()) for f in _ACTOR_FIELDS),
        *((f"target_{f}", pa.string()) for f in _ACTOR_FIELDS),
        ("cameo", pa.string()),
        ("cameo_root", pa.string()),
        ("goldstein", pa.float64()),
        ("quad", pa.int32()),
        ("plover_type", pa.string()),
        ("plover_mode", pa.string()),
        ("plover_context", pa.list_(pa.string())),
        ("negated", pa.bool_()),
        ("hypothetical", pa.bool_()),
        ("reported", pa.bool_()),
        ("location", pa.string()),
        ("size", pa.string()),
        ("evidence", pa.string()),
        ("confidence", pa.float64()),
        ("mentions", pa.string()),
        ("alternatives", pa.string()),
    ]
)

ERROR_SCHEMA = pa.schema(
    [
        ("position", pa.int64()),
        ("code", pa.string()),
        ("message", pa.string()),
        ("path", pa.string()),
        ("line", pa.int64()),
        ("doc_id", pa.string()),
    ]
)

_SCHEMAS = {"documents": DOCUMENT_SCHEMA, "mentions": MENTION_SCHEMA, "errors": ERROR_SCHEMA}


@dataclass(frozen=True, slots=True)
class Shard:
    """Items ``start`` … ``start + len(items) - 1`` of the input, as shard ``index``."""

    index: int
    start: int
    items: tuple[Item, ...]

    def positioned(self) -> Iterator[tuple[int, Item]]:
        return enumerate(self.items, self.start)


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What coding a shard gave: coded documents with their events, and errors."""

    index: int
    coded: tuple[tuple[int, Document, tuple[Event, ...]], ...]
    errors: tuple[tuple[int, ErrorRecord], ...]

    @property
    def events(self) -> int:
        return sum(len(events) for _, _, events in self.coded)

    @classmethod
    def merged(cls, index: int, parts: Iterable[ShardResult]) -> ShardResult:
        """One result from results over parts of shard ``index``, in input order."""
        parts = list(parts)
        coded = sorted((c for p in parts for c in p.coded), key=lambda c: c[0])
        errors = sorted((e for p in parts for e in p.errors), key=lambda e: e[0])
        return cls(index, tuple(coded), tuple(errors))


def iter_shards(items: Iterable[Item], size: int) -> Iterator[Shard]:
    """Cut ``items`` into shards of ``size`` (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"shard size must be at least 1, not {size}")
    for index, batch in enumerate(chunks(items, size)):
        yield Shard(index, index * size, tuple(batch))


def shard_file(out: Path, table: str, index: int) -> Path:
    return out / table / f"part-{index:06d}.parquet"


@dataclass(frozen=True, slots=True)
class ShardTables:
    """The three Arrow tables of a coded shard, as they are written."""

    index: int
    documents: pa.Table
    mentions: pa.Table
    errors: pa.Table

    @classmethod
    def of(cls, result: ShardResult) -> ShardTables:
        rows = {
            "documents": [_document_row(p, d, len(e)) for p, d, e in result.coded],
            "mentions": [event_row(ev, p) for p, _, events in result.coded for ev in events],
            "errors": [_error_row(p, e) for p, e in result.errors],
        }
        return cls(
            result.index,
            *(pa.Table.from_pylist(rows[table], schema=_SCHEMAS[table]) for table in TABLES),
        )

    def counts(self) -> ShardOutput:
        """What the tables hold, without the tables."""
        return ShardOutput(
            self.index, self.documents.num_rows, self.mentions.num_rows, self.errors.num_rows
        )

    def write(self, out: Path) -> ShardOutput:
        """Write the three files atomically (each via a temp file of its own and a rename)."""
        for table, frame in zip(TABLES, (self.documents, self.mentions, self.errors), strict=True):
            target = shard_file(out, table, self.index)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f"{target.name}.{os.getpid()}-{uuid.uuid4().hex}.tmp")
            pq.write_table(frame, temporary)
            temporary.replace(target)
        return self.counts()


@dataclass(frozen=True, slots=True)
class ShardOutput:
    """A finished shard: its row counts, and its tables when they are still to be written.

    ``tables`` is None once the shard's files are written (by a worker that
    could see the output folder).
    """

    index: int
    documents: int
    events: int
    errors: int
    tables: ShardTables | None = None

    @property
    def items(self) -> int:
        return self.documents + self.errors


WRITERS_TOKEN = "_writers"
"""The file of the output folder that holds the current run's :class:`Destination` token."""


@dataclass(frozen=True, slots=True)
class Destination:
    """An output folder, and the token that proves a worker sees the driver's folder.

    A worker on another machine may have no such path, or a different folder
    under the same name: writing there would lose the shard. The driver puts
    ``token`` in ``folder/_writers``; a worker writes only where it reads that
    token back, and otherwise returns the tables for the driver to write.
    """

    folder: str
    token: str

    @classmethod
    def create(cls, out: Path) -> Destination:
        token = uuid.uuid4().hex
        (out / WRITERS_TOKEN).write_text(token, encoding="utf-8")
        return cls(str(out), token)

    def reachable(self) -> bool:
        try:
            found = (Path(self.folder) / WRITERS_TOKEN).read_text(encoding="utf-8")
        except OSError:
            return False
        return found == self.token

    def remove(self) -> None:
        """Take the token away (the run is over): no worker writes here any more."""
        (Path(self.folder) / WRITERS_TOKEN).unlink(missing_ok=True)


def deliver(result: ShardResult, destination: Destination | None) -> ShardOutput:
    """The tables of ``result``, written to ``destination`` if this process sees it,
    else handed back to be written by one that does."""
    tables = ShardTables.of(result)
    if destination is not None and destination.reachable():
        return tables.write(Path(destination.folder))
    return dataclasses.replace(tables.counts(), tables=tables)


def count_rows(out: Path, table: str, index: int) -> int:
    """Rows of one shard file, from its footer (nothing else is read)."""
    return int(pq.read_metadata(shard_file(out, table, index)).num_rows)


def read_shard(out: Path, index: int) -> ShardResult:
    """The result of shard ``index`` read back from its files."""
    tables = {t: pq.read_table(shard_file(out, t, index)).to_pylist() for t in TABLES}
    events: dict[int, list[Event]] = {}
    for row in tables["mentions"]:
        events.setdefault(row["position"], []).append(event_from_row(row))
    coded = tuple(
        (row["position"], _document(row), tuple(events.get(row["position"], ())))
        for row in tables["documents"]
    )
    errors = tuple((row["position"], _error(row)) for row in tables["errors"])
    return ShardResult(index, coded, errors)


def _document_row(position: int, doc: Document, events: int) -> dict[str, object]:
    return {
        "position": position, "id": doc.id, "text": doc.text, "date": doc.date, "url": doc.url,
        "title": doc.title, "publisher": doc.publisher, "origin": doc.origin, "events": events,
    }  # fmt: skip


def _document(row: Mapping[str, Any]) -> Document:
    return Document(
        row["id"], row["text"], row["date"], row["url"], row["title"], row["publisher"],
        row["origin"],
    )  # fmt: skip


def _error_row(position: int, error: ErrorRecord) -> dict[str, object]:
    return {"position": position, **error.to_dict()}


def _error(row: Mapping[str, Any]) -> ErrorRecord:
    return ErrorRecord(row["code"], row["message"], row["path"], row["line"], row["doc_id"])


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _actor_columns(side: str, actor: Actor | None) -> dict[str, object]:
    return {f"{side}_{f}": getattr(actor, f) if actor else None for f in _ACTOR_FIELDS}


def event_row(event: Event, position: int) -> dict[str, object]:
    """The mention row of ``event``, whose document is input item ``position``."""
    plover = event.plover
    return {
        "position": position, "id": event.id, "doc_id": event.doc_id,
        "sentence_index": event.sentence_index, "sentence": event.sentence,
        "date": event.date, "date_precision": event.date_precision,
        "date_from": event.date_range[0] if event.date_range else None,
        "date_to": event.date_range[1] if event.date_range else None,
        **_actor_columns("source", event.source), **_actor_columns("target", event.target),
        "cameo": event.cameo, "cameo_root": event.cameo_root,
        "goldstein": event.goldstein, "quad": event.quad,
        "plover_type": plover.type if plover else None,
        "plover_mode": plover.mode if plover else None,
        "plover_context": list(plover.context) if plover else None,
        "negated": event.modality.negated, "hypothetical": event.modality.hypothetical,
        "reported": event.modality.reported,
        "location": _json(event.location.to_dict() if event.location else None),
        "size": _json(event.size.to_dict() if event.size else None),
        "evidence": _json(event.evidence.to_dict()),
        "confidence": event.confidence,
        "mentions": _json([m.to_dict() for m in event.mentions]),
        "alternatives": _json([a.to_dict() for a in event.alternatives]),
    }  # fmt: skip


def event_from_row(row: Mapping[str, Any]) -> Event:
    """The Event of a mention row (the inverse of :func:`event_row`)."""
    evidence = json.loads(row["evidence"])
    return Event(
        id=row["id"],
        doc_id=row["doc_id"],
        sentence_index=row["sentence_index"],
        sentence=row["sentence"],
        source=_actor(row, "source") or Actor("", "---"),
        target=_actor(row, "target"),
        cameo=row["cameo"],
        goldstein=row["goldstein"],
        quad=row["quad"],
        plover=_plover(row),
        evidence=Evidence(
            _span(evidence["trigger"]) or (0, 0),
            _span(evidence["source"]),
            _span(evidence["target"]),
        ),
        modality=Modality(row["negated"], row["hypothetical"], row["reported"]),
        date=row["date"],
        date_precision=row["date_precision"],
        date_range=_range(row["date_from"], row["date_to"]),
        location=Location(**json.loads(row["location"])) if row["location"] else None,
        size=_size(row["size"]),
        confidence=row["confidence"],
        mentions=_mentions(row.get("mentions")),
        alternatives=_alternatives(row.get("alternatives")),
    )


def _mentions(text: str | None) -> tuple[IncidentMention, ...]:
    items = json.loads(text) if text else []
    return tuple(IncidentMention(m["sentence_index"], _span(m["trigger"]) or (0, 0)) for m in items)


def _alternatives(text: str | None) -> tuple[Coding, ...]:
    items = json.loads(text) if text else []
    return tuple(
        Coding(a["sentence_index"], _span(a["trigger"]) or (0, 0), a["source"], a["target"],
               a["cameo"])
        for a in items
    )  # fmt: skip


def _actor(row: Mapping[str, Any], side: str) -> Actor | None:
    if row[f"{side}_code"] is None:
        return None
    values = {f: row[f"{side}_{f}"] for f in _ACTOR_FIELDS}
    return Actor(
        values["text"], values["code"], values["country"], values["sector"], values["name"]
    )


def _plover(row: Mapping[str, Any]) -> PloverCode | None:
    if row["plover_type"] is None:
        return None
    return PloverCode(row["plover_type"], row["plover_mode"], tuple(row["plover_context"] or ()))


def _span(value: Sequence[int] | None) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


def _range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    return (start, end) if start is not None and end is not None else None


def _bounds(value: Mapping[str, int] | None) -> Range | None:
    return Range(value["min"], value["max"]) if value else None


def _size(text: str | None) -> Size | None:
    if text is None:
        return None
    parts = json.loads(text)
    return Size(
        *(_bounds(parts.get(k)) for k in ("killed", "injured", "arrested", "civilians", "children"))
    )
