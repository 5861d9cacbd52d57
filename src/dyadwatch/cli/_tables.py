"""Terminal tables that read at 80 columns as well as at 200.

Event tables give one line per event: the short columns keep their width and
the sentence takes what is left, cut with an ellipsis; ``wide`` adds the other
fields and wraps the whole sentence instead. Frame tables (analytics) fold
long cells and headers rather than cutting them to ``c…``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

__all__ = ["events_table", "frame_table", "span"]

_NARROWEST_SENTENCE = 16
"""Below this the sentence column says nothing; the table then overflows instead."""
_GUTTER = 3
"""Between two columns: a space of padding either side of the (blank) rule."""
_SHORT = ("date", "source", "target", "cameo", "plover", "flags")
_WIDE = ("goldstein", "quad", "place", "killed", "confidence", "doc_id")


def _code(actor: object) -> str:
    return str(actor["code"]) if isinstance(actor, Mapping) else ""


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else ""


def span(low: object, high: object) -> str:
    """A range as ``3`` or ``1–3``; empty when unknown."""
    lows, highs = ("" if pd.isna(v) else str(int(v)) for v in (low, high))  # type: ignore[call-overload]
    if not lows or not highs or lows == highs:
        return lows or highs
    return f"{lows}–{highs}"


def _killed(size: object) -> str:
    killed = size.get("killed") if isinstance(size, Mapping) else None
    return span(killed.get("min"), killed.get("max")) if isinstance(killed, Mapping) else ""


def _cells(row: Mapping[str, object], wide: bool) -> list[str]:
    modality, plover, location = row["modality"], row["plover"], row["location"]
    flags = modality if isinstance(modality, Mapping) else {}
    cells = [
        str(row["date"] or ""),
        _code(row["source"]),
        _code(row["target"]),
        str(row["cameo"]),
        str(plover["type"]) if isinstance(plover, Mapping) else "",
        ",".join(name for name, on in flags.items() if on),
    ]
    if wide:
        place = location.get("name") if isinstance(location, Mapping) else None
        cells += [
            _number(row["goldstein"]), _number(row["quad"]), str(place or ""),
            _killed(row["size"]), _number(row["confidence"]), str(row["doc_id"]),
        ]  # fmt: skip
    return [*cells, str(row["sentence"])]


def events_table(
    rows: Iterable[Mapping[str, object]], console: Console, *, wide: bool = False
) -> Table:
    """Events (in the output contract's shape) as one line each, fitted to ``console``."""
    lines = [_cells(row, wide) for row in rows]
    headers = [*_SHORT, *(_WIDE if wide else ()), "sentence"]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="bold")
    for header in headers[:-1]:
        table.add_column(header, no_wrap=True)
    if wide:
        table.add_column("sentence", overflow="fold")
    else:
        table.add_column(
            "sentence", no_wrap=True, overflow="ellipsis", max_width=_room(headers, lines, console)
        )
    for line in lines:
        table.add_row(*line)
    return table


def _room(headers: Sequence[str], lines: Sequence[Sequence[str]], console: Console) -> int:
    """What the sentence column may take once the other columns have their width."""
    used = 0
    for i, header in enumerate(headers[:-1]):
        used += max(len(header), *(len(line[i]) for line in lines)) if lines else len(header)
        used += _GUTTER
    return max(console.width - used, _NARROWEST_SENTENCE)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.2f}"
    return "" if value is None or value is pd.NA else str(value)


def frame_table(title: str, frame: pd.DataFrame) -> Table:
    """A data frame as a table whose headers and cells fold instead of being cut."""
    table = Table(title=title, header_style="bold")
    for column in map(str, frame.columns):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    return table
