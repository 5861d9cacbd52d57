"""A researcher's corpus end to end: ids in, joinable events out of code, ingest and exports."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner, Result

from dyadwatch import cli
from dyadwatch.batch.shards import event_from_row, event_row
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import ErrorRecord
from dyadwatch.model import Document
from dyadwatch.store import Store
from dyadwatch.store.columns import TABLES
from dyadwatch.store.interop import export_events
from dyadwatch.store.schema import SCHEMA_VERSION
from dyadwatch.workflows import code_items, ingest_items

URL = "https://news.example.org/2019/03/01/talks"


@pytest.fixture(autouse=True)
def small(small_coder: Coder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI codes with the small literal coder; its default store lives in tmp_path."""
    monkeypatch.setenv("DYADWATCH_STORE", str(tmp_path / "env.duckdb"))
    monkeypatch.setattr(Coder, "builtin", lambda settings=None, extra=(), **options: small_coder)


def corpus(root: Path) -> Path:
    """A folder with user ids, a cp1252 file, a bad-date line, a reused id and a broken line."""
    root.mkdir()
    lines = [
        {"id": "p1", "url": URL, "date": "2019-03-01",
         "text": "Pakistan agreed to hold talks with India."},
        {"id": "p2", "date": "2019-02-30", "text": "China attacked Afghanistan."},
        {"id": "p1", "text": "India attacked Pakistan."},
        '{"id": "p4", "text": ',
        {"id": 5, "text": "The United States urged India to show restraint.", "date": "2019-03-02"},
    ]  # fmt: skip
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    (root / "wire.jsonl").write_text(text, encoding="utf-8")
    (root / "archive").mkdir()
    legacy = "China’s envoy met Pakistan’s army chief in Rawalpindi, the café owner said."
    (root / "archive" / "old.txt").write_bytes(legacy.encode("cp1252"))
    return root


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def events_of(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_corpus_code_keeps_every_good_document_and_names_each_problem(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    result = invoke("code", str(root), "--date", "2019-03-05")
    assert result.exit_code == 1  # DW105 and DW119 are errors; the warnings alone would not fail
    events = events_of(result)
    assert {e["doc_id"] for e in events} == {"p1", "p2", "5", "archive/old.txt"}
    by_doc = {e["doc_id"]: e for e in events}
    assert by_doc["p1"]["doc_url"] == URL and by_doc["p2"]["doc_url"] is None
    assert by_doc["p2"]["date"] == "2019-03-05"  # the bad date dropped, --date used
    assert by_doc["5"]["date"] == "2019-03-02"
    wire, old = root / "wire.jsonl", root / "archive" / "old.txt"
    problems = [line for line in result.stderr.splitlines() if "[DW" in line]
    assert problems == [  # in input order: the folder is read sorted
        f"warning {old}: [DW118] Not UTF-8: decoded as cp1252",
        f"warning {wire}:2: [DW117] Ignored field 'date' = '2019-02-30' (expected a real day as "
        "YYYY-MM-DD or YYYYMMDD); the document is kept without it",
        f"error {wire}:3: [DW119] Document id 'p1' is already used by {wire}:1 "
        "for a different text",
        f"error {wire}:4: [DW105] Malformed JSON: Expecting value at column 22",
    ]


def test_corpus_code_with_warnings_only_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"id": "a", "url": "nowhere", "text": "China attacked Afghanistan."})
    )
    result = invoke("code", str(path))
    assert result.exit_code == 0, result.stderr
    assert [e["doc_id"] for e in events_of(result)] == ["a"]
    assert "warning" in result.stderr and "[DW117]" in result.stderr


def test_corpus_ingest_counts_warnings_stores_them_and_adds_nothing_twice(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    store = tmp_path / "s.duckdb"
    first = invoke("ingest", str(root), "--store", str(store))
    assert first.exit_code == 1
    assert (
        "documents 4, new 4, duplicates 0" in first.stderr
        and "errors 2, warnings 2" in first.stderr
    )
    again = invoke("ingest", str(root), "--store", str(store))
    assert "documents 4, new 0, duplicates 4" in again.stderr
    with Store.open(store, read_only=True) as db:
        ids = [row[0] for row in db.select("SELECT id FROM documents ORDER BY id")]
        kept = db.select("SELECT code, path, line FROM errors ORDER BY recorded_at LIMIT 4")
        mentions = db.events()
    assert ids == ["5", "archive/old.txt", "p1", "p2"]
    wire = str(root / "wire.jsonl")
    assert kept == [("DW118", str(root / "archive" / "old.txt"), None),
                    ("DW117", wire, 2), ("DW119", wire, 3), ("DW105", wire, 4)]  # fmt: skip
    assert {(m["doc_id"], m["doc_url"]) for m in mentions} >= {("p1", URL), ("p2", None)}


def test_corpus_ingest_refuses_a_stored_id_with_another_text(
    tmp_path: Path, small_coder: Coder
) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        first = Document.from_text("China attacked Afghanistan.", doc_id="x1", origin="a.jsonl:1")
        assert ingest_items(small_coder, store, [first]).new == 1
        other = Document.from_text("India attacked Pakistan.", doc_id="x1", origin="b.jsonl:7")
        report = ingest_items(small_coder, store, [first, other])
        assert (report.new, report.duplicates) == (0, 1)
        (error,) = report.errors
        assert (error.code, error.path, error.doc_id) == ("DW119", "b.jsonl:7", "x1")
        assert set(store.document_hashes(["x1", "nope"])) == {"x1"}
        texts = store.select("SELECT text FROM documents WHERE id = 'x1'")
    assert texts == [("China attacked Afghanistan.",)]  # never merged, never replaced


def test_corpus_exports_carry_the_url_and_the_story_id(tmp_path: Path, small_coder: Coder) -> None:
    doc = Document.from_text(
        "China attacked Afghanistan.", doc_id="story-9", url=URL, origin="c.jsonl:1",
        date=dt.date(2019, 3, 1),
    )  # fmt: skip
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest_items(small_coder, store, [doc])
        export_events(store, "gdelt", tmp_path / "g.tsv")
        export_events(store, "icews", tmp_path / "i.tab")
    (gdelt,) = (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()
    assert gdelt.split("\t")[-1] == URL  # SOURCEURL, the last GDELT 2.0 column
    with (tmp_path / "i.tab").open(encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle, delimiter="\t")
    assert row["Story ID"] == "story-9"


def test_corpus_code_items_and_batch_rows_carry_doc_url(small_coder: Coder) -> None:
    doc = Document.from_text("China attacked Afghanistan.", doc_id="d", url=URL)
    (event,) = [e for e in code_items(small_coder, [doc]) if not isinstance(e, ErrorRecord)]
    assert (event.doc_id, event.doc_url) == ("d", URL)
    assert event_from_row(event_row(event, 0)) == event


def test_corpus_store_migration_gives_old_mentions_their_url(
    tmp_path: Path, small_coder: Coder
) -> None:
    path = tmp_path / "old.duckdb"
    doc = Document.from_text("China attacked Afghanistan.", url=URL)
    with Store.open(path) as store:
        ingest_items(small_coder, store, [doc])
    # Back to a version-3 store: without every column and table versions 4 and on added.
    con = duckdb.connect(str(path))
    con.execute("DROP INDEX event_mentions_doc")  # DuckDB drops no column under an index
    con.execute("DROP INDEX event_links_event")
    for table in TABLES:
        for column in table.columns:
            if column.added >= 4:
                con.execute(f"ALTER TABLE {table.name} DROP COLUMN {column.name}")
    con.execute("DROP TABLE event_splits")
    con.execute("CREATE INDEX event_mentions_doc ON event_mentions (doc_id)")
    con.execute("CREATE INDEX event_links_event ON event_links (event_id)")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [m["doc_url"] for m in store.events()] == [URL]
