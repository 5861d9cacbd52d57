"""Terminal tables that read at 80 columns as well as at 200.

Event tables give one line per event: the short columns keep their width and
the sentence takes what is left, cut with an ellipsis; ``wide`` adds the other
fields and wraps the whole sentence instead (one block per event where the
terminal is too narrow for that). Frame tables (analytics) stack long headers
a word a line and fold cells rather than cutting them to ``c…``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

__all__ = ["events_table", "frame_table", "span"]

_NARROWEST_SENTENCE = 10
"""Narrower, the sentence says nothing: the other columns are cut instead (only when
an event carries several flags at 80 columns or less)."""
_READABLE_SENTENCE = 40
"""With --wide, a narrower sentence column turns the table into one block per event."""
_GUTTER = 2
"""Between two columns: a space of padding and the (blank) rule."""
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
    return [*cells, " ".join(str(row["sentence"]).split())]  # a line break would add a row


def events_table(
    rows: Iterable[Mapping[str, object]], console: Console, *, wide: bool = False
) -> RenderableType:
    """Events (in the output contract's shape) as one line each, fitted to ``console``.

    ``wide`` adds the other fields; when they cannot share a line with a
    readable sentence, each event becomes a short block instead.
    """
    lines = [_cells(row, wide) for row in rows]
    headers = [*_SHORT, *(_WIDE if wide else ()), "sentence"]
    room = _room(headers, lines, console)
    if wide and room < _READABLE_SENTENCE:
        return _blocks(headers, lines)
    table = Table(
        box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False,
        header_style="bold",
    )  # fmt: skip
    for header in headers[:-1]:
        table.add_column(header, no_wrap=True)
    if wide:
        table.add_column("sentence", overflow="fold")
    else:
        table.add_column("sentence", no_wrap=True, overflow="ellipsis", max_width=room)
    for line in lines:
        table.add_row(*line)
    return table


def _blocks(headers: Sequence[str], lines: Sequence[Sequence[str]]) -> Group:
    """Each event as a line of its codes, a line of its other fields, and its sentence."""
    parts: list[RenderableType] = []
    for line in lines:
        cell = dict(zip(headers, line, strict=True))
        dyad = f"{cell['source']} → {cell['target'] or '-'}"
        codes = (cell["date"] or "undated", dyad, cell["cameo"], cell["plover"], cell["flags"])
        rest = (f"{name}={cell[name]}" for name in _WIDE if cell[name])
        parts += [
            Text("  ".join(c for c in codes if c), style="bold"),
            Padding(Text("  ".join(rest)), (0, 0, 0, 2)),
            Padding(Text(cell["sentence"]), (0, 0, 1, 2)),
        ]
    return Group(*parts)


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
    if isinstance(value, (tuple, list)):  # citations: their event ids say enough here
        return ", ".join(str(getattr(item, "event_id", item)) for item in value)
    return "" if value is None or value is pd.NA else str(value)


def frame_table(title: str, frame: pd.DataFrame, console: Console) -> Table:
    """A data frame as a table fitted to ``console``.

    Headers too wide for the terminal are stacked a word a line (``net_coop``
    becomes ``net`` over ``coop``); a cell still too wide folds, never ``…``.
    """
    headers = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    if sum(widths) + len(widths) > console.width:
        headers = [h.replace("_", "\n") for h in headers]
    table = Table(
        title=title, box=box.SIMPLE_HEAD, padding=0, pad_edge=False, show_edge=False,
        header_style="bold",
    )  # fmt: skip
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table
