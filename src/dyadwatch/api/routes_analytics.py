"""Analytics endpoints: dyad series, lows and shifts, dyads at a low, alliances, the ledger.

The functions live in :mod:`dyadwatch.analytics` and are looked up per call, so
this module depends on their names only; a missing one answers DW608 (501).
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable
from typing import Annotated, Any, Literal, Unpack

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic_core import to_json

from dyadwatch.analytics import MIN_EVENTS
from dyadwatch.analytics._sql import Scope
from dyadwatch.analytics.alliances import balance_of, tension_of
from dyadwatch.analytics.series import series_arrays
from dyadwatch.analytics.uncertainty import DEFAULT_Z, MIN_HISTORY
from dyadwatch.api._deps import reader
from dyadwatch.api._queries import plain_cell, to_jsonable
from dyadwatch.api._scope import ScopeDep
from dyadwatch.api.models import AnalyticsOut, ErrorBody
from dyadwatch.api.routes_read import ACTOR
from dyadwatch.errors import ApiError, Errors
from dyadwatch.store import Store

__all__ = ["analytics_function", "columns_json", "frame_rows", "router", "series_json"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (404, 422, 500, 501)
}

router = APIRouter(tags=["analytics"], responses=_ERRORS)

StoreDep = Annotated[Store, Depends(reader)]
Side = Annotated[str, Path(pattern=ACTOR, description="actor code or ISO-3 country")]


PublicationWeight = Annotated[
    float,
    Query(description="What an event dated only by its publication stamp counts, 0-1."),
]


def analytics_function(name: str) -> Callable[..., Any]:
    """``dyadwatch.analytics.<name>``, or ApiError DW608 when this version lacks it."""
    module = importlib.import_module("dyadwatch.analytics")
    found = getattr(module, name, None)
    if not callable(found):
        raise ApiError(Errors.DW608, name=name)
    return found  # type: ignore[no-any-return]


def _result(name: str, value: object) -> dict[str, Any]:
    if isinstance(value, pd.DataFrame):
        return {"name": name, "result": frame_rows(value)}
    return {"name": name, "result": to_jsonable(value)}


def _json_response(name: str, result: list[Any]) -> Response:
    """``{"name": name, "result": result}`` as the bytes FastAPI writes for an
    :class:`AnalyticsOut` (pydantic's JSON, whose floats differ from ``json.dumps``:
    ``5.4e-05`` is ``0.000054``), without validating it against the model
    (declared for the docs only) on another thread hop: ``result`` is plain JSON
    already, and that validation cost more than the series' query."""
    return Response(to_json({"name": name, "result": result}), media_type="application/json")


def _frame_response(name: str, value: object) -> Response:
    """An analytics result as :func:`_result` writes it, sent as bytes."""
    return _json_response(name, _result(name, value)["result"])


def _columns_response(name: str, columns: dict[str, Any]) -> Response:
    """Named columns as :func:`columns_json` writes them, sent as bytes."""
    return Response(columns_json(name, columns), media_type="application/json")


def columns_json(name: str, columns: dict[str, Any]) -> bytes:
    """Named columns (numpy arrays, ``datetime64`` days or lists of dates) as
    :func:`_json_response` writes the rows of the DataFrame made of them, without
    making it, a column at a time: each column's JSON values by one pydantic call,
    each row by one byte template (a dict per row, then a walk of them all, cost a
    fifth of a weekly series)."""
    cells = [_json_cells(_array_column(column)) for column in columns.values()]
    fields = (to_json(field) + b":%b" for field in columns)
    template = b"{" + b",".join(fields) + b"}"
    rows = b",".join([template % row for row in zip(*cells, strict=True)])
    return b'{"name":' + to_json(name) + b',"result":[' + rows + b"]}"


def series_json(
    store: Store, a: str, b: str, freq: str = "M", publication_weight: float = 1.0,
    **scope: Unpack[Scope],
) -> bytes:  # fmt: skip
    """The body of ``GET /dyads/{a}/{b}/series`` (the route's, and the hot path's in
    :mod:`~dyadwatch.api._hot`, which calls this with the parameters it parsed)."""
    periods, columns = series_arrays(
        store, a.upper(), b.upper(), freq=freq,  # type: ignore[arg-type]
        publication_weight=publication_weight, **scope,
    )  # fmt: skip
    return columns_json("dyad_series", {"period": periods, **columns})


def _json_cells(values: list[Any]) -> list[bytes]:
    """Each value's JSON, as pydantic writes it in a list (no value holds a comma:
    numbers, null and ISO dates)."""
    return to_json(values)[1:-1].split(b",") if values else []


def _array_column(column: Any) -> list[Any]:
    """One column as JSON values: dates as ISO days, non-finite floats as null."""
    if not isinstance(column, np.ndarray):
        return [None if day is None else day.isoformat() for day in column]
    if column.dtype.kind == "M":
        return _days(column)
    if column.dtype.kind == "f":
        return _floats(column)
    return column.tolist()  # type: ignore[no-any-return]


def _days(values: np.ndarray) -> list[Any]:
    """``datetime64`` values as ISO days (what ``date.isoformat`` writes), NaT as
    null: numpy writes them all at once."""
    found: list[Any] = np.datetime_as_string(values, unit="D").tolist()
    missing = np.isnat(values)
    if missing.any():
        found = [None if gap else day for day, gap in zip(found, missing.tolist(), strict=True)]
    return found


def _floats(values: np.ndarray) -> list[Any]:
    """A float array as JSON values: non-finite ones (NaN, infinities) as null."""
    found: list[Any] = values.tolist()
    if not np.isfinite(values).all():
        found = [x if math.isfinite(x) else None for x in found]
    return found


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame`` as :func:`~dyadwatch.api._queries.to_jsonable` writes it (a list of
    rows; NaN, infinities and NaT as null, timestamps as ISO dates), a column at a
    time: cell by cell, a weekly series of ten years took 25 ms, more than its query."""
    names = [str(name) for name in frame.columns]
    columns = [_column(frame[name]) for name in frame.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _column(column: pd.Series) -> list[Any]:
    """One column as JSON values, by its dtype; an object column cell by cell."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"
    if kind in "iub":
        return column.to_numpy().tolist()
    if kind == "f":
        return _floats(column.to_numpy(dtype=float))
    if kind == "M":
        return [None if day is pd.NaT else day.date().isoformat() for day in column]
    cells = column.to_numpy(dtype=object).tolist()
    if all(type(cell) is str for cell in cells):
        return cells  # text as it is (a year's network has 100,000 actor and sign cells)
    return [to_jsonable(plain_cell(cell)) for cell in cells]


@router.get("/dyads/{a}/{b}/series", response_model=AnalyticsOut)
def dyad_series(
    store: StoreDep,
    a: Side,
    b: Side,
    scope: ScopeDep,
    freq: Literal["D", "W", "M", "Y"] = "M",
    publication_weight: PublicationWeight = 1.0,
) -> Response:
    """The dyad's series, one row per period from first to last (empty periods kept).

    Each row: counts by QuadClass, ``goldstein_mean`` and ``net_coop`` (raw,
    null in empty periods), and for both indices the shrinkage estimate with
    its 90% interval: ``net_coop_est``/``_low``/``_high``,
    ``goldstein_mean_est``/``_low``/``_high``. ``min_confidence`` and
    ``date_basis`` choose the events counted; ``publication_weight`` weighs
    publication-stamped ones.
    """
    body = series_json(store, a, b, freq, publication_weight, **scope)
    return Response(body, media_type="application/json")


Lookback = Annotated[
    int | None,
    Query(ge=1, le=600, description="Periods of history a low is tested against (default: all)."),
]
Smooth = Annotated[
    int | None, Query(ge=1, le=60, description="Longest window of periods tested (default 2).")
]
MinEvents = Annotated[int, Query(ge=1, le=10_000, description="Periods with fewer are skipped.")]
MinHistory = Annotated[
    int, Query(ge=1, le=600, description="Fewest scored periods of history a test needs.")
]
Threshold = Annotated[
    float,
    Query(gt=0, le=100, description="Standard errors below (or above) the history to report."),
]
Kind = Annotated[Literal["low", "high", "both"], Query(description="Lows, highs or both.")]


@router.get("/dyads/{a}/{b}/lows", response_model=AnalyticsOut)
def dyad_lows(
    store: StoreDep,
    a: Side,
    b: Side,
    scope: ScopeDep,
    kind: Kind = "low",
    lookback: Lookback = None,
    smooth: Smooth = None,
    min_events: MinEvents = MIN_EVENTS,
    z: Threshold = DEFAULT_Z,
    publication_weight: PublicationWeight = 1.0,
) -> Response:
    """The dyad's monthly lows (or highs): months departing from the dyad's own
    history by more than ``z`` standard errors. Each finding carries ``value``
    with its 90% bounds ``low``/``high``, ``events``, ``z``, ``baseline`` and
    its cited events. ``publication_weight`` weighs publication-stamped events."""
    function = analytics_function("dyad_lows")
    found = function(
        store, a.upper(), b.upper(), kind=kind, lookback=lookback, smooth=smooth,
        min_events=min_events, z=z, publication_weight=publication_weight, **scope,
    )  # fmt: skip
    return _frame_response("dyad_lows", found)


@router.get("/dyads/{a}/{b}/shifts", response_model=AnalyticsOut)
def dyad_shifts(
    store: StoreDep,
    a: Side,
    b: Side,
    scope: ScopeDep,
    smooth: Annotated[int | None, Query(ge=1, le=60, description="Smooth first.")] = None,
    min_events: MinEvents = MIN_EVENTS,
    publication_weight: PublicationWeight = 1.0,
) -> Response:
    """Where the dyad's monthly level changed (changepoints), with the level
    ``before`` and ``after``, the 90% bounds of the new level and its events.
    ``publication_weight`` weighs publication-stamped events."""
    function = analytics_function("dyad_shifts")
    found = function(
        store, a.upper(), b.upper(), smooth=smooth, min_events=min_events,
        publication_weight=publication_weight, **scope,
    )  # fmt: skip
    return _frame_response("dyad_shifts", found)


@router.get("/dyads/lows", response_model=AnalyticsOut)
def dyads_at_low(
    store: StoreDep,
    scope: ScopeDep,
    since: Annotated[dt.date, Query(description="First day of the recent window.")],
    until: Annotated[dt.date | None, Query(description="Last day (default: today).")] = None,
    lookback: Annotated[
        int, Query(ge=1, le=600, description="Months of history before ``since``.")
    ] = 36,
    min_events: Annotated[
        int, Query(ge=1, le=1_000_000, description="Fewest events since ``since``.")
    ] = 10,
    min_history: MinHistory = MIN_HISTORY,
    z: Threshold = DEFAULT_Z,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Most dyads returned.")] = 100,
    publication_weight: PublicationWeight = 1.0,
) -> dict[str, Any]:
    """Every country pair with enough events since ``since`` and enough history,
    ranked by how far its net cooperation sits below its own history, lowest
    ``z`` first: ``net_coop`` with 90% bounds ``low``/``high``, ``baseline``,
    ``events``, ``history_periods``, ``z`` and ``at_low`` (``z`` ≤ −``z``).
    ``publication_weight`` weighs publication-stamped events."""
    if until is not None and until < since:
        raise ApiError(Errors.DW605, detail="until is before since")
    function = analytics_function("dyads_at_low")
    ranked = function(
        store, since, until=until, lookback=lookback, min_events=min_events,
        min_history=min_history, z=z, publication_weight=publication_weight, **scope,
    )  # fmt: skip
    return _result("dyads_at_low", ranked.head(limit))


def _window(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    end = end or dt.date.today()
    start = start or _before(end, dt.timedelta(days=365))
    if start > end:
        raise ApiError(Errors.DW605, detail="start is after end")
    return start, end


@router.get("/alliances", response_model=AnalyticsOut)
def alliances(
    store: StoreDep, scope: ScopeDep, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """The signed, weighted network of dyads over ``start``…``end`` (default: last year)."""
    first, last = _window(start, end)
    network = analytics_function("alliances")(store, first, last, **scope)
    return {"name": "alliances", "result": _network(network)}  # already JSON values


@router.get("/alliances/realignments", response_model=AnalyticsOut)
def realignments(
    store: StoreDep,
    scope: ScopeDep,
    start: dt.date | None = None,
    end: dt.date | None = None,
    before_start: dt.date | None = None,
    before_end: dt.date | None = None,
) -> dict[str, Any]:
    """Edges whose sign flipped between the window before and ``start``…``end``."""
    first, last = _window(start, end)
    before_last = before_end or _before(first, dt.timedelta(days=1))
    before_first = before_start or _before(before_last, last - first)
    before_first, before_last = _window(before_first, before_last)
    function = analytics_function("realignments")
    found = function(store, (before_first, before_last), (first, last), **scope)
    value = {
        "flips": found.flips,
        "triads": found.triads,
        "statements": found.statements(),
        "before": _network(found.first),
        "after": _network(found.second),
    }
    return _result("realignments", value)


def _before(day: dt.date, span: dt.timedelta) -> dt.date:
    """``day - span``, stopping at the first representable day."""
    return day - span if day - dt.date.min >= span else dt.date.min


def _network(network: Any) -> dict[str, Any]:
    """An ``AllianceNetwork`` as its tables (edges, triads, tension and balance), as
    the JSON :func:`to_jsonable` writes: a column at a time (a year's network has
    thousands of triads; cell by cell they cost more than the network), and the
    triads listed once for the table, the tension and the balance."""
    triads = network.triads()
    return {
        "start": to_jsonable(network.start),
        "end": to_jsonable(network.end),
        "nodes": sorted(str(node) for node in network.graph.nodes),
        "edges": frame_rows(network.edges()),
        "triads": frame_rows(triads),
        "tension": frame_rows(tension_of(triads)),
        "balance": to_jsonable(balance_of(triads)),
    }


@router.get("/ledger", response_model=AnalyticsOut)
def ledger(store: StoreDep, scope: ScopeDep) -> dict[str, Any]:
    """Strikes, killed (min/max) and civilians by country and year, from coded events."""
    return _result("ledger", analytics_function("ledger")(store, **scope))
