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
from dyadwatch.store.columns import (
    DOCUMENTS,
    ERRORS,
    EVENT_LINKS,
    EVENTS,
    GDELT_MENTIONS,
    MENTIONS,
)

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

_V1_DOCUMENTS = DOCUMENTS.create(1)
_V1_EVENTS = MENTIONS.create(1, name="events")
"""Version 1 kept mentions in ``events``; version 2 renamed them to ``event_mentions``."""
_V1_ERRORS = ERRORS.create(1)
_V2_MENTIONS = MENTIONS.create(2)

_V2_COPY_MENTIONS = "INSERT INTO event_mentions SELECT * FROM events"

_V2_EVENTS = EVENTS.create(2)
_V2_LINKS = EVENT_LINKS.create(2)

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


_V3_GDELT_MENTIONS = GDELT_MENTIONS.create(3)


def _v2_backfill(con: duckdb.DuckDBPyConnection) -> None:
    """Link the mentions a version-1 store holds, under the default rules."""
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
        _v2_backfill,
    ),
    Migration(
        3,
        "GDELT 2.0 mention rows, which recount the events they name",
        (_V3_GDELT_MENTIONS,),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema this code writes and reads."""
