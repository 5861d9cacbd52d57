"""The dyad, network and map pages carry the trusted-events filters to their charts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from api_support import ApiClient

from dyadwatch.web import create_app
from scored_store import history_store

PAGES = ("/ui/dyad?a=USA&b=PAK", "/ui/network?start=2020-04-01&end=2020-05-31", "/ui/map?plover=")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiClient]:
    path = tmp_path_factory.mktemp("history") / "s.duckdb"
    history_store(path).close()
    app = create_app(path)
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


def _scope(html: str) -> str:
    found = re.search(r'class="chart"[^>]* data-scope="([^"]*)"', html)
    assert found, "the chart carries the page's filters"
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("page", PAGES)
def test_web_scope_pages_show_and_pass_the_filters(history: ApiClient, page: str) -> None:
    plain = history.get(page)
    assert plain.status_code == 200 and _scope(plain.text) == ""
    assert 'name="min_confidence"' in plain.text and 'name="date_basis"' in plain.text
    chosen = history.get(f"{page}&min_confidence=0.5&date_basis=text,anchored")
    assert chosen.status_code == 200
    assert _scope(chosen.text) == "min_confidence=0.5&date_basis=anchored%2Ctext"
    assert 'value="0.5"' in chosen.text
    assert '<option value="anchored,text" selected>' in chosen.text
    # A form sends its empty fields: they mean no filter, not a bad value.
    empty = history.get(f"{page}&min_confidence=&date_basis=")
    assert empty.status_code == 200 and _scope(empty.text) == ""


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("bad", ["min_confidence=2", "min_confidence=high", "date_basis=rumour"])
def test_web_scope_bad_filters_are_a_dw303_page(history: ApiClient, page: str, bad: str) -> None:
    response = history.get(f"{page}&{bad}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html") and "DW303" in response.text


def test_web_scope_the_chart_calls_answer_with_the_filters(history: ApiClient) -> None:
    # What the scripts fetch with the dyad page's scope: the doubtful tense months
    # (publication-stamped) drop out, and with them the low.
    scope = _scope(history.get("/ui/dyad?a=USA&b=PAK&date_basis=text,anchored").text)
    assert len(history.get("/dyads/USA/PAK/lows?kind=both").json()["result"]) == 1
    assert history.get(f"/dyads/USA/PAK/lows?kind=both&{scope}").json()["result"] == []
    network = _scope(history.get("/ui/network?min_confidence=0.5").text)
    window = "start=2020-04-01&end=2020-05-31"
    assert history.get(f"/alliances?{window}").json()["result"]["edges"]
    assert history.get(f"/alliances?{network}&{window}").json()["result"]["edges"] == []
