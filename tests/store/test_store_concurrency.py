"""One writer, many readers: readers on cursors never see half a batch."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from dyadwatch.errors import StoreError
from dyadwatch.model import Actor, Document, Event, Evidence, Location, PloverCode
from dyadwatch.store import Store

SRC = Path(__file__).resolve().parents[2] / "src"
DOCS_PER_BATCH = 10
MENTIONS_PER_DOC = 2
BATCHES = 30


def batch(number: int) -> list[tuple[Document, list[Event]]]:
    items = []
    for n in range(DOCS_PER_BATCH):
        doc = Document.from_text(f"Batch {number}, report {n}.", date=dt.date(2021, 8, 1))
        events = [
            Event(
                id=f"{doc.id}-{i}", doc_id=doc.id, sentence_index=i, sentence=doc.text,
                source=Actor("India", "IND", "IND"), target=Actor("Pakistan", "PAK", "PAK"),
                cameo="190", goldstein=-10.0, quad=4, plover=PloverCode("ASSAULT"),
                evidence=Evidence((0, 5)), date=dt.date(2021, 8, 1) + dt.timedelta(days=3 * number),
                location=Location("Lahore", "PAK", "PK-PB", 31.55, 74.34),
            )
            for i in range(MENTIONS_PER_DOC)
        ]  # fmt: skip
        items.append((doc, events))
    return items


def test_store_readers_never_see_half_a_batch(tmp_path: Path) -> None:
    problems: list[str] = []
    done = threading.Event()
    seen: list[int] = []
    with Store.open(tmp_path / "dw.duckdb") as store:

        def read() -> None:
            with store.reader() as reader:
                while not done.is_set():
                    counts = reader.table_counts()
                    docs, mentions = counts["documents"], counts["event_mentions"]
                    seen.append(docs)
                    if docs % DOCS_PER_BATCH or mentions != docs * MENTIONS_PER_DOC:
                        problems.append(f"half a batch: {counts}")
                    if counts["event_links"] != mentions:
                        problems.append(f"unlinked mentions: {counts}")
                    total = sum(e.num_mentions for e in reader.stored_events())
                    if total % (DOCS_PER_BATCH * MENTIONS_PER_DOC):
                        problems.append(f"events count half a batch: {total}")

        readers = [threading.Thread(target=read) for _ in range(3)]
        for thread in readers:
            thread.start()
        for number in range(BATCHES):
            store.add_documents(batch(number))
        done.set()
        for thread in readers:
            thread.join(timeout=60)
        assert store.table_counts()["events"] == BATCHES
    assert not problems, problems[:3]
    assert len(set(seen)) > 1  # the readers did read while the writer wrote


def test_store_reader_is_read_only() -> None:
    with Store.open() as store, store.reader() as reader:
        with pytest.raises(StoreError) as info:
            reader.add_documents(batch(0))
        assert info.value.code == "DW301"
        store.add_documents(batch(0))
        assert reader.counts()["documents"] == DOCS_PER_BATCH  # sees committed writes


def test_store_other_process_gets_a_clear_lock_error(tmp_path: Path) -> None:
    path = tmp_path / "dw.duckdb"
    probe = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, sys.argv[2])
        from dyadwatch.errors import StoreError
        from dyadwatch.store import Store
        try:
            Store.open(sys.argv[1], read_only=True)
        except StoreError as exc:
            print(exc.code, exc)
        """
    )
    with Store.open(path):
        result = subprocess.run(
            [sys.executable, "-c", probe, str(path), str(SRC)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    assert result.stdout.startswith("DW301")
    assert "Store.reader()" in result.stdout
