"""On the demo store (``dyadwatch demo``), no low, high or shift rests on fewer events
than the calibration requires (MIN_EVENTS), however thin the months it holds."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dyadwatch.analytics import MIN_EVENTS, dyad_lows, dyad_series, dyad_shifts, dyads_at_low
from dyadwatch.coder.engine import Coder
from dyadwatch.demo import load_corpus
from dyadwatch.store import Store
from dyadwatch.workflows import ingest_items


@pytest.fixture(scope="module")
def demo_store(scored_coder: Coder) -> Store:
    """The store ``dyadwatch demo`` builds: the bundled corpus, coded as shipped."""
    store = Store.open()
    ingest_items(scored_coder, store, load_corpus())
    return store


@pytest.mark.slow
def test_demo_lows_never_rest_on_fewer_events_than_the_calibration(demo_store: Store) -> None:
    pairs = demo_store.top_dyads(40)
    assert len(pairs) >= 10
    thin = 0
    for a, b in zip(pairs["country_a"], pairs["country_b"], strict=True):
        series = dyad_series(demo_store, a, b)
        # The thin months the issue saw declared as lows: -1.00 or +1.00 on a few events.
        thin += int(((series["events"] < MIN_EVENTS) & series["net_coop"].abs().eq(1)).sum())
        findings = dyad_lows(demo_store, a, b) + dyad_shifts(demo_store, a, b)
        for finding in findings:
            assert finding.events is not None and finding.events >= MIN_EVENTS, finding.text
            assert finding.low is not None and finding.high is not None
            assert finding.low <= finding.value <= finding.high, finding.text
    assert thin > 20, "the demo has thin months: the test would see a low declared on them"


@pytest.mark.slow
def test_demo_lows_ranking_holds_the_same_floor(demo_store: Store) -> None:
    newest = demo_store.last_event_date()
    assert newest is not None
    starts = [newest - dt.timedelta(days=days) for days in (90, 365, 730)]
    for since, history in itertools.product(starts, (12, 6)):
        ranked = dyads_at_low(demo_store, since, until=newest, min_history=history)
        assert (ranked["events"] >= MIN_EVENTS).all()
