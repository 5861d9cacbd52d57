"""``dyadwatch analytics …`` commands: tables, findings, plots and errors."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from _analytics_support import CONFLICT, COOP, event, month
from rich.console import Console
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.cli.demo import render_report
from dyadwatch.store import Store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    events = [event("USA", "PAK", month(2016, i), COOP) for i in range(12)]
    events += [event("USA", "PAK", month(2016, 12 + i), CONFLICT) for i in range(12)]
    events += [event("USA", "CHN", dt.date(2016, 5, i + 1), COOP) for i in range(3)]
    events += [event("CHN", "PAK", dt.date(2016, 5, i + 1), COOP) for i in range(3)]
    with Store.open(path) as store:
        store.add_stored_events(events)
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["analytics", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_analytics_cli_series_prints_a_table_and_plots(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.png"
    code, stdout, _ = _run(
        "series", "USA", "PAK", "--freq", "Y", "--store", str(store_path), "--plot", str(out)
    )
    assert code == 0
    assert "USA–PAK, yearly" in stdout and "net_coop" in stdout
    assert out.read_bytes().startswith(b"\x89PNG")
    # Every year states its estimate and its 90% interval.
    assert "estimate" in stdout and "interval_90" in stdout
    assert re.search(r"2016-01-01 .*\[[+-]\d\.\d\d, [+-]\d\.\d\d\]", stdout), stdout
    svg = tmp_path / "s.svg"
    code, _, _ = _run("series", "USA", "PAK", "--store", str(store_path), "--plot", str(svg))
    assert code == 0 and "90% interval" in svg.read_text(encoding="utf-8"), "the band is drawn"


def test_analytics_cli_lows_and_shifts_state_their_evidence(
    store_path: Path, tmp_path: Path
) -> None:
    # One event a month: too little to say anything, even when thin periods are allowed.
    for extra in ([], ["--min-events", "1"]):
        code, stdout, _ = _run("lows", "USA", "PAK", *extra, "--store", str(store_path))
        assert code == 0 and stdout.strip() == "no findings"
    code, stdout, _ = _run("shifts", "USA", "PAK", "--min-events", "1", "--store", str(store_path))
    assert code == 0 and "fell from +1.00 (12 events) to -1.00 [" in stdout
    assert "(12 events) in 2017-01" in stdout
    busy = tmp_path / "busy.duckdb"
    # 27 talks and 9 strikes a month for 14 months, then 2 talks and 34 strikes.
    mix = [(27, 9)] * 14 + [(2, 34)]
    events = [
        event("USA", "PAK", month(2016, m, 1 + d % 28), COOP if d < coop else CONFLICT)
        for m, (coop, conflict) in enumerate(mix)
        for d in range(coop + conflict)
    ]
    with Store.open(busy) as store:
        store.add_stored_events(events)
    code, stdout, _ = _run("lows", "USA", "PAK", "--store", str(busy))
    assert code == 0 and "monthly net cooperation -0.89 [" in stdout
    assert "in 2017-03 on 36 events, a low against its history (+0.50 over 14 periods" in stdout
    assert "gdelt2:" in stdout


def test_analytics_cli_alliances_and_realign(store_path: Path) -> None:
    code, stdout, _ = _run(
        "alliances", "--start", "2016-01-01", "--end", "2016-12-31", "--store", str(store_path)
    )
    assert code == 0 and "balanced triads: 100%" in stdout
    code, stdout, _ = _run(
        "realign", "--first", "2016-01-01", "2016-12-31", "--second", "2017-01-01", "2017-12-31",
        "--min-events", "1", "--store", str(store_path),
    )  # fmt: skip
    assert code == 0 and "PAK–USA cooled" in stdout


def test_analytics_cli_ledger_reads_tables(store_path: Path, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,date,killed_min,killed_max\n1,2016-01-01,1,3\n", encoding="utf-8")
    args = ("ledger", "--tbij", str(table), "--country", "PAK", "--store", str(store_path))
    code, stdout, _ = _run(*args, "--wide")
    assert code == 0 and "tbij_killed_max" in stdout
    code, stdout, _ = _run(*args)
    assert code == 0 and "tbij_killed_max" not in stdout
    assert "PAK" in stdout and "tbij" in stdout and "1–3" in stdout


def test_analytics_cli_bad_value_exits_1_with_the_code(store_path: Path) -> None:
    code, _, stderr = _run("series", "USA", "PAK", "--freq", "Q", "--store", str(store_path))
    assert code == 1 and "DW303" in stderr
    code, _, stderr = _run("ledger", "--no-coded", "--tbij", "/nonexistent.csv")
    assert code == 1 and "DW108" in stderr


TABLES_AT_80 = {
    "series": (["series", "USA", "PAK"], ["period", "events", "net", "coop", "2016-01-01"]),
    "alliances": (
        ["alliances", "--start", "2016-01-01", "--end", "2016-12-31"],
        ["Alliance edges", "goldstein", "CHN", "USA"],
    ),
    "realign": (
        ["realign", "--first", "2016-01-01", "2016-12-31", "--second", "2017-01-01",
         "2017-12-31", "--min-events", "1"],
        ["Sign flips", "cooled", "gdelt2:"],
    ),
    "ledger": (["ledger", "--cameo", "04"], ["country", "year", "source", "killed", "PAK"]),
    "ledger --wide": (["ledger", "--cameo", "04", "--wide"], ["coded", "strikes", "spread"]),
}  # fmt: skip


@pytest.mark.parametrize("case", TABLES_AT_80)
def test_analytics_cli_tables_read_at_80_columns(store_path: Path, case: str) -> None:
    args, shown = TABLES_AT_80[case]
    result = CliRunner().invoke(
        app, ["analytics", *args, "--store", str(store_path)], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), result.stdout
    assert "…" not in result.stdout
    words = set(result.stdout.replace(",", " ").split())
    for word in shown:
        assert word in words or word in result.stdout, (word, result.stdout)


def test_analytics_cli_demo_report_tables_read_at_80_columns(store_path: Path) -> None:
    out = io.StringIO()
    with Store.open(store_path, read_only=True) as store:
        render_report(store, Console(file=out, width=80, highlight=False))
    report = out.getvalue()
    assert "Events per CAMEO root" in report and "Top dyads" in report and "…" not in report
    assert "USA–PAK by month" in report and "2017-01-01" in report and "Most tension" in report
    tables = report.split("USA–PAK lows")[0].splitlines()
    assert all(len(line) <= 80 for line in tables), report


def test_analytics_cli_lows_all_ranks_every_dyad(tmp_path: Path) -> None:
    path = tmp_path / "all.duckdb"
    mix = [(9, 3)] * 24 + [(1, 11)] * 2
    events = [
        event("USA", "PAK", month(2016, m, 1 + 2 * d), COOP if d < coop else CONFLICT)
        for m, (coop, conflict) in enumerate(mix)
        for d in range(coop + conflict)
    ]
    events += [
        event("IND", "PAK", month(2016, m, 1 + 2 * d), COOP) for m in range(26) for d in range(12)
    ]
    with Store.open(path) as store:
        store.add_stored_events(events)
    code, stdout, _ = _run("lows", "--all", "--since", "2018-01-01", "--until", "2018-02-28",
                           "--store", str(path))  # fmt: skip
    assert code == 0
    lines = [line for line in stdout.splitlines() if "PAK" in line]
    assert "PAK–USA" in lines[0] and "True" in lines[0], "the soured dyad comes first, at a low"
    assert "IND–PAK" in lines[1] and "False" in lines[1]
    code, _, stderr = _run("lows", "--all", "--store", str(path))
    assert code == 1 and "DW303" in stderr and "--all needs --since" in stderr
    code, _, stderr = _run("lows", "USA", "--store", str(path))
    assert code == 1 and "give A and B, or --all" in stderr
