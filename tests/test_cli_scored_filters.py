"""``--min-confidence`` and ``--date-basis`` on every reading command, and bad values.

The four-event store (tests/scored_store.py) checks what ``events`` and
``export`` keep; the history store a low, a shift, an alliance edge, a flip and
a ledger row that exist only when its doubtful, publication-stamped events count.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dyadwatch.batch import BatchOptions
from dyadwatch.cli import app
from dyadwatch.cli import batch as batch_cli
from dyadwatch.store.interop import read_parquet
from scored_store import history_store, scored_store


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("four") / "s.duckdb"
    scored_store(path).close()
    return str(path)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("history") / "s.duckdb"
    history_store(path).close()
    return str(path)


def _docs(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [json.loads(line)["doc_id"] for line in result.stdout.splitlines()]


def test_cli_scored_filters_events(four: str) -> None:
    assert len(_docs(_invoke("events", "--store", four))) == 4
    sure = _docs(_invoke("events", "--store", four, "--min-confidence", "0.7"))
    assert sure == ["sure-text", "sure-publication"]
    dated = _docs(_invoke("events", "--store", four, "--date-basis", "text,anchored"))
    assert dated == ["sure-text", "mid-anchored"]
    both = ["--date-basis", "publication", "--min-confidence", "0.5"]
    assert _docs(_invoke("events", "--store", four, *both)) == ["sure-publication"]


@pytest.mark.parametrize(
    "option",
    [
        ["--min-confidence", "1.5"], ["--min-confidence", "-1"], ["--min-confidence", "nan"],
        ["--date-basis", "rumour"], ["--date-basis", "text,,guess"],
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "command",
    [
        ["events"], ["export", "plover", "OUT"], ["analytics", "series", "USA", "PAK"],
        ["analytics", "lows", "USA", "PAK"], ["analytics", "shifts", "USA", "PAK"],
        ["analytics", "alliances", "--start", "2021-01-01", "--end", "2021-12-31"],
        ["analytics", "ledger"],
    ],
)  # fmt: skip
def test_cli_scored_filters_bad_values_are_dw303(
    four: str, tmp_path: Path, command: list[str], option: list[str]
) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = _invoke(*args, *option, "--store", four)
    assert result.exit_code == 1, result.output
    assert "[DW303]" in result.stderr


@pytest.mark.parametrize("fmt", ["gdelt", "icews", "plover", "parquet"])
def test_cli_scored_filters_export_every_format(four: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = _invoke("export", fmt, str(out), "--store", four, "--min-confidence", "0.7")
    assert result.exit_code == 0, result.output
    assert "exported: 2 events" in result.stderr
    again = tmp_path / f"again.{fmt}"
    result = _invoke("export", fmt, str(again), "--store", four, "--date-basis", "publication")
    assert "exported: 2 events" in result.stderr
    if fmt == "parquet":
        assert {e.extra["date_basis"] for e in read_parquet(again)} == {"publication"}


def _analytics(store: str, *args: str) -> str:
    result = _invoke("analytics", *args, "--store", store)
    assert result.exit_code == 0, result.output
    return result.stdout


TENSE = ["--start", "2020-04-01", "--end", "2020-05-31", "--min-events", "1"]
WINDOWS = ["--first", "2019-01-01", "2020-03-31", "--second", "2020-04-01", "2020-05-31"]
CASES = {
    # name: (arguments, printed without the filter only)
    "lows": (["lows", "USA", "PAK"], "a low against"),
    "lows --all": (["lows", "--all", "--since", "2020-04-01", "--until", "2020-05-31"], "PAK–USA"),
    "shifts": (["shifts", "USA", "PAK"], "fell"),
    "alliances": (["alliances", *TENSE], "PAK"),
    "realign": (["realign", *WINDOWS, "--min-events", "1"], "cooled"),
    "ledger": (["ledger", "--cameo", "19"], "2020"),
    "series": (["series", "USA", "PAK"], "2020-05-01"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("option", [["--min-confidence", "0.5"], ["--date-basis", "text"]])
def test_cli_scored_filters_analytics(history: str, case: str, option: list[str]) -> None:
    args, marker = CASES[case]
    assert marker in _analytics(history, *args)
    assert marker not in _analytics(history, *args, *option)


def test_cli_scored_filters_series_publication_weight(four: str) -> None:
    def events(printed: str) -> dict[str, str]:
        rows = [line.split() for line in printed.splitlines() if line.startswith("2021-")]
        return {row[0]: row[1] for row in rows}

    full = events(_analytics(four, "series", "USA", "PAK"))
    half = events(_analytics(four, "series", "USA", "PAK", "--publication-weight", "0.5"))
    assert full["2021-03-01"] == "1" and float(half["2021-03-01"]) == 0.5
    assert float(half["2021-01-01"]) == 1.0
    bad = _invoke("analytics", "series", "USA", "PAK", "--publication-weight", "2", "--store", four)
    assert bad.exit_code == 1 and "[DW303]" in bad.stderr


@pytest.mark.parametrize("case", ["lows", "lows --all", "shifts"])
def test_cli_scored_filters_findings_take_the_publication_weight(history: str, case: str) -> None:
    args, marker = CASES[case]
    assert marker in _analytics(history, *args, "--publication-weight", "1")
    # The tense months are publication-stamped: at weight 0 nothing is left to find.
    assert marker not in _analytics(history, *args, "--publication-weight", "0")


def test_cli_scored_filters_batch_passes_the_coder_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[BatchOptions] = []

    def run(inputs: object, out: object, options: BatchOptions, **_: object) -> object:
        seen.append(options)
        raise SystemExit(0)

    monkeypatch.setattr(batch_cli, "run_batch", run)
    source = tmp_path / "in.txt"
    source.write_text("Washington met Islamabad.", encoding="utf-8")
    args = ["batch", str(source), "--out", str(tmp_path / "o"), "--quiet"]
    _invoke(*args, "--min-confidence", "0.6", "--no-learned")
    assert (seen[0].spec.min_confidence, seen[0].spec.learned) == (0.6, False)
    assert seen[0].spec.identity()["min_confidence"] == 0.6
    bad = _invoke(*args, "--min-confidence", "1.5")
    assert bad.exit_code == 1 and "[DW804]" in bad.stderr and len(seen) == 1
