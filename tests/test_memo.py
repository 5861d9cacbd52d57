"""The bounded memo keeps what it is told until it is full, then starts afresh."""

from __future__ import annotations

import pytest

from dyadwatch._memo import BoundedMemo


def test_bounded_memo_remembers_and_returns_the_value() -> None:
    memo: BoundedMemo[str, int] = BoundedMemo(3)
    assert memo.get("a") is None
    assert memo.remember("a", 1) == 1
    assert memo.get("a") == 1 and len(memo) == 1


def test_bounded_memo_starts_afresh_when_full() -> None:
    memo: BoundedMemo[int, int] = BoundedMemo(3)
    for key in range(3):
        memo.remember(key, key * 10)
    assert dict(memo) == {0: 0, 1: 10, 2: 20}
    memo.remember(3, 30)  # full: emptied, then the new key stored
    assert dict(memo) == {3: 30}
    for key in range(100):
        memo.remember(key, key)
        assert len(memo) <= 3


def test_bounded_memo_refuses_a_bound_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        BoundedMemo(0)
