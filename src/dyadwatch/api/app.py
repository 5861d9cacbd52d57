"""The application factory of the HTTP API over one store (``dyadwatch.web.create_app``
adds the dashboard to it).

Without a token the store is opened read-only and every write answers DW607;
with one, ``POST /documents`` needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypedDict

from fastapi import FastAPI

from dyadwatch._version import __version__
from dyadwatch.api._cache import ASGIApp, CachedReads, Message, Receive, ResponseCache, Scope, Send
from dyadwatch.api._errors import install_error_handlers
from dyadwatch.api._hot import SERIES_THREADS, HotReads
from dyadwatch.api._hub import CoderFactory, StoreHub
from dyadwatch.api._timeouts import RequestTimeout
from dyadwatch.api.routes_analytics import router as analytics_router
from dyadwatch.api.routes_read import router as read_router
from dyadwatch.api.routes_write import router as write_router
from dyadwatch.coder.engine import Coder
from dyadwatch.config import Settings
from dyadwatch.errors import ConfigError, Errors

__all__ = [
    "CODE_TIMEOUT",
    "CODING_QUEUE",
    "CODING_SLOTS",
    "CONTENT_SECURITY_POLICY",
    "REQUEST_TIMEOUT",
    "RESPONSE_CACHE_BYTES",
    "AppOptions",
    "create_app",
]

REQUEST_TIMEOUT = 30.0
"""Seconds one request may take before it is answered DW610 (503)."""
CODE_TIMEOUT = 10.0
"""Seconds ``POST /code`` may spend coding its text."""
CODING_SLOTS = 2
"""Threads that may code at once; more coding requests wait in the queue."""
CODING_QUEUE = 64
"""Coding requests that may wait for a slot before more are refused (DW611)."""
RESPONSE_CACHE_BYTES = 64 * 2**20
"""Bytes of read answers kept until the next write (``_cache``); 0 keeps none."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    # plotly.js positions its SVG with style attributes and one injected <style>.
    "style-src 'self' 'unsafe-inline'; font-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class AppOptions(TypedDict, total=False):
    """The keyword options of :func:`create_app`, for factories built on it."""

    token: str | None
    coder_factory: CoderFactory | None
    settings: Settings | None
    request_timeout: float
    code_timeout: float
    coding_slots: int
    coding_queue: int
    response_cache_bytes: int


def create_app(
    store_path: Path | str,
    *,
    token: str | None = None,
    coder_factory: CoderFactory | None = None,
    settings: Settings | None = None,
    request_timeout: float = REQUEST_TIMEOUT,
    code_timeout: float = CODE_TIMEOUT,
    coding_slots: int = CODING_SLOTS,
    coding_queue: int = CODING_QUEUE,
    response_cache_bytes: int = RESPONSE_CACHE_BYTES,
    series_threads: int = SERIES_THREADS,
) -> FastAPI:
    """The ASGI app serving the API over the store at ``store_path``.

    ``token`` enables writes; ``coder_factory`` builds the coder on first use
    (default ``Coder.builtin``). A request not answered within ``request_timeout``
    seconds, or a ``POST /code`` still coding after ``code_timeout``, gets
    DW610 (503); the work itself runs on in its thread (see ``_timeouts``).
    Coding runs on ``coding_slots`` threads; while all of them are busy
    (timed-out work included) up to ``coding_queue`` coding requests wait their
    turn within their time limit, and further ones get DW611 (503) at once.
    Up to ``response_cache_bytes`` of ``GET`` answers are kept until the next
    write, with ETags (``_cache``; 0 turns it off). At most ``series_threads``
    dyad series are computed at once (``_hot``). A limit that is not positive
    raises ConfigError DW001. Opening the store raises StoreError as
    :meth:`Store.open` does. ``app.state.hub.close()`` closes the coding slots
    and the store (the lifespan does it on shutdown).
    """
    _check_positive("request_timeout", request_timeout)
    _check_positive("code_timeout", code_timeout)
    _check_count("coding_slots", coding_slots)
    _check_count("coding_queue", coding_queue, least=0)
    _check_count("response_cache_bytes", response_cache_bytes, least=0)
    _check_count("series_threads", series_threads)
    settings = settings or Settings.from_env()
    hub = StoreHub(
        store_path,
        token=token,
        coder_factory=coder_factory or (lambda: Coder.builtin(settings)),
        max_document_bytes=settings.max_document_bytes,
        code_timeout=code_timeout,
        coding_slots=coding_slots,
        coding_queue=coding_queue,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        hub.close()  # the coding slots and the store

    app = FastAPI(
        title="dyadwatch",
        version=__version__,
        description="Political event data: who did what to whom. Errors are "
        '`{"error": {"code": "DWnnn", "message": …}}` (see docs/ERRORS.md).',
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.hub = hub
    install_error_handlers(app)
    # The last added is the outermost: security headers on every answer (DW610 and
    # cached ones too), then the cache, then the time limit around the work itself,
    # then the hot reads, which hand every request they do not answer to the routes.
    app.add_middleware(HotReads, hub=hub, series_threads=series_threads)
    app.add_middleware(RequestTimeout, seconds=request_timeout)
    if response_cache_bytes:
        app.add_middleware(CachedReads, hub=hub, cache=ResponseCache(response_cache_bytes))
    app.add_middleware(_SecurityHeaders)
    app.include_router(read_router)
    app.include_router(analytics_router)
    app.include_router(write_router)
    return app


def _check_count(name: str, value: int, least: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        reason = f"must be an integer ≥ {least}"
        raise ConfigError(Errors.DW001, name=name, value=str(value), reason=reason)


def _check_positive(name: str, seconds: float) -> None:
    if not seconds > 0:  # also refuses NaN
        raise ConfigError(Errors.DW001, name=name, value=str(seconds), reason="must be positive")


class _SecurityHeaders:
    """Adds :data:`_SECURITY_HEADERS` to every answer that lacks them.

    Plain ASGI rather than ``@app.middleware("http")``: that wrapper runs the
    rest of the app in a task of its own per request, which showed in the
    per-request cost of cheap reads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [pair for pair in _SECURITY_HEADERS if pair[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
