"""Analytics endpoints: series, lows, shifts, alliances, realignments, ledger."""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import ApiClient, history_events

from dyadwatch.coder.engine import Coder
from dyadwatch.store import Store
from dyadwatch.web import create_app


def require(name: str) -> None:
    module = importlib.import_module("dyadwatch.analytics")
    if not callable(getattr(module, name, None)):
        pytest.skip(f"dyadwatch.analytics.{name} is not there yet (issue 5)")


@pytest.fixture
def history(store_path: Path, small_coder: Coder) -> Iterator[ApiClient]:
    """The seeded store plus ``history_events``: USA–PAK soured in early 2018."""
    with Store.open(store_path) as store:
        store.add_stored_events(history_events())
    app = create_app(store_path, coder_factory=lambda: small_coder)
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


def test_api_analytics_series_is_monthly(client: ApiClient) -> None:
    body = client.get("/dyads/ind/PAK/series").json()
    assert body["name"] == "dyad_series"
    rows = body["result"]
    assert rows and all(str(r.get("period", r.get("month")))[:4] == "2019" for r in rows)


@pytest.mark.parametrize("kind", ["lows", "shifts"])
def test_api_analytics_lows_and_shifts_are_lists(client: ApiClient, kind: str) -> None:
    require(f"dyad_{kind}")
    body = client.get(f"/dyads/IND/PAK/{kind}").json()
    assert body["name"] == f"dyad_{kind}" and isinstance(body["result"], list)


def test_api_analytics_alliances_window(client: ApiClient) -> None:
    require("alliances")
    body = client.get("/alliances?start=2019-01-01&end=2019-12-31").json()["result"]
    assert body["start"] == "2019-01-01" and isinstance(body["edges"], list)
    response = client.get("/alliances?start=2019-12-31&end=2019-01-01")
    assert response.status_code == 422 and response.json()["error"]["code"] == "DW605"


def test_api_analytics_realignments(client: ApiClient) -> None:
    require("realignments")
    body = client.get("/alliances/realignments?start=2019-03-01&end=2019-04-30").json()
    assert {"flips", "triads", "statements", "before", "after"} <= set(body["result"])


def test_api_analytics_ledger_counts_the_imported_strike(client: ApiClient) -> None:
    require("ledger")
    rows = client.get("/ledger").json()["result"]
    pak = [r for r in rows if r.get("country") == "PAK"]
    assert pak and pak[0]["killed_max"] == 5


def test_api_analytics_bad_sides_are_refused(client: ApiClient) -> None:
    response = client.get("/dyads/U$A/PAK/series")
    assert response.status_code == 422 and response.json()["error"]["code"] == "DW605"
    assert client.get("/dyads/USA/PAK/series?freq=Q").status_code == 422


def test_api_analytics_windows_at_the_calendar_edge(client: ApiClient) -> None:
    require("alliances")
    for path in (
        "/alliances?end=0001-01-02",
        "/alliances/realignments?start=0001-01-01&end=0001-01-03",
    ):
        assert client.get(path).status_code == 200, path


def test_api_analytics_series_rows_carry_the_interval(history: ApiClient) -> None:
    rows = history.get("/dyads/USA/PAK/series").json()["result"]
    months = [row["period"][:7] for row in rows]
    assert months[0] == "2016-01" and "2018-06" in months, "empty months are kept"
    for row in rows:
        assert row["net_coop_low"] <= row["net_coop_est"] <= row["net_coop_high"]
        assert row["goldstein_mean_low"] <= row["goldstein_mean_est"]
        assert row["goldstein_mean_est"] <= row["goldstein_mean_high"]
    busy = rows[months.index("2016-06")]
    assert busy["events"] == 12 and busy["net_coop"] == pytest.approx(0.5)
    empty = rows[months.index("2018-06")]
    assert empty["events"] == 0 and empty["net_coop"] is None
    # An empty month carries the estimate with a wider interval than a busy one.
    width = {m: rows[months.index(m)]["net_coop_high"] - rows[months.index(m)]["net_coop_low"]
             for m in ("2016-06", "2018-06")}  # fmt: skip
    assert width["2018-06"] > width["2016-06"]


def test_api_analytics_lows_state_bounds_events_and_z(history: ApiClient) -> None:
    found = history.get("/dyads/USA/PAK/lows").json()["result"]
    assert found and {f["kind"] for f in found} == {"low"}
    first = found[0]
    assert first["period"][:7] in ("2018-01", "2018-02")
    assert first["low"] <= first["value"] <= first["high"] < first["baseline"]
    assert first["events"] >= 12 and first["z"] < 0 and first["evidence"]
    assert all(math.isfinite(f["z"]) for f in found)


def test_api_analytics_lows_kind_and_threshold(history: ApiClient) -> None:
    both = history.get("/dyads/USA/PAK/lows?kind=both").json()["result"]
    assert {f["kind"] for f in both} <= {"low", "high"} and both
    strict = history.get("/dyads/USA/PAK/lows?z=99").json()["result"]
    assert strict == [], "no month departs by 99 standard errors"
    steady = history.get("/dyads/CHN/IND/lows?kind=both").json()["result"]
    assert steady == [], "a dyad without change has no lows or highs"


def test_api_analytics_shifts_state_levels(history: ApiClient) -> None:
    found = history.get("/dyads/USA/PAK/shifts").json()["result"]
    assert found and all(f["kind"] == "shift" for f in found)
    assert any(f["after"] < f["before"] for f in found)


def test_api_analytics_dyads_at_low_ranks_the_soured_dyad(history: ApiClient) -> None:
    body = history.get("/dyads/lows?since=2018-01-01&until=2018-02-28").json()
    assert body["name"] == "dyads_at_low"
    ranked = body["result"]
    assert [row["dyad"] for row in ranked] == ["PAK–USA", "CHN–IND"]
    top = ranked[0]
    assert top["at_low"] is True and top["events"] == 24 and top["history_periods"] == 24
    assert top["low"] <= top["net_coop"] <= top["high"] < top["baseline"]
    assert ranked[1]["at_low"] is False
    assert history.get("/dyads/lows?since=2018-01-01&until=2018-02-28&limit=1").json()[
        "result"
    ] == [top]
    thin = history.get("/dyads/lows?since=2018-01-01&until=2018-02-28&min_events=25")
    assert thin.json()["result"] == []


@pytest.mark.parametrize(
    "query",
    [
        "",  # since is required
        "?since=2018-13-01",
        "?since=2018-03-01&until=2018-01-01",
        "?since=2018-01-01&min_events=0",
        "?since=2018-01-01&z=-1",
        "?since=2018-01-01&limit=0",
    ],
)
def test_api_analytics_dyads_at_low_bad_input(client: ApiClient, query: str) -> None:
    response = client.get("/dyads/lows" + query)
    assert response.status_code == 422, query
    assert response.json()["error"]["code"] == "DW605"


def test_api_analytics_lows_bad_input(client: ApiClient) -> None:
    for query in ("kind=sideways", "z=0", "lookback=0", "smooth=99"):
        response = client.get(f"/dyads/USA/PAK/lows?{query}")
        assert response.status_code == 422, query
        assert response.json()["error"]["code"] == "DW605"


def test_api_analytics_new_endpoint_is_documented(client: ApiClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    operation = paths["/dyads/lows"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"since", "until", "lookback", "min_events", "min_history", "z", "limit"} <= names
    assert "below its own history" in operation["description"]
    lows = {p["name"] for p in paths["/dyads/{a}/{b}/lows"]["get"]["parameters"]}
    assert {"kind", "z", "lookback", "smooth", "min_events"} <= lows
