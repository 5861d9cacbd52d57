"""The one declaration of the store's tables: every column once, in table order.

Each :class:`Column` says its DuckDB type, whether it may be null, the
migration (schema version) that added it, and where its value lives in the
record it stores (``path``: attribute names from the record, so
``("source", "code")`` is ``event.source.code``). Everything else is derived
from these tables: the DDL of the migrations (:meth:`Table.create`,
:meth:`Table.added_in`), the Arrow types and schemas (store inserts, batch
shards, Parquet exports), the row conversions (:mod:`dyadwatch.store.rows`)
and the fields of the API's response models.

Adding a column is one line here with ``added=`` the next schema version (see
docs/STORE.md, "Adding a column"); the migrations pick it up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

import pyarrow as pa  # type: ignore[import-untyped]

__all__ = [
    "CHANGELOG_TABLES",
    "DOCUMENTS",
    "DYAD_DAYS",
    "ERRORS",
    "EVENTS",
    "EVENT_FILE",
    "EVENT_LINKS",
    "GDELT_MENTIONS",
    "MENTIONS",
    "READSIDE_LOG",
    "ROLLUP_TABLES",
    "TABLES",
    "WATCH_ALERTS",
    "WATCH_ARTICLES",
    "WATCH_CYCLES",
    "WATCH_FEEDS",
    "WATCH_HTTP",
    "WATCH_TABLES",
    "Column",
    "ColumnType",
    "Role",
    "Table",
]

ColumnType = Literal[
    "VARCHAR", "DATE", "TIMESTAMP", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "JSON",
    "VARCHAR[]", "MAP(VARCHAR, VARCHAR)",
]  # fmt: skip
"""The DuckDB types we use; ``MAP`` only in files (Parquet), never in a table."""

Role = Literal["field", "derived", "store", "default"]
"""Where a column's value comes from.

``field``: the record, at ``path``, and read back into it. ``derived``: the
record too, but only as a copy kept for SQL (``lat`` beside the ``location``
JSON); never read back. ``store``: the store computes it (a text hash, a time
stamp). ``default``: the column's SQL default fills it.
"""

_ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "JSON": pa.string(),  # JSON travels as text
    "VARCHAR[]": pa.list_(pa.string()),
    "MAP(VARCHAR, VARCHAR)": pa.map_(pa.string(), pa.string()),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, type and the place of its value in the stored record."""

    name: str
    type: ColumnType
    required: bool = False
    """NOT NULL."""
    path: tuple[str, ...] = ()
    """Attribute path in the record; empty means ``(name,)``."""
    role: Role = "field"
    default: str | None = None
    """SQL text of the column's default, if any."""
    added: int = 1
    """The schema version (migration) that added the column."""

    @property
    def where(self) -> tuple[str, ...]:
        """The attribute path of the value in the record."""
        return self.path or (self.name,)

    @property
    def arrow(self) -> pa.DataType:
        return _ARROW[self.type]

    @property
    def written(self) -> bool:
        """Whether the record supplies the value (``field`` and ``derived`` columns)."""
        return self.role in ("field", "derived")

    def ddl(self, key: bool = False) -> str:
        """The column's clause in CREATE TABLE (``key``: it alone is the primary key)."""
        text = f"{self.name} {self.type}"
        if key:
            return text + " PRIMARY KEY"
        if self.required:
            text += " NOT NULL"
        if self.default is not None:
            text += f" DEFAULT {self.default}"
        return text


@dataclass(frozen=True, slots=True)
class Table:
    """A table's columns in order, and its primary key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    created: int = 1
    """The version of its migration set that created the table."""

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __getitem__(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def written(self) -> tuple[Column, ...]:
        """The columns whose values come from the record, in table order."""
        return tuple(c for c in self.columns if c.written)

    @property
    def types(self) -> dict[str, pa.DataType]:
        """Arrow type by column name."""
        return {c.name: c.arrow for c in self.columns}

    def schema(self, columns: Iterable[Column] | None = None) -> pa.Schema:
        """The Arrow schema of ``columns`` (all by default)."""
        chosen = self.columns if columns is None else tuple(columns)
        return pa.schema([(c.name, c.arrow) for c in chosen])

    def create(self, version: int, *, name: str | None = None, if_missing: bool = False) -> str:
        """CREATE TABLE text of the table as it stood at schema ``version``.

        ``if_missing`` adopts a table of that name made before its migration set
        existed (IF NOT EXISTS).
        """
        single = self.key[0] if len(self.key) == 1 else None
        clauses = [c.ddl(c.name == single) for c in self.columns if c.added <= version]
        if len(self.key) > 1:
            clauses.append(f"PRIMARY KEY ({', '.join(self.key)})")
        body = ",\n    ".join(clauses)
        verb = "CREATE TABLE IF NOT EXISTS" if if_missing else "CREATE TABLE"
        return f"{verb} {name or self.name} (\n    {body}\n)"

    def added_in(self, version: int) -> tuple[str, ...]:
        """ALTER TABLE statements for the columns that schema ``version`` adds.

        None for the version that created the table: its CREATE has them.
        """
        if version <= self.created:
            return ()
        return tuple(
            f"ALTER TABLE {self.name} ADD COLUMN {c.ddl()}"
            for c in self.columns
            if c.added == version
        )


def _actor(side: str, *, required: bool = False) -> tuple[Column, ...]:
    """The five columns of an actor: code, country, sector, text and name."""
    parts: tuple[tuple[str, bool], ...] = (
        ("code", required), ("country", False), ("sector", False), ("text", required),
        ("name", False),
    )  # fmt: skip
    return tuple(Column(f"{side}_{part}", "VARCHAR", need, (side, part)) for part, need in parts)


def _range(kind: str) -> tuple[Column, ...]:
    return tuple(Column(f"{kind}_{end}", "INTEGER", path=(kind, end)) for end in ("min", "max"))


DOCUMENTS = Table(
    "documents",
    (
        Column("id", "VARCHAR", True),
        Column("text", "VARCHAR", True),
        Column("date", "DATE"),
        Column("url", "VARCHAR"),
        Column("title", "VARCHAR"),
        Column("publisher", "VARCHAR"),
        Column("origin", "VARCHAR"),
        Column("content_hash", "VARCHAR", True, role="store"),
        Column("ingested_at", "TIMESTAMP", True, role="store"),
    ),
    key=("id",),
)
"""Documents as ingested (a :class:`~dyadwatch.model.Document` per row)."""

MENTIONS = Table(
    "event_mentions",
    (
        Column("id", "VARCHAR", True),
        Column("doc_id", "VARCHAR", True),
        Column("sentence_index", "INTEGER", True),
        Column("sentence", "VARCHAR", True),
        Column("date", "DATE"),
        Column("date_precision", "VARCHAR"),
        Column("date_from", "DATE", path=("date_range", "0")),
        Column("date_to", "DATE", path=("date_range", "1")),
        *_actor("source", required=True),
        *_actor("target"),
        Column("cameo", "VARCHAR", True),
        Column("cameo_root", "VARCHAR", True, role="derived"),
        Column("goldstein", "DOUBLE"),
        Column("quad", "INTEGER"),
        Column("plover_type", "VARCHAR", path=("plover", "type")),
        Column("plover_mode", "VARCHAR", path=("plover", "mode")),
        Column("plover_context", "VARCHAR[]", path=("plover", "context")),
        Column("negated", "BOOLEAN", True, ("modality", "negated")),
        Column("hypothetical", "BOOLEAN", True, ("modality", "hypothetical")),
        Column("reported", "BOOLEAN", True, ("modality", "reported")),
        Column("location", "JSON"),
        Column("size", "JSON"),
        Column("evidence", "JSON", True),
        Column("confidence", "DOUBLE", True),
        Column("provenance", "VARCHAR", True, role="default", default="'dyadwatch'"),
        # Added columns go last: an upgraded store appends them.
        Column("doc_url", "VARCHAR", added=4),
        Column("date_basis", "VARCHAR", added=4),
        Column("rule", "VARCHAR", added=4),
        Column("next_type", "VARCHAR", added=4),
        Column("next_type_probability", "DOUBLE", added=4),
        Column("mentions", "JSON", added=4),
        Column("alternatives", "JSON", added=4),
        Column("place_basis", "VARCHAR", added=5),
    ),
    key=("id",),
)
"""Event mentions: one :class:`~dyadwatch.model.Event` (a coded sentence) per row."""

EVENTS = Table(
    "events",
    (
        Column("id", "VARCHAR", True),
        Column("provenance", "VARCHAR", True),
        Column("external_id", "VARCHAR"),
        Column("date", "DATE"),
        *_actor("source"),
        *_actor("target"),
        Column("cameo", "VARCHAR", True),
        Column("cameo_root", "VARCHAR", True, role="derived"),
        Column("goldstein", "DOUBLE"),
        Column("quad", "INTEGER"),
        Column("location", "JSON"),
        Column("lat", "DOUBLE", path=("location", "lat"), role="derived"),
        Column("lon", "DOUBLE", path=("location", "lon"), role="derived"),
        Column("location_country", "VARCHAR", path=("location", "country"), role="derived"),
        Column("location_adm1", "VARCHAR", path=("location", "adm1"), role="derived"),
        Column("num_mentions", "INTEGER", True),
        Column("num_sources", "INTEGER", True),
        Column("num_articles", "INTEGER", True),
        Column("avg_tone", "DOUBLE"),
        Column("source_url", "VARCHAR"),
        *_range("killed"),
        *_range("injured"),
        Column("extra", "JSON"),
    ),
    key=("id",),
    created=2,
)
"""Deduplicated events: one :class:`~dyadwatch.store.StoredEvent` per row."""

_PLACE_NAMES = {"name": "location_name", "precision": "location_precision"}
"""File names of the location parts that the ``events`` table keeps only in its JSON."""


def _file_columns(table: Table) -> Iterator[Column]:
    """``table``'s columns as a file keeps them: the location spread, ``extra`` a map."""
    for column in table.written:
        if column.role == "derived" and column.where[0] == "location":
            continue  # spread below, in the Location's own field order
        if column.name == "location":
            yield from _place_columns(table)
        elif column.name == "extra":
            yield replace(column, type="MAP(VARCHAR, VARCHAR)")
        else:
            yield replace(column, role="field")


def _place_columns(table: Table) -> Iterator[Column]:
    known = {c.where[1]: c for c in table.columns if c.where[0] == "location" and c.path}
    for part in ("name", "country", "adm1", "lat", "lon", "precision", "geonames_id"):
        found = known.get(part)
        if found is not None:
            yield replace(found, role="field")
        else:
            name = _PLACE_NAMES.get(part, part)
            kind: ColumnType = "BIGINT" if part == "geonames_id" else "VARCHAR"
            yield Column(name, kind, path=("location", part))


EVENT_FILE = Table("event_file", tuple(_file_columns(EVENTS)))
"""Deduplicated events as Parquet files keep them: one flat column per modelled field."""

ERRORS = Table(
    "errors",
    (
        Column("code", "VARCHAR", True),
        Column("message", "VARCHAR", True),
        Column("path", "VARCHAR"),
        Column("line", "INTEGER"),
        Column("doc_id", "VARCHAR"),
        Column("recorded_at", "TIMESTAMP", True, role="store"),
    ),
)
"""Error records of batches and ingests (:class:`~dyadwatch.errors.ErrorRecord`)."""

EVENT_LINKS = Table(
    "event_links",
    (
        Column("mention_id", "VARCHAR", True),
        Column("event_id", "VARCHAR", True),
        Column("reasons", "JSON", added=4),
    ),
    key=("mention_id",),
    created=2,
)
"""Which event each factual mention belongs to, and which of its facts agreed."""

GDELT_MENTIONS = Table(
    "gdelt_mentions",
    (
        Column("event_id", "VARCHAR", True, role="store"),
        Column("external_id", "VARCHAR", True, ("event_id",)),
        Column("event_time", "VARCHAR", True),
        Column("mention_time", "VARCHAR", True),
        Column("mention_type", "INTEGER", True),
        Column("source_name", "VARCHAR", True),
        Column("identifier", "VARCHAR", True),
        Column("sentence_id", "INTEGER", True),
        Column("confidence", "INTEGER", True),
        Column("doc_tone", "DOUBLE"),
        Column("line", "VARCHAR", True),
    ),
    key=("event_id", "source_name", "identifier", "sentence_id"),
    created=3,
)
"""GDELT 2.0 mention rows (:class:`~dyadwatch.store.records.GdeltMention`)."""

TABLES: tuple[Table, ...] = (DOCUMENTS, MENTIONS, EVENTS, EVENT_LINKS, ERRORS, GDELT_MENTIONS)
"""The store's own tables, as :meth:`Store.table_counts` names them."""

WATCH_ARTICLES = Table(
    "watch_articles",
    (
        Column("url", "VARCHAR", True),
        Column("feed", "VARCHAR", True),
        Column("stamp", "VARCHAR"),
        Column("content_hash", "VARCHAR"),
        Column("doc_id", "VARCHAR"),
        Column("status", "VARCHAR", True),
        Column("fetched_at", "TIMESTAMP", True),
    ),
    key=("url",),
)
"""One row per canonical article URL the watcher handled."""

WATCH_FEEDS = Table(
    "watch_feeds",
    (
        Column("name", "VARCHAR", True),
        Column("url", "VARCHAR", True),
        Column("last_fetch", "TIMESTAMP"),
        Column("last_ok", "TIMESTAMP"),
        Column("last_error", "VARCHAR"),
        Column("entries", "INTEGER"),
        Column("new_articles", "INTEGER"),
    ),
    key=("name",),
)
"""The last fetch of each feed (:class:`~dyadwatch.store.watch_tables.FeedStatus`)."""

_CYCLE_COUNTS = ("feeds", "feed_errors", "articles", "duplicates", "events", "errors", "alerts")

WATCH_CYCLES = Table(
    "watch_cycles",
    (
        Column("started", "TIMESTAMP", True),
        Column("finished", "TIMESTAMP", True),
        *(Column(name, "INTEGER", True) for name in _CYCLE_COUNTS),
    ),
    key=("started",),
)
"""One row per watcher cycle (:class:`~dyadwatch.store.watch_tables.CycleReport`)."""

WATCH_ALERTS = Table(
    "watch_alerts",
    (
        Column("key", "VARCHAR", True),
        Column("rule", "VARCHAR", True),
        Column("fired_at", "TIMESTAMP", True),
        Column("message", "VARCHAR", True),
        Column("event_ids", "VARCHAR[]", True),
        Column("payload", "JSON", True),
        Column("delivered", "BOOLEAN", True),
    ),
    key=("key",),
)
"""Alerts fired by the watcher's rules, and whether the webhook took them."""

WATCH_HTTP = Table(
    "watch_http",
    (
        Column("url", "VARCHAR", True),
        Column("etag", "VARCHAR"),
        Column("last_modified", "VARCHAR"),
        Column("checked_at", "TIMESTAMP", True),
    ),
    key=("url",),
)
"""The ETag and Last-Modified of each feed and article URL, for conditional requests."""

WATCH_TABLES: tuple[Table, ...] = (
    WATCH_ARTICLES, WATCH_FEEDS, WATCH_CYCLES, WATCH_ALERTS, WATCH_HTTP,
)  # fmt: skip
"""The watcher's tables: the ``watch`` migration set."""

_DAY_COUNTS = ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict")

DYAD_DAYS = Table(
    "dyad_days",
    (
        Column("source_country", "VARCHAR"),
        Column("target_country", "VARCHAR"),
        Column("provenance", "VARCHAR", True),
        Column("date", "DATE", True),
        *(Column(name, "BIGINT", True) for name in _DAY_COUNTS),
        Column("goldstein_sum", "DOUBLE", True),
        Column("goldstein_n", "BIGINT", True),
        Column("goldstein_sq", "DOUBLE", True),
        Column("num_mentions", "BIGINT"),
    ),
)
"""Dated events per source country, target country, provenance and day: the rollup
that country dyad series read (:mod:`dyadwatch.store._rollup`), rebuilt, never edited."""

ROLLUP_TABLES: tuple[Table, ...] = (DYAD_DAYS,)
"""The ``rollup`` migration set's tables."""

READSIDE_LOG = Table(
    "readside_log",
    (
        Column("generation", "BIGINT", True),
        Column("kind", "VARCHAR", True),
        Column("id", "VARCHAR", True),
    ),
)
"""What each write changed of what the read side holds: the ids of the events and
documents written, changed or removed, by the ``events_generation`` that write made
(:mod:`dyadwatch.store._changelog`; the ``changelog`` migration set)."""

CHANGELOG_TABLES: tuple[Table, ...] = (READSIDE_LOG,)
"""The ``changelog`` migration set's tables."""
