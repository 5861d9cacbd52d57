"""End-to-end jobs over the stages: what the CLI, the API and the demo call.

Each job takes its collaborators (a Coder, a Store) as arguments and returns a
report; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.model import Document, Event, content_hash
from dyadwatch.store import Store

__all__ = ["IngestReport", "code_items", "ingest_items", "with_default_date"]

Item = Document | ErrorRecord


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did; ``errors`` lists every item that failed.

    ``warnings`` lists what was repaired on the way (a dropped field, a
    detected encoding): those documents were kept, and the run is still ok.
    """

    documents: int = 0
    new: int = 0
    duplicates: int = 0
    events: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)
    warnings: list[ErrorRecord] = field(default_factory=list)

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
            "warnings": len(self.warnings),
        }


def with_default_date(items: Iterable[Item], date: dt.date | None) -> Iterator[Item]:
    """Give undated documents the publication date ``date`` (the CLI's --date)."""
    for item in items:
        if date is not None and isinstance(item, Document) and item.date is None:
            yield replace(item, date=date)
        else:
            yield item


def code_items(coder: Coder, items: Iterable[Item]) -> Iterator[Event | ErrorRecord]:
    """Events of every document, and the error or warning record of every item that had one."""
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

    A document whose id is stored (or earlier in the run) with the same text
    is a duplicate; with another text it is refused, DW119, never merged.
    Warnings and errors are stored, and kept apart in the report. A document
    and its events are written in one transaction per batch, so a crash never
    leaves half a document behind.
    """
    report = IngestReport()
    batch: list[tuple[Document, list[Event]]] = []
    for item in items:
        if isinstance(item, ErrorRecord):
            _record(store, report, item)
            continue
        report.documents += 1
        known = _known_text(store, batch, item.id)
        if known is not None:
            if known == content_hash(item.text):
                report.duplicates += 1
            else:
                clash = InputError(Errors.DW119, doc_id=item.id, first="a stored document")
                _record(store, report, clash.to_record(item.id), item.origin)
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


def _known_text(store: Store, batch: list[tuple[Document, list[Event]]], doc_id: str) -> str | None:
    """The content hash of the document with this id, stored or waiting in ``batch``."""
    for document, _ in batch:
        if document.id == doc_id:
            return content_hash(document.text)
    return store.document_hashes([doc_id]).get(doc_id)


def _record(
    store: Store, report: IngestReport, error: ErrorRecord, origin: str | None = None
) -> None:
    if origin is not None and error.path is None:
        error = replace(error, path=origin)
    (report.warnings if error.is_warning else report.errors).append(error)
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
