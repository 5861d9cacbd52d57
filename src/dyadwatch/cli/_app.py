"""The one error boundary of the command line, and the typer apps that use it.

A :class:`DyadwatchError` raised anywhere under a command becomes its numbered
message on stderr and exit status 1 here, and nowhere else; per-item error
records of a run that goes on are printed by :func:`report_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from dyadwatch.errors import DyadwatchError, ErrorRecord

__all__ = ["DomainErrorGroup", "PlainCommand", "new_app", "report_errors", "stderr", "summary"]


def stderr() -> Console:
    """A console on stderr; built per call so that test runners' captured streams are used."""
    return Console(stderr=True, highlight=False)


class DomainErrorGroup(TyperGroup):
    """A command group whose sub-commands' domain errors end in their message and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DyadwatchError as exc:
            stderr().print(f"[red]error[/red] {exc}", soft_wrap=True)
            raise typer.Exit(1) from exc


class PlainCommand(TyperCommand):
    """A command whose help names each argument by its metavar alone (``OUT``, not
    ``OUT <path>``); options give their own metavars (``--store FILE``)."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument" and param.metavar:
                dots = "..." if param.nargs != 1 else ""
                arguments.append((param.metavar + dots, record[1]))
            elif param.param_type_name == "argument":
                arguments.append(record)
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


Function = TypeVar("Function", bound=Callable[..., Any])


class _Typer(typer.Typer):
    """A typer app whose commands are :class:`PlainCommand` unless they say otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Function], Function]:
        kwargs.setdefault("cls", PlainCommand)
        decorate: Callable[[Function], Function] = super().command(*args, **kwargs)
        return decorate


def new_app(help_text: str, *, boundary: bool = False) -> typer.Typer:
    """A typer app with plain help (no rich boxes, so no ``<bool>`` type column).

    ``boundary`` puts the domain-error boundary on it; only the root app needs
    one, since every sub-command runs inside the root group's ``invoke``.
    """
    return _Typer(
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        cls=DomainErrorGroup if boundary else TyperGroup,
    )


def report_errors(errors: Iterable[ErrorRecord]) -> int:
    """Print each failed item and each warning with its file and line; returns how many
    errors there were (warnings report a repair and never fail a run)."""
    console = stderr()
    count = 0
    for error in errors:
        count += not error.is_warning
        where = error.path or error.doc_id or ""
        if error.line is not None:
            where = f"{where}:{error.line}"
        kind = "[yellow]warning[/yellow]" if error.is_warning else "[red]error[/red]"
        console.print(f"{kind} {where}: {error.message}", soft_wrap=True)
    return count


def summary(what: str, counts: Mapping[str, object]) -> None:
    """A run's counts on one stderr line: ``ingested: documents 3, new 3, …``."""
    stderr().print(f"{what}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
