"""Whole-store summaries of the hub: kept until the next write, computed by one thread
at a time, the last value served while a new one is computed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from api_support import DocumentCount, summary_hub

from dyadwatch.coder.engine import Coder
from dyadwatch.store import Store


def test_api_summaries_are_kept_until_a_write(store_path: Path, small_coder: Coder) -> None:
    # No grace after a write: these tests are about recomputing (test_api_cache has the lag).
    hub = summary_hub(store_path, small_coder, max_age=0.0)
    count = DocumentCount()
    try:
        first = hub.summary("documents", count)
        assert hub.summary("documents", count) == first and count.calls == 1
        with hub.writing() as store:
            store.execute([("INSERT INTO meta VALUES (?, ?)", ["test_summary", "1"])])
        assert hub.summary("documents", count) == first and count.calls == 2
    finally:
        hub.close()


def test_api_summaries_compute_once_and_serve_the_last_meanwhile(
    store_path: Path, small_coder: Coder
) -> None:
    hub = summary_hub(store_path, small_coder, max_age=0.0)
    started = threading.Event()
    release = threading.Event()
    calls: list[int] = []

    def slow(_: Store) -> int:
        calls.append(1)
        started.set()
        release.wait(10)
        return len(calls)

    try:
        # No value yet: the first computes, the others wait for it (no second scan).
        results: list[int] = []
        threads = [
            threading.Thread(target=lambda: results.append(hub.summary("k", slow)))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        assert started.wait(10)
        time.sleep(0.1)
        release.set()
        for thread in threads:
            thread.join(10)
        assert results == [1] * 6 and len(calls) == 1

        # After a write one thread recomputes; the others get the last value at once.
        with hub.writing():
            pass
        started.clear()
        release.clear()
        refresher = threading.Thread(target=lambda: results.append(hub.summary("k", slow)))
        refresher.start()
        assert started.wait(10)
        began = time.monotonic()
        assert hub.summary("k", slow) == 1  # the last value, without waiting
        assert time.monotonic() - began < 1.0
        release.set()
        refresher.join(10)
        assert results[-1] == 2 and len(calls) == 2
        assert hub.summary("k", slow) == 2  # the new value, kept
    finally:
        release.set()
        hub.close()
