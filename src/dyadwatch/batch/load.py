"""Loading a batch output directory into the store, idempotently.

Shards are read in order; their documents and events are rebuilt and added
with :meth:`Store.add_documents` (which skips stored documents), their error
rows with :meth:`Store.add_error` unless the same record is stored already.
Loading twice, or loading a run again after it was resumed, adds nothing new.
A document skipped because its id is stored with another text gets DW119.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dyadwatch.batch.checkpoints import MANIFEST
from dyadwatch.batch.shards import read_shard
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.model import Document, content_hash
from dyadwatch.store import Store

_Key = tuple[str, str, str | None, int | None, str | None]

__all__ = ["LoadReport", "finished_shards", "load_output"]


@dataclass(slots=True)
class LoadReport:
    """What a load added; ``complete`` is False for the output of an unfinished run."""

    shards: int = 0
    documents: int = 0
    new: int = 0
    duplicates: int = 0
    events: int = 0
    errors: int = 0
    warnings: int = 0
    complete: bool = True

    def to_dict(self) -> dict[str, object]:
        return {
            "shards": self.shards,
            "documents": self.documents,
            "new": self.new,
            "duplicates": self.duplicates,
            "events": self.events,
            "errors": self.errors,
            "warnings": self.warnings,
            "complete": self.complete,
        }


def finished_shards(out: Path) -> tuple[list[int], bool]:
    """Indexes of the finished shards of ``out`` and whether the run completed.

    Raises InputError DW116 when ``out`` holds no readable batch manifest.
    """
    import json

    path = out / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        done = sorted(int(i) for i in data["done"])
        return done, bool(data.get("complete"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        detail = f"no readable {MANIFEST} ({type(exc).__name__})"
        raise InputError(Errors.DW116, folder=str(out), detail=detail) from exc


def load_output(out: Path, store: Store, *, batch_size: int = 500) -> LoadReport:
    """Add the documents, event mentions and errors of ``out`` to ``store``."""
    done, complete = finished_shards(out)
    report = LoadReport(complete=complete)
    known = {(e.code, e.message, e.path, e.line, e.doc_id) for e in store.errors()}
    for index in done:
        result = read_shard(out, index)
        report.shards += 1
        coded = [(doc, events) for _, doc, events in result.coded]
        for start in range(0, len(coded), batch_size):
            batch = coded[start : start + batch_size]
            added = store.add_documents(batch)
            for (_, events), new in zip(batch, added, strict=True):
                report.new += int(new)
                report.duplicates += int(not new)
                report.events += len(events) if new else 0
            skipped = [doc for (doc, _), new in zip(batch, added, strict=True) if not new]
            for clash in _clashes(store, skipped):
                _add_error(store, report, known, clash)
        report.documents += len(coded)
        for _, error in result.errors:
            _add_error(store, report, known, error)
    return report


def _clashes(store: Store, skipped: list[Document]) -> list[ErrorRecord]:
    """DW119 for each skipped document whose id is stored with another text."""
    stored = store.document_hashes([doc.id for doc in skipped])
    return [
        InputError(
            Errors.DW119, path=doc.origin, doc_id=doc.id, first="a stored document"
        ).to_record(doc.id)
        for doc in skipped
        if doc.id in stored and stored[doc.id] != content_hash(doc.text)
    ]


def _add_error(store: Store, report: LoadReport, known: set[_Key], error: ErrorRecord) -> None:
    key = (error.code, error.message, error.path, error.line, error.doc_id)
    if key not in known:
        store.add_error(error)
        known.add(key)
        report.warnings += error.is_warning
        report.errors += not error.is_warning
