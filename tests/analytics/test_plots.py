"""Charts: PNG and SVG files for series, networks and ledgers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _analytics_support import CONFLICT, COOP, event, month, store_with

from dyadwatch.analytics import alliances, compare_ledgers, dyad_lows, dyad_series, ledger
from dyadwatch.analytics.plots import plot_ledger, plot_network, plot_series
from dyadwatch.errors import StoreError


def _store():  # type: ignore[no-untyped-def]
    events = [event("USA", "PAK", month(2016, i), COOP if i % 5 else CONFLICT) for i in range(24)]
    events += [event("USA", "CHN", month(2016, i), COOP) for i in range(3)]
    events += [event("CHN", "PAK", month(2016, i), CONFLICT) for i in range(3)]
    return store_with(events)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plots_series_is_written(tmp_path: Path, suffix: str) -> None:
    store = _store()
    frame = dyad_series(store, "USA", "PAK", smooth=3)
    out = plot_series(
        frame, tmp_path / f"s{suffix}", title="USA–PAK", findings=dyad_lows(store, "USA", "PAK")
    )
    head = out.read_bytes()[:64]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<?xml" in head


def test_plots_network_and_ledger_are_written(tmp_path: Path) -> None:
    network = alliances(_store(), dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    assert plot_network(network, tmp_path / "n.png").stat().st_size > 1000
    strikes = tmp_path / "t.csv"
    strikes.write_text(
        "id,date,country,killed_min,killed_max\n1,2016-01-01,PAK,1,3\n", encoding="utf-8"
    )
    comparison = compare_ledgers(ledger(tbij=strikes))
    assert plot_ledger(comparison, tmp_path / "l.svg", country="PAK").stat().st_size > 1000


def test_plots_bad_suffix_is_dw303(tmp_path: Path) -> None:
    frame = dyad_series(_store(), "USA", "PAK")
    with pytest.raises(StoreError, match=r"DW303.*png or .svg"):
        plot_series(frame, tmp_path / "chart.pdf", title="x")
