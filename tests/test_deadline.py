"""Deadlines interrupt overrunning work in the main thread and in other threads."""

from __future__ import annotations

import threading
import time

import pytest

from dyadwatch._deadline import deadline


class Overrun(Exception):
    pass


def _spin(seconds: float) -> int:
    """Pure Python work for ``seconds`` (no C call long enough to hide in)."""
    end = time.monotonic() + seconds
    count = 0
    while time.monotonic() < end:
        count += 1
    return count


def _in_thread(work: object) -> list[BaseException | str]:
    outcome: list[BaseException | str] = []

    def run() -> None:
        try:
            work()  # type: ignore[operator]
            outcome.append("done")
        except Overrun as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    return outcome


def test_deadline_interrupts_the_main_thread_even_in_a_sleep() -> None:
    started = time.monotonic()
    with pytest.raises(Overrun), deadline(0.2, Overrun):
        time.sleep(5)
    assert time.monotonic() - started < 2


def test_deadline_interrupts_python_work_in_another_thread() -> None:
    started = time.monotonic()

    def work() -> None:
        with deadline(0.2, Overrun):
            _spin(10)

    (outcome,) = _in_thread(work)
    assert isinstance(outcome, Overrun)
    assert time.monotonic() - started < 5


def test_a_deadline_met_in_another_thread_raises_nothing_later() -> None:
    interrupted = []

    def work() -> None:
        for _ in range(20):  # finish just before the limit, many times over
            try:
                with deadline(0.05, Overrun):
                    _spin(0.045)
            except Overrun:
                interrupted.append(1)  # the race may go either way inside the block
        _spin(0.3)  # a withdrawn exception must not surface after the blocks

    assert _in_thread(work) == ["done"]
    assert len(interrupted) < 20


def test_no_deadline_is_no_limit() -> None:
    with deadline(None, Overrun):
        assert _spin(0.05) > 0
