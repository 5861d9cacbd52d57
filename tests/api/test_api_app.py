"""The HTTP API in-process: reads, filters, auth on writes, size caps and error JSON."""

from __future__ import annotations

import json

import pytest
from api_support import HOSTILE_TEXT, IMPORTED, TOKEN, ApiClient

from dyadwatch.api import CONTENT_SECURITY_POLICY

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def assert_error(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"].startswith(f"[{code}] ")


def test_api_app_events_lists_mentions_newest_first(client: ApiClient) -> None:
    body = client.get("/events").json()
    assert body["total"] == len(body["events"]) >= 6
    dates = [e["date"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True)
    first = body["events"][0]
    assert {"id", "event_id", "doc_id", "sentence", "evidence", "modality", "plover"} <= set(first)
    assert first["evidence"]["trigger"] is not None


def test_api_app_events_filters(client: ApiClient) -> None:
    def ids(query: str) -> set[str]:
        return {e["cameo"] for e in client.get(f"/events?{query}").json()["events"]}

    assert ids("root=19") == {"190"}
    assert ids("code=025") <= {"025", "0256"} and ids("code=025")
    assert ids("plover=assault") == {"190"}
    assert ids("dyad=USA,PAK") == {"040"}
    assert ids("actor=chn") <= {"025", "0256"}
    assert ids("since=2019-04-01") == {"040"}
    assert ids("until=2019-02-26") == {"190"}
    assert ids("negated=true") == set()
    # "India attacked Pakistan" names no place: the attack takes its victims' country
    assert ids("country=PAK") == {"190"}


def test_api_app_events_pages(client: ApiClient) -> None:
    everything = client.get("/events?order=asc").json()["events"]
    page = client.get("/events?order=asc&limit=2&offset=1").json()
    assert [e["id"] for e in page["events"]] == [e["id"] for e in everything[1:3]]
    assert page["total"] == len(everything) and page["limit"] == 2 and page["offset"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "dyad='; DROP TABLE events; --",
        "dyad=USA",
        "actor=US A",
        "root=21",
        "root=1;",
        "code=19x",
        "plover=EXPLODE",
        "since=2019-13-01",
        "since=2019-03-01&until=2019-02-01",
        "limit=-1",
        "limit=100000",
        "offset=abc",
        "negated=maybe",
        "order=sideways",
        "place=" + "x" * 101,
    ],
)
def test_api_app_hostile_filters_are_refused_with_json(client: ApiClient, query: str) -> None:
    response = client.get(f"/events?{query}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] in {"DW605", "DW303"}
    assert client.get("/events").json()["total"] >= 6  # nothing was dropped


def test_api_app_hostile_values_match_nothing_rather_than_inject(client: ApiClient) -> None:
    response = client.get("/events", params={"place": "' OR 1=1 --"})
    assert response.status_code == 200 and response.json()["total"] == 0


def test_api_app_event_has_its_mentions_and_evidence(client: ApiClient) -> None:
    mention = next(e for e in client.get("/events?root=19").json()["events"] if e["event_id"])
    body = client.get(f"/events/{mention['event_id']}").json()
    assert body["event"]["id"] == mention["event_id"]
    assert body["event"]["plover_type"] == "ASSAULT"
    assert mention["id"] in {m["id"] for m in body["mentions"]}
    assert all(m["evidence"]["trigger"] for m in body["mentions"])


def test_api_app_imported_event_without_mentions(client: ApiClient) -> None:
    body = client.get(f"/events/{IMPORTED.id}").json()
    assert body["mentions"] == []
    assert body["event"]["killed"] == {"min": 3, "max": 5}


def test_api_app_unknown_ids_are_404(client: ApiClient) -> None:
    assert_error(client.get("/events/dyadwatch:nope"), 404, "DW604")
    assert_error(client.get("/documents/nope"), 404, "DW604")
    assert_error(client.get("/documents/bad%20id"), 422, "DW605")
    assert_error(client.get("/no/such/path"), 404, "DW604")
    assert_error(client.request("DELETE", "/events"), 405, "DW606")


def test_api_app_document_keeps_text_verbatim(client: ApiClient) -> None:
    hostile = next(
        e
        for e in client.get("/events", params={"limit": 1000}).json()["events"]
        if "<script>" in e["sentence"] or e["sentence"].startswith("Pakistan attacked India.")
    )
    document = client.get(f"/documents/{hostile['doc_id']}").json()
    assert document["text"] == HOSTILE_TEXT  # JSON keeps it as data; pages escape it
    assert document["mentions"]


def test_api_app_top_dyads_and_map_points(client: ApiClient) -> None:
    top = client.get("/dyads/top?n=2").json()
    assert top[0]["country_a"] == "IND" and top[0]["country_b"] == "PAK"
    points = client.get("/map/points?plover=ASSAULT").json()["points"]
    by_id = {p["id"]: p for p in points}
    assert by_id[IMPORTED.id]["killed_max"] == 5
    # the coded attacks name no place: they are mapped in their victims' country
    assert {i for i in by_id if i != IMPORTED.id} and all(
        i == IMPORTED.id or i.startswith("dyadwatch:") for i in by_id
    )
    assert client.get("/map/points?plover=AGREE").json()["points"] == []


def test_api_app_code_codes_without_storing(client: ApiClient) -> None:
    before = client.get("/events").json()["total"]
    response = client.post("/code", json={"text": "India attacked China.", "date": "2020-01-02"})
    events = response.json()["events"]
    assert [(e["source"]["code"], e["target"]["code"], e["cameo"]) for e in events] == [
        ("IND", "CHN", "190")
    ]
    assert events[0]["date"] == "2020-01-02"
    assert client.get("/events").json()["total"] == before


def test_api_app_code_size_cap(client: ApiClient) -> None:
    big = json.dumps({"text": "a" * 100_001})
    headers = {"content-type": "application/json"}
    assert_error(client.post("/code", content=big, headers=headers), 413, "DW601")


def test_api_app_code_rejects_bad_bodies(client: ApiClient) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/code", content=b"{not json", headers=headers), 422, "DW605")
    assert_error(client.post("/code", json={"text": ""}), 422, "DW605")
    assert_error(client.post("/code", json={"text": "x", "date": "2019-02-30"}), 422, "DW605")
    assert_error(client.post("/code", json={"text": "x", "extra": 1}), 422, "DW605")


def test_api_app_ingest_needs_the_token(client: ApiClient) -> None:
    document = {"text": "Pakistan attacked Afghanistan.", "date": "2021-05-01"}
    assert_error(client.post("/documents", json=document), 401, "DW602")
    assert_error(client.post("/documents", json=document, headers={"Authorization": "Basic x"}),
                 401, "DW602")  # fmt: skip
    wrong = {"Authorization": "Bearer not-the-token"}
    assert_error(client.post("/documents", json=document, headers=wrong), 403, "DW603")
    assert client.get("/events?since=2021-01-01").json()["total"] == 0


def test_api_app_ingest_stores_once(client: ApiClient) -> None:
    document = {"text": "Pakistan attacked Afghanistan.", "date": "2021-05-01"}
    first = client.post("/documents", json=document, headers=AUTH).json()
    assert first["added"] is True and first["events"] == 1 and first["errors"] == []
    again = client.post("/documents", json=document, headers=AUTH).json()
    assert again["added"] is False and again["doc_id"] == first["doc_id"]
    stored = client.get("/events?since=2021-01-01").json()
    assert stored["total"] == 1 and stored["events"][0]["doc_id"] == first["doc_id"]


def test_api_app_readonly_server_refuses_writes(readonly_client: ApiClient) -> None:
    document = {"text": "Pakistan attacked Afghanistan."}
    response = readonly_client.post("/documents", json=document, headers=AUTH)
    assert_error(response, 403, "DW607")
    assert readonly_client.get("/events").status_code == 200


def test_api_app_openapi_lists_every_endpoint(client: ApiClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/events", "/events/{event_id}", "/documents/{doc_id}", "/dyads/{a}/{b}/series",
        "/dyads/{a}/{b}/lows", "/dyads/{a}/{b}/shifts", "/alliances", "/ledger", "/code",
        "/documents",
    } <= set(spec["paths"])  # fmt: skip
    assert "requestBody" in spec["paths"]["/code"]["post"]
    assert not any(path.startswith("/ui") for path in spec["paths"])


def test_api_app_sends_security_headers(client: ApiClient) -> None:
    for path in ("/events", "/ui/", "/no/such/path"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]


def test_api_app_serves_plotly_from_the_package(client: ApiClient) -> None:
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.text.lstrip().startswith("/**") and "plotly.js" in response.text[:200]


def test_api_app_has_no_cdn_docs(client: ApiClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_api_app_watch_status_of_an_unwatched_store(readonly_client: ApiClient) -> None:
    body = readonly_client.get("/watch/status").json()
    assert body == {"feeds": [], "cycles": [], "articles": {}, "alerts": []}
