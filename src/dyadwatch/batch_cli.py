"""``dyadwatch batch`` and ``dyadwatch load``: a thin layer over dyadwatch.batch.

Exit codes as the rest of the CLI: 0 all went well, 1 some item failed (the
rest was coded) or a domain error, 2 usage errors.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dyadwatch.batch import BatchOptions, CoderSpec, estimate_items, load_output, run_batch
from dyadwatch.batch.progress import batch_progress
from dyadwatch.config import Settings
from dyadwatch.errors import DyadwatchError
from dyadwatch.store import Store

__all__ = ["batch_command", "load_command", "register_batch_commands"]


class EngineChoice(StrEnum):
    local = "local"
    dask = "dask"


def batch_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Files or directories (.jsonl, .txt, .html, each optionally .gz)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output directory of Parquet shards.")],
    engine: Annotated[EngineChoice, typer.Option("--engine")] = EngineChoice.local,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Worker processes (0: in this process).")
    ] = 2,
    shard_size: Annotated[
        int, typer.Option("--shard-size", min=1, help="Documents per output shard.")
    ] = 200,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.0, help="Seconds per document (0: no limit).")
    ] = 120.0,
    dictionary: Annotated[
        list[Path] | None, typer.Option("--dictionary", help="A user dictionary. Repeatable.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Code many documents in parallel into resumable Parquet shards under --out.

    Rerun with the same arguments to resume a killed run.
    """
    settings = Settings.from_env()
    spec = CoderSpec(
        spacy_model=settings.spacy_model,
        dictionaries=tuple(str(p) for p in dictionary or ()),
        timeout=timeout or None,
    )
    options = BatchOptions(
        engine=engine.value, workers=workers, scheduler=scheduler, shard_size=shard_size,
        max_bytes=settings.max_document_bytes, spec=spec,
    )  # fmt: skip
    with _domain_errors():
        total = None if quiet else estimate_items(inputs)
        with batch_progress(total, quiet=quiet) as advance:
            report = run_batch(inputs, out, options, on_progress=advance)
    typer.echo(json.dumps(report.to_dict()))
    if report.errors:
        raise typer.Exit(1)


def load_command(
    out: Annotated[Path, typer.Argument(help="Output directory of `dyadwatch batch`.")],
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="DuckDB store file (default: $DYADWATCH_STORE or ./dyadwatch.duckdb)."
        ),
    ] = None,
) -> None:
    """Load the shards of a batch run into the store (loading twice adds nothing)."""
    with _domain_errors():
        path = store if store is not None else Settings.from_env().store_path
        with Store.open(path) as opened:
            report = load_output(out, opened)
    typer.echo(json.dumps(report.to_dict()))


def register_batch_commands(app: typer.Typer) -> None:
    """Add ``batch`` and ``load`` to the ``dyadwatch`` app."""
    app.command("batch")(batch_command)
    app.command("load")(load_command)


class _domain_errors:
    """Turn a DyadwatchError into its message and exit status 1."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, DyadwatchError):
            Console(stderr=True, highlight=False).print(f"[red]error[/red] {exc}", soft_wrap=True)
            raise typer.Exit(1) from exc
