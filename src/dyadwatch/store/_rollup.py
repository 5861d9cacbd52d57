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

**One row per country pair.** ``dyad_pairs`` (rollup version 2) holds each
directed country pair's ``dyad_days`` rows as one row of lists (dates,
provenances and the sums, in date order), keyed by ``pair`` (``"SRC>TGT"``, a
primary key): a country series reads one or two rows by key, not the row group
of a pair in a table sorted only by pair (about 123,000 rows per direction at
ten million events). :func:`fold` rewrites the rows of the pairs a write
touched, from ``dyad_days``, in the same transaction; :func:`rebuild` all of
them.

**One blob per pair and unit.** ``dyad_packed`` (rollup version 3) holds the
per-period rows of ``dyad_pairs`` but provenance, each as one blob of ten 8-byte
columns (:func:`pack`): DuckDB decodes ten list columns value by value (about
1 ms of a weekly series' 3), a blob it copies. :func:`fold` repacks the pairs it
rewrote, :func:`rebuild` all of them; a series by day, with dates or filtered by
provenance reads the lists.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, fields, replace
from typing import Any, Literal

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from dyadwatch.store._query import EventFilter

__all__ = [
    "BOOKKEEPING_KEYS",
    "GENERATION_KEY",
    "PACKED_TABLE",
    "PACKED_VERSION",
    "PAIRS_TABLE",
    "PAIRS_VERSION",
    "ROLLUP_MIN_EVENTS",
    "VERSION_KEY",
    "Freshness",
    "Layout",
    "Tracking",
    "bump_generation",
    "changing",
    "count",
    "count_rows",
    "covers",
    "fill_packed",
    "fill_pairs",
    "fold",
    "fresh",
    "layout",
    "pack",
    "pair_arrays",
    "pair_key",
    "pair_periods_sql",
    "pair_totals_sql",
    "period_starts",
    "periods_sql",
    "rebuild",
    "retract",
    "track",
    "unpack",
]

ROLLUP_MIN_EVENTS = 200_000
"""Below this many events the raw scan takes milliseconds: no rollup is built for it."""
GENERATION_KEY = "events_generation"
_BUILT_GENERATION = "dyad_days_generation"
_BUILT_EVENTS = "dyad_days_events"
_PACKED_GENERATION = "dyad_packed_generation"
"""The generation ``dyad_packed`` was last brought up to: a writer that predates it
(rollup version 2 code on a version 3 file) keeps the lists current but not the
blobs, and the generation it bumps tells readers to read the lists."""
BOOKKEEPING_KEYS = frozenset({GENERATION_KEY, _BUILT_GENERATION, _BUILT_EVENTS, _PACKED_GENERATION})
"""The ``meta`` keys the rollup keeps: history (how many writes), not content."""
_COVERED = frozenset({"dyad", "since", "until", "provenance", "direction", "level", "limit"})
"""Filter fields the rollup can answer (``limit`` never applies to a series)."""

PAIRS_VERSION = 2
"""The rollup migration version that adds ``dyad_pairs``; a store below it reads
``dyad_days`` alone."""
_BUMP = f"""
INSERT INTO meta VALUES ('{GENERATION_KEY}', '1')
ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR)
"""
PACKED_VERSION = 3
"""The rollup migration version that adds ``dyad_packed``."""
VERSION_KEY = "rollup_schema_version"
"""The rollup migration set's ``meta`` key (schema.ROLLUP_SET, which imports this module)."""
_STATE = f"""
SELECT key, value FROM meta
WHERE key IN ('{GENERATION_KEY}', '{_BUILT_GENERATION}', '{_BUILT_EVENTS}', '{VERSION_KEY}',
    '{_PACKED_GENERATION}')
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
)
"""Add the summed delta to ``dyad_days`` by key (one row per key; new keys appended)."""
_PAIR_TYPES = {"date": "DATE", "provenance": "VARCHAR", "goldstein_sum": "DOUBLE",
               "goldstein_sq": "DOUBLE"}  # fmt: skip
_PAIR_COLUMNS = ("date", "provenance", *_VALUES)
PAIRS_TABLE = (
    "CREATE TABLE dyad_pairs (pair VARCHAR PRIMARY KEY, "
    + ", ".join(f"{c} {_PAIR_TYPES.get(c, 'BIGINT')}[] NOT NULL" for c in _PAIR_COLUMNS)
    + ")"
)
"""Each directed country pair's ``dyad_days`` rows as lists in (date, provenance) order:
under ``SRC>TGT`` its days, under ``SRC>TGT|week`` (``month``, ``year``) the same
summed per period, so a whole series at those units reads a few hundred values."""
_PAIR_OF = "source_country || '>' || target_country"
_PAIR_UNITS = ("week", "month", "year")
_PAIR_SUFFIXES = tuple(f"|{unit}" for unit in _PAIR_UNITS)
"""The units kept summed per period beside the days (a day series reads the days)."""
_PAIR_ROWS = f"""
INSERT INTO dyad_pairs SELECT {_PAIR_OF} || {{suffix}} AS pair,
    {", ".join(f"list({c} ORDER BY date, provenance) AS {c}" for c in _PAIR_COLUMNS)}
FROM (
    SELECT source_country, target_country, provenance, {{date}} AS date,
        {", ".join(f"sum({v}) AS {v}" for v in _VALUES)}
    FROM {{source}} WHERE source_country IS NOT NULL AND target_country IS NOT NULL{{where}}
    GROUP BY ALL
)
GROUP BY source_country, target_country
"""
_TOUCHED_DAYS = "_dyadwatch_rollup_touched"
_TOUCHED = f"SELECT DISTINCT {_PAIR_OF} FROM {_SUMMED} WHERE {_PAIR_OF} IS NOT NULL"


def _pair_rows(source: str, where: str = "") -> tuple[str, ...]:
    """The INSERTs of every pair's rows (days, then each unit) from ``source``'s days."""
    days = _PAIR_ROWS.format(suffix="''", date="date", source=source, where=where)
    units = [
        _PAIR_ROWS.format(
            suffix=f"'|{unit}'",
            date=f"date_trunc('{unit}', date)::DATE",
            source=source,
            where=where,
        )
        for unit in _PAIR_UNITS
    ]
    return (days, *units)


_REFOLD_PAIRS = (
    f"DELETE FROM dyad_pairs WHERE split_part(pair, '|', 1) IN ({_TOUCHED})",
    f"""CREATE OR REPLACE TEMP TABLE {_TOUCHED_DAYS} AS
SELECT * FROM dyad_days WHERE (source_country, target_country) IN (
    SELECT DISTINCT source_country, target_country FROM {_SUMMED}
    WHERE source_country IS NOT NULL AND target_country IS NOT NULL)""",
    *_pair_rows(_TOUCHED_DAYS),
    f"DROP TABLE {_TOUCHED_DAYS}",
)
"""Rewrite the rows of the pairs a write touched (their keys in the summed delta), from
their days read once. The days are found by their two country columns, not by the
pair's key built per row: on a sorted ``dyad_days`` of millions of rows that lets
DuckDB skip row groups (on the 10M bench store, 20 pairs: 3.0-3.4 against 74-84 ms
of CPU)."""
_UNPACK_TOUCHED = f"DELETE FROM dyad_packed WHERE split_part(pair, '|', 1) IN ({_TOUCHED})"
_HAS_PAIRS = (
    "SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND table_name = 'dyad_pairs'"
)
PACKED_TABLE = (
    "CREATE TABLE dyad_packed (pair VARCHAR PRIMARY KEY, rank BIGINT NOT NULL,"
    " body BLOB USING COMPRESSION uncompressed)"
)
"""Each per-period ``dyad_pairs`` row's dates and sums as one blob (:func:`pack`);
NULL where a mention count is missing (the series then reads the lists). Stored
uncompressed: DuckDB compresses a blob column with ZSTD by segment, and fetching
one row by key then decompressed the whole segment (0.6-1.3 s a series on the 10M
bench store, against 0.6-0.7 ms uncompressed). The days' rows are not packed
(a day series and any dated one read the lists): 219 of the 267 MB it would be.
``rank`` is the row's place in ``dyad_pairs`` when packed: the lists of a dyad's
two directions come in that order, and the blobs are read in it, so sums over
both add in the same order (a float sum's last bit depends on it)."""
_PACKED_COLUMNS = ("date", *("events", "verbal_coop", "material_coop", "verbal_conflict",
                   "material_conflict", "goldstein_sum", "goldstein_n", "goldstein_sq",
                   "num_mentions"))  # fmt: skip
_PACKED_FLOATS = frozenset({"goldstein_sum", "goldstein_sq"})
"""The DOUBLE[] columns of ``dyad_pairs`` (the rest are BIGINT[] and DATE[])."""
_TO_PACK = (
    "SELECT pair, rowid AS rank, " + ", ".join(_PACKED_COLUMNS) + " FROM dyad_pairs"
    " WHERE pair LIKE '%|%'{where}"
)
"""The per-period rows (``SRC>TGT|unit``) to pack; ``where`` adds ``AND`` clauses."""
_PACKED_ROWS = "_dyadwatch_packed_rows"
_HAS_PACKED = (
    "SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND table_name = 'dyad_packed'"
)
_UNNESTED = ", ".join(f"unnest({c}) AS {c}" for c in _PAIR_COLUMNS)
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


Layout = Literal["events", "days", "pairs", "packed"]
"""What a country series reads: the events table (no current rollup), ``dyad_days``
(a current rollup below :data:`PAIRS_VERSION`), ``dyad_pairs`` (below
:data:`PACKED_VERSION`) or ``dyad_packed`` (and ``dyad_pairs`` for provenance)."""


class Freshness:
    """What one store and its readers learnt of the rollup, valid until their next write.

    The writer counts its write transactions (:meth:`wrote`, after COMMIT or
    ROLLBACK); a reader that learnt the layout at count ``n`` reuses it while the
    count is still ``n``. Only a reader whose owner promises that every write of
    the file goes through that writer may reuse it (:meth:`Store.thread_reader`,
    ``sole_writer``: a server's hub, which DuckDB's file lock makes the only
    writer): a check costs a statement (0.8 ms at ten million events), and a
    series otherwise pays it on every request.
    """

    __slots__ = ("_known", "_lock", "_writes")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._writes = 0
        self._known: tuple[int, Layout] | None = None

    @property
    def writes(self) -> int:
        with self._lock:
            return self._writes

    def wrote(self) -> None:
        with self._lock:
            self._writes += 1

    def known(self) -> Layout | None:
        """The layout learnt since the last write, if any."""
        with self._lock:
            if self._known is not None and self._known[0] == self._writes:
                return self._known[1]
            return None

    def learn(self, writes: int, layout: Layout) -> None:
        """Note ``layout``, checked after the write count read ``writes`` (a write
        committed meanwhile makes the note useless, never wrong)."""
        with self._lock:
            self._known = (writes, layout)


_UNCOVERED = tuple((f.name, f.default) for f in fields(EventFilter) if f.name not in _COVERED)
"""The filter's other fields and their defaults (``fields`` per call cost a tenth of a
series' Python)."""


def covers(where: EventFilter) -> bool:
    """Whether the rollup answers ``where``: country sides only, and every field it
    does not hold at its default (so a filter field added later falls back)."""
    for name, default in _UNCOVERED:
        if default is MISSING or getattr(where, name) != default:
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
    return _current(state), int(state[""])


def _current(state: dict[str, str]) -> bool:
    built = state.get(_BUILT_GENERATION)
    return built == state.get(GENERATION_KEY, "0") and state.get(_BUILT_EVENTS) == state[""]


def layout(con: duckdb.DuckDBPyConnection) -> tuple[Layout, int]:
    """What a country series may read now (without rebuilding anything), and how many
    events the store holds: one statement."""
    try:
        state = dict(con.execute(_STATE).fetchall())
    except duckdb.CatalogException:
        return "events", 0
    events = int(state[""])
    if not _current(state):
        return "events", events
    if _packed_current(state):
        return "packed", events
    return ("pairs" if _has_pairs(state) else "days"), events


def _has_packed(state: dict[str, str]) -> bool:
    """Whether the rollup of ``state`` has ``dyad_packed`` (rollup version 3)."""
    return int(state.get(VERSION_KEY, "1")) >= PACKED_VERSION


def _packed_current(state: dict[str, str]) -> bool:
    """Whether ``dyad_packed`` exists and was brought up to the current generation (a
    writer of rollup version 2 code leaves it behind)."""
    generation = state.get(GENERATION_KEY, "0")
    return _has_packed(state) and state.get(_PACKED_GENERATION) == generation


def _has_pairs(state: dict[str, str]) -> bool:
    """Whether the rollup of ``state`` (:data:`_STATE`'s rows) has ``dyad_pairs``: the
    migration that adds the table records its version in the same transaction."""
    return int(state.get(VERSION_KEY, "1")) >= PAIRS_VERSION


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Refill ``dyad_days`` from ``events`` and record what it was built from (inside a
    transaction that does not bump the generation)."""
    con.execute("DELETE FROM dyad_days")
    con.execute(_FILL)
    if _scalar_int(con, _HAS_PAIRS):
        fill_pairs(con)
        if _scalar_int(con, _HAS_PACKED):
            fill_packed(con)
    _mark_current(con)


def fill_pairs(con: duckdb.DuckDBPyConnection) -> None:
    """Refill ``dyad_pairs`` from ``dyad_days`` (a rebuild; the migration that adds it)."""
    con.execute("DELETE FROM dyad_pairs")
    for statement in _pair_rows("dyad_days"):
        con.execute(statement)


def fill_packed(con: duckdb.DuckDBPyConnection) -> None:
    """Refill ``dyad_packed`` from ``dyad_pairs`` (a rebuild; the migration that adds it)."""
    con.execute("DELETE FROM dyad_packed")
    _repack(con, "")
    _mark_packed(con)


def _repack(con: duckdb.DuckDBPyConnection, where: str) -> None:
    """Pack the ``dyad_pairs`` rows ``where`` (an SQL clause built from constants) into
    ``dyad_packed`` (whose rows of those pairs are gone already)."""
    rows = con.execute(_TO_PACK.format(where=where)).fetchnumpy()
    keys = [str(key) for key in rows["pair"]]
    if not keys:
        return
    bodies = [pack({c: rows[c][i] for c in _PACKED_COLUMNS}) for i in range(len(keys))]
    ranks = pa.array(np.asarray(rows["rank"], dtype=np.int64))
    packed = pa.table({"pair": keys, "rank": ranks, "body": pa.array(bodies, type=pa.binary())})
    con.register(_PACKED_ROWS, packed)
    try:
        con.execute(f"INSERT INTO dyad_packed SELECT pair, rank, body FROM {_PACKED_ROWS}")
    finally:
        con.unregister(_PACKED_ROWS)


def pack(row: dict[str, Any]) -> bytes | None:
    """One ``dyad_pairs`` row's dates and sums as ten 8-byte columns end to end (the
    dates as days since 1970, the DOUBLE columns' bits as they are), or None when a
    value is missing (a masked list: SQL's sums skip nulls, which the lists' reader
    leaves to the query)."""
    parts = [np.asarray(row[name]) for name in _PACKED_COLUMNS]
    if any(np.ma.isMaskedArray(row[n]) and np.ma.is_masked(row[n]) for n in _PACKED_COLUMNS):
        return None
    body = np.empty((len(parts), len(parts[0])), dtype=np.int64)
    body[0] = parts[0].astype("datetime64[D]").astype(np.int64)
    for index, (name, part) in enumerate(zip(_PACKED_COLUMNS[1:], parts[1:], strict=True), 1):
        body[index] = part.astype(np.float64).view(np.int64) if name in _PACKED_FLOATS else part
    return body.tobytes()


def unpack(bodies: Sequence[bytes]) -> dict[str, np.ndarray]:
    """What :func:`pack` wrote, the bodies' rows end to end, as the lists' columns
    (``date`` as ``datetime64[D]``)."""
    width = len(_PACKED_COLUMNS)
    parts = [np.frombuffer(body, dtype=np.int64).reshape(width, -1) for body in bodies]
    table = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    found = {name: table[i] for i, name in enumerate(_PACKED_COLUMNS)}
    found["date"] = found["date"].view("datetime64[D]")
    for name in _PACKED_FLOATS:
        found[name] = found[name].view(np.float64)
    return found


@dataclass(frozen=True, slots=True)
class Tracking:
    """A write transaction that keeps the rollup current (:func:`track`): ``pairs``
    says whether :func:`fold` rewrites ``dyad_pairs`` rows too, ``packed`` whether it
    repacks them into ``dyad_packed``, learnt from ``meta`` in the statement that
    found the rollup current, not from the catalog per write."""

    pairs: bool
    packed: bool = False


def track(con: duckdb.DuckDBPyConnection) -> Tracking | None:
    """At the start of a write transaction: if the rollup is current, an empty delta
    for the transaction's writes to fill (:func:`fold` at the end) and what to fold
    it into; None if not. Reads ``meta`` first: a store without a built rollup (or,
    mid-migration, without an ``events`` table) is not asked for its event count."""
    built = con.execute("SELECT 1 FROM meta WHERE key = ?", [_BUILT_GENERATION]).fetchall()
    if not built:
        return None
    try:
        state = dict(con.execute(_STATE).fetchall())
    except duckdb.CatalogException:
        return None
    if not _current(state):
        return None
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_DELTA} AS SELECT * FROM dyad_days LIMIT 0")
    return Tracking(pairs=_has_pairs(state), packed=_packed_current(state))


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


def fold(con: duckdb.DuckDBPyConnection, tracking: Tracking) -> None:
    """At the end of a tracked write transaction (after the generation was bumped): add
    the delta to ``dyad_days`` (and rewrite the touched pairs' rows of ``dyad_pairs``,
    as ``tracking`` says) and record that it matches the events again."""
    if _scalar_int(con, f"SELECT count(*) FROM {_DELTA}"):
        for statement in _FOLD:
            con.execute(statement)
        if tracking.pairs:
            for statement in _REFOLD_PAIRS:
                con.execute(statement)
        if tracking.packed:
            con.execute(_UNPACK_TOUCHED)
            _repack(con, f" AND split_part(pair, '|', 1) IN ({_TOUCHED})")
        con.execute(f"DROP TABLE {_SUMMED}")
    con.execute(f"DROP TABLE {_DELTA}")
    _mark_current(con)
    if tracking.packed:
        _mark_packed(con)


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


_GENERATION = f"SELECT value FROM meta WHERE key = '{GENERATION_KEY}'"


def _mark_packed(con: duckdb.DuckDBPyConnection) -> None:
    """Record that ``dyad_packed`` matches ``dyad_pairs`` at the current generation
    (``meta`` alone: :data:`_STATE` also counts the events)."""
    found = con.execute(_GENERATION).fetchall()
    generation = str(found[0][0]) if found else "0"
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [_PACKED_GENERATION, generation])


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


def pair_key(source: str, target: str) -> str:
    """The ``dyad_pairs`` key of the events from country ``source`` to ``target``."""
    return f"{source}>{target}"


def _pair_keys(dyad: tuple[str, str], direction: str) -> list[str]:
    a, b = dyad
    if direction == "a_to_b":
        return [pair_key(a, b)]
    if direction == "b_to_a":
        return [pair_key(b, a)]
    return list(dict.fromkeys((pair_key(a, b), pair_key(b, a))))


def pair_periods_sql(where: EventFilter) -> tuple[str, dict[str, object]] | None:
    """The series query over ``dyad_pairs`` for a country dyad ``where`` covers (None
    without a dyad): the pair's rows (one per direction) by key, unnested, then
    grouped as :func:`periods_sql` groups ``dyad_days``."""
    if where.dyad is None:
        return None
    keys = _pair_keys(where.dyad, where.direction)
    clause, params = replace(where, dyad=None).where()
    params.update({f"pair{i}": key for i, key in enumerate(keys)})
    wanted = ", ".join(f"$pair{i}" for i in range(len(keys)))
    rows = f"SELECT {_UNNESTED} FROM dyad_pairs WHERE pair IN ({wanted})"
    return _PERIODS.format(where=clause).replace("FROM dyad_days", f"FROM ({rows})"), params


_PAIR_TOTALS = """
WITH directed AS (
    SELECT {s} AS s, {t} AS t, {sums}
    FROM {source}
    WHERE date >= $start AND date <= $end AND {s} <> {t} AND {where}
    GROUP BY s, t
)
SELECT least(s, t) AS a, greatest(s, t) AS b, sum(n)::BIGINT AS events,
    sum(coop)::BIGINT AS coop, sum(conflict)::BIGINT AS conflict,
    sum(g) / nullif(sum(k), 0) AS goldstein_mean
FROM directed GROUP BY a, b ORDER BY a, b
"""
"""Undirected pairs of one window (the alliance network's edges before thresholds),
from the directed pairs' sums: ``n`` events, ``coop`` (QuadClass 1–2), ``conflict``
(3–4), ``g`` the Goldstein sum and ``k`` the scored events."""
_EVENT_SUMS = """count(*) AS n, count(*) FILTER (WHERE quad IN (1, 2)) AS coop,
        count(*) FILTER (WHERE quad IN (3, 4)) AS conflict,
        sum(goldstein) AS g, count(goldstein) AS k"""
_DAY_SUMS = """sum(events) AS n, sum(verbal_coop + material_coop) AS coop,
        sum(verbal_conflict + material_conflict) AS conflict,
        sum(goldstein_sum) AS g, sum(goldstein_n) AS k"""


def pair_totals_sql(
    chosen: EventFilter, level: str = "country", *, rollup: bool = False
) -> tuple[str, dict[str, object]]:
    """The alliance network's undirected pairs of actors at ``level`` (``country`` or
    ``code``) of one window, from the events table or (``rollup``: country pairs of a
    filter :func:`covers`) from ``dyad_days``; ``$start`` and ``$end`` to bind."""
    clause, params = chosen.where()
    if rollup:
        source, sums, sides = "dyad_days", _DAY_SUMS, ("source_country", "target_country")
    else:
        source, sums, sides = "events", _EVENT_SUMS, (f"source_{level}", f"target_{level}")
    sql = _PAIR_TOTALS.format(s=sides[0], t=sides[1], sums=sums, source=source, where=clause)
    return sql, params


_PAIR_READ = "SELECT {columns} FROM dyad_pairs WHERE pair IN ({wanted})"
_SUMMED_COLUMNS = _VALUES
_FLOAT_SUMS = frozenset({"goldstein_sum", "goldstein_sq", "num_mentions"})
"""Columns the periods query returns as floats (num_mentions: DuckDB's HUGEINT sum)."""


def pair_arrays(
    con: duckdb.DuckDBPyConnection, where: EventFilter, unit: str, *, packed: bool = False
) -> dict[str, np.ndarray] | None:
    """What :func:`pair_periods_sql` answers, as numpy arrays, from the pair's rows read
    by key and grouped here: DuckDB's unnest and hash grouping of a busy pair's 8,000
    days cost 2-3 ms, numpy's a fraction of it. Without date bounds a weekly, monthly
    or yearly series reads the rows summed per period (a few hundred values, where
    decoding the days cost about 2 ms). ``packed``: from ``dyad_packed``'s blobs
    unless ``where`` filters by provenance (which they do not hold). None without a
    dyad, or when a mention count is missing (SQL's sum skips nulls; left to the
    query)."""
    if where.dyad is None:
        return None
    keys = _pair_keys(where.dyad, where.direction)
    if unit in _PAIR_UNITS and where.since is None and where.until is None:
        keys = [f"{key}|{unit}" for key in keys]  # the pair's periods, summed already
    if packed and where.provenance is None and keys[0].endswith(_PAIR_SUFFIXES):
        columns = _packed_columns(con, keys)
    else:
        columns = _list_columns(con, keys, where)
    if columns is None:
        return None
    keep = _kept(columns, where)
    return _grouped(columns, keep, unit)


_PACKED_READ = "SELECT rank, body FROM dyad_packed WHERE pair IN ({wanted})"


def _packed_columns(
    con: duckdb.DuckDBPyConnection, keys: list[str]
) -> dict[str, np.ndarray | None] | None:
    """The pair rows ``keys`` from their blobs, in the lists' order (None when there
    are none, or one holds a missing mention count)."""
    sql = _PACKED_READ.format(wanted=", ".join("?" * len(keys)))
    bodies = [body for _, body in sorted(con.execute(sql, keys).fetchall())]
    if not bodies or any(body is None for body in bodies):
        return None
    return dict(unpack(bodies))


def _list_columns(
    con: duckdb.DuckDBPyConnection, keys: list[str], where: EventFilter
) -> dict[str, np.ndarray | None] | None:
    """The pair rows ``keys`` from ``dyad_pairs``' lists (None when there are none, or
    a mention count is missing)."""
    wanted_columns = [c for c in _PAIR_COLUMNS if c != "provenance" or where.provenance]
    sql = _PAIR_READ.format(columns=", ".join(wanted_columns), wanted=", ".join("?" * len(keys)))
    rows = con.execute(sql, keys).fetchnumpy()  # per column: one array per pair row
    if not len(rows["date"]):
        return None  # no events either way: the query answers its empty frame
    columns = {name: _flat(np.asarray(rows[name])) for name in wanted_columns}
    if columns["num_mentions"] is None:
        return None
    return columns


def _flat(lists: np.ndarray) -> np.ndarray | None:
    """The lists of a column end to end (None if a value is null: a masked array)."""
    parts = list(lists)
    if any(np.ma.isMaskedArray(part) and np.ma.is_masked(part) for part in parts):
        return None
    return np.concatenate([np.asarray(part) for part in parts]) if parts else np.zeros(0)


def _kept(columns: dict[str, np.ndarray | None], where: EventFilter) -> np.ndarray | None:
    """The rows ``where``'s dates and provenance keep (None: all)."""
    days = columns["date"]
    assert days is not None  # a DATE[] of a rollup row: never null
    keep = np.ones(len(days), dtype=bool)
    if where.since is not None:
        keep &= days >= np.datetime64(where.since, "D")
    if where.until is not None:
        keep &= days <= np.datetime64(where.until, "D")
    if where.provenance is not None:
        keep &= columns["provenance"] == where.provenance
    return None if keep.all() else keep


def _grouped(
    columns: dict[str, np.ndarray | None], keep: np.ndarray | None, unit: str
) -> dict[str, np.ndarray]:
    """Sums per period start, periods in order, as :data:`_PERIODS` groups them."""
    picked = {n: (v if keep is None else v[keep]) for n, v in columns.items() if v is not None}
    periods, slot = np.unique(period_starts(picked["date"], unit), return_inverse=True)
    found: dict[str, np.ndarray] = {"period": periods.astype("datetime64[us]")}
    for name in _SUMMED_COLUMNS:
        sums = np.bincount(slot, weights=picked[name], minlength=len(periods))
        found[name] = sums if name in _FLOAT_SUMS else sums.astype(np.int64)
    return found


def period_starts(days: np.ndarray, unit: str) -> np.ndarray:
    """``date_trunc(unit, day)`` of each day (``datetime64[D]``): weeks start on Monday."""
    days = days.astype("datetime64[D]")
    if unit == "day":
        return days
    if unit == "week":
        number = days.astype(np.int64)
        return (number - (number + 3) % 7).astype("datetime64[D]")  # 1970-01-01 was a Thursday
    step = "datetime64[M]" if unit == "month" else "datetime64[Y]"
    return days.astype(step).astype("datetime64[D]")
