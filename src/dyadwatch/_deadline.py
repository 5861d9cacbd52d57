"""Interrupting work that overruns its time: an exception raised inside it.

In a process's main thread a POSIX alarm raises the exception, even inside a
blocking call (a sleep, a read). Other threads cannot receive signals; there a
timer thread asks the interpreter to raise the exception in the working thread
(``PyThreadState_SetAsyncExc``, the C API that CPython offers for this), which
happens at that thread's next Python instruction. A thread stuck inside one
long C call (a regular expression, a matrix product) is interrupted only when
that call returns, so the bound is on Python work, which is where coding
spends its time.

An exception scheduled just as the work finished is withdrawn before the
context exits, so it never escapes into code after the ``with`` block.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["deadline"]


@contextmanager
def deadline(seconds: float | None, error: type[BaseException]) -> Iterator[None]:
    """Raise ``error`` (instantiated without arguments) if the body runs past ``seconds``."""
    if seconds is None:
        yield
    elif hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _alarm(seconds, error):
            yield
    else:
        with _async_raise(seconds, error):
            yield


@contextmanager
def _alarm(seconds: float, error: type[BaseException]) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _async_raise(seconds: float, error: type[BaseException]) -> Iterator[None]:
    target = threading.get_ident()
    guard = threading.Lock()
    state = {"finished": False, "raised": False}

    def expire() -> None:
        with guard:
            if not state["finished"]:
                state["raised"] = _set_async_exc(target, error) == 1

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with guard:
            state["finished"] = True
            if state["raised"]:
                _set_async_exc(target, None)  # withdraw it if not yet delivered


def _set_async_exc(thread_id: int, error: type[BaseException] | None) -> int:
    """How many threads were affected (0 or 1); ``None`` withdraws a pending one."""
    exc = ctypes.py_object(error) if error is not None else None
    return int(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), exc))
