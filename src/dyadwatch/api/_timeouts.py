"""Time limits: a request gets an answer within its bound even when its handler does not.

Sync (``def``) endpoints and the coder run in worker threads, and Python cannot
kill a thread. So a limit stops the *waiting*, not the work: the middleware
runs the rest of the app in a task of its own and, at the deadline, answers
DW610 (503) and cancels that task. A handler stuck in a thread finishes in the
background and its late response is dropped.

Coding is the one kind of work that can be slow on purpose (a long text), so it
runs on :class:`CodingSlots`, a fixed number of threads owned by the server: a
slot stays taken until its work really ends. Requests that find every slot
taken wait in a bounded queue, their deadline running while they wait; past
the queue's bound they are refused at once (DW611) instead of piling up. Work
past its limit is interrupted at its next Python instruction
(:mod:`dyadwatch._deadline`), which frees its slot; work blocked inside one C
call keeps the slot until that call returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, TypeVarTuple, Unpack

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyadwatch._deadline import deadline
from dyadwatch.api._errors import render_error
from dyadwatch.errors import ApiError, Errors

__all__ = ["CodingSlots", "RequestTimeout"]

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


class _Overran(Exception):
    """Raised inside coding work that ran past its request's limit."""


class CodingSlots:
    """``size`` worker threads for coding and a queue of ``queue`` waiting requests.

    A slot is taken when work starts and given back when that work ends, not
    when its caller stops waiting: work past its time limit is interrupted
    where Python can interrupt it, and keeps its slot until then. So at most
    ``size`` coding threads exist and at most ``size + queue`` requests are
    admitted, however many arrive; a burst within that bound is served in turn.
    """

    def __init__(self, size: int, queue: int = 0) -> None:
        self.size = size
        self.queue = queue
        self._admitted = threading.BoundedSemaphore(size + queue)
        self._busy = 0
        self._count_lock = threading.Lock()
        self._closed = False
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="dyadwatch-coding")

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: new work raises RuntimeError."""
        return self._closed

    @property
    def busy(self) -> int:
        """Requests admitted right now: running, waiting, or abandoned but still running."""
        with self._count_lock:
            return self._busy

    async def run(
        self, seconds: float | None, function: Callable[[Unpack[Args]], T], *args: *Args
    ) -> T:
        """``function(*args)`` in a slot, once one is free; its result, or what it raised.

        Raises ApiError DW611 at once when every slot is taken and the queue is
        full, and DW610 once ``seconds`` pass, waiting included (``None``: wait
        as long as the request may). At the limit running work is interrupted
        too, where Python can interrupt it; waiting work never starts.
        """
        if not self._admitted.acquire(blocking=False):
            raise ApiError(Errors.DW611, slots=self.size, queue=self.queue)
        self._count(+1)
        due = None if seconds is None else time.monotonic() + seconds
        try:
            future = self._executor.submit(self._in_slot, lambda: function(*args), due)
        except RuntimeError:  # closed: the slot was never used, so give it back
            self._give_back()
            raise
        # Work cancelled before it started (a time-out while waiting, or close())
        # never reaches _in_slot: its admission comes back here instead.
        future.add_done_callback(lambda done: self._give_back() if done.cancelled() else None)
        if seconds is None:
            return await asyncio.wrap_future(future)
        with anyio.move_on_after(seconds), contextlib.suppress(_Overran):
            # Either the wait ends first or the interrupted work does: both are DW610.
            # Cancelling the wait cancels the future too, so waiting work never starts.
            return await asyncio.wrap_future(future)
        raise ApiError(Errors.DW610, seconds=_seconds(seconds))

    def close(self) -> None:
        """Start no more work; running work ends on its own (threads cannot be stopped)."""
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _in_slot(self, work: Callable[[], T], due: float | None) -> T:
        try:
            left = None if due is None else due - time.monotonic()
            if left is not None and left <= 0:
                raise _Overran  # its deadline passed while it waited
            with deadline(left, _Overran):
                return work()
        finally:
            self._give_back()

    def _give_back(self) -> None:
        self._count(-1)
        self._admitted.release()

    def _count(self, step: int) -> None:
        with self._count_lock:
            self._busy += step


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
