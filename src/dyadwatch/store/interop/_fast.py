"""The fast GDELT import: DuckDB parses and converts a whole file in SQL.

Building a :class:`StoredEvent` per row costs ~25 µs in Python, too slow for
files of millions of rows. Here DuckDB splits the lines and computes the
``events`` row of every event in columnar SQL, as one lazy relation on the
store's own connection that :meth:`Store.add_stored_table` inserts with
``INSERT … SELECT``: no row crosses into Python, and the file is read once.
It accepts only files whose every row is well formed in the common way (see
``_WELL_FORMED``): the first other row makes the statement fail with
:data:`REJECTED` in its message, the transaction rolls back and the caller
takes the row-by-row path, which reports each bad row. Tests check that both
paths store the same events.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dyadwatch.store import Store
from dyadwatch.store._stored import STORED_COLUMNS
from dyadwatch.store.interop._columns import GDELT1_EVENT_COLUMNS, GDELT2_EVENT_COLUMNS
from dyadwatch.store.interop._tables import fips_table
from dyadwatch.store.interop.gdelt import SHORT_ROW

__all__ = ["REJECTED", "count_lines", "gdelt_query", "gdelt_relation"]

REJECTED = "dyadwatch: row refused by the bulk GDELT path"
"""The error() text of a row the bulk path does not take."""

_INT = r"^(0|[1-9][0-9]{0,8})$"
_NUMBER = r"^(-?[0-9]{1,15}(\.[0-9]{1,20})?)?$"
_GEO_PARTS = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long")
_ACTOR_PARTS = ("Code", "Name", "CountryCode", "Type1Code")
_MODELLED = frozenset(
    {
        "GLOBALEVENTID", "SQLDATE", "EventCode", "QuadClass", "GoldsteinScale",
        "NumMentions", "NumSources", "NumArticles", "AvgTone", "SOURCEURL",
        *(f"Actor{n}{part}" for n in (1, 2) for part in _ACTOR_PARTS),
    }
)  # fmt: skip


def _q(name: str) -> str:
    return '"' + name + '"'


def _cell(name: str, width: int) -> str:
    """The cell of column ``name`` in rows of ``width`` fields ('' where the layout has none)."""
    columns = GDELT2_EVENT_COLUMNS if width == 61 else GDELT1_EVENT_COLUMNS
    if name not in columns:
        return f"'' AS {_q(name)}"
    # A 57-field row is padded with NULL where SOURCEURL would be.
    return f"coalesce(c{columns.index(name)}, '') AS {_q(name)}"


_ALL = tuple(dict.fromkeys((*GDELT2_EVENT_COLUMNS, *GDELT1_EVENT_COLUMNS)))
_WIDTH = len(GDELT2_EVENT_COLUMNS)


def _read(path: Path) -> str:
    # Short rows are padded with NULL; an empty cell stays '' (its null string is a
    # control character no GDELT file holds), so NULLs tell how many fields a row had.
    # Views cannot hold parameters: the path goes in as a quoted SQL literal.
    literal = "'" + str(path).replace("'", "''") + "'"
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(_WIDTH))
    return (
        f"SELECT *, CASE WHEN c60 IS NOT NULL THEN 61 WHEN c57 IS NOT NULL THEN 58"
        f" WHEN c56 IS NOT NULL THEN 57 ELSE 0 END AS n"
        f" FROM read_csv({literal}, delim = chr(9), quote = '', escape = '', header = false,"
        f" auto_detect = false, null_padding = true, nullstr = chr(30), columns = {{{columns}}})"
    )


def _cells(width: int) -> str:
    return f"SELECT n, {', '.join(_cell(name, width) for name in _ALL)} FROM raw_rows"


_WELL_FORMED = f"""
(n = 57 OR n = 58 OR n = 61)
AND regexp_full_match(GLOBALEVENTID, '^[0-9]+$')
AND regexp_full_match(SQLDATE, '^[0-9]{{8}}$')
AND try_strptime(SQLDATE, '%Y%m%d') IS NOT NULL
AND regexp_full_match(EventCode, '^[0-9]{{2,4}}$')
AND (QuadClass = '' OR (length(QuadClass) = 1 AND QuadClass BETWEEN '1' AND '4'))
AND regexp_full_match(NumMentions, '{_INT}')
AND regexp_full_match(NumSources, '{_INT}')
AND regexp_full_match(NumArticles, '{_INT}')
AND regexp_full_match(GoldsteinScale, '{_NUMBER}')
AND regexp_full_match(AvgTone, '{_NUMBER}')
AND (NOT has_place OR (
    regexp_full_match(ActionGeo_Lat, '{_NUMBER}')
    AND regexp_full_match(ActionGeo_Long, '{_NUMBER}')))"""


def _float(cell: str) -> str:
    return f"CAST(NULLIF({cell}, '') AS DOUBLE)"


def _canonical_float(cell: str) -> str:
    """SQL for format_float: whole numbers without '.0', else the shortest repr."""
    value = _float(cell)
    return (
        f"coalesce(CASE WHEN {value} = trunc({value}) THEN CAST(CAST({value} AS BIGINT) AS VARCHAR)"
        f" ELSE CAST({value} AS VARCHAR) END, '')"
    )


def _entry(key: str, cell: str, when: str = "true") -> str:
    """One ``"key": "cell"`` JSON member, or NULL (skipped) when ``when`` fails or cell is ''."""
    return f"CASE WHEN {when} AND {cell} <> '' THEN '\"{key}\":' || to_json({cell}) END"


def _raw(column: str, canonical: str, when: str = "true") -> str:
    """The extra member ``raw:<column>`` when the cell differs from its canonical text."""
    cell = _q(column)
    return _entry(f"raw:{column}", cell, f"{when} AND {cell} <> {canonical}")


_HAS_PLACE = "has_place"
# A constant IN list is planned as a hash join per use; a range test is a plain filter.
_PLACE_TEST = "(length(ActionGeo_Type) = 1 AND ActionGeo_Type BETWEEN '1' AND '5')"
_PRECISION = (
    "CASE ActionGeo_Type WHEN '1' THEN 'country' WHEN '2' THEN 'adm1' WHEN '5' THEN 'adm1'"
    " ELSE 'city' END"
)
_GEO_TYPE = (
    "CASE WHEN ActionGeo_Type = '1' THEN '1'"
    " WHEN ActionGeo_Type = '2' OR ActionGeo_Type = '5'"
    " THEN CASE WHEN iso3 = 'USA' THEN '2' ELSE '5' END"
    " ELSE CASE WHEN iso3 = 'USA' THEN '3' ELSE '4' END END"
)


def _extra() -> str:
    # JSON text assembled from members: DuckDB's list/map functions cost ~40 µs a row here.
    plain = [
        _entry(name, _q(name))
        for name in _ALL
        if name not in _MODELLED and name.removeprefix("ActionGeo_") not in _GEO_PARTS
    ]
    geo = [
        _entry(f"ActionGeo_{part}", f"ActionGeo_{part}", f"NOT ({_HAS_PLACE})")
        for part in _GEO_PARTS
    ]
    raws = [
        _raw("GoldsteinScale", f"coalesce(CAST({_float('GoldsteinScale')} AS VARCHAR), '')"),
        _raw("AvgTone", _canonical_float("AvgTone")),
        _raw("ActionGeo_Type", _GEO_TYPE, _HAS_PLACE),
        _raw("ActionGeo_CountryCode", "coalesce(back_fips, '')", _HAS_PLACE),
        _raw("ActionGeo_Lat", _canonical_float("ActionGeo_Lat"), _HAS_PLACE),
        _raw("ActionGeo_Long", _canonical_float("ActionGeo_Long"), _HAS_PLACE),
        _entry(SHORT_ROW, "'57'", "n = 57"),
    ]
    members = f"concat_ws(',', {', '.join([*plain, *geo, *raws])})"
    return f"CASE WHEN {members} <> '' THEN '{{' || {members} || '}}' END"


def _actor(n: int) -> list[str]:
    code, name, country, sector = (_q(f"Actor{n}{part}") for part in _ACTOR_PARTS)
    present = f"({code} <> '' OR {name} <> '' OR {country} <> '' OR {sector} <> '')"
    return [
        f"CASE WHEN {present} THEN {code} END",
        f"CASE WHEN {present} THEN NULLIF({country}, '') END",
        f"CASE WHEN {present} THEN NULLIF({sector}, '') END",
        f"CASE WHEN {present} THEN {name} END",
        f"CASE WHEN {present} THEN NULLIF({name}, '') END",
    ]


def _location() -> list[str]:
    place = (
        "json_object('name', ActionGeo_FullName, 'country', iso3,"
        " 'adm1', NULLIF(ActionGeo_ADM1Code, ''), 'lat', lat, 'lon', lon,"
        f" 'precision', {_PRECISION}, 'geonames_id', NULL)::VARCHAR"
    )
    return [
        f"CASE WHEN {_HAS_PLACE} THEN {place} END",
        f"CASE WHEN {_HAS_PLACE} THEN lat END",
        f"CASE WHEN {_HAS_PLACE} THEN lon END",
        f"CASE WHEN {_HAS_PLACE} THEN iso3 END",
        f"CASE WHEN {_HAS_PLACE} THEN NULLIF(ActionGeo_ADM1Code, '') END",
    ]


def _select(width: int) -> str:
    provenance = "CASE WHEN n = 61 THEN 'gdelt2' ELSE 'gdelt1' END"
    same = "n = 61" if width == 61 else "n < 61"
    # The check rides on the id, a column every insert reads: one pass over the file.
    refuse = f"error({_literal(REJECTED)})"
    checked = f"CASE WHEN {same} AND {_WELL_FORMED} THEN GLOBALEVENTID ELSE {refuse} END"
    values = [
        f"{provenance} || ':' || {checked}",
        provenance,
        "GLOBALEVENTID",
        "CAST(strptime(SQLDATE, '%Y%m%d') AS DATE)",
        *_actor(1),
        *_actor(2),
        "EventCode",
        "EventCode[1:2]",
        _float("GoldsteinScale"),
        "CAST(NULLIF(QuadClass, '') AS INTEGER)",
        *_location(),
        "CAST(NumMentions AS INTEGER)",
        "CAST(NumSources AS INTEGER)",
        "CAST(NumArticles AS INTEGER)",
        _float("AvgTone"),
        "NULLIF(SOURCEURL, '')",
        "NULL::INTEGER", "NULL::INTEGER", "NULL::INTEGER", "NULL::INTEGER",
        _extra(),
    ]  # fmt: skip
    columns = ", ".join(
        f"{value} AS {name}" for value, name in zip(values, STORED_COLUMNS, strict=True)
    )
    return f"""
SELECT {columns}
FROM (
    SELECT c.*, NULLIF(fwd.iso3, '') AS iso3, back.fips AS back_fips,
           {_float("ActionGeo_Lat")} AS lat, {_float("ActionGeo_Long")} AS lon,
           {_PLACE_TEST} AS has_place
    FROM cells AS c
    LEFT JOIN fips_forward AS fwd ON fwd.fips = c.ActionGeo_CountryCode
    LEFT JOIN fips_backward AS back ON back.iso3 = NULLIF(fwd.iso3, '')
)"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fips_values() -> tuple[str, str]:
    """The FIPS → ISO-3 table and back, as SQL VALUES lists (no temp tables needed)."""
    table = fips_table()
    forward = ", ".join(f"({_literal(f)}, {_literal(i)})" for f, i in table.forward.items())
    backward = ", ".join(f"({_literal(i)}, {_literal(f)})" for i, f in table.backward.items())
    return forward, backward


def gdelt_query(path: Path) -> str | None:
    """The SELECT giving the ``events`` rows of a GDELT event file, else None.

    None when the first line cannot be read or has no GDELT width. The query
    fails with :data:`REJECTED` at the first row the bulk path does not take,
    and with DuckDB's own error for bytes it cannot read (bad UTF-8, stray
    control characters, too many fields): the row path reads those.
    """
    try:
        width = _first_width(path)
    except OSError:
        return None
    if width not in (57, 58, 61):
        return None
    forward, backward = _fips_values()
    return f"""
WITH fips_forward(fips, iso3) AS (VALUES {forward}),
fips_backward(iso3, fips) AS (VALUES {backward}),
raw_rows AS ({_read(path)}),
cells AS ({_cells(width)})
{_select(width)}"""


def gdelt_relation(store: Store, path: Path) -> duckdb.DuckDBPyRelation | None:
    """The lazy relation of :func:`gdelt_query` on ``store``'s connection, else None."""
    query = gdelt_query(path)
    return None if query is None else store.relation(query)


def count_lines(path: Path) -> int:
    """Lines of a file, a last line without newline included (bulk files have no blanks)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _first_width(path: Path) -> int:
    with path.open("rb") as handle:
        return handle.readline().count(b"\t") + 1
