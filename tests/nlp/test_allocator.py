"""The allocator setting keeps freed arrays' pages for the next batch."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from dyadwatch.nlp.allocator import keep_freed_memory

GLIBC = platform.libc_ver()[0] == "glibc"

_CYCLES = """
import resource, sys, numpy
from dyadwatch.nlp.allocator import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
numpy.ones(4_000_000, dtype="float32").sum()  # the first batch faults its pages in
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(40):
    numpy.ones(4_000_000, dtype="float32").sum()  # 16 MB, allocated and freed
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _page_faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _CYCLES, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_kept_memory_is_reused_without_new_page_faults() -> None:
    kept, default = _page_faults("keep"), _page_faults("default")
    assert kept * 10 < default


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_keep_freed_memory_applies_on_glibc() -> None:
    assert keep_freed_memory() is True


def test_keep_freed_memory_declines_without_a_c_library() -> None:
    assert keep_freed_memory(libc="libdyadwatch-no-such-library.so.9") is False
