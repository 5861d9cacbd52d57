"""The store's tables, as named sets of ordered migrations.

Each :class:`MigrationSet` records the last migration applied in its own
``meta`` key (``schema_version`` for the store's tables, ``watch_schema_version``
for the watcher's). Opening a store applies the missing migrations of the
``store`` set in order, each in its own transaction; the watcher applies its
set through :meth:`Store.migrate`. A store whose version of a set is above this
code's was written by a newer dyadwatch and is refused (DW302).

The tables' columns are declared once, in :mod:`dyadwatch.store.columns`: the
CREATE TABLE statements below are derived from it as each table stood at its
version, and a column declared with ``added=N`` becomes an ALTER TABLE of
migration ``N`` (made for it when no migration ``N`` is written here).
Migrations are append-only: never edit one that has shipped (nor a column
declared by it), add the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import duckdb

from dyadwatch.store._changelog import create as create_changelog
from dyadwatch.store._dedup import DedupRules, relink_all
from dyadwatch.store._rollup import (
    PACKED_TABLE,
    PACKED_VERSION,
    PAIRS_TABLE,
    PAIRS_VERSION,
    fill_packed,
    fill_pairs,
)
from dyadwatch.store._rollup import VERSION_KEY as ROLLUP_VERSION_KEY
from dyadwatch.store.columns import (
    CHANGELOG_TABLES,
    DOCUMENTS,
    ERRORS,
    EVENT_LINKS,
    EVENTS,
    GDELT_MENTIONS,
    MENTIONS,
    ROLLUP_TABLES,
    TABLES,
    WATCH_TABLES,
    Table,
)

__all__ = [
    "BOOTSTRAP",
    "CHANGELOG_SET",
    "MIGRATIONS",
    "MIGRATION_SETS",
    "ROLLUP_SET",
    "SCHEMA_VERSION",
    "STORE_SET",
    "WATCH_SET",
    "Migration",
    "MigrationSet",
    "with_columns",
]

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


_V4_SPLITS = """
CREATE TABLE event_splits (
    mention_id VARCHAR NOT NULL,
    apart_from VARCHAR NOT NULL,
    PRIMARY KEY (mention_id, apart_from)
)"""


def _relink_backfill(con: duckdb.DuckDBPyConnection) -> None:
    """Link every stored mention under the default rules (the current linking)."""
    relink_all(con, DedupRules())


_STORE_WRITTEN: tuple[Migration, ...] = (
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
        "event mentions carry their document's URL, date basis, explanation and incident;"
        " why a mention was merged; user splits that keep mentions apart",
        # The columns come from their declarations (columns.py, added=4), before these.
        (
            "UPDATE event_mentions SET doc_url = d.url FROM documents d"
            " WHERE d.id = event_mentions.doc_id",
            _V4_SPLITS,
        ),
        _relink_backfill,
    ),
)

_WATCH_WRITTEN: tuple[Migration, ...] = (
    Migration(
        1,
        "the watcher's articles, feeds, cycles, alerts and HTTP validators",
        # IF NOT EXISTS: watchers before this set made the same tables themselves.
        tuple(table.create(1, if_missing=True) for table in WATCH_TABLES),
    ),
)


_ROLLUP_WRITTEN: tuple[Migration, ...] = (
    Migration(
        1,
        "the dyad × day rollup of the events that country dyad series read",
        tuple(table.create(1) for table in ROLLUP_TABLES),
    ),
    Migration(
        PAIRS_VERSION,
        "each country pair's rollup rows as one keyed row of lists: a series reads its pair only",
        (PAIRS_TABLE,),
        fill_pairs,
    ),
    Migration(
        PACKED_VERSION,
        "each pair's rollup rows as one blob too: a series decodes no lists",
        (PACKED_TABLE,),
        fill_packed,
    ),
)

_CHANGELOG_WRITTEN: tuple[Migration, ...] = (
    Migration(
        1,
        "the change log the read side catches up from; the store's id",
        tuple(table.create(1) for table in CHANGELOG_TABLES),
        create_changelog,
    ),
)


def with_columns(
    written: tuple[Migration, ...], tables: tuple[Table, ...]
) -> tuple[Migration, ...]:
    """``written`` with the declared columns added: ALTER TABLE statements for each
    column whose ``added`` version is past its table's creation, put before that
    version's own statements (which may fill the new columns), or as a migration of
    their own."""
    by_version = {m.version: m for m in written}
    versions = sorted(set(by_version) | {c.added for table in tables for c in table})
    migrations = []
    for version in versions:
        alters = tuple(s for table in tables for s in table.added_in(version))
        found = by_version.get(version)
        if found is None:
            added = ", ".join(a.split(" ADD COLUMN ")[1].split()[0] for a in alters)
            found = Migration(version, f"columns {added}", alters)
        elif alters:
            found = replace(found, statements=alters + found.statements)
        migrations.append(found)
    return tuple(migrations)


@dataclass(frozen=True, slots=True)
class MigrationSet:
    """Migrations of one group of tables, versioned apart under ``meta`` key ``key``.

    ``store`` (documents, mentions, events, …) is applied whenever a store is
    opened for writing; others when their owner asks (:meth:`Store.migrate`).
    """

    name: str
    key: str
    migrations: tuple[Migration, ...]
    changes_events: bool = True
    """Whether applying it may change what the events, documents and mentions
    hold. A set that only adds derived tables (the rollup's) or tables of its
    own (the watcher's) says no, so applying it leaves the events' write
    generation alone: the rollup and the read side stay current across it (a
    stale read side of ten million events takes half an hour to rebuild)."""

    @property
    def version(self) -> int:
        """The version this code writes and reads."""
        return self.migrations[-1].version


STORE_SET = MigrationSet("store", "schema_version", with_columns(_STORE_WRITTEN, TABLES))
WATCH_SET = MigrationSet(
    "watch",
    "watch_schema_version",
    with_columns(_WATCH_WRITTEN, WATCH_TABLES),
    changes_events=False,
)
ROLLUP_SET = MigrationSet(
    "rollup",
    ROLLUP_VERSION_KEY,
    with_columns(_ROLLUP_WRITTEN, ROLLUP_TABLES),
    changes_events=False,
)
CHANGELOG_SET = MigrationSet(
    "changelog",
    "changelog_schema_version",
    with_columns(_CHANGELOG_WRITTEN, CHANGELOG_TABLES),
    changes_events=False,
)
"""The read side's change log (:mod:`dyadwatch.store._changelog`): applied with the
``store`` set on every writable open."""
MIGRATION_SETS: dict[str, MigrationSet] = {
    s.name: s for s in (STORE_SET, WATCH_SET, ROLLUP_SET, CHANGELOG_SET)
}
"""Every migration set by name."""

MIGRATIONS = STORE_SET.migrations
"""The migrations of the store's own tables."""

SCHEMA_VERSION = STORE_SET.version
"""The schema this code writes and reads."""
