"""Coding one shard inside a worker, each document isolated.

:func:`code_and_deliver` is what the engines send to their workers: a
top-level, picklable function of a :class:`CoderSpec`, a :class:`Shard` and
where the output goes. It codes the shard (:func:`code_shard`), builds its
Arrow tables and writes them when the worker sees the output folder, so the
driver, one process for the whole cluster, does not unpickle and convert
every event. The Coder
(spaCy pipeline included) is built on a worker's first shard and kept by
:func:`worker_coder` for the life of that worker process.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import importlib
from dataclasses import dataclass
from pathlib import Path

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from dyadwatch._deadline import deadline
from dyadwatch.batch.prefilter import Prefilter
from dyadwatch.batch.shards import Destination, Shard, ShardOutput, ShardResult, deliver
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.scoring.model import confident
from dyadwatch.config import Settings
from dyadwatch.errors import ErrorRecord, Errors, InputError
from dyadwatch.model import Document, Event
from dyadwatch.nlp.allocator import keep_freed_memory

__all__ = [
    "CoderSpec",
    "code_and_deliver",
    "code_in_dedicated_worker",
    "code_shard",
    "dedicated_worker",
    "worker_coder",
]


@dataclass(frozen=True, slots=True)
class CoderSpec:
    """How every worker builds its Coder; hashable, picklable, part of a run's identity.

    ``spacy_model``: pipeline name (None: ``$DYADWATCH_SPACY_MODEL``).
    ``dictionaries``: user dictionary files, as ``--dictionary``.
    ``prefilter``: skip the parse of documents that cannot yield an event.
    ``timeout``: seconds one batch, then one document, may take (None: no limit).
    On Dask, where tasks run in threads, an overrun is interrupted at its next
    Python instruction, not inside one long C call (see dyadwatch._deadline).
    ``factory``: ``"module:function"`` returning a Coder, instead of the built-in one.
    ``learned``: run the learned scorer; ``min_confidence``: leave out events
    below it (as ``Coder.builtin``; DW804 outside [0, 1], checked here, before
    any worker starts).
    """

    spacy_model: str | None = None
    dictionaries: tuple[str, ...] = ()
    prefilter: bool = True
    timeout: float | None = 120.0
    factory: str | None = None
    learned: bool = True
    min_confidence: float = 0.0

    def __post_init__(self) -> None:
        confident([], self.min_confidence)

    def identity(self) -> dict[str, object]:
        """What decides the output (the timeout only decides which documents fail)."""
        return {
            "spacy_model": self.spacy_model or Settings.from_env().spacy_model,
            "dictionaries": list(self.dictionaries),
            "prefilter": self.prefilter,
            "timeout": self.timeout,
            "factory": self.factory,
            "learned": self.learned,
            "min_confidence": self.min_confidence,
        }


@dataclass(frozen=True, slots=True)
class _Worker:
    coder: Coder
    prefilter: Prefilter | None


@functools.cache
def worker_coder(spec: CoderSpec) -> _Worker:
    """The Coder of ``spec`` in this process, built once (the pipeline loads once).

    Workers are the unit of parallelism, one a core: a BLAS library that also
    started a thread a core in every worker would oversubscribe the machine.
    A worker codes batch after batch of same-sized arrays, so it keeps freed
    memory for the next one (:func:`dyadwatch.nlp.allocator.keep_freed_memory`).
    """
    threadpool_limits(limits=1, user_api="blas")
    keep_freed_memory()
    if spec.factory is not None:
        module, _, name = spec.factory.partition(":")
        coder: Coder = getattr(importlib.import_module(module), name)()
    else:
        settings = Settings.from_env()
        if spec.spacy_model is not None:
            settings = dataclasses.replace(settings, spacy_model=spec.spacy_model)
        coder = Coder.from_user_files(
            [Path(p) for p in spec.dictionaries], settings,
            learned=spec.learned, min_confidence=spec.min_confidence,
        )  # fmt: skip
    return _Worker(coder, Prefilter.for_coder(coder) if spec.prefilter else None)


@functools.cache
def dedicated_worker(spec: CoderSpec) -> _Worker:
    """As :func:`worker_coder`, in a process that codes and does nothing else.

    Once the Coder is built, the objects alive (the pipeline and all the
    knowledge: millions of them, kept until the process exits) are frozen
    out of the cyclic garbage collector's view with ``gc.freeze``. Every full
    collection used to walk them all: about 3% of a worker's time on the
    IndiaPoliceEvents articles. LocalEngine and DaskEngine workers call this;
    the caller's own process (InlineEngine, the Python API) does not, since
    freezing there would also pin whatever the caller holds.
    """
    worker = worker_coder(spec)
    gc.collect()
    gc.freeze()
    return worker


def code_in_dedicated_worker(
    spec: CoderSpec, shard: Shard, destination: Destination | None
) -> ShardOutput:
    """:func:`code_and_deliver`, in a worker process set up by :func:`dedicated_worker`."""
    dedicated_worker(spec)
    return code_and_deliver(spec, shard, destination)


_PIPE_BATCH = 32
"""Documents parsed together inside a shard (see Coder.code_documents)."""


def code_and_deliver(spec: CoderSpec, shard: Shard, destination: Destination | None) -> ShardOutput:
    """Code ``shard`` and write its files to ``destination`` if this worker sees it.

    Otherwise (no destination, or a worker on a machine without the folder)
    the returned output carries the tables for the driver to write.
    """
    return deliver(code_shard(spec, shard), destination)


def code_shard(spec: CoderSpec, shard: Shard) -> ShardResult:
    """Code every document of ``shard``; a failure or timeout is that item's error row.

    Documents are coded a batch at a time under one deadline; a batch that
    runs out of time is coded again one document at a time, each under its
    own deadline, so only the slow document is lost (DW114).
    """
    worker = worker_coder(spec)
    coded: list[tuple[int, Document, tuple[Event, ...]]] = []
    errors: list[tuple[int, ErrorRecord]] = []
    documents: list[tuple[int, Document]] = []
    for position, item in shard.positioned():
        if isinstance(item, ErrorRecord):
            errors.append((position, item))
        else:
            documents.append((position, item))
    for start in range(0, len(documents), _PIPE_BATCH):
        batch = documents[start : start + _PIPE_BATCH]
        results = _code_batch(worker, [d for _, d in batch], spec.timeout)
        for (position, document), result in zip(batch, results, strict=True):
            if isinstance(result, ErrorRecord):
                errors.append((position, result))
            else:
                coded.append((position, document, tuple(result)))
    return ShardResult(shard.index, tuple(coded), tuple(errors))


def _code_batch(
    worker: _Worker, documents: list[Document], timeout: float | None
) -> list[list[Event] | ErrorRecord]:
    try:
        with deadline(timeout, _Timeout):
            coded = worker.coder.code_documents(documents, worker.prefilter, len(documents))
            return [result for _, result in coded]
    except _Timeout:
        pass  # recode alone below: only the slow document should time out
    except Exception:  # noqa: BLE001 - recoded alone below, where the error is recorded
        pass
    return [_code_one(worker, document, timeout) for document in documents]


class _Timeout(Exception):
    """Raised inside a document that takes too long (see dyadwatch._deadline)."""


def _code_one(
    worker: _Worker, document: Document, timeout: float | None
) -> list[Event] | ErrorRecord:
    try:
        with deadline(timeout, _Timeout):
            _, result = next(worker.coder.code_documents([document], worker.prefilter))
    except _Timeout:
        error = InputError(Errors.DW114, path=document.origin, seconds=timeout)
        return error.to_record(document.id)
    except Exception as exc:  # noqa: BLE001 - one document must never stop the shard
        detail = f"{type(exc).__name__}: {exc}"
        error = InputError(Errors.DW111, path=document.origin, stage="batch", detail=detail)
        return error.to_record(document.id)
    return result
