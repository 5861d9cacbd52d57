"""One place that turns every failure into ``{"error": {"code", "message"}}`` and a status.

Library errors keep their catalogue code; the framework's own refusals
(validation, unknown route, wrong method) get the DW6xx code of their kind.
Dashboard paths (``/ui``) get the same error as a small HTML page.
"""

from __future__ import annotations

import logging
from types import MappingProxyType

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyadwatch.errors import (
    ApiError,
    DyadwatchError,
    Errors,
    InputError,
    OntologyError,
    StoreError,
)

__all__ = ["install_error_handlers", "render_error", "status_of"]

_LOG = logging.getLogger("dyadwatch.api")

_API_STATUS = {
    "DW601": 413, "DW602": 401, "DW603": 403, "DW604": 404, "DW605": 422,
    "DW606": 405, "DW607": 403, "DW608": 501, "DW609": 500, "DW610": 503,
    "DW611": 503,
}  # fmt: skip
_CLIENT_STORE_CODES = frozenset({"DW303"})
_RETRY_AFTER = MappingProxyType({"DW610": "2", "DW611": "2"})
"""Seconds a refused client should wait: busy slots free up as slow work ends."""


def status_of(error: DyadwatchError) -> int:
    """The HTTP status of a library error: 4xx when the request was at fault."""
    if isinstance(error, ApiError):
        return _API_STATUS.get(error.code, 400)
    if isinstance(error, InputError):
        return 413 if error.code == "DW104" else 422
    if isinstance(error, OntologyError):
        return 422
    if isinstance(error, StoreError) and error.code in _CLIENT_STORE_CODES:
        return 422
    return 500


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers of every failure a request can meet."""
    app.add_exception_handler(DyadwatchError, _on_dyadwatch_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_crash)


def _on_dyadwatch_error(request: Request, error: DyadwatchError) -> Response:
    return render_error(request, error)


def _on_validation(request: Request, error: RequestValidationError) -> Response:
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item.get("loc", ()))
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    api_error = ApiError(Errors.DW605, detail="; ".join(problems) or "invalid request")
    return _render(request, api_error, 422)


def _on_http(request: Request, error: StarletteHTTPException) -> Response:
    if error.status_code == 404:
        api_error = ApiError(Errors.DW604, what=f"path {request.url.path!r}")
    elif error.status_code == 405:
        api_error = ApiError(Errors.DW606, method=request.method)
    else:
        api_error = ApiError(Errors.DW605, detail=str(error.detail))
    return _render(request, api_error, error.status_code)


def _on_crash(request: Request, error: Exception) -> Response:
    # The message names only the exception type: internals stay in the log.
    _LOG.exception("request %s %s failed", request.method, request.url.path)
    return _render(request, ApiError(Errors.DW609, kind=type(error).__name__), 500)


def render_error(request: Request, error: DyadwatchError) -> Response:
    """The response of a library error: JSON, or an HTML page under ``/ui``."""
    return _render(request, error, status_of(error))


def _render(request: Request, error: DyadwatchError, status: int) -> Response:
    response: Response
    if request.url.path.startswith("/ui"):
        from dyadwatch.web.pages import error_page

        response = error_page(request, error, status)
    else:
        body = {"error": {"code": error.code, "message": error.message}}
        response = JSONResponse(body, status_code=status)
    if error.code in _RETRY_AFTER:
        response.headers["retry-after"] = _RETRY_AFTER[error.code]
    return response
