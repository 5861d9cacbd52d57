"""Alliance networks: signed edges, structural balance, tension and realignments."""

from __future__ import annotations

import datetime as dt

import pytest
from _analytics_support import CONFLICT, COOP, event, store_with

from dyadwatch.analytics import alliances, realignments
from dyadwatch.errors import StoreError
from dyadwatch.store import StoredEvent

Y1 = (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
Y2 = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))


def _pair(a: str, b: str, sign: int, year: int, n: int = 3) -> list[StoredEvent]:
    kind = COOP if sign > 0 else CONFLICT
    return [event(a, b, dt.date(year, 3, 1 + i), kind) for i in range(n)]


def _world() -> list[StoredEvent]:
    """2016: IND–ISR cool, IRN–IND warm, IRN–PAK cool, IND–PAK cool (unbalanced triads).
    2017: IND–ISR warm, IRN–IND cool, IRN–PAK warm (the issue's example)."""
    return [
        *_pair("IND", "ISR", -1, 2016), *_pair("IRN", "IND", +1, 2016),
        *_pair("IRN", "ISR", -1, 2016), *_pair("IRN", "PAK", -1, 2016),
        *_pair("IND", "PAK", -1, 2016),
        *_pair("IND", "ISR", +1, 2017), *_pair("IRN", "IND", -1, 2017),
        *_pair("IRN", "ISR", -1, 2017), *_pair("IRN", "PAK", +1, 2017),
        *_pair("IND", "PAK", -1, 2017),
    ]  # fmt: skip


def test_alliances_edges_are_signed_by_net_cooperation() -> None:
    network = alliances(store_with(_world()), *Y2)
    edges = network.edges().set_index(["a", "b"])
    assert edges.loc[("IND", "ISR"), "sign"] == 1
    assert edges.loc[("IND", "IRN"), "sign"] == -1  # pairs are undirected, a < b
    assert edges.loc[("IND", "IRN"), "net_coop"] == -1.0
    assert edges.loc[("IND", "IRN"), "events"] == 3


def test_alliances_balance_of_triads() -> None:
    network = alliances(store_with(_world()), *Y2)
    triads = network.triads().set_index(["a", "b", "c"])
    # 2017: IND+ISR both against IRN (+--): balanced; IRN+PAK against IND (+--): balanced.
    assert triads.loc[("IND", "IRN", "ISR"), "signs"] == "-+-"
    assert bool(triads.loc[("IND", "IRN", "ISR"), "balanced"])
    assert bool(triads.loc[("IND", "IRN", "PAK"), "balanced"])
    assert network.balance() == 1.0


def test_alliances_tension_names_the_actors_in_unbalanced_triads() -> None:
    network = alliances(store_with(_world()), *Y1)
    triads = network.triads().set_index(["a", "b", "c"])
    assert triads.loc[("IND", "IRN", "ISR"), "signs"] == "+--"  # IRN, IND against ISR
    assert triads.loc[("IND", "IRN", "PAK"), "signs"] == "+--"
    friends = _pair("A1A", "B1B", 1, 2016) + _pair("B1B", "C1C", 1, 2016)
    unbalanced = alliances(store_with(friends + _pair("A1A", "C1C", -1, 2016)), *Y1)
    assert unbalanced.balance() == 0.0
    tension = unbalanced.tension()
    assert set(tension["actor"]) == {"A1A", "B1B", "C1C"}
    assert tension["unbalanced"].tolist() == [1, 1, 1]
    enemies = _pair("AAA", "BBB", -1, 2016) + _pair("BBB", "CCC", -1, 2016)
    three_enemies = alliances(store_with(enemies + _pair("AAA", "CCC", -1, 2016)), *Y1)
    assert three_enemies.triads()["balanced"].tolist() == [False]


def test_alliances_min_events_and_threshold_drop_thin_or_neutral_pairs() -> None:
    mixed = [
        event("USA", "PAK", dt.date(2016, 1, 1), COOP),
        event("USA", "PAK", dt.date(2016, 1, 2), CONFLICT),
    ]
    store = store_with(_pair("USA", "CHN", 1, 2016, n=2) + mixed)
    assert alliances(store, *Y1).graph.number_of_edges() == 0
    assert alliances(store, *Y1, min_events=2).graph.number_of_edges() == 1  # USA–PAK is 0


def test_alliances_realignment_flips_and_triads_toward_balance() -> None:
    change = realignments(store_with(_world()), Y1, Y2)
    flips = change.flips.set_index(["a", "b"])
    assert flips.loc[("IND", "ISR"), "change"] == "warmed"
    assert flips.loc[("IND", "IRN"), "change"] == "cooled"
    assert flips.loc[("IRN", "PAK"), "change"] == "warmed"
    assert len(flips) == 3
    moved = change.triads.set_index(["a", "b", "c"])["moved"].to_dict()
    # 2016 IND–IRN–PAK was +-- (balanced) and stays balanced as -+- : not listed.
    assert moved == {}
    assert "IND–ISR warmed (-1.00 → +1.00)" in change.statements()
    # Each flip cites the later window's events that drove it.
    cited = flips.loc[("IND", "IRN"), "evidence"]
    assert cited and all(c.goldstein is not None and c.goldstein < 0 for c in cited)


def test_alliances_realignment_triad_toward_balance() -> None:
    events = (
        _pair("AAA", "BBB", 1, 2016) + _pair("BBB", "CCC", 1, 2016) + _pair("AAA", "CCC", -1, 2016)
        + _pair("AAA", "BBB", 1, 2017) + _pair("BBB", "CCC", 1, 2017) + _pair("AAA", "CCC", 1, 2017)
    )  # fmt: skip
    change = realignments(store_with(events), Y1, Y2)
    assert change.triads.to_dict("records") == [
        {"a": "AAA", "b": "BBB", "c": "CCC", "signs_before": "+-+", "signs_after": "+++",
         "moved": "toward balance"}
    ]  # fmt: skip
    assert "AAA–BBB–CCC moved toward balance (+-+ → +++)" in change.statements()


def test_alliances_code_level_keeps_sectors_apart() -> None:
    store = store_with(_pair("USAGOV", "PAKMIL", -1, 2016) + _pair("USAGOV", "PAKGOV", 1, 2016))
    assert alliances(store, *Y1).graph.number_of_edges() == 0  # USA–PAK nets to 0
    coded = alliances(store, *Y1, actor_level="code")
    assert sorted(coded.graph.nodes) == ["PAKGOV", "PAKMIL", "USAGOV"]


@pytest.mark.parametrize(
    "options",
    [{"min_events": 0}, {"threshold": 1.5}, {"provenance": "acled"}, {"actor_level": "x"}],
)
def test_alliances_bad_options_raise_dw303(options: dict[str, object]) -> None:
    with pytest.raises(StoreError, match="DW303"):
        alliances(store_with([]), *Y1, **options)  # type: ignore[arg-type]


def test_alliances_bad_window_raises_dw303() -> None:
    with pytest.raises(StoreError, match=r"DW303.*start after end"):
        alliances(store_with([]), Y1[1], Y1[0])
    with pytest.raises(StoreError, match="DW303"):
        realignments(store_with([]), Y1, ("2017", "2018"))  # type: ignore[arg-type]
