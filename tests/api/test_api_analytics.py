"""Analytics endpoints: series, lows, shifts, alliances, realignments, ledger."""

from __future__ import annotations

import importlib

import pytest
from api_support import ApiClient


def require(name: str) -> None:
    module = importlib.import_module("dyadwatch.analytics")
    if not callable(getattr(module, name, None)):
        pytest.skip(f"dyadwatch.analytics.{name} is not there yet (issue 5)")


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
