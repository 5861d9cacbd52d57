"""A memo that cannot outgrow its bound over a long batch run."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["BoundedMemo"]

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(dict[K, V]):
    """Values worked out from their key alone, kept until ``limit`` keys are held.

    Look a key up with the dict's own ``get`` (hits stay a plain dict look-up);
    store a missing one with :meth:`remember`, which starts afresh once the
    memo is full: a worker coding millions of articles keeps a bounded memo
    of the words it met most recently, not one of every word it ever met.
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"a memo must hold at least 1 key, not {limit}")
        super().__init__()
        self.limit = limit

    def remember(self, key: K, value: V) -> V:
        """Store ``value`` under ``key`` (emptying a full memo first); return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
