"""``serve``: the HTTP API and the dashboard over one store, with uvicorn."""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer

from dyadwatch.cli._options import StoreOption
from dyadwatch.config import Settings
from dyadwatch.errors import ConfigError, Errors, StoreError

__all__ = ["http_options", "register", "serve"]

# uvicorn's defaults leave these unbounded or implicit; see docs/API.md, "Limits".
_KEEP_ALIVE_SECONDS = 5
"""An idle keep-alive connection is closed after this."""
_MAX_CONCURRENCY = 1000
"""Connections and requests at once; past it uvicorn answers a plain 503 at once, which
beats queueing behind 40 worker threads. Five times the 200 the load test holds."""
_MAX_HEADER_BYTES = 16_384
"""The request line and headers (h11's bound; ``_httptools`` keeps the same one)."""
_GRACEFUL_SHUTDOWN_SECONDS = 10


def serve(
    store: StoreOption = None,
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="Interface to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="TCP port.")
    ] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            envvar="DYADWATCH_API_TOKEN",
            help="Bearer token that allows writes (POST /documents); without it the "
            "server is read-only. With it a missing store is created empty.",
            show_default=False,
        ),
    ] = None,
    request_timeout: Annotated[
        float,
        typer.Option(
            "--request-timeout",
            metavar="S",
            min=0.1,
            help="Seconds a request may take before it is answered DW610 (503); "
            "POST /code stops coding at 10 s or this, whichever is less.",
        ),
    ] = 30.0,
    coding_slots: Annotated[
        int,
        typer.Option(
            "--coding-slots",
            metavar="N",
            min=1,
            help="Texts coded at once (POST /code, POST /documents, the code page).",
        ),
    ] = 2,
    coding_queue: Annotated[
        int,
        typer.Option(
            "--coding-queue",
            metavar="N",
            min=0,
            help="Coding requests that wait for a free slot (within their time limit); "
            "past them coding requests get DW611 (503) at once.",
        ),
    ] = 64,
    cache_mb: Annotated[
        int,
        typer.Option(
            "--cache-mb",
            metavar="MB",
            min=0,
            help="Megabytes of read answers kept (per process) until the next write, "
            "served with ETags; 0 keeps none.",
        ),
    ] = 64,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            metavar="N",
            min=1,
            help="Server processes sharing the port; more than one needs a read-only "
            "server (no --token): DuckDB lets one process write a store, or many read it.",
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API and the dashboard (http://HOST:PORT/ui/); Ctrl-C stops it."""
    import uvicorn

    from dyadwatch.api.app import CODE_TIMEOUT, AppOptions
    from dyadwatch.web import create_app
    from dyadwatch.web.app import SERVE_OPTIONS

    settings = Settings.from_env()
    path = store if store is not None else settings.store_path
    if workers > 1 and token is not None:
        reason = "several workers open the store read-only; serve writes with --workers 1"
        raise ConfigError(Errors.DW001, name="--workers", value=str(workers), reason=reason)
    if token is None and not path.exists():
        # Read-only mode cannot create the file; say how to get one, not DuckDB's words.
        raise StoreError(Errors.DW308, store=path)
    # What every worker process is told too (JSON): no token, no Settings object.
    options: AppOptions = {
        "request_timeout": request_timeout,
        "code_timeout": min(CODE_TIMEOUT, request_timeout),
        "coding_slots": coding_slots,
        "coding_queue": coding_queue,
        "response_cache_bytes": cache_mb * 2**20,
    }
    limits: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "timeout_keep_alive": _KEEP_ALIVE_SECONDS,
        "limit_concurrency": _MAX_CONCURRENCY,
        "timeout_graceful_shutdown": _GRACEFUL_SHUTDOWN_SECONDS,
        **http_options(),
    }
    mode = "read-write" if token else "read-only"
    if workers > 1:
        # Each worker process builds its own app (and read-only store) from these.
        os.environ[SERVE_OPTIONS] = json.dumps({"store": str(path), **options})
        typer.echo(
            f"dyadwatch: dashboard on http://{host}:{port}/ui/ ({mode}, {workers} worker "
            "processes); Ctrl-C stops it"
        )
        target = "dyadwatch.web.app:from_environment"
        uvicorn.run(target, factory=True, workers=workers, **limits)
        return
    served: AppOptions = {**options, "token": token, "settings": settings}
    app = create_app(path, **served)
    typer.echo(f"dyadwatch: dashboard on http://{host}:{port}/ui/ ({mode}); Ctrl-C stops it")
    uvicorn.run(app, **limits)


def http_options() -> dict[str, Any]:
    """uvicorn's HTTP parser: httptools when it is installed, with the header bound
    h11 has (``_httptools``), else h11. With httptools the server spends about a
    third of the CPU per request that it does with h11 (docs/PERFORMANCE.md,
    "Session 13: the framework's share"); uvicorn picks uvloop for the event loop
    by itself when that is installed (``loop="auto"``)."""
    try:
        from dyadwatch.cli._httptools import CappedHttpTools
    except ImportError:
        return {"http": "h11", "h11_max_incomplete_event_size": _MAX_HEADER_BYTES}
    return {"http": CappedHttpTools}


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve)
