"""``features.evolve``: ``dataclasses.replace``'s copy, cheaper (docs/MODEL.md, "Speed")."""

from __future__ import annotations

import dataclasses

import pytest
from _scoring_support import candidate

from dyadwatch.coder.scoring.features import evolve
from dyadwatch.model import Actor


@dataclasses.dataclass(frozen=True)
class _Checked:
    value: int
    twice: int = 0

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@dataclasses.dataclass(frozen=True)
class _Scaled:
    value: int
    factor: dataclasses.InitVar[int] = 1

    def __post_init__(self, factor: int) -> None:
        object.__setattr__(self, "value", self.value * factor)


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Named:
    value: int
    other: str = "x"


def test_features_evolve_copies_as_replace_does() -> None:
    built = candidate("0111")
    event = built.event
    changed = {"rule": "pair:x", "id": "abc", "target": Actor("Kenya", "KEN")}
    assert evolve(event, **changed) == dataclasses.replace(event, **changed)
    assert evolve(event, **changed).rule == "pair:x"
    copied = evolve(built, nested_doer=True, doer_group=4, pair_features=("a=b",))
    assert copied == dataclasses.replace(built, nested_doer=True, doer_group=4,
                                         pair_features=("a=b",))  # fmt: skip
    assert copied.dense is built.dense and copied.event is event
    assert evolve(event) == event and evolve(event) is not event


def test_features_evolve_runs_init_and_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="negative"):
        evolve(_Checked(1), value=-1)  # __post_init__ still runs
    with pytest.raises(TypeError, match="nothing"):
        evolve(_Checked(1), nothing=2)
    assert evolve(_Named(value=1), other="y") == _Named(value=1, other="y")  # keyword-only
    assert evolve(_Scaled(2, 3), value=5) == dataclasses.replace(_Scaled(2, 3), value=5)  # InitVar
