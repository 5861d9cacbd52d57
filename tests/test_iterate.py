"""chunks: a stream cut into lists, read lazily."""

from __future__ import annotations

import itertools

import pytest

from dyadwatch._iterate import chunks


def test_chunks_keep_order_and_a_short_last_chunk() -> None:
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []


def test_chunks_read_only_as_far_as_asked() -> None:
    first = next(chunks(itertools.count(), 2))  # an endless stream
    assert first == [0, 1]


@pytest.mark.parametrize("size", [0, -1])
def test_chunks_refuse_a_size_below_one(size: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(chunks([1], size))
