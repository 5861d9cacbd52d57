"""Dyad series: QuadClass counts, Goldstein, the volume-normalised index, smoothing."""

from __future__ import annotations

import datetime as dt

import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import dyad_series
from dyadwatch.errors import StoreError
from dyadwatch.model import Actor, Document, Event, Evidence, Modality, PloverCode
from dyadwatch.store import Store


@pytest.fixture
def store() -> Store:
    events = [
        # January: 1 coop, 1 conflict; March: ten times the coverage, same mix.
        event("USAGOV", "PAKGOV", month(2018, 0), COOP),
        event("PAKMIL", "USAMIL", month(2018, 0), CONFLICT),
        *(event("USAGOV", "PAK", month(2018, 2), COOP) for _ in range(10)),
        *(event("PAK", "USAGOV", month(2018, 2), CONFLICT) for _ in range(10)),
        # April: one-sided hostility from USA to PAKMIL.
        event("USA", "PAKMIL", month(2018, 3), CONFLICT),
        event("IND", "PAK", month(2018, 3), CONFLICT),  # another dyad
    ]
    return store_with(events)


def test_series_counts_quadclass_and_goldstein(store: Store) -> None:
    frame = dyad_series(store, "USA", "PAK").set_index("period")
    jan = frame.loc[dt.date(2018, 1, 1)]
    assert (jan["events"], jan["verbal_coop"], jan["material_conflict"]) == (2, 1, 1)
    assert jan["goldstein_sum"] == pytest.approx(-8.1)
    assert jan["goldstein_mean"] == pytest.approx(-4.05)


def test_series_index_ignores_coverage_growth(store: Store) -> None:
    frame = dyad_series(store, "USA", "PAK").set_index("period")
    assert frame.loc[dt.date(2018, 1, 1), "net_coop"] == 0.0
    assert frame.loc[dt.date(2018, 3, 1), "net_coop"] == 0.0  # 20 events, same mix
    assert frame.loc[dt.date(2018, 4, 1), "net_coop"] == -1.0


def test_series_keeps_empty_periods_without_an_index(store: Store) -> None:
    frame = dyad_series(store, "USA", "PAK")
    assert list(frame["period"]) == [dt.date(2018, m, 1) for m in (1, 2, 3, 4)]
    february = frame.iloc[1]
    assert february["events"] == 0 and february["net_coop"] != february["net_coop"]  # NaN


def test_series_direction_picks_one_way(store: Store) -> None:
    a_to_b = dyad_series(store, "USA", "PAK", direction="a_to_b", freq="Y")
    b_to_a = dyad_series(store, "USA", "PAK", direction="b_to_a", freq="Y")
    assert a_to_b["events"].tolist() == [12]
    assert b_to_a["events"].tolist() == [11]
    assert b_to_a["net_coop"].tolist() == [-1.0]


def test_series_actor_with_sector_matches_its_code(store: Store) -> None:
    frame = dyad_series(store, "USA", "PAKMIL", freq="Y")
    assert frame["events"].tolist() == [2]  # PAKMIL→USAMIL and USA→PAKMIL
    by_code = dyad_series(store, "USAGOV", "PAK", actor_level="code", freq="Y")
    assert by_code["events"].tolist() == [21]


def test_series_smoothing_weighs_periods_by_volume(store: Store) -> None:
    frame = dyad_series(store, "USA", "PAK", smooth=2).set_index("period")
    # April alone is -1; with March (20 events at 0) the two-month index is -1/21.
    assert frame.loc[dt.date(2018, 4, 1), "net_coop_smooth"] == pytest.approx(-1 / 21)
    assert frame.loc[dt.date(2018, 2, 1), "net_coop_smooth"] == 0.0


def test_series_bounds_fix_the_periods(store: Store) -> None:
    frame = dyad_series(
        store, "USA", "PAK", freq="W", since=dt.date(2018, 3, 7), until=dt.date(2018, 3, 20)
    )
    assert list(frame["period"]) == [
        dt.date(2018, 3, 5),
        dt.date(2018, 3, 12),
        dt.date(2018, 3, 19),
    ]
    assert frame["events"].tolist() == [20, 0, 0]


def test_series_of_unknown_dyad_is_empty(store: Store) -> None:
    assert dyad_series(store, "CHN", "RUS").empty


@pytest.mark.parametrize(
    ("options", "name"),
    [({"freq": "Q"}, "freq"), ({"direction": "up"}, "direction"), ({"smooth": 0}, "smooth"),
     ({"provenance": "acled"}, "provenance"), ({"actor_level": "city"}, "actor_level")],
)  # fmt: skip
def test_series_bad_options_raise_dw303(
    store: Store, options: dict[str, object], name: str
) -> None:
    with pytest.raises(StoreError, match=rf"DW303.*{name}"):
        dyad_series(store, "USA", "PAK", **options)  # type: ignore[arg-type]


def test_series_bad_actor_raises_dw303(store: Store) -> None:
    with pytest.raises(StoreError, match="DW303"):
        dyad_series(store, "USA", "P; DROP")


def test_series_counts_factual_coded_events_only() -> None:
    store = Store.open()
    doc = Document.from_text("text", date=dt.date(2018, 1, 1))
    events = [
        Event(
            id=f"{doc.id}-{n}", doc_id=doc.id, sentence_index=n, sentence="s",
            source=Actor("US", "USA", "USA"), target=Actor("Pakistan", "PAK", "PAK"),
            cameo="190", goldstein=-10.0, quad=4, plover=PloverCode("ASSAULT"),
            evidence=Evidence((0, 1)), modality=modality, date=dt.date(2018, 1, n + 1),
            date_precision="day",
        )
        for n, modality in enumerate(
            [Modality(), Modality(negated=True), Modality(hypothetical=True)]
        )
    ]  # fmt: skip
    store.add_document(doc, events)
    assert dyad_series(store, "USA", "PAK")["events"].tolist() == [1]
