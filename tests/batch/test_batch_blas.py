"""A worker codes with one BLAS thread: workers, not BLAS threads, use the cores."""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits  # type: ignore[import-untyped]

from dyadwatch.batch import CoderSpec
from dyadwatch.batch.coding import worker_coder


def test_worker_coder_limits_blas_to_one_thread() -> None:
    with threadpool_limits(limits=None):  # restore this process's limits afterwards
        threadpool_limits(limits=2, user_api="blas")
        worker_coder.cache_clear()
        worker_coder(CoderSpec(factory="batch_helpers:small_coder"))
        blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert blas, "numpy ships a BLAS library"
        assert all(pool["num_threads"] == 1 for pool in blas)
