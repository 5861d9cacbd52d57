"""``evaluate``: score the coder against gold records."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dyadwatch.cli._app import new_app, report_errors, stderr
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import DictionaryError

__all__ = ["evaluate_app", "register"]

evaluate_app = new_app("Score the coder against gold records.")


def _dictionary(option: str, what: str) -> Any:
    """One of the four PETRARCH dictionary options (typer.Option is typed Any)."""
    return typer.Option(option, metavar="FILE", help=f"PETRARCH {what}.")


@evaluate_app.command("petrarch")
def evaluate_petrarch_command(
    records: Annotated[
        Path, typer.Argument(metavar="RECORDS", help="Gold records, one JSON object per line.")
    ],
    actors: Annotated[Path, _dictionary("--actors", "actor dictionary")],
    agents: Annotated[Path, _dictionary("--agents", "agent dictionary")],
    verbs: Annotated[Path, _dictionary("--verbs", "verb dictionary")],
    discards: Annotated[Path | None, _dictionary("--discards", "discard list")] = None,
) -> None:
    """Score a PETRARCH-format suite with its own dictionaries; prints one JSON object."""
    from dyadwatch.evaluate.petrarch import evaluate_petrarch, load_records

    problems: list[DictionaryError] = []
    coder = Coder.from_petrarch(
        actors=actors, agents=agents, verbs=verbs, discards=discards, on_error=problems.append
    )
    score = evaluate_petrarch(coder, load_records(records))
    sys.stdout.write(json.dumps(score.to_dict()) + "\n")
    if report_errors(p.to_record() for p in problems):
        stderr().print(f"{len(problems)} dictionary line(s) skipped")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` group to ``app``."""
    app.add_typer(evaluate_app, name="evaluate")
