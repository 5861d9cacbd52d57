"""Dashboard pages rendered in-process: escaping, highlighting, errors as HTML."""

from __future__ import annotations

from api_support import HOSTILE_TEXT, ApiClient

from dyadwatch.web.highlight import Piece, pieces

FORM = {"content-type": "application/x-www-form-urlencoded"}


def test_api_pages_every_page_renders(client: ApiClient) -> None:
    for path in ("/ui/", "/ui/dyad?a=ind&b=pak", "/ui/network", "/ui/map?plover=ASSAULT",
                 "/ui/events?root=19", "/ui/code"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<script>" not in response.text  # scripts only by src, from 'self'
        assert "cdn" not in response.text.lower()


def test_api_pages_root_redirects_to_the_dashboard(client: ApiClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/ui/"


def test_api_pages_document_escapes_article_text(client: ApiClient) -> None:
    events = client.get("/events", params={"limit": 1000}).json()["events"]
    doc_ids = {e["doc_id"] for e in events}
    texts = {d: client.get(f"/documents/{d}").json()["text"] for d in doc_ids}
    hostile = next(d for d, text in texts.items() if text == HOSTILE_TEXT)
    html = client.get(f"/ui/documents/{hostile}").text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "<script>window" not in html and "<img src=x" not in html


def test_api_pages_event_highlights_source_target_trigger(client: ApiClient) -> None:
    mention = next(e for e in client.get("/events?root=19").json()["events"] if e["event_id"])
    html = client.get(f"/ui/events/{mention['event_id']}").text
    for role in ("source", "target", "trigger"):
        assert f'<mark class="{role}">' in html


def test_api_pages_code_form_codes_and_escapes(client: ApiClient) -> None:
    body = "text=India+attacked+Pakistan.+%3Cscript%3Ex()%3C%2Fscript%3E&date=2019-01-01"
    html = client.post("/ui/code", content=body, headers=FORM).text
    assert '<mark class="source">India</mark>' in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html


def test_api_pages_errors_are_html_with_their_code(client: ApiClient) -> None:
    response = client.get("/ui/events/nope")
    assert response.status_code == 404 and "DW604" in response.text
    big = "text=" + "a" * 100_001
    response = client.post("/ui/code", content=big, headers=FORM)
    assert response.status_code == 413 and "DW601" in response.text
    response = client.post("/ui/code", content="text=x&date=2019-02-30", headers=FORM)
    assert response.status_code == 422 and "DW109" in response.text
    response = client.get("/ui/dyad?a=<b>")
    assert response.status_code == 422 and "<b>" not in response.text.split("<main>")[1]


def test_api_pages_highlight_cuts_at_span_edges() -> None:
    evidence = {"source": [0, 5], "trigger": [6, 14], "target": [15, 23]}
    assert pieces("India attacked Pakistan.", evidence) == [
        Piece("India", "source"), Piece(" ", None), Piece("attacked", "trigger"),
        Piece(" ", None), Piece("Pakistan", "target"), Piece(".", None),
    ]  # fmt: skip


def test_api_pages_highlight_ignores_bad_spans() -> None:
    assert pieces("abc", {"trigger": [2, 99], "source": [5, 1], "target": None}) == [
        Piece("ab", None), Piece("c", "trigger"),
    ]  # fmt: skip
    assert pieces("abc", None) == [Piece("abc", None)]
    assert pieces("", {"trigger": [0, 1]}) == []
