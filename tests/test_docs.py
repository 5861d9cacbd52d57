"""The README documents what the code does: commands, settings, output fields, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from dyadwatch.cli import app
from dyadwatch.model import Event

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names.extend(f"{name} {sub}" for sub in subcommands) if subcommands else names.append(name)
    return names


@pytest.mark.parametrize("command", _commands())
def test_docs_readme_lists_every_command(command: str) -> None:
    assert f"dyadwatch {command}" in README


def test_docs_readme_lists_every_option_of_code_and_ingest() -> None:
    group = get_command(app)
    for name in ("code", "ingest", "events"):
        command = group.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in README, f"{name} {option}"


def test_docs_readme_lists_every_setting() -> None:
    source = (ROOT / "src/dyadwatch/config.py").read_text(encoding="utf-8")
    settings = set(re.findall(r"DYADWATCH_[A-Z_]+", source))
    assert settings
    for setting in settings:
        assert f"`{setting}`" in README, setting


def test_docs_readme_output_contract_matches_event_fields() -> None:
    block = README.split("## Output contract", 1)[1].split("```")[1]
    documented = set(re.findall(r'"([a-z_]+)"', block))
    fields = {f for f in Event.__dataclass_fields__ if f not in ("id",)} | {"id", "cameo_root"}
    assert fields <= documented | {"doc_id"}
    assert {"trigger", "negated", "hypothetical", "reported"} <= documented


def test_docs_every_linked_doc_exists() -> None:
    for link in re.findall(r"\]\((docs/[A-Z_]+\.md)\)", README):
        assert (ROOT / link).is_file(), link
