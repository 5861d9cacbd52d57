"""One handler that turns every failure into an error answer with the catalogue's status.

Library errors keep their catalogue code and the HTTP status the catalogue
gives it (``ErrorCode.status``); the framework's own refusals (validation,
unknown route, wrong method) get the DW6xx code of their kind. The answer is
``{"error": {"code", "message"}}``, unless a page renderer was added for the
path's prefix (the dashboard adds one for ``/ui``): then the same error comes
back as that page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyadwatch.errors import ApiError, DyadwatchError, Errors

__all__ = ["ErrorPage", "add_error_page", "install_error_handlers", "render_error"]

_LOG = logging.getLogger("dyadwatch.api")

ErrorPage = Callable[[Request, DyadwatchError, int], Response]
"""Renders an error and its HTTP status as the page of one part of the site."""


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers of every failure a request can meet."""
    app.state.error_pages = ()
    app.add_exception_handler(DyadwatchError, _on_dyadwatch_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_crash)


def add_error_page(app: FastAPI, prefix: str, page: ErrorPage) -> None:
    """Answer errors of paths under ``prefix`` with ``page`` instead of JSON."""
    app.state.error_pages = (*app.state.error_pages, (prefix, page))


def _on_dyadwatch_error(request: Request, error: DyadwatchError) -> Response:
    return render_error(request, error)


def _on_validation(request: Request, error: RequestValidationError) -> Response:
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item.get("loc", ()))
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    api_error = ApiError(Errors.DW605, detail="; ".join(problems) or "invalid request")
    return render_error(request, api_error)


def _on_http(request: Request, error: StarletteHTTPException) -> Response:
    if error.status_code == 404:
        api_error = ApiError(Errors.DW604, what=f"path {request.url.path!r}")
    elif error.status_code == 405:
        api_error = ApiError(Errors.DW606, method=request.method)
    else:
        api_error = ApiError(Errors.DW605, detail=str(error.detail))
    return render_error(request, api_error, error.status_code)


def _on_crash(request: Request, error: Exception) -> Response:
    # The message names only the exception type: internals stay in the log.
    _LOG.exception("request %s %s failed", request.method, request.url.path)
    return render_error(request, ApiError(Errors.DW609, kind=type(error).__name__))


def render_error(request: Request, error: DyadwatchError, status: int | None = None) -> Response:
    """The answer to ``error``: its catalogue status (or ``status``), as JSON or a page."""
    status = status or error.status
    page = _page_for(request)
    response: Response
    if page is not None:
        response = page(request, error, status)
    else:
        body = {"error": {"code": error.code, "message": error.message}}
        response = JSONResponse(body, status_code=status)
    if error.retry_after is not None:
        response.headers["retry-after"] = str(error.retry_after)
    return response


def _page_for(request: Request) -> ErrorPage | None:
    pages: tuple[tuple[str, ErrorPage], ...] = getattr(request.app.state, "error_pages", ())
    path = request.url.path
    return next((page for prefix, page in pages if path.startswith(prefix)), None)
