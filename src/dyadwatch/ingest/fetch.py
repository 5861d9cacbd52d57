"""Polite HTTP fetching: timeouts, retries with backoff, a per-host pace, robots.txt.

Used by the watcher and by ``dyadwatch code URL``; it lives in ingest, the
lowest layer, so that both can import it. One :class:`Fetcher` is shared by
the threads of a watch cycle; it holds the time of
each host's last request and each host's robots.txt, so two threads never hit
one host faster than :attr:`FetchPolicy.min_interval` allows.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from dyadwatch.errors import Errors, WatchError

__all__ = ["DEFAULT_USER_AGENT", "FetchPolicy", "Fetcher", "Response", "Validators"]

DEFAULT_USER_AGENT = "dyadwatch-watch/0.1 (+https://github.com/dyadwatch)"
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How the watcher behaves towards the sites it reads.

    ``min_interval`` is the least time in seconds between two requests to one
    host; ``retries`` more attempts follow a timeout, a network error or a
    5xx/429, after ``backoff * 2**attempt`` seconds.
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    min_interval: float = 1.0
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    obey_robots: bool = True


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies a version of a URL: its ETag and Last-Modified."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def headers(self) -> dict[str, str]:
        """The conditional request headers that ask for the body only if it changed."""
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer; ``url`` is the final one, after redirects.

    ``status`` is 2xx, or 304 (empty ``body``) when a conditional request found
    the URL unchanged; ``validators`` are those to send next time.
    """

    url: str
    status: int
    body: bytes
    content_type: str = ""
    validators: Validators = field(default_factory=Validators)

    @property
    def unchanged(self) -> bool:
        """Whether the server answered 304 Not Modified."""
        return self.status == 304


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Redirects are followed by Fetcher itself, so that loops are caught and paced.
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> None:
        return None


@dataclass(slots=True)
class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy`; safe to share between threads.

    ``sleep`` and ``clock`` are injectable so that tests need not wait.
    """

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _next_slot: dict[str, float] = field(default_factory=dict, init=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser] = field(default_factory=dict, init=False)
    _opener: urllib.request.OpenerDirector = field(init=False)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirect())

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """The 2xx response for ``url``, following redirects.

        With ``validators`` the request is conditional, and a 304 answer comes
        back as an :attr:`Response.unchanged` response. Raises WatchError DW702
        when robots.txt disallows the URL and DW701 for an HTTP error (a 304 to
        an unconditional request included), a timeout after the retries, a
        redirect loop, a body over ``max_bytes``, or a URL (or redirect) that
        is not http or https: a server never gets us to read a local file.
        """
        seen = {url}
        current = url
        for _ in range(self.policy.max_redirects + 1):
            _check_scheme(current, url)
            self._check_robots(current)
            status, body, headers = self._with_retries(current, validators)
            if status not in _REDIRECTS:
                # A 304 is an answer only to a question we asked.
                if not (200 <= status < 300 or (status == 304 and validators)):
                    raise WatchError(Errors.DW701, url=current, detail=f"HTTP {status}")
                found = Validators(headers.get("ETag"), headers.get("Last-Modified"))
                if status == 304:
                    body, found = b"", found or validators or Validators()
                return Response(current, status, body, headers.get("Content-Type", ""), found)
            location = headers.get("Location")
            if not location:
                raise WatchError(
                    Errors.DW701, url=current, detail=f"HTTP {status} without Location"
                )
            current = urljoin(current, location)
            if current in seen:
                raise WatchError(Errors.DW701, url=url, detail=f"redirect loop at {current}")
            seen.add(current)
        raise WatchError(Errors.DW701, url=url, detail="too many redirects")

    def _with_retries(
        self, url: str, validators: Validators | None = None
    ) -> tuple[int, bytes, Message]:
        attempt = 0
        while True:
            try:
                status, body, headers = self._once(url, validators)
            except (OSError, http.client.HTTPException) as exc:
                if attempt >= self.policy.retries:
                    raise WatchError(Errors.DW701, url=url, detail=_reason(exc)) from exc
            else:
                if status not in _RETRYABLE or attempt >= self.policy.retries:
                    return status, body, headers
            self.sleep(self.policy.backoff * 2**attempt)
            attempt += 1

    def _once(self, url: str, validators: Validators | None) -> tuple[int, bytes, Message]:
        self._wait_turn(url)
        headers = {"User-Agent": self.policy.user_agent}
        headers.update(validators.headers() if validators else {})
        request = urllib.request.Request(url, headers=headers)
        try:
            with self._opener.open(request, timeout=self.policy.timeout) as answer:
                return answer.status, self._read(url, answer), answer.headers
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, b"", exc.headers

    def _read(self, url: str, answer: http.client.HTTPResponse) -> bytes:
        body = answer.read(self.policy.max_bytes + 1)
        if len(body) > self.policy.max_bytes:
            detail = f"body over {self.policy.max_bytes} bytes"
            raise WatchError(Errors.DW701, url=url, detail=detail)
        return body

    def _wait_turn(self, url: str) -> None:
        """Reserve the host's next slot under the lock, then sleep until it comes."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = self.clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.policy.min_interval
        if slot > now:
            self.sleep(slot - now)

    def _check_robots(self, url: str) -> None:
        if not self.policy.obey_robots:
            return
        parts = urlsplit(url)
        robots = self._robots_of(f"{parts.scheme}://{parts.netloc}")
        if not robots.can_fetch(self.policy.user_agent, url):
            raise WatchError(Errors.DW702, host=parts.netloc, url=url)

    def _robots_of(self, origin: str) -> urllib.robotparser.RobotFileParser:
        with self._lock:
            known = self._robots.get(origin)
        if known is not None:
            return known
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            status, body, _ = self._with_retries(origin + "/robots.txt")
        except WatchError:
            status, body = 404, b""  # an unreachable robots.txt forbids nothing
        if status in (401, 403):
            robots.parse(["User-agent: *", "Disallow: /"])
        elif 200 <= status < 300:
            robots.parse(body.decode("utf-8", "replace").splitlines())
        else:
            robots.parse([])
        with self._lock:
            self._robots[origin] = robots
        return robots


def _check_scheme(current: str, asked: str) -> None:
    if urlsplit(current).scheme.lower() not in _SCHEMES:
        detail = "not an http or https URL" if current == asked else f"redirect to {current}"
        raise WatchError(Errors.DW701, url=asked, detail=detail)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError):
        return f"{type(exc.reason).__name__}: {exc.reason}"
    return f"{type(exc).__name__}: {exc}"
