"""``dyadwatch serve``: the HTTP API and the dashboard over one store, with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.config import Settings
from dyadwatch.errors import DyadwatchError

__all__ = ["serve"]


def serve(
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="DuckDB store file (default: $DYADWATCH_STORE or ./dyadwatch.duckdb)."
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="DYADWATCH_API_TOKEN",
            help="Bearer token that allows writes (POST /documents); without it the "
            "server is read-only.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the HTTP API and the dashboard (http://HOST:PORT/ui/); Ctrl-C stops it."""
    import uvicorn

    from dyadwatch.api import create_app

    settings = Settings.from_env()
    try:
        app = create_app(store or settings.store_path, token=token, settings=settings)
    except DyadwatchError as exc:
        typer.echo(f"error {exc}", err=True)
        raise typer.Exit(1) from exc
    mode = "read-write" if token else "read-only"
    typer.echo(f"dyadwatch: dashboard on http://{host}:{port}/ui/ ({mode}); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning")
