"""Co-doers keep their own event: the per-trigger selection (``model.select``)."""

from __future__ import annotations

from dyadwatch.coder.scoring.features import Candidate
from dyadwatch.coder.scoring.model import Scored, co_doers, select
from dyadwatch.model import Actor, Event, Evidence

TEXT = "Police and soldiers shot two robbers."
POLICE, SOLDIERS, ROBBERS = (0, 6), (11, 19), (25, 36)
SPANS = {"COP": POLICE, "MIL": SOLDIERS, "CRM": ROBBERS}


def _scored(source: str, target: str | None, pair: float, group: int | None) -> Scored:
    event = Event(
        "e", "d", 0, TEXT, Actor(source, source), Actor(target, target) if target else None,
        "190", -10.0, 4, None,
        Evidence((20, 24), SPANS[source], SPANS[target] if target else None),
    )  # fmt: skip
    candidate = Candidate(event, (), (), True, doer_group=group)
    return Scored(candidate, "190", 0.5, 0.5, pair, None, None, (0.0,) * 6, 0.5)


def test_model_codoers_each_keep_an_event() -> None:
    police = _scored("COP", "CRM", 0.4, 0)
    soldiers = _scored("MIL", "CRM", 0.3, 0)
    assert select([police, soldiers]) == [police, soldiers]


def test_model_codoers_without_the_fix_only_the_best_pair() -> None:
    # Doers not conjoined (no group): the trigger's likeliest pair alone.
    police = _scored("COP", "CRM", 0.4, None)
    soldiers = _scored("MIL", "CRM", 0.3, None)
    assert select([police, soldiers]) == [police]


def test_model_codoers_need_the_same_target() -> None:
    police = _scored("COP", "CRM", 0.4, 0)
    elsewhere = _scored("MIL", None, 0.3, 0)
    assert select([police, elsewhere]) == [police]


def test_model_codoers_a_conjunct_that_is_the_target_is_none() -> None:
    # "Police and soldiers clashed": the kept pair's target is the other conjunct.
    police = _scored("COP", "MIL", 0.4, 0)
    soldiers = _scored("MIL", "MIL", 0.3, 0)
    assert co_doers([police, soldiers], [police]) == []


def test_model_codoers_of_nothing_kept_are_none() -> None:
    police = _scored("COP", "CRM", 0.4, 0)
    assert co_doers([police], []) == []
    assert co_doers([], [police]) == []
