"""One digest of every event the coder finds in the demo corpus and the IPE dev documents.

A refactor that must not change behaviour is measured by this digest before
and after it: each document's events, as ``Event.to_dict`` in sorted JSON,
are hashed in document order, per corpus and overall.

    .venv/bin/python tools/event_hash.py [--docs 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Document

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src/dyadwatch/demo/corpus.jsonl"
IPE = "eval/india_police_events/docs.dev.jsonl"


def _shared() -> Path:
    return Path(os.environ.get("DYADWATCH_SHARED", ROOT.parent / "shared"))


def _read(path: Path, count: int | None) -> list[Document]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    rows = rows[:count] if count is not None else rows
    return [
        Document(
            str(r.get("id", r.get("doc_id"))),
            r["text"],
            dt.date.fromisoformat(r["date"]) if r.get("date") else None,
        )
        for r in rows
    ]


def digest(coder: Coder, documents: list[Document]) -> tuple[int, str]:
    """The number of events and the SHA-1 of their sorted JSON, in document order."""
    events = []
    for document, found in coder.code_documents(documents):
        if not isinstance(found, list):
            sys.exit(f"{document.id}: {found}")
        events.append([e.to_dict() for e in found])
    dumped = json.dumps(events, sort_keys=True, default=str)
    return sum(map(len, events)), hashlib.sha1(dumped.encode()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="IPE dev documents to use")
    args = parser.parse_args()
    coder = Coder.builtin()
    corpora = {"demo": _read(DEMO, None)}
    ipe = _shared() / IPE
    if ipe.is_file():
        corpora["ipe-dev"] = _read(ipe, args.docs)
    overall = hashlib.sha1()
    for name, documents in corpora.items():
        count, sha = digest(coder, documents)
        overall.update(sha.encode())
        print(f"{name}: {len(documents)} documents, {count} events, sha1 {sha}")
    print(f"overall: {overall.hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
