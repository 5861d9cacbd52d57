"""The store's tables, as an ordered list of migrations.

A store records the last migration applied in ``meta.schema_version``. Opening
a store applies the missing migrations in order, each in its own transaction;
a store whose version is above :data:`SCHEMA_VERSION` was written by a newer
dyadwatch and is refused (DW302). Migrations are append-only: never edit one
that has shipped, add the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from dyadwatch.store._dedup import DedupRules, relink_all

__all__ = ["BOOTSTRAP", "MIGRATIONS", "SCHEMA_VERSION", "Migration"]

Backfill = Callable[[duckdb.DuckDBPyConnection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: SQL statements, then an optional Python data step.

    Both run in the migration's transaction, so a failure leaves the previous
    version intact.
    """

    version: int
    description: str
    statements: tuple[str, ...]
    backfill: Backfill | None = None


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

_V2_MENTIONS = _V1_EVENTS.replace("CREATE TABLE events", "CREATE TABLE event_mentions")

_V2_COPY_MENTIONS = "INSERT INTO event_mentions SELECT * FROM events"

_V2_EVENTS = """
CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    provenance VARCHAR NOT NULL,
    external_id VARCHAR,
    date DATE,
    source_code VARCHAR,
    source_country VARCHAR,
    source_sector VARCHAR,
    source_text VARCHAR,
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
    location JSON,
    lat DOUBLE,
    lon DOUBLE,
    location_country VARCHAR,
    location_adm1 VARCHAR,
    num_mentions INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    avg_tone DOUBLE,
    source_url VARCHAR,
    killed_min INTEGER,
    killed_max INTEGER,
    injured_min INTEGER,
    injured_max INTEGER,
    extra JSON
)"""

_V2_LINKS = """
CREATE TABLE event_links (
    mention_id VARCHAR PRIMARY KEY,
    event_id VARCHAR NOT NULL
)"""

_V2_ONE_A_DAY = """
CREATE VIEW events_one_a_day AS
SELECT
    provenance, date, source_code, source_country, target_code, target_country, cameo,
    min(cameo_root) AS cameo_root,
    min(goldstein) AS goldstein,
    min(quad) AS quad,
    min(id) AS id,
    count(*) AS events,
    sum(num_mentions) AS num_mentions,
    sum(num_articles) AS num_articles
FROM events
GROUP BY provenance, date, source_code, source_country, target_code, target_country, cameo"""


_V3_GDELT_MENTIONS = """
CREATE TABLE gdelt_mentions (
    event_id VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    event_time VARCHAR NOT NULL,
    mention_time VARCHAR NOT NULL,
    mention_type INTEGER NOT NULL,
    source_name VARCHAR NOT NULL,
    identifier VARCHAR NOT NULL,
    sentence_id INTEGER NOT NULL,
    confidence INTEGER NOT NULL,
    doc_tone DOUBLE,
    line VARCHAR NOT NULL,
    PRIMARY KEY (event_id, source_name, identifier, sentence_id)
)"""


_V4_SPLITS = """
CREATE TABLE event_splits (
    mention_id VARCHAR NOT NULL,
    apart_from VARCHAR NOT NULL,
    PRIMARY KEY (mention_id, apart_from)
)"""


def _relink_backfill(con: duckdb.DuckDBPyConnection) -> None:
    """Link every stored mention under the default rules (the current linking)."""
    relink_all(con, DedupRules())


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
    Migration(
        2,
        "event mentions apart from deduplicated events, linked; one-a-day view",
        (
            _V2_MENTIONS,
            _V2_COPY_MENTIONS,
            "DROP INDEX events_doc",
            "DROP TABLE events",
            "CREATE INDEX event_mentions_doc ON event_mentions (doc_id)",
            _V2_EVENTS,
            _V2_LINKS,
            "CREATE INDEX event_links_event ON event_links (event_id)",
            _V2_ONE_A_DAY,
        ),
        # Linking now needs version 4's tables: version 4 relinks every mention,
        # so version 2 leaves the events to it.
        None,
    ),
    Migration(
        3,
        "GDELT 2.0 mention rows, which recount the events they name",
        (_V3_GDELT_MENTIONS,),
    ),
    Migration(
        4,
        "incidents: a mention's incident mentions and alternatives; why a mention was"
        " merged; user splits that keep mentions apart",
        (
            "ALTER TABLE event_mentions ADD COLUMN mentions JSON",
            "ALTER TABLE event_mentions ADD COLUMN alternatives JSON",
            "ALTER TABLE event_links ADD COLUMN reasons JSON",
            _V4_SPLITS,
        ),
        _relink_backfill,
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema this code writes and reads."""
