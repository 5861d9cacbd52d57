"""One article by URL: fetched from a local server on 127.0.0.1, politely, http(s) only."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from dyadwatch import cli
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ErrorRecord
from dyadwatch.ingest import Fetcher, FetchPolicy, looks_like_url, read_inputs, read_url
from dyadwatch.model import Document

STORY = "Pakistan agreed to hold talks with India on Friday, officials in Islamabad said."
Route = tuple[int, dict[str, str], bytes]


class Site(ThreadingHTTPServer):
    """Answers GETs from ``routes``: path -> (status, headers, body); 404 otherwise."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.paths: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        status, headers, body = self.server.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def fetcher(**policy: object) -> Fetcher:
    settings = {"min_interval": 0.0, "retries": 0, "timeout": 5.0, **policy}
    return Fetcher(FetchPolicy(**settings))  # type: ignore[arg-type]


def article(text: str, head: str = "") -> str:
    body = "".join(f"<p>{text}</p>" for _ in range(3))
    return (
        f"<html><head>{head}<title>Talks agreed</title></head>"
        f"<body><nav>Home | World</nav><article>{body}</article></body></html>"
    )


def read(url: str, site_fetcher: Fetcher | None = None, max_bytes: int = 100_000) -> list[object]:
    return list(read_url(url, site_fetcher or fetcher(), max_bytes))


def test_url_html_article_becomes_a_document_with_its_final_url(site: Site) -> None:
    html = article(STORY).encode("utf-8")
    site.routes["/a"] = (301, {"Location": "/story/1"}, b"")
    site.routes["/story/1"] = (200, {"Content-Type": "text/html; charset=utf-8"}, html)
    (doc,) = read(site.url("/a"))
    assert isinstance(doc, Document)
    assert STORY in doc.text and "Home | World" not in doc.text
    assert (doc.url, doc.title, doc.origin) == (
        site.url("/story/1"),
        "Talks agreed",
        site.url("/a"),
    )


def test_url_charset_of_the_content_type_header_decodes_the_page(site: Site) -> None:
    text = "Министр встретился с послом в Москве во вторник, сообщили в министерстве."
    site.routes["/ru"] = (
        200,
        {"Content-Type": "text/html; charset=koi8-r"},
        article(text).encode("koi8-r"),
    )
    (doc,) = read(site.url("/ru"))
    assert isinstance(doc, Document) and text in doc.text


def test_url_plain_text_is_read_as_text_with_an_encoding_warning(site: Site) -> None:
    text = "The café’s owner said “about 20” protesters were arrested in Montréal."
    site.routes["/t"] = (200, {"Content-Type": "text/plain"}, text.encode("cp1252"))
    warning, doc = read(site.url("/t"))
    assert isinstance(warning, ErrorRecord) and warning.code == "DW118" and warning.is_warning
    assert warning.path == site.url("/t")
    assert isinstance(doc, Document) and doc.text == text and doc.url == site.url("/t")


def test_url_robots_txt_is_obeyed(site: Site) -> None:
    site.routes["/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /private/\n",
    )
    site.routes["/private/a"] = (200, {"Content-Type": "text/html"}, article(STORY).encode())
    (error,) = read(site.url("/private/a"))
    assert isinstance(error, ErrorRecord) and error.code == "DW702"
    assert "/private/a" not in site.paths  # asked robots.txt, never the page


def test_url_size_cap_of_the_fetcher_and_of_a_document(site: Site) -> None:
    site.routes["/big"] = (200, {"Content-Type": "text/html"}, article(STORY * 40).encode())
    (capped,) = read(site.url("/big"), fetcher(max_bytes=1000))
    assert (
        isinstance(capped, ErrorRecord)
        and capped.code == "DW701"
        and "over 1000 bytes" in capped.message
    )
    (oversize,) = read(site.url("/big"), max_bytes=1000)
    assert isinstance(oversize, ErrorRecord) and oversize.code == "DW104"


def test_url_http_error_is_a_record_naming_the_url(site: Site) -> None:
    (error,) = read(site.url("/missing"))
    assert isinstance(error, ErrorRecord) and error.code == "DW701"
    assert "HTTP 404" in error.message and error.path == site.url("/missing")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/a.txt", "FILE://x/y"])
def test_url_other_schemes_are_dw120_and_never_read(url: str) -> None:
    (error,) = read(url)
    assert isinstance(error, ErrorRecord) and error.code == "DW120"
    assert "http" in error.message


def test_url_redirect_to_a_file_url_is_refused(site: Site) -> None:
    site.routes["/sneaky"] = (302, {"Location": "file:///etc/passwd"}, b"")
    (error,) = read(site.url("/sneaky"))
    assert isinstance(error, ErrorRecord) and error.code == "DW701"
    assert "redirect to file:///etc/passwd" in error.message


def test_url_read_inputs_fetches_urls_only_with_a_fetcher(site: Site) -> None:
    site.routes["/a"] = (200, {"Content-Type": "text/html"}, article(STORY).encode())
    (refused,) = read_inputs([site.url("/a")])
    assert isinstance(refused, ErrorRecord) and refused.code == "DW120"
    assert site.paths == []
    (doc,) = read_inputs([site.url("/a")], fetcher=fetcher())
    assert isinstance(doc, Document) and doc.url == site.url("/a")


@pytest.mark.parametrize(
    ("item", "is_url"),
    [("https://x.org/a", True), ("file:///a", True), ("C:\\news\\a.txt", False),
     ("news/a.txt", False), ("-", False), ("notes:2019.txt", False), ("C://x", False)],
)  # fmt: skip
def test_url_looks_like_url(item: str, is_url: bool) -> None:
    assert looks_like_url(item) is is_url


def test_url_code_command_fetches_and_codes_one_article(
    site: Site, small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Coder, "builtin", lambda settings=None, extra=(), **options: small_coder)
    site.routes["/story"] = (200, {"Content-Type": "text/html"}, article(STORY).encode())
    result = CliRunner().invoke(cli.app, ["code", site.url("/story"), "--date", "2019-03-01"])
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events and all(e["doc_url"] == site.url("/story") for e in events)
    assert {e["source"]["code"] for e in events} == {"PAK"}
    assert "/robots.txt" in site.paths  # asked first, as the watcher does
    refused = CliRunner().invoke(cli.app, ["code", "file:///etc/hostname"])
    assert refused.exit_code == 1 and "[DW120]" in refused.stderr
