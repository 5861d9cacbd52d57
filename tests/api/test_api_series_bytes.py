"""The series, lows and shifts handlers write their JSON straight from the
analytics' columns (no DataFrame, no response-model validation): the bytes equal
what the former handlers (the frame through ``AnalyticsOut`` and FastAPI's
JSONResponse) wrote, over many pairs, units and filters."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pytest
from api_support import ApiClient, CountingApp, hot_layer
from fastapi import FastAPI

from dyadwatch.analytics import MIN_EVENTS, dyad_lows, dyad_series, dyad_shifts
from dyadwatch.analytics.uncertainty import DEFAULT_Z
from dyadwatch.api import _hot
from dyadwatch.api.models import AnalyticsOut
from dyadwatch.api.routes_analytics import (
    ScopeDep,
    Side,
    StoreDep,
    _columns_response,
    _result,
    series_json,
)
from dyadwatch.errors import Errors, StoreError
from dyadwatch.model import Actor, Location
from dyadwatch.store import Store, StoredEvent, _rollup
from dyadwatch.web import create_app

_COUNTRIES = ("USA", "PAK", "IND", "CHN", "RUS")
_KINDS = (("042", 1.9, 1), ("036", 4.0, 1), ("057", 8.0, 2), ("111", -2.0, 3), ("190", -10.0, 4))


def _events(count: int, seed: int) -> list[StoredEvent]:
    """Events between the countries (some sub-state codes) over six years, a few
    pairs busy and the rest thin, so series have empty periods and lows exist."""
    rng = random.Random(seed)
    found = []
    for n in range(count):
        a, b = rng.sample(_COUNTRIES[: 2 + n % 4], 2)
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        cameo, goldstein, quad = rng.choice(_KINDS)
        source, target = (a + rng.choice(("", "GOV", "MIL")), b)
        sides = Actor(source, source, a, source[3:] or None), Actor(target, target, b, None)
        where = Location("Somewhere", b)
        stored = StoredEvent(
            f"gdelt2:s{n}", "gdelt2", day, *sides, cameo, goldstein, quad, str(n), location=where
        )
        found.append(stored)
    return found


def _former(app: FastAPI) -> None:
    """The handlers as they were: a DataFrame returned as a dict, validated."""

    @app.get("/former/{a}/{b}/series", response_model=AnalyticsOut)
    def series(
        store: StoreDep, a: Side, b: Side, scope: ScopeDep,
        freq: Literal["D", "W", "M", "Y"] = "M", publication_weight: float = 1.0,
    ) -> dict[str, Any]:  # fmt: skip
        frame = dyad_series(store, a.upper(), b.upper(), freq=freq,
                            publication_weight=publication_weight, **scope)  # fmt: skip
        return _result("dyad_series", frame)

    @app.get("/former/{a}/{b}/lows", response_model=AnalyticsOut)
    def lows(
        store: StoreDep, a: Side, b: Side, scope: ScopeDep,
        kind: Literal["low", "high", "both"] = "low",
        min_events: int = MIN_EVENTS, z: float = DEFAULT_Z,
    ) -> dict[str, Any]:  # fmt: skip
        found = dyad_lows(store, a.upper(), b.upper(), kind=kind, min_events=min_events, z=z,
                          **scope)  # fmt: skip
        return _result("dyad_lows", found)

    @app.get("/former/{a}/{b}/shifts", response_model=AnalyticsOut)
    def shifts(
        store: StoreDep, a: Side, b: Side, scope: ScopeDep, min_events: int = MIN_EVENTS
    ) -> dict[str, Any]:
        found = dyad_shifts(store, a.upper(), b.upper(), min_events=min_events, **scope)
        return _result("dyad_shifts", found)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("bytes") / "series.duckdb"
    with Store.open(path) as store:
        store.add_stored_events(_events(3000, seed=12))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_rollup, "ROLLUP_MIN_EVENTS", 1)  # the rollup's read path too
        app = create_app(path, response_cache_bytes=0)
    _former(app)
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


def _same(api: ApiClient, path: str, query: str) -> bytes:
    new = api.get(f"/dyads/{path}?{query}")
    old = api.get(f"/former/{path}?{query}")
    assert new.status_code == old.status_code == 200, (path, query, new.text)
    assert new.headers["content-type"] == old.headers["content-type"]
    assert new.content == old.content, (path, query)
    return new.content


_PAIRS = [(a, b) for a in _COUNTRIES for b in _COUNTRIES if a != b]


def test_api_series_bytes_equal_the_frame_handler(api: ApiClient) -> None:
    rows = 0
    for n, (a, b) in enumerate(_PAIRS):
        for freq in ("D", "W", "M", "Y"):
            filters = ["", "start=2016-03-05&end=2018-11-20", "min_confidence=0.5",
                       "publication_weight=0.5", "date_basis=publication"][n % 5]  # fmt: skip
            body = _same(api, f"{a}/{b}/series", f"freq={freq}&{filters}")
            rows += body.count(b'"period"')
    assert rows > 1000  # the pairs had series to write, with empty periods among them
    _same(api, "USA/ZZZ/series", "freq=M")  # no events: an empty result
    _same(api, "usagov/pak/series", "freq=W")  # a code side, read from the events table


def test_api_lows_and_shifts_bytes_equal_the_frame_handler(api: ApiClient) -> None:
    found = 0
    for a, b in _PAIRS[:8]:
        for query in ("min_events=2&z=1", "kind=both&min_events=2&z=0.5", ""):
            found += _same(api, f"{a}/{b}/lows", query).count(b'"value"')
        _same(api, f"{a}/{b}/shifts", "min_events=2")
        _same(api, f"{a}/{b}/shifts", "")
    assert found > 0  # some lows were written, not only empty lists


def test_routes_analytics_columns_response_null_non_finite() -> None:
    response = _columns_response("dyad_series", {
        "period": [dt.date(2020, 1, 1), None],
        "events": np.array([1, 0]),
        "share": np.array([0.25, np.nan]),
    })  # fmt: skip
    assert json.loads(response.body) == {"name": "dyad_series", "result": [
        {"period": "2020-01-01", "events": 1, "share": 0.25},
        {"period": None, "events": 0, "share": None},
    ]}  # fmt: skip
    days = np.array(["2020-01-01", "NaT", "0999-12-27"], dtype="datetime64[D]")
    written = _columns_response("dyad_series", {"period": days}).body
    assert written == _columns_response("dyad_series", {
        "period": [dt.date(2020, 1, 1), None, dt.date(999, 12, 27)]
    }).body  # fmt: skip


_SERIES_REFUSED = (
    "/dyads/USA/PAK/series?freq=X",
    "/dyads/USA/PAK/series?freq=m",
    "/dyads/USA/PAK/series?freq=M&freq=W",
    "/dyads/USA/PAK/series?freq=",
    "/dyads/USA/PAK/series?min_confidence=0.5",
    "/dyads/USA/PAK/series?freq=W&date_basis=nonsense",
    "/dyads/USA/PAK/series?publication_weight=2",
    "/dyads/USA/PAK/series?colour=blue",
    "/dyads/US/PAK/series",
    "/dyads/U$A/PAK/series",
    "/dyads/USA/PAK/IND/series",
)
"""Series requests the hot layer leaves to the route (bad values, other parameters)."""


def test_api_series_bytes_hot_path_answers_what_the_route_answers(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hot = hot_layer(api)
    good = [f"/dyads/{a}/{b}/series?freq={freq}" for a, b in _PAIRS for freq in "DWMY"]
    good += ["/dyads/usa/pak/series", "/dyads/USA/ZZZ/series?freq=W", "/dyads/usagov/pak/series"]
    counting = CountingApp(hot.app)
    monkeypatch.setattr(hot, "app", counting)

    def answer(path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        found = api.get(path)
        return found.status_code, list(found.headers.raw), found.content

    fast = {path: answer(path) for path in [*good, *_SERIES_REFUSED]}
    assert sorted(counting.paths) == sorted(_SERIES_REFUSED)  # the good ones stayed hot

    async def never(path: str, query: bytes) -> None:
        return None

    monkeypatch.setattr(hot, "_answer", never)
    for path, found in fast.items():
        assert found == answer(path), path
    statuses = {path: fast[path][0] for path in _SERIES_REFUSED}
    assert statuses["/dyads/USA/PAK/series?freq=X"] == 422
    assert statuses["/dyads/US/PAK/series"] == 422
    assert statuses["/dyads/USA/PAK/series?colour=blue"] == 200  # the route ignores it
    assert b'"DW303"' in fast["/dyads/USA/PAK/series?freq=W&date_basis=nonsense"][2]
    assert fast["/dyads/USA/ZZZ/series?freq=W"][2] == b'{"name":"dyad_series","result":[]}'
    assert sum(body.count(b'"period"') for _, _, body in fast.values()) > 5000


def test_api_series_bytes_hot_path_leaves_a_failing_series_to_the_route(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error inside the hot layer's series (here a store read that fails) hands
    the request to the route, which reads it again and answers (or renders its own
    numbered error)."""
    hot_layer(api)
    calls: list[str] = []

    def failing(store: Store, request: tuple[str, str, str]) -> bytes:
        calls.append(request[2])
        raise StoreError(Errors.DW301, detail="test", path="x")

    monkeypatch.setattr(_hot, "_series", failing)
    found = api.get("/dyads/USA/PAK/series?freq=W")
    assert calls == ["W"] and found.status_code == 200  # the route read it again
    assert found.content == api.get("/former/USA/PAK/series?freq=W").content


def test_api_series_bytes_same_after_the_packed_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store whose rollup predates ``dyad_packed`` (version 2: the pairs' lists)
    answers every series with the same bytes before and after it is migrated."""
    monkeypatch.setattr(_rollup, "ROLLUP_MIN_EVENTS", 1)
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        store.add_stored_events(_events(1500, seed=31))
        store.refresh_rollup()
    with duckdb.connect(str(path)) as con:  # the layout a version 2 writer left
        con.execute("DROP TABLE dyad_packed")
        con.execute(f"UPDATE meta SET value = '2' WHERE key = '{_rollup.VERSION_KEY}'")
    requests = [(a, b, freq) for a, b in _PAIRS for freq in "DWMY"]
    with Store.open(path, read_only=True) as store:
        assert store.rollup_layout() == "pairs"
        before = [series_json(store, *request) for request in requests]
    with Store.open(path) as store:
        assert store.rollup_layout() == "packed"  # migrated on this open
        after = [series_json(store, *request) for request in requests]
    assert after == before
    assert sum(body.count(b'"period"') for body in after) > 1000
