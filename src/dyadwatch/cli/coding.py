"""``code``, ``ingest`` and ``events``: documents in, events out or stored."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dyadwatch.cli._app import report_errors, summary
from dyadwatch.cli._options import (
    QUERY_FILTERS,
    DateOption,
    DictionaryOption,
    Filters,
    LearnedOption,
    MinConfidenceOption,
    PathsArgument,
    PetrarchOption,
    StoreOption,
    day,
    store_path,
    with_filters,
)
from dyadwatch.cli._tables import events_table
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.model import confident
from dyadwatch.config import Settings
from dyadwatch.errors import DictionaryError, ErrorRecord
from dyadwatch.ingest import Fetcher, read_inputs
from dyadwatch.model import Document, Event
from dyadwatch.store import Store
from dyadwatch.workflows import code_items, ingest_items, with_default_date

__all__ = ["code", "events", "ingest", "register"]


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        metavar="jsonl|table",
        help="jsonl (default): one JSON object per event; table: one line per event.",
    ),
]
WideOption = Annotated[
    bool,
    typer.Option(
        "--wide", help="With --format table: add Goldstein, quad, place, killed, confidence, "
        "document id and the whole sentence.",
    ),
]  # fmt: skip


def _coder_and_inputs(
    paths: list[str],
    date: str | None,
    dictionary: list[Path] | None,
    petrarch: list[Path] | None,
    problems: list[DictionaryError],
    scoring: tuple[bool, float] = (True, 0.0),
) -> tuple[Coder, Iterator[Document | ErrorRecord]]:
    """What `code` and `ingest` share: the coder, and the inputs dated by --date."""
    settings = Settings.from_env()
    default = day(date)
    coder = _make_coder(settings, dictionary, petrarch, problems, scoring)
    fetcher = Fetcher()  # for URLs: robots.txt, timeouts and a size cap
    read = read_inputs(paths, max_bytes=settings.max_document_bytes, fetcher=fetcher)
    items = with_default_date(read, default)
    return coder, items


def _make_coder(
    settings: Settings,
    dictionaries: list[Path] | None,
    petrarch: list[Path] | None,
    problems: list[DictionaryError],
    scoring: tuple[bool, float],
) -> Coder:
    learned, least = scoring
    confident([], least)  # DW804 before the pipeline loads
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
            min_confidence=least,
        )
    if dictionaries:
        return Coder.from_user_files(
            dictionaries, settings, on_error=problems.append, learned=learned,
            min_confidence=least,
        )  # fmt: skip
    return Coder.builtin(settings, learned=learned, min_confidence=least)


def _split(results: Iterator[Event | ErrorRecord]) -> tuple[list[Event], list[ErrorRecord]]:
    events: list[Event] = []
    errors: list[ErrorRecord] = []
    for result in results:
        if isinstance(result, ErrorRecord):
            errors.append(result)
        else:
            events.append(result)
    return events, errors


def _print_rows(rows: list[dict[str, object]], output: OutputFormat, wide: bool) -> None:
    if output is OutputFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        console = Console()
        console.print(events_table(rows, console, wide=wide))


def code(
    paths: PathsArgument,
    date: DateOption = None,
    output: FormatOption = OutputFormat.jsonl,
    wide: WideOption = False,
    dictionary: DictionaryOption = None,
    petrarch: PetrarchOption = None,
    min_confidence: MinConfidenceOption = 0.0,
    learned: LearnedOption = True,
) -> None:
    """Code documents and print their events; nothing is stored."""
    problems: list[DictionaryError] = []
    coder, items = _coder_and_inputs(
        paths, date, dictionary, petrarch, problems, (learned, min_confidence)
    )
    events, errors = _split(code_items(coder, items))
    _print_rows([event.to_dict() for event in events], output, wide)
    if report_errors([*(p.to_record() for p in problems), *errors]):
        raise typer.Exit(1)


def ingest(
    paths: PathsArgument,
    store: StoreOption = None,
    date: DateOption = None,
    dictionary: DictionaryOption = None,
    petrarch: PetrarchOption = None,
    min_confidence: MinConfidenceOption = 0.0,
    learned: LearnedOption = True,
) -> None:
    """Code documents into the store. The same document twice adds nothing."""
    problems: list[DictionaryError] = []
    coder, items = _coder_and_inputs(
        paths, date, dictionary, petrarch, problems, (learned, min_confidence)
    )
    with Store.open(store_path(store)) as db:
        report = ingest_items(coder, db, items)
    summary("ingested", report.to_dict())
    if report_errors([*(p.to_record() for p in problems), *report.errors]):
        raise typer.Exit(1)


@with_filters(*QUERY_FILTERS)
def events(
    filters: Filters,
    limit: Annotated[
        int | None, typer.Option("--limit", metavar="N", help="At most this many events.")
    ] = None,
    store: StoreOption = None,
    output: FormatOption = OutputFormat.jsonl,
    wide: WideOption = False,
    merged_into: Annotated[
        str | None,
        typer.Option(
            "--merged-into",
            metavar="ID",
            help="Instead: the mentions merged into event ID and the facts on which each "
            "agreed with it (JSON lines).",
        ),
    ] = None,
) -> None:
    """Query stored events."""
    with Store.open(store_path(store), read_only=True) as db:
        if merged_into is not None:
            _print_rows(db.merged_into(merged_into), OutputFormat.jsonl, wide)
            return
        rows = db.events(**filters.given(), limit=limit)
    _print_rows(rows, output, wide)


def unmerge(
    event_id: Annotated[str, typer.Argument(metavar="EVENT_ID", help="A self-coded event.")],
    mention_ids: Annotated[
        list[str], typer.Argument(metavar="MENTION_ID...", help="Mentions to split off it.")
    ],
    store: StoreOption = None,
) -> None:
    """Split mentions off an event for good: the split holds through relinks and re-ingest."""
    with Store.open(store_path(store)) as db:
        events = db.unmerge(event_id, mention_ids)
    summary("unmerged", {"mentions": len(mention_ids), "self-coded events": events})


def train(
    labels: Annotated[
        Path,
        typer.Option("--labels", metavar="FILE", help="Labelled pairs, JSONL (docs/MODEL.md)."),
    ],
    out: Annotated[
        Path, typer.Option("--out", metavar="FILE", help="The weights to write (.npz).")
    ],
    eval_dir: Annotated[
        Path | None,
        typer.Option("--eval", metavar="DIR", help="Add the shared training sets of DIR."),
    ] = None,
    written: Annotated[
        Path | None,
        typer.Option(
            "--written",
            metavar="DIR",
            help="With --eval: our written sets' folder (default: the source tree's bench/data).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Random seed.")] = 0,
) -> None:
    """Train the learned scorer on your own labelled sentences (deterministic given --seed)."""
    from dyadwatch.coder.scoring.train import train_from_labels

    train_from_labels(labels, out, eval_dir=eval_dir, written=written, seed=seed)
    summary("trained", {"weights": str(out)})


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    for command in (code, ingest, events, unmerge, train):
        app.command(command.__name__)(command)
