"""What a benchmark's figures depend on besides our code: the BLAS numpy runs."""

from __future__ import annotations

import os

from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def blas_note() -> str:
    """One sentence naming numpy's BLAS, the kernel it runs and any override in force.

    Some machines set OPENBLAS_CORETYPE to an older CPU's kernel (a guard for
    old OpenBLAS builds); it changes every matrix product's speed, so each
    figure says which kernel produced it.
    """
    libraries = [
        f"{lib['internal_api']} {lib.get('version')} ({lib.get('architecture')} kernel)"
        for lib in threadpool_info()
        if lib.get("user_api") == "blas"
    ]
    overrides = [f"{name}={os.environ[name]}" for name in _OVERRIDES if name in os.environ]
    said = ", ".join(libraries) or "none found"
    forced = f"; set in the environment: {', '.join(overrides)}" if overrides else ""
    return f"numpy's BLAS: {said}{forced}"
