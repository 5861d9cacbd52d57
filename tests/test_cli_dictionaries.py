"""``--dictionary`` and ``--petrarch``: coding with a user's own knowledge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch import cli

pytestmark = pytest.mark.slow

ACTORS = "ARNOR_ [ARN]\nGONDOR_ [GON]\n"
AGENTS = "SOLDIERS [~MIL]\n"
VERBS = "--- ATTACK [190] ---\nATTACK\n- * (WITH TANKS) [194]\n"


@pytest.fixture
def petrarch_files(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in (("actors", ACTORS), ("agents", AGENTS), ("verbs", VERBS)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths += ["--petrarch", str(path)]
    return paths


def _events(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_cli_dictionaries_petrarch_files_code_their_own_scheme(petrarch_files: list[str]) -> None:
    text = "Arnor soldiers attacked Gondor with tanks.\n"
    result = CliRunner().invoke(cli.app, ["code", "-", *petrarch_files], input=text)
    assert result.exit_code == 0, result.output
    events = _events(result.stdout)
    assert [(e["source"]["code"], e["target"]["code"], e["cameo"]) for e in events] == [  # type: ignore[index]
        ("ARNMIL", "GON", "194")
    ]


def test_cli_dictionaries_petrarch_needs_three_or_four_files(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ACTORS, encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["code", "-", "--petrarch", str(path)], input="x\n")
    assert result.exit_code == 2


def test_cli_dictionaries_bad_line_is_reported_and_run_goes_on(
    petrarch_files: list[str], tmp_path: Path
) -> None:
    bad = tmp_path / "verbs.txt"
    bad.write_text(VERBS + "- * &NOSUCHSET [111]\n", encoding="utf-8")
    files = [*petrarch_files[:-1], str(bad)]
    text = "Arnor soldiers attacked Gondor.\n"
    result = CliRunner().invoke(cli.app, ["code", "-", *files], input=text)
    assert result.exit_code == 1
    assert "[DW206]" in result.stderr and "verbs.txt:4" in result.stderr
    assert _events(result.stdout), "the good lines still code"


def test_cli_dictionaries_user_yaml_adds_to_builtin(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "actors:\n  - phrase: Frontier Corps\n    code: PAKMIL\n    name: Frontier Corps\n",
        encoding="utf-8",
    )
    text = "The Frontier Corps attacked India.\n"
    result = CliRunner().invoke(cli.app, ["code", "-", "--dictionary", str(user)], input=text)
    assert result.exit_code == 0, result.output
    sources = {e["source"]["code"] for e in _events(result.stdout)}  # type: ignore[index]
    assert "PAKMIL" in sources
