"""Worker processes freeze their Coder out of the GC's view; the caller's process does not."""

from __future__ import annotations

import gc

import pytest

from dyadwatch.batch.coding import CoderSpec
from dyadwatch.batch.local import InlineEngine, LocalEngine
from dyadwatch.batch.shards import Shard, iter_shards
from dyadwatch.model import Document

SMALL = CoderSpec(factory="batch_helpers:small_coder")
TEXTS = ("Pakistan attacked India.", "India met China.")


def _shards() -> list[Shard]:
    return list(iter_shards((Document.from_text(t) for t in TEXTS), 1))


@pytest.mark.slow
def test_local_workers_freeze_their_heap_after_building_the_coder() -> None:
    with LocalEngine(SMALL, 1) as engine:
        assert engine._running().submit(gc.get_freeze_count).result() == 0  # a fresh process
        outputs = list(engine.map(_shards()))
        frozen = engine._running().submit(gc.get_freeze_count).result()
    assert sum(o.events for o in outputs) > 0
    assert frozen > 100_000  # the pipeline and the knowledge, not a handful of objects


def test_the_inline_engine_leaves_the_callers_heap_alone() -> None:
    before = gc.get_freeze_count()
    with InlineEngine(SMALL) as engine:
        outputs = list(engine.map(_shards()))
    assert sum(o.events for o in outputs) > 0
    assert gc.get_freeze_count() == before


@pytest.mark.slow
def test_dask_workers_freeze_their_heap_at_start() -> None:
    pytest.importorskip("distributed")
    from dyadwatch.batch.dask_engine import DaskEngine

    with DaskEngine(SMALL, workers=1) as engine:
        counts = engine.client.run(gc.get_freeze_count)
    assert counts and all(count > 100_000 for count in counts.values())
