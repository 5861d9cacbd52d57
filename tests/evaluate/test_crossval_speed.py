"""``crossval.speed_ratio``: the speed row of the ``scorer`` suite."""

from __future__ import annotations

import gc

import pytest

from dyadwatch.evaluate import crossval

TEXTS = ["Police arrested four protesters in the capital.", "Rebels attacked an army post."]


def test_crossval_speed_ratio_is_the_two_rates_quotient_and_unfreezes_the_heap() -> None:
    plain, learned, ratio = crossval.speed_ratio(TEXTS * 3, rounds=1, chunk=2)
    assert plain > 0 and learned > 0
    assert ratio == pytest.approx(learned / plain)
    assert gc.get_freeze_count() == 0


def test_crossval_speed_ratio_unfreezes_the_heap_when_coding_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> list[float]:
        raise RuntimeError("coder failed")

    monkeypatch.setattr(crossval, "_timed_turns", broken)
    with pytest.raises(RuntimeError, match="coder failed"):
        crossval.speed_ratio(TEXTS, rounds=1)
    assert gc.get_freeze_count() == 0
