"""Lows, highs and level shifts on series with planted answers, citing their events."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import dyad_lows, dyad_shifts, findings_frame
from dyadwatch.analytics.shifts import default_penalty
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


def test_shifts_low_is_found_and_dated_with_its_record() -> None:
    # +0.5 every month, a dip to -0.5 in month 6, the planted low (-1) in month 20.
    mix = [(3, 1)] * 24
    mix[6], mix[20] = (1, 3), (0, 4)
    store = store_with(_months(mix))
    lows = dyad_lows(store, "USA", "PAK", kind="low")
    assert [f.period for f in lows] == [dt.date(2016, 7, 1), dt.date(2017, 9, 1)]
    planted = lows[-1]
    assert planted.value == -1.0 and planted.since is None
    assert "USA–PAK: lowest monthly net cooperation (-1.00) in 2017-09, on record" in planted.text
    assert len(planted.evidence) == 3
    assert all(c.date == dt.date(2017, 9, 12) and c.cameo == "190" for c in planted.evidence)
    assert all(i in planted.text for i in planted.event_ids)


def test_shifts_low_since_names_the_last_period_as_low() -> None:
    mix = [(3, 1)] * 24
    mix[2], mix[20] = (0, 4), (1, 3)  # month 20 is the lowest since month 2
    store = store_with(_months(mix))
    lows = dyad_lows(store, "USA", "PAK", kind="low", lookback=12)
    assert lows[-1].period == dt.date(2017, 9, 1)
    assert lows[-1].since == dt.date(2016, 3, 1)
    assert "since 2016-03" in lows[-1].text
    assert dyad_lows(store, "USA", "PAK", kind="low", lookback=None) == []  # -1 in month 2


def test_shifts_high_is_found() -> None:
    mix = [(1, 3)] * 12 + [(4, 0)]
    store = store_with(_months(mix))
    highs = dyad_lows(store, "USA", "PAK", kind="high")
    assert [f.period for f in highs] == [dt.date(2017, 1, 1)]
    assert highs[0].evidence[0].goldstein == 1.9


def test_shifts_level_change_is_found_by_pelt() -> None:
    rng = np.random.default_rng(7)
    mix = [(int(rng.integers(7, 10)), int(rng.integers(1, 3))) for _ in range(18)]
    mix += [(int(rng.integers(1, 3)), int(rng.integers(7, 10))) for _ in range(18)]
    store = store_with(_months(mix))
    shifts = dyad_shifts(store, "USA", "PAK")
    assert [f.period for f in shifts] == [dt.date(2017, 7, 1)]
    (shift,) = shifts
    assert shift.before is not None and shift.before > 0.5
    assert shift.after is not None and shift.after < -0.5
    assert "fell from" in shift.text and shift.evidence[0].cameo == "190"


def test_shifts_flat_series_has_no_shift() -> None:
    store = store_with(_months([(3, 1)] * 24))
    assert dyad_shifts(store, "USA", "PAK") == []
    assert dyad_lows(store, "USA", "PAK") == []


def test_shifts_default_penalty_grows_with_noise() -> None:
    quiet = np.array([0.0, 0.1, 0.0, 0.1, 0.0, 0.1])
    assert default_penalty(quiet * 2) == pytest.approx(4 * default_penalty(quiet))


def test_shifts_evidence_carries_the_mention_sentences() -> None:
    store = Store.open()
    doc = Document.from_text("The strike.", date=dt.date(2018, 5, 2))
    for i in range(4):
        other = Document.from_text(f"Talks {i}.", date=dt.date(2018, 1 + i, 2))
        store.add_document(other, [_coded(other, "042", 1.9, 1, "They talked.")])
    store.add_document(doc, [_coded(doc, "190", -10.0, 4, "The US struck Pakistan.")])
    (low,) = dyad_lows(store, "USA", "PAK", kind="low")
    assert low.evidence[0].sentences == ("The US struck Pakistan.",)
    frame = findings_frame([low])
    assert frame.loc[0, "event_ids"] == list(low.event_ids)


def _coded(doc: Document, cameo: str, goldstein: float, quad: int, sentence: str) -> Event:
    return Event(
        id=f"{doc.id}-0", doc_id=doc.id, sentence_index=0, sentence=sentence,
        source=Actor("US", "USA", "USA"), target=Actor("Pakistan", "PAK", "PAK"),
        cameo=cameo, goldstein=goldstein, quad=quad, plover=PloverCode("ASSAULT"),
        evidence=Evidence((0, 1)), date=doc.date, date_precision="day",
    )  # fmt: skip


@pytest.mark.parametrize(
    "options",
    [{"metric": "tone"}, {"kind": "middle"}, {"lookback": 0}, {"min_history": -1}],
)
def test_shifts_bad_lows_options_raise_dw303(options: dict[str, object]) -> None:
    store = store_with(_months([(3, 1)] * 4))
    with pytest.raises(StoreError, match="DW303"):
        dyad_lows(store, "USA", "PAK", **options)  # type: ignore[arg-type]


def test_shifts_bad_penalty_raises_dw303() -> None:
    store = store_with(_months([(3, 1)] * 4))
    with pytest.raises(StoreError, match=r"DW303.*penalty"):
        dyad_shifts(store, "USA", "PAK", penalty=-1.0)
