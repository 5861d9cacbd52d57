"""Shared by the reliability tests: the "catalogued error or a result" oracle, with a timeout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import duckdb

from dyadwatch._deadline import deadline
from dyadwatch.errors import ErrorRecord, Errors
from dyadwatch.model import Actor, Document, Event, Evidence, Modality, PloverCode

T = TypeVar("T")

CORPUS = Path(__file__).resolve().parents[1] / "fuzz_corpus"
"""Inputs that once found a bug, replayed by ``test_reliability_corpus.py``."""

CATALOGUE = frozenset(name for name in vars(Errors) if name.startswith("DW"))


class Hang(Exception):
    """A call ran past its time limit."""

    def __init__(self) -> None:
        super().__init__("still running at its time limit")


def time_limit(seconds: float) -> AbstractContextManager[None]:
    """Raise Hang if the body runs longer than ``seconds`` (the product's own deadline)."""
    return deadline(seconds, Hang)


def outcome(call: Callable[[], T], seconds: float = 5.0) -> T | None:
    """``call()``'s result, or None when it raised a catalogued DyadwatchError.

    Any other exception, and running past ``seconds``, propagate: they are the bugs.
    """
    from dyadwatch.errors import DyadwatchError

    with time_limit(seconds):
        try:
            return call()
        except DyadwatchError as exc:
            assert exc.code in CATALOGUE, exc.code
            return None


def check_records(items: list[object]) -> None:
    """Every error record a reader yields names a catalogued code."""
    for item in items:
        if isinstance(item, ErrorRecord):
            assert item.code in CATALOGUE, item


def coded_batch(start: int, size: int) -> list[tuple[Document, list[Event]]]:
    """``size`` one-sentence documents, each with one USA→PAK consultation."""
    items = []
    for n in range(start, start + size):
        doc = Document.from_text(f"Report {n}.", date=dt.date(2021, 8, 15))
        event = Event(
            id=f"{doc.id}-0", doc_id=doc.id, sentence_index=0, sentence=doc.text,
            source=Actor("US", "USAGOV", "USA", "GOV"),
            target=Actor("Pakistan", "PAKMIL", "PAK", "MIL"), cameo="040", goldstein=1.0,
            quad=1, plover=PloverCode("CONSULT"), evidence=Evidence((0, 2)),
            modality=Modality(), date=dt.date(2021, 8, 15), date_precision="day",
        )  # fmt: skip
        items.append((doc, [event]))
    return items


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table of the store at ``path`` (opened read-only)."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute("SHOW TABLES").fetchall()]
        return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in names}  # type: ignore[index]
