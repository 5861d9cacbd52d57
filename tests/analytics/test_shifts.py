"""Lows, highs and level shifts on series with planted answers, citing their events."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import dyad_lows, dyad_shifts, findings_frame
from dyadwatch.analytics.shifts import _changepoints, default_penalty
from dyadwatch.analytics.uncertainty import DEFAULT_Z
from dyadwatch.errors import StoreError
from dyadwatch.model import Actor, Document, Event, Evidence, PloverCode
from dyadwatch.store import Store, StoredEvent


def _months(mix: list[tuple[int, int]]) -> list[StoredEvent]:
    """``(coop, conflict)`` events per month from January 2016, USA→PAK."""
    events = []
    for i, (coop, conflict) in enumerate(mix):
        events += [event("USA", "PAK", month(2016, i), COOP) for _ in range(coop)]
        events += [event("USA", "PAK", month(2016, i, 12), CONFLICT) for _ in range(conflict)]
    return events


def test_shifts_low_is_declared_with_its_interval_events_and_citations() -> None:
    # +0.50 on 20 events every month; a dip to 0.00 in month 6 is within chance,
    # the planted month 20 (-0.80) is not.
    mix = [(15, 5)] * 24
    mix[6], mix[20] = (10, 10), (2, 18)
    store = store_with(_months(mix))
    (low,) = dyad_lows(store, "USA", "PAK", kind="low")
    assert low.period == dt.date(2017, 9, 1) and low.kind == "low"
    assert low.value == pytest.approx(-0.8) and low.events == 20
    assert low.low is not None and low.high is not None and low.low < -0.8 < low.high < 0.5
    assert low.baseline is not None and low.baseline > 0.4
    assert low.z is not None and low.z <= -DEFAULT_Z
    assert "monthly net cooperation -0.80 [" in low.text and "on 20 events" in low.text
    assert "a low against its history" in low.text
    assert len(low.evidence) == 3
    assert all(c.date == dt.date(2017, 9, 12) and c.cameo == "190" for c in low.evidence)
    assert all(i in low.text for i in low.event_ids)


def test_shifts_no_low_is_declared_on_few_events() -> None:
    mix = [(3, 1)] * 24
    mix[20] = (0, 4)  # net cooperation -1.00, on four events
    store = store_with(_months(mix))
    assert dyad_lows(store, "USA", "PAK") == []
    assert dyad_lows(store, "USA", "PAK", min_events=1) == [], "four events are within chance"


def test_shifts_noise_around_a_steady_level_declares_nothing() -> None:
    rng = np.random.default_rng(11)
    volumes = rng.poisson(30, 120)
    coop = rng.binomial(volumes, 0.6)
    store = store_with(_months([(int(c), int(n - c)) for c, n in zip(coop, volumes, strict=True)]))
    assert dyad_lows(store, "USA", "PAK") == []
    assert dyad_shifts(store, "USA", "PAK") == []


def test_shifts_low_since_names_the_last_period_as_low() -> None:
    mix = [(38, 12)] * 24
    mix[2], mix[20] = (4, 46), (5, 45)  # month 20 is the lowest since month 2
    store = store_with(_months(mix))
    lows = dyad_lows(store, "USA", "PAK", kind="low", lookback=12)
    assert [f.period for f in lows] == [dt.date(2017, 9, 1)]
    assert lows[0].since == dt.date(2016, 3, 1)
    assert "lowest since 2016-03" in lows[0].text
    # Over the whole history, month 2 shows that such a month is within the dyad's
    # range: the departure is far weaker than against the calm twelve months alone.
    (recent,) = dyad_lows(store, "USA", "PAK", kind="low", lookback=12, z=0.5)
    (whole,) = dyad_lows(store, "USA", "PAK", kind="low", lookback=None, z=0.5)
    assert recent.z is not None and whole.z is not None and whole.z > recent.z / 2


def test_shifts_high_is_found() -> None:
    mix = [(5, 15)] * 12 + [(19, 1)]
    store = store_with(_months(mix))
    highs = dyad_lows(store, "USA", "PAK", kind="high")
    assert [f.period for f in highs] == [dt.date(2017, 1, 1)]
    assert highs[0].evidence[0].goldstein == 1.9
    assert "a high against its history" in highs[0].text


def test_shifts_level_change_is_found() -> None:
    rng = np.random.default_rng(7)
    mix = [(int(rng.integers(14, 20)), int(rng.integers(2, 6))) for _ in range(18)]
    mix += [(int(rng.integers(2, 6)), int(rng.integers(14, 20))) for _ in range(18)]
    store = store_with(_months(mix))
    shifts = dyad_shifts(store, "USA", "PAK")
    assert [f.period for f in shifts] == [dt.date(2017, 7, 1)]
    (shift,) = shifts
    assert shift.before is not None and shift.before > 0.5
    assert shift.after is not None and shift.after < -0.5
    assert shift.low is not None and shift.high is not None and shift.low < shift.after
    assert shift.events is not None and shift.events > 18 * 16
    assert "fell from" in shift.text and shift.evidence[0].cameo == "190"


def test_shifts_flat_series_has_no_shift() -> None:
    store = store_with(_months([(15, 5)] * 24))
    assert dyad_shifts(store, "USA", "PAK") == []
    assert dyad_lows(store, "USA", "PAK") == []


def test_shifts_segmentation_is_the_least_squares_optimum() -> None:
    # Exhaustive check on a short series: no other pair of breaks costs less.
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.normal(0, 1, 7), rng.normal(4, 1, 6), rng.normal(-2, 1, 7)])
    penalty = 5.0

    def cost(breaks: list[int]) -> float:
        bounds = [0, *breaks, len(values)]
        parts = [values[a:b] for a, b in itertools.pairwise(bounds)]
        return sum(float(((p - p.mean()) ** 2).sum()) for p in parts) + penalty * len(breaks)

    found = _changepoints(values, 2, penalty)
    candidates = [[]] + [[a] for a in range(2, 19)]
    candidates += [[a, b] for a in range(2, 19) for b in range(a + 2, 19)]
    assert cost(found) <= min(cost(c) for c in candidates) + 1e-9
    assert found == [7, 13]


def test_shifts_default_penalty_grows_with_noise() -> None:
    quiet = np.array([0.0, 0.1, 0.0, 0.1, 0.0, 0.1])
    assert default_penalty(quiet * 2) == pytest.approx(4 * default_penalty(quiet))


def test_shifts_evidence_carries_the_mention_sentences() -> None:
    store = Store.open()
    # Days two apart: the store merges reports of one dyad and code a day apart.
    for i in range(12):
        for k in range(12):
            talks = Document.from_text(f"Talks {i}.{k}.", date=dt.date(2018, 1 + i, 1 + 2 * k))
            store.add_document(talks, [_coded(talks, "042", 1.9, 1, "They talked.")])
    for k in range(12):
        doc = Document.from_text(f"The strike {k}.", date=dt.date(2019, 1, 1 + 2 * k))
        store.add_document(doc, [_coded(doc, "190", -10.0, 4, "The US struck Pakistan.")])
    (low,) = dyad_lows(store, "USA", "PAK", kind="low")
    assert low.evidence[0].sentences == ("The US struck Pakistan.",)
    frame = findings_frame([low])
    assert frame.loc[0, "event_ids"] == list(low.event_ids)
    assert frame.loc[0, "events"] == 12 and frame.loc[0, "high"] < frame.loc[0, "baseline"]


def _coded(doc: Document, cameo: str, goldstein: float, quad: int, sentence: str) -> Event:
    return Event(
        id=f"{doc.id}-0", doc_id=doc.id, sentence_index=0, sentence=sentence,
        source=Actor("US", "USA", "USA"), target=Actor("Pakistan", "PAK", "PAK"),
        cameo=cameo, goldstein=goldstein, quad=quad, plover=PloverCode("ASSAULT"),
        evidence=Evidence((0, 1)), date=doc.date, date_precision="day",
    )  # fmt: skip


@pytest.mark.parametrize(
    "options",
    [
        {"metric": "tone"},
        {"kind": "middle"},
        {"lookback": 0},
        {"min_history": -1},
        {"min_events": 0},
        {"z": 0},
    ],
)
def test_shifts_bad_lows_options_raise_dw303(options: dict[str, object]) -> None:
    store = store_with(_months([(3, 1)] * 4))
    with pytest.raises(StoreError, match="DW303"):
        dyad_lows(store, "USA", "PAK", **options)  # type: ignore[arg-type]


def test_shifts_bad_penalty_raises_dw303() -> None:
    store = store_with(_months([(3, 1)] * 4))
    with pytest.raises(StoreError, match=r"DW303.*penalty"):
        dyad_shifts(store, "USA", "PAK", penalty=-1.0)
