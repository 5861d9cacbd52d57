"""``watch`` and ``status``: the feed watcher and what it has done."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.cli._options import StoreOption, store_path
from dyadwatch.coder.engine import Coder
from dyadwatch.config import Settings
from dyadwatch.store import Store
from dyadwatch.watch import (
    DEFAULT_USER_AGENT,
    CycleReport,
    Fetcher,
    FetchPolicy,
    WatchOptions,
    load_feeds,
    load_rules,
    parse_every,
    watch,
)
from dyadwatch.watch.status import watch_status

__all__ = ["register", "status_command", "watch_command"]


def watch_command(
    feeds: Annotated[
        Path, typer.Option("--feeds", metavar="FILE", help="YAML feeds file (docs/WATCH.md).")
    ] = Path("feeds.yaml"),
    every: Annotated[
        str, typer.Option("--every", metavar="INTERVAL", help="Between cycles: 90s, 15m, 1h.")
    ] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and stop.")] = False,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", metavar="FILE", help="YAML watch rules (docs/WATCH.md)."),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option("--webhook", metavar="URL", help="POST each alert as JSON to this URL."),
    ] = None,
    user_agent: Annotated[
        str, typer.Option("--user-agent", metavar="UA", help="User-Agent of every request.")
    ] = DEFAULT_USER_AGENT,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="S", help="Seconds per request.")
    ] = 10.0,
    pace: Annotated[
        float, typer.Option("--pace", metavar="S", help="Seconds between hits on a host.")
    ] = 1.0,
    store: StoreOption = None,
) -> None:
    """Poll feeds, code new articles into the store and check the watch rules."""
    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from exc
    policy = FetchPolicy(user_agent=user_agent, timeout=timeout, min_interval=pace)
    options = WatchOptions(
        load_feeds(feeds), load_rules(rules) if rules else (), webhook, Fetcher(policy)
    )
    try:
        coder = Coder.builtin(settings)
        with Store.open(store or settings.store_path) as opened:
            watch(coder, opened, options, every=seconds, cycles=1 if once else None,
                  on_cycle=_print_cycle)  # fmt: skip
    except KeyboardInterrupt:
        typer.echo("dyadwatch: watcher stopped", err=True)


def _print_cycle(report: CycleReport) -> None:
    typer.echo(json.dumps(report.to_dict()))


def status_command(store: StoreOption = None) -> None:
    """Feeds, their last fetch and error, the last cycles and the alerts, as JSON."""
    with Store.open(store_path(store), read_only=True) as opened:
        report = watch_status(opened)
    typer.echo(json.dumps(report, indent=2, default=str))


def register(app: typer.Typer) -> None:
    """Add ``watch`` and ``status`` to ``app``."""
    app.command("watch")(watch_command)
    app.command("status")(status_command)
