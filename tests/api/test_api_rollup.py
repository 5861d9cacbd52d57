"""A server with a write token rebuilds a stale rollup on start, and its writes keep
it current, so its readers' series come from the rollup and equal the raw scan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from api_support import TOKEN, ApiClient

from dyadwatch.coder.engine import Coder
from dyadwatch.store import EventFilter, Store, _rollup
from dyadwatch.web import create_app


def test_api_rollup_rebuilt_on_start_and_kept_by_writes(
    store_path: Path, small_coder: Coder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path) as store:
        assert not _rollup.fresh(store._con)[0]  # the seeded store has no rollup
    monkeypatch.setattr(_rollup, "ROLLUP_MIN_EVENTS", 1)  # small stores get one too
    app = create_app(store_path, token=TOKEN, coder_factory=lambda: small_coder)
    hub = app.state.hub
    client = ApiClient(app)
    try:
        assert _rollup.fresh(hub.readers._con)[0]
        assert hub.readers.rollup_layout() == "packed"  # each pair's blob, read by key
        text = {"text": "Pakistan accused India of shelling border villages.", "date": "2023-04-02"}
        answer = client.post("/documents", json=text, headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 200
        assert _rollup.fresh(hub.readers._con)[0]  # the write kept it current
        country = EventFilter(("PAK", "IND"), level="country")
        from_rollup = hub.readers.dyad_periods(country, unit="day")
        raw = hub.readers.dyad_periods(EventFilter(("PAK", "IND")), unit="day")
        assert from_rollup["events"].sum() > 0
        pd.testing.assert_frame_equal(from_rollup, raw, check_dtype=False)
        series = client.get("/dyads/PAK/IND/series?freq=D").json()["result"]
        assert sum(row["events"] for row in series) == from_rollup["events"].sum()
    finally:
        hub.close()
