"""The served application: the HTTP API with the dashboard mounted on it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Unpack

from fastapi import FastAPI

from dyadwatch import api
from dyadwatch.errors import ConfigError, Errors
from dyadwatch.web.pages import mount

__all__ = ["SERVE_OPTIONS", "create_app", "from_environment"]

SERVE_OPTIONS = "DYADWATCH_SERVE_OPTIONS"
"""The environment variable through which ``serve --workers N`` hands each worker process
its store and limits (JSON): uvicorn starts workers from an import string, not an app."""
_WORKER_OPTIONS = (
    "request_timeout", "code_timeout", "coding_slots", "coding_queue", "response_cache_bytes",
)  # fmt: skip


def create_app(store_path: Path | str, **options: Unpack[api.AppOptions]) -> FastAPI:
    """:func:`dyadwatch.api.create_app` (same options, same errors) with the dashboard
    under ``/ui``; ``/`` redirects there."""
    app = api.create_app(store_path, **options)
    mount(app)
    return app


def from_environment() -> FastAPI:
    """A read-only app (no write token) from :data:`SERVE_OPTIONS`: what each worker
    process of ``dyadwatch serve --workers N`` runs. DW001 when the variable is
    missing or not the JSON ``serve`` writes."""
    text = os.environ.get(SERVE_OPTIONS, "")
    try:
        given = json.loads(text)
        store = Path(given.pop("store"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = "expected the JSON object dyadwatch serve --workers writes"
        raise ConfigError(Errors.DW001, name=SERVE_OPTIONS, value=text, reason=reason) from exc
    unknown = sorted(set(given) - set(_WORKER_OPTIONS))
    if unknown:
        reason = f"unknown option(s) {', '.join(unknown)}"
        raise ConfigError(Errors.DW001, name=SERVE_OPTIONS, value=text, reason=reason)
    return create_app(store, **given)
