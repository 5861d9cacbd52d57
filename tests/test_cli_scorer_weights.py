"""``DYADWATCH_SCORER_WEIGHTS``: every command codes with the weights a user trained
(``dyadwatch train --out``), and a bad file stops with DW803 naming it."""

from __future__ import annotations

import importlib.resources
import json
import shutil
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner, Result

from dyadwatch.cli import app
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.model import WEIGHTS_FILE
from dyadwatch.config import Settings
from dyadwatch.errors import ScorerError

pytestmark = pytest.mark.slow

SHIPPED = importlib.resources.files("dyadwatch.coder.scoring.data") / WEIGHTS_FILE
TEXT = "Kenyan police arrested four opposition activists in Nairobi on Friday."


def _code(tmp_path: Path, weights: Path) -> Result:
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    env = {"DYADWATCH_SCORER_WEIGHTS": str(weights), "COLUMNS": "200"}
    return CliRunner().invoke(app, ["code", str(doc)], env=env)


def test_scorer_weights_a_copy_of_the_shipped_file_codes_as_shipped(tmp_path: Path) -> None:
    mine = tmp_path / "mine.npz"
    with importlib.resources.as_file(SHIPPED) as shipped_file:
        shutil.copyfile(shipped_file, mine)
    result = _code(tmp_path, mine)
    assert result.exit_code == 0, result.output
    coded = [json.loads(line) for line in result.stdout.splitlines()]
    shipped = Coder.builtin(Settings()).code_text(TEXT)
    assert coded and [e["cameo"] for e in coded] == [e.cameo for e in shipped]


@pytest.mark.parametrize("content", [b"", b"not an npz file"])
def test_scorer_weights_a_bad_file_is_dw803_naming_it(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    result = _code(tmp_path, bad)
    assert result.exit_code == 1 and "[DW803]" in result.stderr and "bad.npz" in result.stderr


def test_scorer_weights_a_missing_file_is_dw803(tmp_path: Path) -> None:
    result = _code(tmp_path, tmp_path / "absent.npz")
    assert result.exit_code == 1 and "[DW803]" in result.stderr and "absent.npz" in result.stderr


def test_scorer_weights_the_spacy_component_reads_its_settings(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    with pytest.raises(ScorerError, match=r"\[DW803\]"):
        nlp.add_pipe("dyadwatch", config={"settings": {"scorer_weights": str(tmp_path / "x.npz")}})
