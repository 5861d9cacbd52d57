"""The overview's "relationships at a low now" window, rendered in-process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import ApiClient, history_events

from dyadwatch.store import Store
from dyadwatch.web import create_app


def _client(path: Path, *, events: bool) -> Iterator[ApiClient]:
    with Store.open(path) as store:
        if events:
            store.add_stored_events(history_events())
    app = create_app(path)
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[ApiClient]:
    yield from _client(tmp_path / "history.duckdb", events=True)


def _window(html: str) -> tuple[str, str]:
    found = re.search(r'id="at-low" data-since="([0-9-]+)" data-until="([0-9-]+)"', html)
    assert found, "the at-low table is on the page"
    return found.group(1), found.group(2)


def test_web_overview_at_low_window_defaults_to_the_last_three_months(
    history: ApiClient,
) -> None:
    # The newest history event is 2018-02-12 (two months of 12 events from the 1st).
    response = history.get("/ui/")
    assert response.status_code == 200
    assert _window(response.text) == ("2017-12-01", "2018-02-12")
    assert '<script src="/static/overview.js" defer></script>' in response.text


def test_web_overview_at_low_window_follows_the_query(history: ApiClient) -> None:
    html = history.get("/ui/?since=2017-06-01&until=2017-08-31").text
    assert _window(html) == ("2017-06-01", "2017-08-31")
    # The window the table fetches ranks as GET /dyads/lows does.
    ranked = history.get("/dyads/lows?since=2017-06-01&until=2017-08-31").json()["result"]
    assert ranked and not any(row["at_low"] for row in ranked), "nothing soured in 2017"


def test_web_overview_bad_window_is_a_dw605_page(history: ApiClient) -> None:
    response = history.get("/ui/?since=2018-03-01&until=2018-01-01")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html") and "DW605" in response.text
    assert history.get("/ui/?since=2018-02-30").status_code == 422


def test_web_overview_empty_store_has_no_window(tmp_path: Path) -> None:
    for client in _client(tmp_path / "empty.duckdb", events=False):
        html = client.get("/ui/").text
        assert 'id="at-low"' not in html and "No dated events yet." in html
