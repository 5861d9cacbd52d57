"""The served application: the HTTP API with the dashboard mounted on it."""

from __future__ import annotations

from pathlib import Path
from typing import Unpack

from fastapi import FastAPI

from dyadwatch import api
from dyadwatch.web.pages import mount

__all__ = ["create_app"]


def create_app(store_path: Path | str, **options: Unpack[api.AppOptions]) -> FastAPI:
    """:func:`dyadwatch.api.create_app` (same options, same errors) with the dashboard
    under ``/ui``; ``/`` redirects there."""
    app = api.create_app(store_path, **options)
    mount(app)
    return app
