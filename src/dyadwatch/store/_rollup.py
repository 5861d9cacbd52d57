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

**Kept current inside each write.** A write transaction that finds the rollup
current (:func:`track`) keeps it so: each statement that changes events is
bracketed by :func:`retract` (the rows it is about to change, subtracted) and
:func:`count` (the same rows afterwards, added), or, for a bulk insert, by
:func:`count_rows` of exactly the rows it inserts. The signed rows gather in a
temporary table; :func:`fold` adds them to ``dyad_days`` by key and records the
new generation before COMMIT, so readers see events and rollup change together.
A write that finds it stale leaves it stale: it is rebuilt by a writable store
when the table is large enough to need it (:data:`ROLLUP_MIN_EVENTS`; the API
server does that on start) and otherwise left alone: the raw scan answers, as
it does for every filter the rollup does not cover (actor codes, CAMEO roots,
or any filter field added later and not at its default).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, fields, replace

import duckdb

from dyadwatch.store._query import EventFilter

__all__ = [
    "BOOKKEEPING_KEYS",
    "GENERATION_KEY",
    "ROLLUP_MIN_EVENTS",
    "bump_generation",
    "changing",
    "count",
    "count_rows",
    "covers",
    "fold",
    "fresh",
    "periods_sql",
    "rebuild",
    "retract",
    "track",
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
_GROUPED = """
SELECT source_country, target_country, provenance, date, {sign} * count(*),
    {sign} * count(*) FILTER (WHERE quad = 1), {sign} * count(*) FILTER (WHERE quad = 2),
    {sign} * count(*) FILTER (WHERE quad = 3), {sign} * count(*) FILTER (WHERE quad = 4),
    {sign} * coalesce(sum(goldstein), 0), {sign} * count(goldstein),
    {sign} * coalesce(sum(goldstein * goldstein), 0), {sign} * sum(num_mentions)
FROM {source} WHERE date IS NOT NULL{where}
GROUP BY ALL
"""
"""The rollup rows of the events in ``source`` (signed: -1 takes them away)."""
_FILL = (
    "INSERT INTO dyad_days "
    + _GROUPED.format(sign=1, source="events", where="")
    + "ORDER BY source_country, target_country, date"
)
_DELTA = "_dyadwatch_rollup_delta"
"""A write transaction's signed rollup rows (temporary: this connection only, and gone
with a rollback)."""
_SUMMED = "_dyadwatch_rollup_summed"
_SAME_KEY = """dyad_days.source_country IS NOT DISTINCT FROM d.source_country
    AND dyad_days.target_country IS NOT DISTINCT FROM d.target_country
    AND dyad_days.provenance = d.provenance AND dyad_days.date = d.date"""
_VALUES = ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
           "goldstein_sum", "goldstein_n", "goldstein_sq", "num_mentions")  # fmt: skip
_FOLD = (
    f"""CREATE OR REPLACE TEMP TABLE {_SUMMED} AS
SELECT source_country, target_country, provenance, date,
    {", ".join(f"sum({v}) AS {v}" for v in _VALUES)}
FROM {_DELTA} GROUP BY ALL""",
    f"""UPDATE dyad_days SET {", ".join(f"{v} = dyad_days.{v} + d.{v}" for v in _VALUES)}
FROM {_SUMMED} AS d WHERE {_SAME_KEY}""",
    f"""INSERT INTO dyad_days SELECT * FROM {_SUMMED} AS d
WHERE NOT EXISTS (SELECT 1 FROM dyad_days WHERE {_SAME_KEY})""",
    # A key left without events is gone, as a rebuild would not write it; a day left
    # without scores gets exact zeros, not the float residue of adding and taking away.
    f"""DELETE FROM dyad_days USING {_SUMMED} AS d WHERE {_SAME_KEY} AND dyad_days.events = 0""",
    f"""UPDATE dyad_days SET goldstein_sum = 0, goldstein_sq = 0
FROM {_SUMMED} AS d WHERE {_SAME_KEY} AND dyad_days.goldstein_n = 0""",
    f"DROP TABLE {_SUMMED}",
)
"""Add the summed delta to ``dyad_days`` by key (one row per key; new keys appended)."""
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
    _mark_current(con)


def track(con: duckdb.DuckDBPyConnection) -> bool:
    """At the start of a write transaction: whether the rollup is current, and if so,
    an empty delta for the transaction's writes to fill (:func:`fold` at the end).
    Reads ``meta`` first: a store without a built rollup (or, mid-migration, without
    an ``events`` table) is not asked for its event count."""
    built = con.execute("SELECT 1 FROM meta WHERE key = ?", [_BUILT_GENERATION]).fetchall()
    if not built or not fresh(con)[0]:
        return False
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_DELTA} AS SELECT * FROM dyad_days LIMIT 0")
    return True


def retract(con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None = None, *,
            where: str = "") -> None:  # fmt: skip
    """Before a statement changes or deletes the events ``ids`` (or those matching the
    SQL condition ``where``, text built from constants): take them out of the rollup."""
    _signed(con, -1, ids, where)


def count(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> None:
    """After a statement inserted or changed the events ``ids``: put them in the rollup."""
    _signed(con, 1, ids, "")


@contextmanager
def changing(con: duckdb.DuckDBPyConnection, ids_sql: str) -> Iterator[None]:
    """Around a statement that changes the events whose ids the SELECT ``ids_sql``
    (built from constants) finds before it runs: out of the rollup, then back in."""
    if not _tracking(con):
        yield
        return
    ids = [str(row[0]) for row in con.execute(ids_sql).fetchall()]
    retract(con, ids)
    yield
    count(con, ids)


def count_rows(con: duckdb.DuckDBPyConnection, rows: str) -> None:
    """Before a bulk insert: put in the rollup the rows ``rows`` (a parenthesised SELECT
    with the ``events`` columns, built from constants) that the insert is about to add."""
    if _tracking(con):
        con.execute(f"INSERT INTO {_DELTA} " + _GROUPED.format(sign=1, source=rows, where=""))


def fold(con: duckdb.DuckDBPyConnection) -> None:
    """At the end of a tracked write transaction (after the generation was bumped): add
    the delta to ``dyad_days`` and record that it matches the events again."""
    if _scalar_int(con, f"SELECT count(*) FROM {_DELTA}"):
        for statement in _FOLD:
            con.execute(statement)
    con.execute(f"DROP TABLE {_DELTA}")
    _mark_current(con)


def _signed(
    con: duckdb.DuckDBPyConnection, sign: int, ids: Sequence[str] | None, where: str
) -> None:
    if ids is not None and not ids:
        return
    if not _tracking(con):
        return
    clause = f" AND ({where})" if where else ""
    if ids is not None:
        clause += " AND id IN (SELECT unnest($ids))"
    sql = f"INSERT INTO {_DELTA} " + _GROUPED.format(sign=sign, source="events", where=clause)
    con.execute(sql, {"ids": list(ids)} if ids is not None else {})


def _tracking(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this transaction keeps the rollup current (its delta table exists)."""
    return bool(_scalar_int(con, _HAS_DELTA))


_HAS_DELTA = f"SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '{_DELTA}'"


def _scalar_int(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    found = con.execute(sql).fetchall()  # fetchone would leave the result open
    return int(found[0][0]) if found else 0


def _mark_current(con: duckdb.DuckDBPyConnection) -> None:
    state = dict(con.execute(_STATE).fetchall())
    for key, value in (
        (_BUILT_GENERATION, state.get(GENERATION_KEY, "0")),
        (_BUILT_EVENTS, state[""]),
    ):
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def periods_sql(where: EventFilter) -> tuple[str, dict[str, object]]:
    """The series query over the rollup for ``where`` and its parameters.

    Both directions of a dyad read as two scans, one per direction, added up: the
    rollup is sorted by source and target country, so each skips every row group
    but its own, where one scan with ``OR`` reads the row groups of both sides."""
    clause, params = where.where()
    a, b = where.dyad or ("", "")
    if where.dyad is None or where.direction != "both" or a == b:
        return _PERIODS.format(where=clause), params
    each = [replace(where, direction=side).where()[0] for side in ("a_to_b", "b_to_a")]
    rows = " UNION ALL ".join(f"SELECT * FROM dyad_days WHERE {c}" for c in each)
    return _PERIODS.format(where="TRUE").replace("FROM dyad_days", f"FROM ({rows})"), params
