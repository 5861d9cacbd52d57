"""End-to-end jobs over the stages: what the CLI, the API and the demo call.

Each job takes its collaborators (a Coder, a Store) as arguments and returns a
report; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Unpack

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.model import confident
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.model import Document, Event, content_hash
from dyadwatch.store import EventFilter, Store
from dyadwatch.store._query import Filters

__all__ = ["IngestReport", "code_items", "events", "ingest_items", "with_default_date"]

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


def events(
    store: Store, where: EventFilter | None = None, /, **filters: Unpack[Filters]
) -> list[dict[str, object]]:
    """The stored event mentions that pass the filters, in the output contract's shape.

    What ``dyadwatch events`` prints: the filters are :class:`EventFilter`'s
    (``dyad``, ``since``, ``until``, ``root``, ``provenance``, ``limit``,
    ``min_confidence``, ``date_basis``, ...); bad values raise StoreError DW303.
    ``events(store, min_confidence=0.7, date_basis="text,anchored")`` keeps
    likely events dated by the text.
    """
    return store.events(where, **filters)


def with_default_date(items: Iterable[Item], date: dt.date | None) -> Iterator[Item]:
    """Give undated documents the publication date ``date`` (the CLI's --date)."""
    for item in items:
        if date is not None and isinstance(item, Document) and item.date is None:
            yield replace(item, date=date)
        else:
            yield item


def code_items(
    coder: Coder, items: Iterable[Item], *, min_confidence: float = 0.0
) -> Iterator[Event | ErrorRecord]:
    """Events of every document, and the error or warning record of every item that had one.

    ``min_confidence`` leaves out less likely events, as the coder's own option
    does (DW804 outside [0, 1]).
    """
    confident([], min_confidence)
    for item in items:
        if isinstance(item, ErrorRecord):
            yield item
            continue
        for _document, result in coder.code_documents([item]):
            if isinstance(result, ErrorRecord):
                yield result
            else:
                yield from confident(result, min_confidence)


def ingest_items(
    coder: Coder,
    store: Store,
    items: Iterable[Item],
    batch_size: int = 50,
    *,
    min_confidence: float = 0.0,
) -> IngestReport:
    """Code and store documents; duplicates are skipped before coding.

    A document whose id is stored (or earlier in the run) with the same text
    is a duplicate; with another text it is refused, DW119, never merged.
    Warnings and errors are stored, and kept apart in the report. A document
    and its events are written in one transaction per batch, so a crash never
    leaves half a document behind. ``min_confidence`` leaves out less likely
    events (DW804 outside [0, 1]).
    """
    confident([], min_confidence)
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
                batch.append((document, confident(result, min_confidence)))
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
