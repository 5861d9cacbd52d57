"""The store's tables, as an ordered list of migrations.

A store records the last migration applied in ``meta.schema_version``. Opening
a store applies the missing migrations in order, each in its own transaction;
a store whose version is above :data:`SCHEMA_VERSION` was written by a newer
dyadwatch and is refused (DW302). Migrations are append-only: never edit one
that has shipped, add the next.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BOOTSTRAP", "MIGRATIONS", "SCHEMA_VERSION", "Migration"]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


BOOTSTRAP = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
"""The one table every version has, so that the version can be read first."""

_V1_DOCUMENTS = """
CREATE TABLE documents (
    id VARCHAR PRIMARY KEY,
    text VARCHAR NOT NULL,
    date DATE,
    url VARCHAR,
    title VARCHAR,
    publisher VARCHAR,
    origin VARCHAR,
    content_hash VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL
)"""

_V1_EVENTS = """
CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    sentence VARCHAR NOT NULL,
    date DATE,
    date_precision VARCHAR,
    date_from DATE,
    date_to DATE,
    source_code VARCHAR NOT NULL,
    source_country VARCHAR,
    source_sector VARCHAR,
    source_text VARCHAR NOT NULL,
    source_name VARCHAR,
    target_code VARCHAR,
    target_country VARCHAR,
    target_sector VARCHAR,
    target_text VARCHAR,
    target_name VARCHAR,
    cameo VARCHAR NOT NULL,
    cameo_root VARCHAR NOT NULL,
    goldstein DOUBLE,
    quad INTEGER,
    plover_type VARCHAR,
    plover_mode VARCHAR,
    plover_context VARCHAR[],
    negated BOOLEAN NOT NULL,
    hypothetical BOOLEAN NOT NULL,
    reported BOOLEAN NOT NULL,
    location JSON,
    size JSON,
    evidence JSON NOT NULL,
    confidence DOUBLE NOT NULL,
    provenance VARCHAR NOT NULL DEFAULT 'dyadwatch'
)"""

_V1_ERRORS = """
CREATE TABLE errors (
    code VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    path VARCHAR,
    line INTEGER,
    doc_id VARCHAR,
    recorded_at TIMESTAMP NOT NULL
)"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, events and errors",
        (
            _V1_DOCUMENTS,
            "CREATE INDEX documents_content ON documents (content_hash)",
            _V1_EVENTS,
            "CREATE INDEX events_doc ON events (doc_id)",
            _V1_ERRORS,
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema this code writes and reads."""
