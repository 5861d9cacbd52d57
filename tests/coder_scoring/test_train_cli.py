"""``dyadwatch train --labels``: the CLI's wiring of ``train_from_labels``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _scoring_support import empty_eval
from typer.testing import CliRunner

from dyadwatch import cli
from dyadwatch.coder.scoring import train as train_module

GOOD: dict[str, object] = {
    "text": "Rohan sent grain to Gondor.",
    "plover_type": "AID",
    "source": "Rohan",
}


def _labels(path: Path, *rows: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_train_cli_bad_line_names_its_line_and_writes_nothing(tmp_path: Path) -> None:
    labels = _labels(tmp_path / "mine.jsonl", GOOD, {"text": "A line without its type."})
    out = tmp_path / "mine.npz"
    result = CliRunner().invoke(cli.app, ["train", "--labels", str(labels), "--out", str(out)])
    assert result.exit_code == 1
    assert "DW801" in result.output and "mine.jsonl:2" in result.output
    assert not out.exists()


def test_train_cli_passes_labels_out_eval_written_and_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, Path, Path | None, Path | None, int]] = []

    def record(
        path: Path,
        out: Path,
        *,
        eval_dir: Path | None = None,
        written: Path | None = None,
        seed: int = 0,
    ) -> None:
        calls.append((path, out, eval_dir, written, seed))

    monkeypatch.setattr(train_module, "train_from_labels", record)
    labels = _labels(tmp_path / "mine.jsonl", GOOD)
    args = ["train", "--labels", str(labels), "--out", str(tmp_path / "w.npz"),
            "--eval", str(tmp_path), "--written", str(tmp_path / "sets"),
            "--seed", "7"]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    assert calls == [(labels, tmp_path / "w.npz", tmp_path, tmp_path / "sets", 7)]
    assert "w.npz" in result.output


def test_train_cli_written_folder_without_the_sets_is_dw802(tmp_path: Path) -> None:
    labels = _labels(tmp_path / "mine.jsonl", GOOD, {**GOOD, "plover_type": "SUPPORT"})
    shared = empty_eval(tmp_path / "eval")
    (tmp_path / "empty").mkdir()
    out = tmp_path / "w.npz"
    args = ["train", "--labels", str(labels), "--out", str(out), "--eval", str(shared),
            "--written", str(tmp_path / "empty")]  # fmt: skip
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 1
    assert "DW802" in result.output and "empty" in result.output
    assert not out.exists()
