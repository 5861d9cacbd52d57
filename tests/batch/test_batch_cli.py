"""``dyadwatch batch`` and ``dyadwatch load`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import write_corpus
from typer.testing import CliRunner

from dyadwatch.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_cli_batch_then_load(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 4)
    out = tmp_path / "out"
    args = ["batch", str(corpus), "--out", str(out), "--workers", "0", "--quiet"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 4 and report["events"] > 0
    store = tmp_path / "s.duckdb"
    loaded = runner.invoke(app, ["load", str(out), "--store", str(store)])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["new"] == 4
    again = runner.invoke(app, ["load", str(out), "--store", str(store)])
    assert json.loads(again.stdout)["new"] == 0


def test_cli_load_of_a_non_batch_directory_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", str(tmp_path), "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    assert "DW116" in result.output


def test_cli_batch_rejects_an_unknown_engine(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path), "--engine", "x"])
    assert result.exit_code == 2
