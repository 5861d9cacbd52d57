"""Batch coding: many documents, in parallel, into resumable Parquet shards.

``run_batch`` codes inputs on a local process pool or a Dask cluster and
writes ``documents/``, ``mentions/`` and ``errors/`` Parquet shards with a
manifest of finished shards; ``load_output`` adds them to a store. See
docs/BATCH.md.
"""

from dyadwatch.batch.coding import CoderSpec, code_shard
from dyadwatch.batch.inputs import estimate_items, read_batch_inputs
from dyadwatch.batch.load import LoadReport, load_output
from dyadwatch.batch.prefilter import Prefilter
from dyadwatch.batch.run import BatchOptions, BatchReport, run_batch
from dyadwatch.batch.shards import Shard, ShardResult, read_shard

__all__ = [
    "BatchOptions",
    "BatchReport",
    "CoderSpec",
    "LoadReport",
    "Prefilter",
    "Shard",
    "ShardResult",
    "code_shard",
    "estimate_items",
    "load_output",
    "read_batch_inputs",
    "read_shard",
    "run_batch",
]
