"""``import gdelt|icews`` and ``export gdelt|icews|plover|parquet``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.cli._app import new_app, report_errors, stderr, summary
from dyadwatch.cli._options import (
    EXPORT_FILTERS,
    Filters,
    StoreOption,
    store_path,
    with_filters,
)
from dyadwatch.store import Store
from dyadwatch.store.interop import (
    ExportFormat,
    GdeltVersion,
    ImportReport,
    export_events,
    import_gdelt,
    import_icews,
)

__all__ = ["export_app", "import_app", "register"]

import_app = new_app("Import GDELT or ICEWS event files into the store.")
export_app = new_app("Export stored events to GDELT, ICEWS, PLOVER or Parquet.")

FilesArgument = Annotated[list[Path], typer.Argument(metavar="FILE", help="Files to import.")]
OutArgument = Annotated[
    Path, typer.Argument(metavar="OUT", help="Output file (a directory for parquet).")
]


@import_app.command("gdelt")
def import_gdelt_command(paths: FilesArgument, store: StoreOption = None) -> None:
    """Import GDELT 1.0/2.0 event files (and 2.0 mentions files, for live counts)."""
    with Store.open(store_path(store)) as db:
        report = import_gdelt(db, paths)
    _finish_import(report)


@import_app.command("icews")
def import_icews_command(paths: FilesArgument, store: StoreOption = None) -> None:
    """Import ICEWS coded-event .tab files."""
    with Store.open(store_path(store)) as db:
        report = import_icews(db, paths)
    _finish_import(report)


def _finish_import(report: ImportReport) -> None:
    summary("imported", report.to_dict())
    if report_errors(report.errors):
        raise typer.Exit(1)


def _export(
    fmt: ExportFormat, out: Path, filters: Filters, store: Path | None, version: GdeltVersion = 2
) -> None:
    with Store.open(store_path(store), read_only=True) as db:
        count = export_events(db, fmt, out, **filters.given(), version=version)
    stderr().print(f"exported: {count} events to {out}")


@export_app.command("gdelt")
@with_filters(*EXPORT_FILTERS)
def export_gdelt_command(
    out: OutArgument,
    filters: Filters,
    version: Annotated[
        int, typer.Option("--version", metavar="1|2", help="GDELT 1 or 2 columns.")
    ] = 2,
    store: StoreOption = None,
) -> None:
    """Export stored events as GDELT event rows (tab-separated, no header)."""
    if version not in (1, 2):
        raise typer.BadParameter("give 1 or 2", param_hint="--version")
    _export("gdelt", out, filters, store, version=1 if version == 1 else 2)


def _exporter(fmt: ExportFormat, doc: str) -> Callable[..., None]:
    """One ``export FORMAT`` command; the formats share their filters."""

    @with_filters(*EXPORT_FILTERS)
    def command(out: OutArgument, filters: Filters, store: StoreOption = None) -> None:
        _export(fmt, out, filters, store)

    command.__doc__ = doc
    return command


_EXPORTS: tuple[tuple[ExportFormat, str], ...] = (
    ("icews", "Export stored events as an ICEWS .tab file (with header)."),
    ("plover", "Export stored events as PLOVER JSON, one object per line."),
    ("parquet", "Export stored events as Parquet under OUT, partitioned year=/month=."),
)
for _format, _doc in _EXPORTS:
    export_app.command(_format)(_exporter(_format, _doc))


def register(app: typer.Typer) -> None:
    """Add the ``import`` and ``export`` groups to ``app``."""
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
