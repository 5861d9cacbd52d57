"""The Python API's reads and coding take ``min_confidence`` (and reads ``date_basis``)."""

from __future__ import annotations

import datetime as dt

import pytest

import dyadwatch
from dyadwatch.coder.engine import Coder
from dyadwatch.errors import DyadwatchError, StoreError
from dyadwatch.model import Document
from scored_store import scored_store


def test_workflows_scope_events_filters_like_the_cli() -> None:
    with scored_store() as store:
        assert len(dyadwatch.events(store)) == 4
        sure = dyadwatch.events(store, min_confidence=0.7, date_basis="text,anchored")
        assert [e["doc_id"] for e in sure] == ["sure-text"]
        with pytest.raises(StoreError) as caught:
            dyadwatch.events(store, date_basis="hearsay")
        assert caught.value.code == "DW303"


def test_workflows_scope_coding_leaves_out_doubtful_events(small_coder: Coder) -> None:
    doc = Document.from_text(
        "India attacked Pakistan. China urged India and Pakistan to talk.",
        date=dt.date(2021, 5, 1),
    )
    coded = [e for e in dyadwatch.code_items(small_coder, [doc]) if isinstance(e, dyadwatch.Event)]
    assert coded
    top = max(e.confidence for e in coded)
    kept = list(dyadwatch.code_items(small_coder, [doc], min_confidence=top))
    assert kept and all(isinstance(e, dyadwatch.Event) and e.confidence >= top for e in kept)
    with dyadwatch.Store.open() as store:
        report = dyadwatch.ingest_items(small_coder, store, [doc], min_confidence=top)
        assert report.events == len(kept)
        with pytest.raises(DyadwatchError) as caught:
            dyadwatch.ingest_items(small_coder, store, [doc], min_confidence=2.0)
        assert caught.value.code == "DW804"
