"""A SHA-256 fingerprint of every event the built-in coder finds in the plover
and cameo_quad DEV texts.

A change that must not alter behaviour (a clean-up, a refactor) is checked by
this fingerprint before and after it: each text is coded as its own document,
every event is dumped as ``Event.to_dict`` in sorted-key JSON, and the dumps
are hashed in file order, per suite and overall.

    .venv/bin/python bench/fingerprint.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Document
from run_eval import shared_dir

SUITES = {
    "plover": "eval/plover/records.dev.jsonl",
    "cameo_quad": "eval/cameo_quad/train.dev.jsonl",
}


def _documents(path: Path, suite: str) -> list[Document]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    # cameo_quad rows have no id: the line number names them.
    return [Document(str(r.get("id", f"{suite}-{i}")), r["text"], None) for i, r in enumerate(rows)]


def fingerprint(coder: Coder, documents: list[Document], overall: hashlib._Hash) -> tuple[int, str]:
    """The number of events and the SHA-256 of their JSON, in document order;
    ``overall`` is fed the same dumps."""
    digest, count = hashlib.sha256(), 0
    for document, found in coder.code_documents(documents):
        if not isinstance(found, list):
            sys.exit(f"{document.id}: {found}")
        for event in found:
            dumped = json.dumps(event.to_dict(), sort_keys=True, default=str).encode()
            digest.update(dumped + b"\n")
            overall.update(dumped + b"\n")
            count += 1
    return count, digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.parse_args()
    coder, overall = Coder.builtin(), hashlib.sha256()
    for suite, relative in SUITES.items():
        documents = _documents(shared_dir() / relative, suite)
        count, sha = fingerprint(coder, documents, overall)
        print(f"{suite}: {len(documents)} texts, {count} events, sha256 {sha}")
    print(f"overall: sha256 {overall.hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
