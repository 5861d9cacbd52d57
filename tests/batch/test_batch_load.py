"""Loading batch output into the store: complete, faithful and idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import write_corpus

from dyadwatch.batch import BatchOptions, CoderSpec, load_output, read_shard, run_batch
from dyadwatch.batch.shards import event_from_row, event_row
from dyadwatch.errors import InputError
from dyadwatch.store import Store


def test_load_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 12, ("",))
    out = tmp_path / "out"
    spec = CoderSpec(factory="batch_helpers:small_coder")
    report = run_batch([corpus], out, BatchOptions(workers=0, shard_size=5, spec=spec))
    with Store.open(tmp_path / "s.duckdb") as store:
        first = load_output(out, store)
        counts = store.table_counts()
        second = load_output(out, store)
        assert store.table_counts() == counts
    assert (first.documents, first.new, first.events) == (12, 12, report.events)
    assert (first.errors, second.new, second.events, second.errors) == (report.errors, 0, 0, 0)
    assert counts["event_mentions"] == report.events and counts["documents"] == 12


def test_load_rows_round_trip_to_the_same_events(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 10)
    out = tmp_path / "out"
    run_batch(
        [corpus],
        out,
        BatchOptions(workers=0, shard_size=10, spec=CoderSpec(factory="batch_helpers:small_coder")),
    )
    events = [e for _, _, evs in read_shard(out, 0).coded for e in evs]
    assert events
    assert [event_from_row(event_row(e, 0)) for e in events] == events


def test_load_refuses_a_directory_without_manifest(tmp_path: Path) -> None:
    with Store.open() as store, pytest.raises(InputError, match="DW116"):
        load_output(tmp_path, store)
    (tmp_path / "_manifest.json").write_text(json.dumps({"fingerprint": "x"}))
    with Store.open() as store, pytest.raises(InputError, match="DW116"):
        load_output(tmp_path, store)
