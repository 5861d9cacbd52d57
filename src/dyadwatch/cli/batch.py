"""``batch`` and ``load``: many documents in parallel into Parquet shards, then the store."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.batch import BatchOptions, CoderSpec, estimate_items, load_output, run_batch
from dyadwatch.batch.progress import batch_progress
from dyadwatch.cli._options import (
    DictionaryOption,
    LearnedOption,
    MinConfidenceOption,
    StoreOption,
    store_path,
)
from dyadwatch.config import Settings
from dyadwatch.store import Store

__all__ = ["batch_command", "load_command", "register"]


class EngineChoice(StrEnum):
    local = "local"
    dask = "dask"


def batch_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT",
            help="Files or directories (.jsonl, .txt, .html, each optionally .gz).",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Output directory of Parquet shards.")
    ],
    engine: Annotated[
        EngineChoice,
        typer.Option("--engine", metavar="local|dask", help="Processes on this machine or Dask."),
    ] = EngineChoice.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", metavar="ADDRESS", help="Dask scheduler address (tcp://host:8786)."
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", metavar="N", min=0, help="Worker processes (0: in this process)."
        ),
    ] = 2,
    shard_size: Annotated[
        int, typer.Option("--shard-size", metavar="N", min=1, help="Documents per output shard.")
    ] = 200,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="S", min=0.0, help="Seconds per document (0: no limit)."),
    ] = 120.0,
    dictionary: DictionaryOption = None,
    min_confidence: MinConfidenceOption = 0.0,
    learned: LearnedOption = True,
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
        learned=learned,
        min_confidence=min_confidence,
    )
    options = BatchOptions(
        engine=engine.value, workers=workers, scheduler=scheduler, shard_size=shard_size,
        max_bytes=settings.max_document_bytes, spec=spec,
    )  # fmt: skip
    total = None if quiet else estimate_items(inputs)
    with batch_progress(total, quiet=quiet) as advance:
        report = run_batch(inputs, out, options, on_progress=advance)
    typer.echo(json.dumps(report.to_dict()))
    if report.errors:
        raise typer.Exit(1)


def load_command(
    out: Annotated[
        Path, typer.Argument(metavar="DIR", help="Output directory of `dyadwatch batch`.")
    ],
    store: StoreOption = None,
) -> None:
    """Load the shards of a batch run into the store (loading twice adds nothing)."""
    with Store.open(store_path(store)) as opened:
        report = load_output(out, opened)
    typer.echo(json.dumps(report.to_dict()))


def register(app: typer.Typer) -> None:
    """Add ``batch`` and ``load`` to ``app``."""
    app.command("batch")(batch_command)
    app.command("load")(load_command)
