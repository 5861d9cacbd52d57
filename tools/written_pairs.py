"""Build the team's own labelled sentences into the `written` evaluation suite.

Engineers write sentences from the PLOVER manual's definitions, one JSON object a
line with ``marked`` (``<s>source</s>`` and ``<t>target</t>`` in the sentence),
``plover_type`` and ``mode``. This checks every line and writes them, with their
plain ``text``, ``source`` and ``target`` and a stable ``id``, to
``bench/data/written_pairs.jsonl`` (PLV's fields, so ``dyadwatch train --labels``
reads it too; docs/MODEL_LOG.md, "Session 17")::

    .venv/bin/python tools/written_pairs.py DRAFT.jsonl [DRAFT.jsonl ...] [--out F] [--prefix own]

A bad line stops the build with its file and line number (exit 1, nothing
written): a training file is small enough to mend by hand, and a line silently
left out would be a label nobody knows is missing. Sentences that occur twice
(whitespace and case aside) are kept once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dyadwatch.coder.scoring.labels import LABEL_TYPES, marked_spans, sentence_key

OUT = Path(__file__).resolve().parents[1] / "bench/data/written_pairs.jsonl"


class DraftError(ValueError):
    """A draft line that cannot become a label."""


def record(raw: Any) -> dict[str, str]:
    """The shipped record of one draft object (without its id)."""
    if not isinstance(raw, dict):
        raise DraftError("not a JSON object")
    marked, kind = raw.get("marked"), raw.get("plover_type")
    if not isinstance(marked, str) or kind not in LABEL_TYPES or kind == "YIELD":
        raise DraftError("needs a 'marked' string and a PLOVER 2.0 'plover_type'")
    if any(marked.count(tag) != 1 for tag in ("<s>", "</s>", "<t>", "</t>")):
        raise DraftError("'marked' needs one <s>…</s> and one <t>…</t>")
    text, source, target = marked_spans(marked)
    if source is None or target is None or source[0] >= source[1] or target[0] >= target[1]:
        raise DraftError("an empty or unclosed source or target")
    mode = raw.get("mode") or ""
    if not isinstance(mode, str):
        raise DraftError("'mode' is not a string")
    return {
        "text": text,
        "marked": marked,
        "source": text[source[0] : source[1]],
        "target": text[target[0] : target[1]],
        "plover_type": kind,
        "mode": mode,
    }


def build(paths: Sequence[Path], prefix: str = "own") -> list[dict[str, str]]:
    """Every draft line checked, duplicates dropped, with ids in file order."""
    seen: set[str] = set()
    rows: list[dict[str, str]] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = record(json.loads(line))
            except ValueError as exc:  # json.JSONDecodeError and DraftError are ValueErrors
                raise DraftError(f"{path}:{number}: {exc}") from exc
            key = sentence_key(row["text"])
            if key not in seen:
                seen.add(key)
                rows.append({"id": f"{prefix}-{len(rows) + 1:04d}", **row})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("drafts", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--prefix", default="own", help="of the ids (written B: ownb)")
    args = parser.parse_args(argv)
    try:
        rows = build(args.drafts, args.prefix)
    except (DraftError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} labelled sentences to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
