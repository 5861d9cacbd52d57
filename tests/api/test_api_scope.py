"""``min_confidence`` and ``date_basis`` on the read and analytics endpoints, the
event view's explanation, and ``min_confidence`` on ``POST /code`` and ``/documents``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import TOKEN, ApiClient

from dyadwatch.coder.engine import Coder
from dyadwatch.web import create_app
from scored_store import event_id, history_store, scored_store

AUTH = {"authorization": f"Bearer {TOKEN}"}


def _client(path: Path, coder: Coder) -> Iterator[ApiClient]:
    app = create_app(path, token=TOKEN, coder_factory=lambda: coder)
    try:
        yield ApiClient(app)
    finally:
        app.state.hub.close()


@pytest.fixture
def four(tmp_path: Path, small_coder: Coder) -> Iterator[ApiClient]:
    path = tmp_path / "four.duckdb"
    scored_store(path).close()
    yield from _client(path, small_coder)


@pytest.fixture(scope="module")
def history_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "h.duckdb"
    history_store(path).close()
    return path


@pytest.fixture
def history(history_path: Path, small_coder: Coder) -> Iterator[ApiClient]:
    yield from _client(history_path, small_coder)


def _code(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    return str(body["error"]["code"])


def test_api_scope_events_filters(four: ApiClient) -> None:
    def docs(query: str) -> list[str]:
        response = four.get(f"/events?order=asc&{query}")
        assert response.status_code == 200, response.text
        return [e["doc_id"] for e in response.json()["events"]]

    assert len(docs("")) == 4
    assert docs("min_confidence=0.7") == ["sure-text", "sure-publication"]
    assert docs("date_basis=text,anchored") == ["sure-text", "mid-anchored"]
    assert docs("date_basis=publication&min_confidence=0.5") == ["sure-publication"]
    assert four.get("/map/points?min_confidence=0.5").status_code == 200
    assert four.get("/dyads/top").json()[0]["events"] == 4
    assert four.get("/dyads/top?date_basis=publication").json()[0]["events"] == 2
    assert four.get("/dyads/top?min_confidence=0.95").json() == []


BAD = ["min_confidence=1.5", "min_confidence=-0.2", "date_basis=rumour", "date_basis=text,guess"]
ENDPOINTS = [
    "/events", "/map/points", "/dyads/top", "/dyads/USA/PAK/series", "/dyads/USA/PAK/lows",
    "/dyads/USA/PAK/shifts", "/dyads/lows?since=2020-04-01", "/alliances",
    "/alliances/realignments", "/ledger",
]  # fmt: skip


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_scope_bad_values_are_dw303(four: ApiClient, endpoint: str, bad: str) -> None:
    joiner = "&" if "?" in endpoint else "?"
    response = four.get(f"{endpoint}{joiner}{bad}")
    assert response.status_code == 422 and _code(response) == "DW303", response.text


def test_api_scope_not_a_number_is_dw605(four: ApiClient) -> None:
    response = four.get("/events?min_confidence=high")
    assert response.status_code == 422 and _code(response) == "DW605"


def test_api_scope_analytics(history: ApiClient) -> None:
    def result(url: str) -> object:
        response = history.get(url)
        assert response.status_code == 200, response.text
        return response.json()["result"]

    trust = "min_confidence=0.5"
    assert len(result("/dyads/USA/PAK/lows")) == 1  # type: ignore[arg-type]
    assert result(f"/dyads/USA/PAK/lows?{trust}") == []
    assert len(result("/dyads/USA/PAK/shifts")) == 1  # type: ignore[arg-type]
    assert result("/dyads/USA/PAK/shifts?date_basis=text") == []
    ranked = "/dyads/lows?since=2020-04-01&until=2020-05-31"
    assert len(result(ranked)) == 1  # type: ignore[arg-type]
    assert result(f"{ranked}&{trust}") == []
    window = "/alliances?start=2020-04-01&end=2020-05-31"
    assert result(window)["edges"]  # type: ignore[index]
    assert result(f"{window}&{trust}")["edges"] == []  # type: ignore[index]
    flips = "/alliances/realignments?start=2020-04-01&end=2020-05-31&before_start=2019-01-01"
    assert result(flips)["flips"]  # type: ignore[index]
    assert result(f"{flips}&{trust}")["flips"] == []  # type: ignore[index]
    series = result("/dyads/USA/PAK/series?publication_weight=0.5")
    assert [r["events"] for r in series][-2:] == [5.0, 5.0]  # type: ignore[index, union-attr]
    assert len(result("/dyads/USA/PAK/series?date_basis=text")) == 15  # type: ignore[arg-type]
    weightless = "publication_weight=0"
    assert result(f"/dyads/USA/PAK/lows?{weightless}") == []
    assert result(f"/dyads/USA/PAK/shifts?{weightless}") == []
    assert result(f"{ranked}&{weightless}") == []
    assert len(result("/dyads/USA/PAK/lows?publication_weight=1")) == 1  # type: ignore[arg-type]


def test_api_scope_event_view_explains_the_event(four: ApiClient) -> None:
    body = four.get(f"/events/{event_id('mid-anchored')}").json()
    event = body["event"]
    assert (event["confidence"], event["date_basis"]) == (0.6, "anchored")
    assert event["rule"] == "triggers.yaml:042"
    assert (event["next_type"], event["next_type_probability"]) == ("ACCUSE", 0.4)
    (mention,) = body["mentions"]
    assert mention["evidence"]["trigger"] == [11, 18]
    assert (mention["confidence"], mention["date_basis"], mention["rule"]) == (
        0.6, "anchored", "triggers.yaml:042",
    )  # fmt: skip
    assert mention["mentions"] == [] and mention["alternatives"] == []


def test_api_scope_event_page_shows_the_explanation(four: ApiClient) -> None:
    html = four.get(f"/ui/events/{event_id('mid-anchored')}").text
    assert "Why it was coded" in html
    for shown in ("0.60", "anchored", "triggers.yaml:042", "ACCUSE (0.40)"):
        assert shown in html, shown
    assert html.count('class="confidence"') == 2  # the event's, and its mention's


def test_api_scope_code_and_documents_take_min_confidence(four: ApiClient) -> None:
    text = "India attacked Pakistan. China urged India and Pakistan to talk."
    every = four.post("/code", json={"text": text}).json()["events"]
    assert every
    top = max(e["confidence"] for e in every)
    kept = four.post("/code", json={"text": text, "min_confidence": top}).json()["events"]
    assert kept and all(e["confidence"] >= top for e in kept)
    assert len(kept) <= len(every)
    bad = four.post("/code", json={"text": text, "min_confidence": 1.5})
    assert bad.status_code == 422 and _code(bad) == "DW605"
    stored = four.post("/documents", json={"text": text, "min_confidence": 1.0}, headers=AUTH)
    assert stored.status_code == 200, stored.text
    assert stored.json()["events"] == sum(1 for e in every if e["confidence"] >= 1.0)
