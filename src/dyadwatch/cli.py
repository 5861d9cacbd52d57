"""The ``dyadwatch`` command: a thin layer over the library.

Domain errors become a message and a non-zero exit here and nowhere else.
Exit codes: 0 all went well; 1 some input failed (the rest was processed);
2 usage errors (typer's own).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dyadwatch.analytics_cli import analytics_app
from dyadwatch.batch_cli import register_batch_commands
from dyadwatch.coder.engine import Coder
from dyadwatch.config import Settings
from dyadwatch.errors import DictionaryError, DyadwatchError, ErrorRecord
from dyadwatch.ingest import Fetcher, parse_date, read_inputs
from dyadwatch.model import Document, Event
from dyadwatch.serve_cli import serve
from dyadwatch.store import Store
from dyadwatch.store.interop import (
    ExportFormat,
    GdeltVersion,
    ImportReport,
    export_events,
    import_gdelt,
    import_icews,
)
from dyadwatch.watch_cli import register_watch_commands
from dyadwatch.workflows import IngestReport, code_items, ingest_items, with_default_date

__all__ = ["app", "main"]

app = typer.Typer(
    help="dyadwatch: political event data from raw news text.",
    no_args_is_help=True,
    add_completion=False,
)
evaluate_app = typer.Typer(help="Score the coder against gold records.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")
import_app = typer.Typer(
    help="Import GDELT or ICEWS event files into the store.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
export_app = typer.Typer(
    help="Export stored events to GDELT, ICEWS, PLOVER or Parquet.", no_args_is_help=True
)
app.add_typer(export_app, name="export")
app.command("serve")(serve)
app.add_typer(analytics_app, name="analytics")
register_batch_commands(app)
register_watch_commands(app)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="DuckDB store file (default: $DYADWATCH_STORE or ./dyadwatch.duckdb)."
    ),
]
DictionaryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--dictionary",
        help="A user dictionary (.yaml, .yml or .csv; see docs/DICTIONARIES.md) adding to "
        "the built-in knowledge. Repeatable.",
    ),
]
PetrarchOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--petrarch",
        help="Code with PETRARCH/TABARI dictionaries instead of the built-in knowledge: "
        "ACTORS AGENTS VERBS [DISCARDS], given as repeated --petrarch options in that order.",
    ),
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Publication date YYYY-MM-DD for undated documents.")
]


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _date(value: str | None) -> dt.date | None:
    return parse_date(value) if value else None


def _store_path(store: Path | None, settings: Settings) -> Path:
    return store if store is not None else settings.store_path


def _report_errors(errors: Iterable[ErrorRecord]) -> int:
    """Print errors and warnings to stderr; returns the number of errors (warnings do not fail)."""
    console = _stderr()
    count = 0
    for error in errors:
        count += not error.is_warning
        where = error.path or error.doc_id or ""
        if error.line is not None:
            where = f"{where}:{error.line}"
        kind = "[yellow]warning[/yellow]" if error.is_warning else "[red]error[/red]"
        console.print(f"{kind} {where}: {error.message}", soft_wrap=True)
    return count


PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Files or directories (.txt, .html, .jsonl), http(s) URLs, or - for stdin."
    ),
]


def _coder_and_inputs(
    paths: list[str],
    date: str | None,
    dictionary: list[Path] | None,
    petrarch: list[Path] | None,
    problems: list[DictionaryError],
) -> tuple[Settings, Coder, Iterator[Document | ErrorRecord]]:
    """What `code` and `ingest` share: settings, the coder, and the dated inputs."""
    settings = Settings.from_env()
    day = _date(date)
    coder = _make_coder(settings, dictionary, petrarch, problems)
    fetcher = Fetcher()  # for URLs: robots.txt, timeouts and a size cap
    read = read_inputs(paths, max_bytes=settings.max_document_bytes, fetcher=fetcher)
    items = with_default_date(read, day)
    return settings, coder, items


@app.command()
def code(
    paths: PathsArgument,
    date: DateOption = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl (default) or table.")
    ] = OutputFormat.jsonl,
    dictionary: DictionaryOption = None,
    petrarch: PetrarchOption = None,
) -> None:
    """Code documents and print their events; nothing is stored."""
    problems: list[DictionaryError] = []
    with _domain_errors():
        _, coder, items = _coder_and_inputs(paths, date, dictionary, petrarch, problems)
        events, errors = _split(code_items(coder, items))
        if output is OutputFormat.jsonl:
            for event in events:
                sys.stdout.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        else:
            Console().print(_events_table(e.to_dict() for e in events))
    failed = _report_errors([*(p.to_record() for p in problems), *errors])
    if failed:
        raise typer.Exit(1)


def _make_coder(
    settings: Settings,
    dictionaries: list[Path] | None,
    petrarch: list[Path] | None,
    problems: list[DictionaryError],
) -> Coder:
    if petrarch:
        if len(petrarch) not in (3, 4):
            raise typer.BadParameter("give ACTORS AGENTS VERBS [DISCARDS]", param_hint="--petrarch")
        actors, agents, verbs, *rest = petrarch
        return Coder.from_petrarch(
            actors=actors,
            agents=agents,
            verbs=verbs,
            discards=rest[0] if rest else None,
            settings=settings,
            on_error=problems.append,
        )
    if dictionaries:
        return Coder.from_user_files(dictionaries, settings, on_error=problems.append)
    return Coder.builtin(settings)


def _split(results: Iterator[Event | ErrorRecord]) -> tuple[list[Event], list[ErrorRecord]]:
    events: list[Event] = []
    errors: list[ErrorRecord] = []
    for result in results:
        (errors if isinstance(result, ErrorRecord) else events).append(result)  # type: ignore[arg-type]
    return events, errors


@app.command()
def ingest(
    paths: PathsArgument,
    store: StoreOption = None,
    date: DateOption = None,
    dictionary: DictionaryOption = None,
    petrarch: PetrarchOption = None,
) -> None:
    """Code documents into the store. The same document twice adds nothing."""
    problems: list[DictionaryError] = []
    with _domain_errors():
        settings, coder, items = _coder_and_inputs(paths, date, dictionary, petrarch, problems)
        with Store.open(_store_path(store, settings)) as db:
            report = ingest_items(coder, db, items)
    _print_report(report)
    if _report_errors([*(p.to_record() for p in problems), *report.errors]):
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    parts = ", ".join(f"{k} {v}" for k, v in report.to_dict().items())
    _stderr().print(f"ingested: {parts}")


@app.command()
def events(
    dyad: Annotated[
        tuple[str, str] | None,
        typer.Option("--dyad", help="Two actor or country codes, either direction."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Earliest event date YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Latest event date YYYY-MM-DD.")
    ] = None,
    root: Annotated[str | None, typer.Option("--root", help="CAMEO root, e.g. 19.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many events.")] = None,
    store: StoreOption = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.jsonl,
) -> None:
    """Query stored events."""
    with _domain_errors():
        settings = Settings.from_env()
        with Store.open(_store_path(store, settings), read_only=True) as db:
            rows = db.events(
                dyad=dyad, since=_date(since), until=_date(until), root=root, limit=limit
            )
    if output is OutputFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        Console().print(_events_table(rows))


def _events_table(rows: Iterable[dict[str, object]]) -> Table:
    table = Table("date", "source", "target", "cameo", "plover", "flags", "sentence")
    for row in rows:
        source, target = row["source"], row["target"]
        modality = row["modality"]
        assert isinstance(source, dict) and isinstance(modality, dict)
        flags = ",".join(k for k, v in modality.items() if v)
        plover = row["plover"]
        table.add_row(
            str(row["date"] or ""),
            str(source["code"]),
            str(target["code"]) if isinstance(target, dict) else "",
            str(row["cameo"]),
            str(plover["type"]) if isinstance(plover, dict) else "",
            flags,
            str(row["sentence"])[:80],
        )
    return table


@evaluate_app.command("petrarch")
def evaluate_petrarch_command(
    records: Annotated[Path, typer.Argument(help="Gold records, one JSON object per line.")],
    actors: Annotated[Path, typer.Option("--actors", help="PETRARCH actor dictionary.")],
    agents: Annotated[Path, typer.Option("--agents", help="PETRARCH agent dictionary.")],
    verbs: Annotated[Path, typer.Option("--verbs", help="PETRARCH verb dictionary.")],
    discards: Annotated[
        Path | None, typer.Option("--discards", help="PETRARCH discard list.")
    ] = None,
) -> None:
    """Score a PETRARCH-format suite with its own dictionaries; prints one JSON object."""
    from dyadwatch.evaluate.petrarch import evaluate_petrarch, load_records

    problems: list[DictionaryError] = []
    with _domain_errors():
        coder = Coder.from_petrarch(
            actors=actors, agents=agents, verbs=verbs, discards=discards, on_error=problems.append
        )
        score = evaluate_petrarch(coder, load_records(records))
    sys.stdout.write(json.dumps(score.to_dict()) + "\n")
    if _report_errors(p.to_record() for p in problems):
        _stderr().print(f"{len(problems)} dictionary line(s) skipped")
        raise typer.Exit(1)


@app.command()
def demo(store: StoreOption = None) -> None:
    """Code the bundled demo corpus into the store and print a report."""
    from dyadwatch.demo import load_corpus
    from dyadwatch.demo.report import render_report

    with _domain_errors():
        settings = Settings.from_env()
        coder = Coder.builtin(settings)
        with Store.open(_store_path(store, settings)) as db:
            report = ingest_items(coder, db, load_corpus())
            _print_report(report)
            render_report(db, Console())
    if _report_errors(report.errors):
        raise typer.Exit(1)


FilesArgument = Annotated[list[Path], typer.Argument(help="Files to import.")]
OutArgument = Annotated[Path, typer.Argument(help="Output file (a directory for parquet).")]
DyadOption = Annotated[
    tuple[str, str] | None,
    typer.Option("--dyad", help="Two actor or country codes, either direction."),
]
SinceOption = Annotated[str | None, typer.Option("--since", help="Earliest event date YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Latest event date YYYY-MM-DD.")]
RootOption = Annotated[str | None, typer.Option("--root", help="CAMEO root, e.g. 19.")]
ProvenanceOption = Annotated[
    str | None,
    typer.Option("--provenance", help="Only events from dyadwatch, gdelt1, gdelt2 or icews."),
]


@import_app.command("gdelt")
def import_gdelt_command(paths: FilesArgument, store: StoreOption = None) -> None:
    """Import GDELT 1.0/2.0 event files (and 2.0 mentions files, for live counts)."""
    with _domain_errors(), Store.open(_store_path(store, Settings.from_env())) as db:
        report = import_gdelt(db, paths)
    _finish_import(report)


@import_app.command("icews")
def import_icews_command(paths: FilesArgument, store: StoreOption = None) -> None:
    """Import ICEWS coded-event .tab files."""
    with _domain_errors(), Store.open(_store_path(store, Settings.from_env())) as db:
        report = import_icews(db, paths)
    _finish_import(report)


def _finish_import(report: ImportReport) -> None:
    parts = ", ".join(f"{k} {v}" for k, v in report.to_dict().items())
    _stderr().print(f"imported: {parts}")
    if _report_errors(report.errors):
        raise typer.Exit(1)


def _export(
    fmt: ExportFormat,
    out: Path,
    *,
    store: Path | None,
    dyad: tuple[str, str] | None,
    since: str | None,
    until: str | None,
    root: str | None,
    provenance: str | None,
    version: GdeltVersion = 2,
) -> None:
    with _domain_errors():
        settings = Settings.from_env()
        with Store.open(_store_path(store, settings), read_only=True) as db:
            count = export_events(
                db, fmt, out, dyad=dyad, since=_date(since), until=_date(until), root=root,
                provenance=provenance, version=version,
            )  # fmt: skip
    _stderr().print(f"exported: {count} events to {out}")


@export_app.command("gdelt")
def export_gdelt_command(
    out: OutArgument,
    dyad: DyadOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    root: RootOption = None,
    provenance: ProvenanceOption = None,
    version: Annotated[int, typer.Option("--version", help="GDELT 1 or 2 columns.")] = 2,
    store: StoreOption = None,
) -> None:
    """Export stored events as GDELT event rows (tab-separated, no header)."""
    if version not in (1, 2):
        raise typer.BadParameter("give 1 or 2", param_hint="--version")
    _export(
        "gdelt", out, store=store, dyad=dyad, since=since, until=until, root=root,
        provenance=provenance, version=1 if version == 1 else 2,
    )  # fmt: skip


def _exporter(fmt: ExportFormat, doc: str) -> Callable[..., None]:
    """One ``export FORMAT`` command; the formats share their filters."""

    def command(
        out: OutArgument,
        dyad: DyadOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        root: RootOption = None,
        provenance: ProvenanceOption = None,
        store: StoreOption = None,
    ) -> None:
        _export(
            fmt, out, store=store, dyad=dyad, since=since, until=until, root=root,
            provenance=provenance,
        )  # fmt: skip

    command.__doc__ = doc
    return command


_EXPORTS: tuple[tuple[ExportFormat, str], ...] = (
    ("icews", "Export stored events as an ICEWS .tab file (with header)."),
    ("plover", "Export stored events as PLOVER JSON, one object per line."),
    ("parquet", "Export stored events as Parquet under OUT, partitioned year=/month=."),
)
for _format, _doc in _EXPORTS:
    export_app.command(_format)(_exporter(_format, _doc))


class _domain_errors:
    """Turn a DyadwatchError into its message and exit status 1."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, DyadwatchError):
            _stderr().print(f"[red]error[/red] {exc}", soft_wrap=True)
            raise typer.Exit(1) from exc


def main() -> None:
    app()
