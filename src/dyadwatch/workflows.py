"""End-to-end jobs over the stages: what the CLI, the API and the demo call.

Each job takes its collaborators (a Coder, a Store) as arguments and returns a
report; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ErrorRecord
from dyadwatch.model import Document, Event
from dyadwatch.store import Store

__all__ = ["IngestReport", "code_items", "ingest_items", "with_default_date"]

Item = Document | ErrorRecord


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did; ``errors`` lists every item that failed."""

    documents: int = 0
    new: int = 0
    duplicates: int = 0
    events: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "new": self.new,
            "duplicates": self.duplicates,
            "events": self.events,
            "errors": len(self.errors),
        }


def with_default_date(items: Iterable[Item], date: dt.date | None) -> Iterator[Item]:
    """Give undated documents the publication date ``date`` (the CLI's --date)."""
    for item in items:
        if date is not None and isinstance(item, Document) and item.date is None:
            yield replace(item, date=date)
        else:
            yield item


def code_items(coder: Coder, items: Iterable[Item]) -> Iterator[Event | ErrorRecord]:
    """Events of every document, and the error record of every item that failed."""
    for item in items:
        if isinstance(item, ErrorRecord):
            yield item
            continue
        for _document, result in coder.code_documents([item]):
            if isinstance(result, ErrorRecord):
                yield result
            else:
                yield from result


def ingest_items(
    coder: Coder, store: Store, items: Iterable[Item], batch_size: int = 50
) -> IngestReport:
    """Code and store documents; duplicates are skipped before coding.

    A document and its events are written in one transaction per batch, so a
    crash never leaves half a document behind.
    """
    report = IngestReport()
    batch: list[tuple[Document, list[Event]]] = []
    for item in items:
        if isinstance(item, ErrorRecord):
            _record(store, report, item)
            continue
        report.documents += 1
        if store.has_document(item.id) or any(d.id == item.id for d, _ in batch):
            report.duplicates += 1
            continue
        for document, result in coder.code_documents([item]):
            if isinstance(result, ErrorRecord):
                _record(store, report, result)
            else:
                batch.append((document, result))
        if len(batch) >= batch_size:
            _flush(store, report, batch)
    _flush(store, report, batch)
    return report


def _record(store: Store, report: IngestReport, error: ErrorRecord) -> None:
    report.errors.append(error)
    store.add_error(error)


def _flush(store: Store, report: IngestReport, batch: list[tuple[Document, list[Event]]]) -> None:
    if not batch:
        return
    added = store.add_documents(batch)
    for (_, events), new in zip(batch, added, strict=True):
        report.new += int(new)
        report.duplicates += int(not new)
        report.events += len(events) if new else 0
    batch.clear()
