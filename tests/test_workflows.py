"""End-to-end jobs: default dates, coding streams with errors, idempotent ingest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from spacy.tokens import Doc

from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ErrorRecord
from dyadwatch.model import Document, Event
from dyadwatch.store import Store
from dyadwatch.workflows import IngestReport, code_items, ingest_items, with_default_date

DAY = dt.date(2019, 2, 26)
BAD = ErrorRecord("DW101", "[DW101] Empty document", "empty.txt")


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open() as db:
        yield db


def test_workflows_default_date_fills_only_undated_documents() -> None:
    undated = Document.from_text("India attacked Pakistan.")
    dated = Document.from_text("China met India.", date=dt.date(2018, 1, 1))
    out = list(with_default_date([undated, dated, BAD], DAY))
    assert [getattr(i, "date", None) for i in out] == [DAY, dt.date(2018, 1, 1), None]
    assert out[2] is BAD
    assert list(with_default_date([undated], None)) == [undated]


def test_workflows_code_items_passes_errors_through_in_order(small_coder: Coder) -> None:
    first_doc = Document.from_text("India attacked Pakistan.", date=DAY)
    items: list[Document | ErrorRecord] = [
        first_doc,
        BAD,
        Document.from_text("China met India.", date=DAY),
    ]
    out = list(code_items(small_coder, items))
    assert [type(o).__name__ for o in out] == ["Event", "ErrorRecord", "Event"]
    first, _, last = out
    assert isinstance(first, Event) and isinstance(last, Event)
    assert (first.cameo, last.cameo) == ("190", "040")
    assert first.doc_id == first_doc.id


def test_workflows_ingest_counts_and_stores(small_coder: Coder, store: Store) -> None:
    items: list[Document | ErrorRecord] = [
        Document.from_text("India attacked Pakistan.", date=DAY),
        Document.from_text("Pakistan attacked India and Afghanistan.", date=DAY),
        BAD,
    ]
    report = ingest_items(small_coder, store, items)
    assert report.to_dict() == {
        "documents": 2, "new": 2, "duplicates": 0, "events": 3, "errors": 1, "warnings": 0,
    }  # fmt: skip
    assert not report.ok
    assert store.counts() == {"documents": 2, "events": 3, "errors": 1}
    assert store.errors()[0].code == "DW101"


def test_workflows_ingest_twice_adds_nothing(small_coder: Coder, store: Store) -> None:
    items = [Document.from_text("India attacked Pakistan.", date=DAY)]
    first = ingest_items(small_coder, store, items)
    second = ingest_items(small_coder, store, items)
    assert (first.new, first.events) == (1, 1)
    assert (second.documents, second.new, second.duplicates, second.events) == (1, 0, 1, 0)
    assert second.ok
    assert store.counts()["events"] == 1


def test_workflows_ingest_skips_repeats_within_one_run(small_coder: Coder, store: Store) -> None:
    doc = Document.from_text("India attacked Pakistan.", date=DAY)
    report = ingest_items(small_coder, store, [doc, doc], batch_size=10)
    assert (report.documents, report.new, report.duplicates) == (2, 1, 1)


def test_workflows_ingest_flushes_in_batches(small_coder: Coder, store: Store) -> None:
    docs = [Document.from_text(f"India attacked Pakistan {n} times.", date=DAY) for n in range(5)]
    report = ingest_items(small_coder, store, docs, batch_size=2)
    assert (report.new, report.events) == (5, 5)
    assert store.counts()["documents"] == 5


def test_workflows_ingest_records_a_coding_failure_and_goes_on(
    small_coder: Coder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = Document.from_text("India attacked Pakistan.", date=DAY)
    broken = Document.from_text("China met India.", date=DAY)
    real = small_coder._code_doc

    def flaky(doc: Doc, doc_id: str, date: dt.date | None) -> list[Event]:
        # After the (batched) parse, where every document passes.
        if doc_id == broken.id:
            raise RuntimeError("walker fell over")
        return real(doc, doc_id, date)

    monkeypatch.setattr(small_coder, "_code_doc", flaky)
    report = ingest_items(small_coder, store, [broken, good])
    assert report.new == 1
    assert [(e.code, e.doc_id) for e in report.errors] == [("DW111", broken.id)]
    assert store.has_document(good.id) and not store.has_document(broken.id)


def test_workflows_empty_report_is_ok() -> None:
    report = IngestReport()
    assert report.ok
    assert report.to_dict()["errors"] == 0


def test_workflows_ingest_keeps_warnings_apart_from_errors(
    small_coder: Coder, store: Store
) -> None:
    warning = ErrorRecord("DW117", "[DW117] Ignored field 'date' …", "c.jsonl", 2)
    items = [warning, Document.from_text("India attacked Pakistan.", doc_id="c2", date=DAY)]
    report = ingest_items(small_coder, store, items)
    assert (report.new, report.errors, report.warnings) == (1, [], [warning])
    assert report.ok and report.to_dict()["warnings"] == 1
    assert store.errors() == [warning]  # stored like an error
