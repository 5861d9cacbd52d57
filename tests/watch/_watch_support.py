"""Test helpers: a local HTTP server on 127.0.0.1 for feeds, pages and webhooks.

Routes are set per test: ``server.route(path, body, status=200, headers=…, delay=0,
etag=None, last_modified=None)``; a route with an ``etag`` or ``last_modified``
sends them and answers a matching If-None-Match / If-Modified-Since with 304.
The server records every request (path and User-Agent), every answer (path,
status, the conditional headers received) and every POSTed body.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        # As a server should: If-None-Match decides when sent; the date only otherwise.
        if if_none_match is not None:
            return self.etag is not None and if_none_match == self.etag
        return self.last_modified is not None and if_modified_since == self.last_modified


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []
        self.posts: list[dict[str, object]] = []
        self.answers: list[tuple[str, int, dict[str, str]]] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: str | bytes, **options: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **options)  # type: ignore[arg-type]

    def statuses(self, path: str) -> list[int]:
        with self.lock:
            return [status for p, status, _ in self.answers if p == path]

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)


class _Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        route = self.server.routes.get(self.path)
        asked = {name: value for name in ("If-None-Match", "If-Modified-Since")
                 if (value := self.headers.get(name)) is not None}  # fmt: skip
        if route is None:
            self._answer(404, b"not here", {}, asked)
            return
        time.sleep(route.delay)
        headers = dict(route.headers)
        if route.etag is not None:
            headers["ETag"] = route.etag
        if route.last_modified is not None:
            headers["Last-Modified"] = route.last_modified
        if route.not_modified(asked.get("If-None-Match"), asked.get("If-Modified-Since")):
            self._answer(304, b"", headers, asked)
            return
        self._answer(route.status, route.body, headers, asked)

    def _answer(
        self, status: int, body: bytes, headers: dict[str, str], asked: dict[str, str]
    ) -> None:
        with self.server.lock:
            self.server.answers.append((self.path, status, asked))
        self._send(status, body, headers)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        payload = json.loads(self.rfile.read(length))
        route = self.server.routes.get(self.path)
        status = route.status if route else 204
        if status < 300:
            with self.server.lock:
                self.server.posts.append(payload)
        self._send(status, b"", {})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:  # a 304 has no body
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, format: str, *args: object) -> None:
        return  # keep test output quiet


def rss(*items: tuple[str, str, str]) -> str:
    """An RSS 2.0 feed of (link, title, pubDate) items."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for link, title, date in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'
    )


_FILLER = (
    "Residents of the nearby villages described a long night of noise and confusion, and "
    "local officials said that schools in the district would stay closed until further notice.",
    "Correspondents in the region reported that traffic on the main highway had been diverted "
    "through smaller roads, and that markets in the provincial capital opened late on Monday.",
)
"""Story paragraphs without a trigger of the small coder, so that the page reads as an article."""


def page(story: str, *, title: str = "A story", date: str = "2019-03-03") -> str:
    """An article page with navigation, a cookie banner and a footer around the story."""
    lines = [*story.split("\n"), *_FILLER]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    return f"""<!DOCTYPE html><html><head><title>{title}</title>
<meta property="article:published_time" content="{date}">
<meta property="og:site_name" content="Loopback News"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<main><article><h1>{title}</h1>{paragraphs}</article></main>
<aside>Most read: Celebrity chef opens restaurant. Ten tips for summer gardens.</aside>
<footer>Copyright Loopback News. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""
