"""Keeping freed array memory in a coding process instead of returning it to the OS.

Every batch allocates the same large float arrays (tok2vec layers, the parser's
precomputed features) and frees them again. glibc serves blocks over its mmap
threshold with fresh mappings, and gives free memory at the top of the heap
back, so each batch faults in zeroed pages anew: on IndiaPoliceEvents text that
cost a fifth of the tok2vec time (bench/bench_coder.py, docs/PERFORMANCE.md).
Raising both thresholds lets the next batch reuse the pages. A long-running
worker then holds its high-water mark, bounded by ``trim_bytes`` of slack.
"""

from __future__ import annotations

import ctypes
import ctypes.util

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_MAX = 32 << 20
"""glibc's upper bound for the mmap threshold on 64-bit systems (32 MiB)."""


def keep_freed_memory(trim_bytes: int = 256 << 20, *, libc: str | None = None) -> bool:
    """Tune glibc's malloc for repeated large arrays; False where that is not glibc.

    ``libc`` names the C library to load (default: the one ``ctypes`` finds).
    """
    name = libc if libc is not None else ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return False
    mallopt = getattr(library, "mallopt", None)
    if mallopt is None:
        return False  # musl, macOS: no mallopt, their defaults stay
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX) and mallopt(_M_TRIM_THRESHOLD, trim_bytes))
