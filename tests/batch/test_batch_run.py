"""Batch runs: engines agree with single-process coding, failures stay isolated."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from batch_helpers import expected_rows, output_rows, write_corpus

from dyadwatch.batch import BatchOptions, CoderSpec, run_batch
from dyadwatch.batch.load import load_output
from dyadwatch.batch.local import LocalEngine
from dyadwatch.errors import InputError
from dyadwatch.store import Store

SMALL = CoderSpec(factory="batch_helpers:small_coder")


@pytest.mark.slow
def test_run_local_engine_equals_single_process_coding(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 30)
    options = BatchOptions(workers=2, shard_size=7, spec=SMALL)
    report = run_batch([corpus], tmp_path / "out", options)
    assert report.shards == 5 and report.documents == 30 and report.errors == 0
    expected = expected_rows(corpus)
    assert output_rows(tmp_path / "out") == expected
    assert report.events == pq.read_table(tmp_path / "out" / "mentions").num_rows > 0


def test_run_inline_engine_isolates_failures_and_timeouts(tmp_path: Path) -> None:
    bad = ("EXPLODE Pakistan attacked India.", "SLEEP India met China.", "India met China.")
    corpus = write_corpus(tmp_path / "c.jsonl", 3, bad)
    corpus.write_text(corpus.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    spec = CoderSpec(factory="batch_helpers:exploding_coder", timeout=1.0)
    report = run_batch([corpus], tmp_path / "out", BatchOptions(workers=0, shard_size=4, spec=spec))
    rows = output_rows(tmp_path / "out")
    errors = {p: e.code for p, kind, e in rows if kind == "error"}  # type: ignore[attr-defined]
    assert errors == {3: "DW111", 4: "DW114", 6: "DW105"}
    assert [p for p, kind, _ in rows if kind == "doc"] == [0, 1, 2, 5]
    assert (report.documents, report.errors) == (4, 3)


@pytest.mark.slow
def test_run_local_engine_survives_a_worker_crash(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 5, ("CRASH India met China.",))
    spec = CoderSpec(factory="batch_helpers:exploding_coder")
    options = BatchOptions(workers=1, shard_size=3, spec=spec)
    with LocalEngine(spec, 1) as engine:
        report = run_batch([corpus], tmp_path / "out", options, engine=engine)
    rows = output_rows(tmp_path / "out")
    assert [(p, e.code) for p, kind, e in rows if kind == "error"] == [(5, "DW115")]  # type: ignore[attr-defined]
    assert [p for p, kind, _ in rows if kind == "doc"] == [0, 1, 2, 3, 4]
    assert report.errors == 1


def test_run_refuses_an_output_of_another_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 2)
    run_batch([corpus], tmp_path / "out", BatchOptions(workers=0, shard_size=5, spec=SMALL))
    again = run_batch([corpus], tmp_path / "out", BatchOptions(workers=0, shard_size=5, spec=SMALL))
    assert again.resumed == 1 and again.documents == 2
    with pytest.raises(InputError, match="DW116"):
        run_batch([corpus], tmp_path / "out", BatchOptions(workers=0, shard_size=3, spec=SMALL))


def test_run_rejects_a_bad_shard_size(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 2)
    with pytest.raises(ValueError, match="shard size"):
        run_batch([corpus], tmp_path / "out", BatchOptions(workers=0, shard_size=0, spec=SMALL))


@pytest.mark.slow
def test_run_dask_engine_on_two_workers_equals_single_process(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus = write_corpus(tmp_path / "c.jsonl", 12)
    options = BatchOptions(engine="dask", workers=2, shard_size=4, spec=SMALL)
    report = run_batch([corpus], tmp_path / "out", options)
    assert report.documents == 12
    assert output_rows(tmp_path / "out") == expected_rows(corpus)


@pytest.mark.slow
def test_run_dask_engine_times_out_a_document_that_spins(tmp_path: Path) -> None:
    # Dask codes in worker threads, where no alarm reaches: the timeout is raised
    # in the thread at its next Python instruction.
    pytest.importorskip("distributed")
    corpus = write_corpus(tmp_path / "c.jsonl", 2, ("SPIN India met China.", "India met China."))
    spec = CoderSpec(factory="batch_helpers:exploding_coder", timeout=1.0)
    started = time.monotonic()
    options = BatchOptions(engine="dask", workers=1, spec=spec)
    report = run_batch([corpus], tmp_path / "out", options)
    rows = output_rows(tmp_path / "out")
    assert [(p, e.code) for p, kind, e in rows if kind == "error"] == [(2, "DW114")]  # type: ignore[attr-defined]
    assert [p for p, kind, _ in rows if kind == "doc"] == [0, 1, 3]
    assert report.errors == 1
    assert time.monotonic() - started < 25  # the spin alone would take 30 s


def test_run_keeps_user_ids_and_urls_and_counts_warnings_apart(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [
        {"id": "u1", "url": "https://x.example/1", "text": "Pakistan attacked India."},
        {"id": "u2", "date": "2019-02-30", "text": "India met China."},
    ]
    corpus.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = run_batch(
        [corpus], tmp_path / "out", BatchOptions(workers=0, shard_size=4, spec=SMALL)
    )
    assert (report.documents, report.errors, report.warnings) == (2, 0, 1)
    rows = output_rows(tmp_path / "out")
    coded = [record for _, kind, record in rows if kind == "doc"]
    docs = {d.id: events for d, events in coded}  # type: ignore[misc]
    assert set(docs) == {"u1", "u2"}
    assert {(e["doc_id"], e["doc_url"]) for e in docs["u1"]} == {("u1", "https://x.example/1")}
    assert [e.code for _, kind, e in rows if kind == "error"] == ["DW117"]  # type: ignore[attr-defined]


def test_run_then_load_refuses_a_stored_id_with_another_text(tmp_path: Path) -> None:
    options = BatchOptions(workers=0, shard_size=4, spec=SMALL)
    for name, text in (("a", "Pakistan attacked India."), ("b", "India met China.")):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps({"id": "u1", "text": text}) + "\n")
        run_batch([tmp_path / f"{name}.jsonl"], tmp_path / name, options)
    with Store.open(tmp_path / "s.duckdb") as store:
        first = load_output(tmp_path / "a", store)
        clash = load_output(tmp_path / "b", store)
        again = load_output(tmp_path / "b", store)
        kept = store.select("SELECT text FROM documents")
        (error,) = store.errors()
    assert (first.new, first.errors) == (1, 0)
    assert (clash.new, clash.duplicates, clash.errors) == (0, 1, 1)
    assert (again.new, again.errors) == (0, 0)  # recorded once
    assert kept == [("Pakistan attacked India.",)]
    assert (error.code, error.doc_id, error.path) == ("DW119", "u1", f"{tmp_path / 'b.jsonl'}:1")
