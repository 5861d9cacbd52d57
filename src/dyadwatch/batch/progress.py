"""A rich progress bar for batch runs: documents done, documents/s and ETA."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

__all__ = ["batch_progress"]


class _RateColumn(ProgressColumn):
    """Documents per second over rich's recent window."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} docs/s" if speed else "- docs/s")


@contextmanager
def batch_progress(
    total: int | None, *, quiet: bool = False, console: Console | None = None
) -> Iterator[Callable[[int], None]]:
    """A callback ``advance(n)`` that moves the bar; quiet: a bar that draws nothing.

    The bar is drawn on ``console`` (default: standard error), so standard
    output stays clean for the report.
    """
    if quiet:
        yield lambda n: None
        return
    progress = Progress(
        TextColumn("coding"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        transient=False,
    )
    with progress:
        task = progress.add_task("coding", total=total)
        yield lambda n: progress.advance(task, n)
