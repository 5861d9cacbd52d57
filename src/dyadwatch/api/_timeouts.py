"""Time limits: a request gets an answer within its bound even when its handler does not.

Sync (``def``) endpoints and the coder run in worker threads, and Python cannot
kill a thread. So the limit stops the *waiting*, not the work: the middleware
runs the rest of the app in a task of its own and, at the deadline, answers
DW610 (503) and cancels that task. A handler stuck in a thread finishes in the
background and its late response is dropped; until then it holds its thread
(and, for coding, the coder lock, so the next ``POST /code`` waits too).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar, TypeVarTuple, Unpack

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyadwatch.api._errors import render_error
from dyadwatch.errors import ApiError, Errors

__all__ = ["RequestTimeout", "run_bounded"]

_LOG = logging.getLogger("dyadwatch.api")

T = TypeVar("T")
Args = TypeVarTuple("Args")


class RequestTimeout:
    """ASGI middleware: DW610 (503) for an HTTP request not answered within ``seconds``.

    The bound runs from the request's arrival to the end of its response, so a
    slow upload or a slow handler both meet it. When the response has already
    started, the late part cannot become an error: the connection is cut short.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gate = _Gate(send)
        task = asyncio.ensure_future(self.app(scope, receive, gate.send))
        try:
            done, _ = await asyncio.wait({task}, timeout=self.seconds)
        finally:
            if not task.done():
                gate.closed = True
                task.cancel()
                task.add_done_callback(_forget)
        if done:
            task.result()  # re-raises what the app raised, for the outer handlers
            return
        _LOG.warning("request %s %s passed %s s", scope["method"], scope["path"], self.seconds)
        if not gate.started:
            error = ApiError(Errors.DW610, seconds=_seconds(self.seconds))
            await render_error(Request(scope), error)(scope, receive, send)


async def run_bounded(seconds: float, function: Callable[[Unpack[Args]], T], *args: *Args) -> T:
    """``function(*args)`` in a worker thread; ApiError DW610 once ``seconds`` pass.

    The thread is abandoned, not stopped: it runs to its end in the background.
    """
    with anyio.move_on_after(seconds):
        return await anyio.to_thread.run_sync(function, *args, abandon_on_cancel=True)
    raise ApiError(Errors.DW610, seconds=_seconds(seconds))


class _Gate:
    """The app's ``send``, closed once the middleware has given up on the app."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False
        self.closed = False

    async def send(self, message: Message) -> None:
        if self.closed:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def _forget(task: asyncio.Future[None]) -> None:
    # Retrieve the outcome of an abandoned request so asyncio does not log it as lost.
    if not task.cancelled() and task.exception() is not None:
        _LOG.warning("abandoned request failed late", exc_info=task.exception())


def _seconds(seconds: float) -> str:
    return f"{seconds:g}"
