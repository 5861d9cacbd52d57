"""The dyad × day rollup: a country dyad's series from thousands of rows, not millions.

``dyad_days`` (the ``rollup`` migration set) holds the dated events of the
``events`` table counted per source country, target country, provenance and
day, with the sums a series needs. It is written sorted by country pair and
day, so DuckDB's zone maps skip every row group but the pair's own: a series
over ten million events reads a few thousand rows.

**Freshness.** Every write transaction of the store bumps ``events_generation``
in ``meta``; a rebuild records the generation and the event count it saw
(``dyad_days_generation``, ``dyad_days_events``). The rollup answers only
while both still match: the count catches writes that went around the store.
Stale, it is rebuilt by a writable store when the table is large enough to
need it (:data:`ROLLUP_MIN_EVENTS`) and otherwise left alone: the raw scan
answers, as it does for every filter the rollup does not cover (actor codes,
CAMEO roots, or any filter field added later and not at its default).
"""

from __future__ import annotations

from dataclasses import MISSING, fields

import duckdb

from dyadwatch.store._query import EventFilter

__all__ = [
    "BOOKKEEPING_KEYS",
    "GENERATION_KEY",
    "ROLLUP_MIN_EVENTS",
    "bump_generation",
    "covers",
    "fresh",
    "periods_sql",
    "rebuild",
]

ROLLUP_MIN_EVENTS = 200_000
"""Below this many events the raw scan takes milliseconds: no rollup is built for it."""
GENERATION_KEY = "events_generation"
_BUILT_GENERATION = "dyad_days_generation"
_BUILT_EVENTS = "dyad_days_events"
BOOKKEEPING_KEYS = frozenset({GENERATION_KEY, _BUILT_GENERATION, _BUILT_EVENTS})
"""The ``meta`` keys the rollup keeps: history (how many writes), not content."""
_COVERED = frozenset({"dyad", "since", "until", "provenance", "direction", "level", "limit"})
"""Filter fields the rollup can answer (``limit`` never applies to a series)."""

_BUMP = f"""
INSERT INTO meta VALUES ('{GENERATION_KEY}', '1')
ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR)
"""
_STATE = f"""
SELECT key, value FROM meta
WHERE key IN ('{GENERATION_KEY}', '{_BUILT_GENERATION}', '{_BUILT_EVENTS}')
UNION ALL SELECT '', CAST(count(*) AS VARCHAR) FROM events
"""
"""One statement: each costs milliseconds of its own, whatever it reads."""
_FILL = """
INSERT INTO dyad_days
SELECT source_country, target_country, provenance, date, count(*),
    count(*) FILTER (WHERE quad = 1), count(*) FILTER (WHERE quad = 2),
    count(*) FILTER (WHERE quad = 3), count(*) FILTER (WHERE quad = 4),
    coalesce(sum(goldstein), 0), count(goldstein), coalesce(sum(goldstein * goldstein), 0),
    sum(num_mentions)
FROM events WHERE date IS NOT NULL
GROUP BY ALL
ORDER BY source_country, target_country, date
"""
_PERIODS = """
SELECT date_trunc($unit, date)::DATE AS period, sum(events)::BIGINT AS events,
    sum(verbal_coop)::BIGINT AS verbal_coop, sum(material_coop)::BIGINT AS material_coop,
    sum(verbal_conflict)::BIGINT AS verbal_conflict,
    sum(material_conflict)::BIGINT AS material_conflict,
    coalesce(sum(goldstein_sum), 0) AS goldstein_sum, sum(goldstein_n)::BIGINT AS goldstein_n,
    coalesce(sum(goldstein_sq), 0) AS goldstein_sq, sum(num_mentions) AS num_mentions
FROM dyad_days WHERE {where}
GROUP BY period ORDER BY period
"""


def covers(where: EventFilter) -> bool:
    """Whether the rollup answers ``where``: country sides only, and every field it
    does not hold at its default (so a filter field added later falls back)."""
    for field in fields(EventFilter):
        if field.name in _COVERED:
            continue
        if field.default is MISSING or getattr(where, field.name) != field.default:
            return False
    if where.dyad is None:
        return True
    return where.level == "country" and all(len(side) <= 3 for side in where.dyad)


def bump_generation(con: duckdb.DuckDBPyConnection) -> None:
    """Mark the events as changed (inside the writing transaction)."""
    con.execute(_BUMP)


def fresh(con: duckdb.DuckDBPyConnection) -> tuple[bool, int]:
    """Whether the rollup matches the events table now, and how many events it holds."""
    try:
        state = dict(con.execute(_STATE).fetchall())
    except duckdb.CatalogException:
        return False, 0
    built = state.get(_BUILT_GENERATION)
    current = built == state.get(GENERATION_KEY, "0") and state.get(_BUILT_EVENTS) == state[""]
    return current, int(state[""])


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Refill ``dyad_days`` from ``events`` and record what it was built from (inside a
    transaction that does not bump the generation)."""
    con.execute("DELETE FROM dyad_days")
    con.execute(_FILL)
    state = dict(con.execute(_STATE).fetchall())
    for key, value in (
        (_BUILT_GENERATION, state.get(GENERATION_KEY, "0")),
        (_BUILT_EVENTS, state[""]),
    ):
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def periods_sql(clause: str) -> str:
    """The series query over the rollup, for ``clause`` from :meth:`EventFilter.where`."""
    return _PERIODS.format(where=clause)
