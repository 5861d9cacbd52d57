"""Casualty ledgers: strikes, killed and civilians by country and year, source by source.

Sources are our coded events (by default CAMEO 195, aerial weapons, with the
casualty ranges their reports gave) and the tables users bring, in New
America's layout or TBIJ's (column layouts in ``data/ledger_layouts.tsv``).
:func:`compare_ledgers` sets them side by side with their disagreement, as
Columbia Law School's "Counting Drone Strike Deaths" did by hand.

Every source is read into the same strike table (:data:`STRIKE_COLUMNS`):
one row per strike, casualties as ``_min``/``_max`` ranges, missing values NA.
Tallies sum the known values; a strike whose civilians are unknown adds
nothing to them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Unpack

import pandas as pd

from dyadwatch.analytics._sql import Scope, invalid
from dyadwatch.errors import DictionaryError, Errors, InputError
from dyadwatch.store import EventFilter, Store

__all__ = [
    "MEASURES",
    "STRIKE_COLUMNS",
    "Layout",
    "coded_strikes",
    "compare_ledgers",
    "ledger",
    "read_strike_table",
]

Layout = Literal["new_america", "tbij"]
MEASURES = ("killed", "civilians", "children", "injured")
STRIKE_COLUMNS = (
    "source", "strike_id", "date", "year", "country", "strikes",
    *(f"{m}_{end}" for m in MEASURES for end in ("min", "max")),
)  # fmt: skip
_LAYOUT_FILE = "ledger_layouts.tsv"
_FIELDS = frozenset({"strike_id", "date", "country", "strikes"}) | {
    f"{m}{end}" for m in MEASURES for end in ("", "_min", "_max")
}
_RANGE = re.compile(r"\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*")
_TALLY = ["strikes", *STRIKE_COLUMNS[6:]]


@dataclass(frozen=True, slots=True)
class _LayoutSpec:
    """Which headers a layout's fields may appear under (normalised)."""

    name: str
    headers: Mapping[str, tuple[str, ...]]


def _normal(header: str) -> str:
    return " ".join(re.split(r"[\s_\-]+", header.strip().lower())).strip()


@functools.cache
def _layouts() -> Mapping[str, _LayoutSpec]:
    """The layouts of ``data/ledger_layouts.tsv``; a bad line raises DW207."""
    source = resources.files(__package__).joinpath("data", _LAYOUT_FILE)
    fields: dict[str, dict[str, tuple[str, ...]]] = {}
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in _FIELDS or not parts[2].strip():
            detail = f"expected layout<TAB>field<TAB>headers with a known field, got {line!r}"
            raise DictionaryError(Errors.DW207, path=_LAYOUT_FILE, line=number, detail=detail)
        fields.setdefault(parts[0], {})[parts[1]] = tuple(_normal(h) for h in parts[2].split("|"))
    return MappingProxyType(
        {name: _LayoutSpec(name, MappingProxyType(f)) for name, f in fields.items()}
    )


def read_strike_table(
    path: Path | str, layout: Layout, *, country: str | None = None
) -> pd.DataFrame:
    """One row per strike of a CSV (or tab-separated .tsv/.tab) table in ``layout``.

    ``country`` (ISO-3) fills the country of a table without a country column
    (New America's sheets are one per country). Raises InputError DW108 for an
    unreadable file, DW113 when a required column is missing, DW112 naming the
    line of a bad date or count.
    """
    spec = _layouts().get(layout)
    if spec is None:
        invalid("layout", layout, f"expected one of {', '.join(sorted(_layouts()))}")
    raw = _read_csv(Path(path))
    columns = _match_columns(raw, spec, path)
    if "country" not in columns and country is None:
        detail = "the table has no country column; give country= (e.g. PAK)"
        raise InputError(Errors.DW113, format=layout, detail=detail, path=str(path))
    rows = [_strike(raw, columns, i, layout, country, path) for i in range(len(raw))]
    return pd.DataFrame(rows, columns=list(STRIKE_COLUMNS)).astype(_DTYPES)


_DTYPES: Mapping[str, str] = MappingProxyType(
    {"strikes": "Int64", "year": "Int64", **dict.fromkeys(STRIKE_COLUMNS[6:], "Int64")}
)


def _read_csv(path: Path) -> pd.DataFrame:
    separator = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    try:
        return pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(Errors.DW108, detail=str(exc), path=str(path)) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(Errors.DW108, detail="empty file", path=str(path)) from exc


def _match_columns(raw: pd.DataFrame, spec: _LayoutSpec, path: Path | str) -> dict[str, str]:
    """Field → the table's header for it; DW113 without date or killed."""
    by_normal = {_normal(str(c)): str(c) for c in raw.columns}
    found = {
        field: by_normal[h]
        for field, headers in spec.headers.items()
        for h in headers
        if h in by_normal
    }
    killed = {"killed_min", "killed_max"} <= found.keys() or "killed" in found
    if "date" not in found or not killed:
        detail = f"needs a date and killed (min/max) column; found {sorted(raw.columns)}"
        raise InputError(Errors.DW113, format=spec.name, detail=detail, path=str(path))
    return found


def _strike(
    raw: pd.DataFrame, columns: Mapping[str, str], i: int, layout: str,
    country: str | None, path: Path | str,
) -> list[object]:  # fmt: skip
    row = raw.iloc[i]
    line = i + 2  # the header is line 1

    def cell(field: str) -> str:
        return str(row[columns[field]]).strip() if field in columns else ""

    day = _day(cell("date"), layout, path, line)
    measures: list[int | None] = []
    for measure in MEASURES:
        measures.extend(_measure(cell, measure, layout, path, line))
    strikes = _count(cell("strikes"), "strikes", layout, path, line)
    return [
        layout, cell("strike_id") or str(i + 1), day, day.year,
        (cell("country") or country or "").upper() or None,
        1 if strikes is None else strikes, *measures,
    ]  # fmt: skip


def _day(text: str, layout: str, path: Path | str, line: int) -> dt.date:
    try:
        return pd.Timestamp(text).date()
    except ValueError as exc:
        detail = f"date {text!r} is not a date"
        raise InputError(
            Errors.DW112, format=layout, detail=detail, path=str(path), line=line
        ) from exc


def _measure(
    read: Callable[[str], str], measure: str, layout: str, path: Path | str, line: int
) -> tuple[int | None, int | None]:
    """A casualty range from a _min/_max pair, else from one number or range cell."""
    low, high = read(f"{measure}_min"), read(f"{measure}_max")
    if low or high:
        low_n = _count(low, f"{measure}_min", layout, path, line)
        high_n = _count(high, f"{measure}_max", layout, path, line)
        return low_n if low_n is not None else high_n, high_n if high_n is not None else low_n
    text = read(measure)
    if not text:
        return None, None
    found = _RANGE.fullmatch(text)
    if found is None:
        detail = f"{measure} {text!r} is neither a number nor a range such as 4-6"
        raise InputError(Errors.DW112, format=layout, detail=detail, path=str(path), line=line)
    return int(found[1]), int(found[2] or found[1])


def _count(text: str, name: str, layout: str, path: Path | str, line: int) -> int | None:
    if not text:
        return None
    try:
        value = int(float(text))
    except ValueError:
        value = -1
    if value < 0:
        detail = f"{name} {text!r} is not a count"
        raise InputError(Errors.DW112, format=layout, detail=detail, path=str(path), line=line)
    return value


def coded_strikes(
    store: Store,
    *,
    cameo: Sequence[str] = ("195",),
    since: dt.date | None = None,
    until: dt.date | None = None,
    **scope: Unpack[Scope],
) -> pd.DataFrame:
    """Our coded events with a CAMEO code starting with one of ``cameo``, as strikes.

    One row per resolved incident: a deduplicated event (self-coded or
    imported; one per incident of a document, one per incident across
    articles, see docs/STORE.md), with source ``coded`` and the casualty range
    reconciled over its mentions. The country is where it happened, else the
    target's; never the doer's (a U.S. strike happens where it hits), so an
    incident placed nowhere counts under country NA. ``min_confidence`` and
    ``date_basis`` choose the events counted (:class:`~dyadwatch.analytics._sql.Scope`).
    Columns :data:`STRIKE_COLUMNS`.
    """
    if (
        isinstance(cameo, str)
        or not cameo
        or not all(isinstance(c, str) and c.isdigit() for c in cameo)
    ):
        invalid("cameo", cameo, "expected a list of CAMEO code prefixes such as 195")
    found = store.coded_strikes(cameo, EventFilter.of(None, **scope), since=since, until=until)
    found = found.assign(
        source="coded", strikes=1, year=pd.to_datetime(found["date"]).dt.year,
        date=pd.to_datetime(found["date"]).dt.date,
    )  # fmt: skip
    return found[list(STRIKE_COLUMNS)].astype(_DTYPES)


def ledger(
    store: Store | None = None,
    *,
    new_america: Path | str | None = None,
    tbij: Path | str | None = None,
    country: str | None = None,
    cameo: Sequence[str] = ("195",),
    tables: Sequence[pd.DataFrame] = (),
    **scope: Unpack[Scope],
) -> pd.DataFrame:
    """Tallies by source, country and year: strikes and casualty ranges.

    Sources: the ``store``'s coded events (``cameo`` codes), a New America
    table, a TBIJ table and any strike ``tables`` already read. ``country``
    (ISO-3) keeps that country's strikes only, and is the country of a table
    without a country column. ``min_confidence`` and ``date_basis`` choose the
    store's events (:class:`~dyadwatch.analytics._sql.Scope`). Columns: source,
    country, year, strikes, then ``_min``/``_max`` sums of killed, civilians, children and injured.
    """
    strikes = list(tables)
    if store is not None:
        strikes.append(coded_strikes(store, cameo=cameo, **scope))
    if new_america is not None:
        strikes.append(read_strike_table(new_america, "new_america", country=country))
    if tbij is not None:
        strikes.append(read_strike_table(tbij, "tbij", country=country))
    frames = [s for s in strikes if not s.empty]
    if not frames:
        return pd.DataFrame(columns=["source", "country", "year", *_TALLY])
    every = pd.concat(frames, ignore_index=True)
    every["country"] = every["country"].fillna("?")
    if country is not None:  # a ledger for one country: other countries' strikes are left out
        every = every[every["country"] == country.upper()]
    tally = every.groupby(["source", "country", "year"], sort=True)[_TALLY].sum(min_count=1)
    return tally.reset_index()


def compare_ledgers(tally: pd.DataFrame) -> pd.DataFrame:
    """Sources side by side per country and year, with their disagreement.

    Columns ``<source>_<figure>`` for strikes, killed and civilians (NA where a
    source has no row or no figure), then ``strikes_spread`` (most minus
    fewest strikes), ``killed_gap`` and ``civilians_gap`` (the largest minimum
    minus the smallest maximum: above zero, some ranges do not overlap at
    all). A disagreement needs two sources with the figure; else it is NA.
    """
    figures = ["strikes", "killed_min", "killed_max", "civilians_min", "civilians_max"]
    by_source = tally.set_index(["country", "year", "source"])[figures].unstack("source")
    sources = sorted(tally["source"].unique())
    wide = pd.DataFrame(index=by_source.index)
    for source in sources:
        for figure in figures:
            wide[f"{source}_{figure}"] = by_source[(figure, source)]
    strikes = _block(by_source, "strikes")
    wide["strikes_spread"] = _spread(strikes.max(axis=1), strikes) - strikes.min(axis=1)
    for measure in ("killed", "civilians"):
        lows, highs = _block(by_source, f"{measure}_min"), _block(by_source, f"{measure}_max")
        wide[f"{measure}_gap"] = _spread(lows.max(axis=1), lows) - highs.min(axis=1)
    return wide.reset_index()


def _block(by_source: pd.DataFrame | pd.Series, figure: str) -> pd.DataFrame:
    """One figure for every source: the columns of ``figure`` in the unstacked table."""
    block = by_source[figure]
    assert isinstance(block, pd.DataFrame)
    return block


def _spread(values: pd.Series, per_source: pd.DataFrame) -> pd.Series:
    """``values`` where at least two sources have a figure, else NA."""
    return values.where(per_source.notna().sum(axis=1) >= 2)
