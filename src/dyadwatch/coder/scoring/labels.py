"""Labelled sentences the scorer learns from, and how a candidate is judged.

A user's labels use the JSONL fields of PLV (``shared/eval/plv_train``): one
object a line with ``text`` and ``plover_type``, optionally the marked pair
(``marked`` with ``<s>…</s>`` / ``<t>…</t>``, or ``source`` and ``target`` as
text found in ``text``), ``penta`` (0-4) and ``sentence_id``. A bad line
raises ScorerError DW801 naming the file and line; nothing is skipped
silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.errors import Errors, ScorerError
from dyadwatch.model import Actor, Event

__all__ = [
    "LABEL_TYPES",
    "Label",
    "judge_pair",
    "judge_type",
    "marked_spans",
    "parse_label",
    "read_labels",
    "sentence_key",
]

LABEL_TYPES = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "YIELD", "REQUEST",
     "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)  # fmt: skip
"""PLOVER 2.0 types, and PLV's YIELD (CONCEDE and RETREAT together)."""
_MARK = re.compile(r"</?[st]>")


@dataclass(frozen=True, slots=True)
class Label:
    """What is known of one sentence: its type, penta class and/or pair."""

    text: str
    suite: str
    plover_type: str | None = None
    penta: int | None = None
    source: tuple[int, int] | None = None
    """Character span of the marked source in ``text``."""
    target: tuple[int, int] | None = None
    source_codes: frozenset[str] = frozenset()
    """Country codes of the source (PLOVER gold records), when given as codes."""
    target_codes: frozenset[str] = frozenset()
    trigger: tuple[int, int] | None = None
    """Silver labels name the one drafted event they are about by its trigger span."""
    weight: float = 1.0

    @property
    def has_pair(self) -> bool:
        return self.source is not None or self.target is not None or bool(self.source_codes)


def sentence_key(text: str) -> str:
    """Folds group by this: the same sentence in two suites is one sentence."""
    return " ".join(text.lower().split())


def marked_spans(marked: str) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    """The plain text and the spans of ``<s>…</s>`` and ``<t>…</t>`` in it."""
    plain: list[str] = []
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    position = 0
    length = 0
    for found in _MARK.finditer(marked):
        piece = marked[position : found.start()]
        plain.append(piece)
        length += len(piece)
        tag = found.group()
        role = tag.strip("</>")
        if tag.startswith("</"):
            if role in opened:
                spans[role] = (opened.pop(role), length)
        else:
            opened[role] = length
        position = found.end()
    plain.append(marked[position:])
    return "".join(plain), spans.get("s"), spans.get("t")


def parse_label(record: Any, *, suite: str = "user") -> Label:
    """A Label from one JSON object of a labels file; ValueError/TypeError say what is wrong."""
    if not isinstance(record, dict):
        raise TypeError("not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no 'text' string")
    kind = record.get("plover_type")
    if kind is not None and kind not in LABEL_TYPES:
        raise ValueError(f"'plover_type' {kind!r} is not a PLOVER root type")
    penta = record.get("penta")
    if penta is not None and (isinstance(penta, bool) or penta not in (0, 1, 2, 3, 4)):
        raise ValueError(f"'penta' {penta!r} is not 0-4")
    if kind is None and penta is None:
        raise ValueError("neither 'plover_type' nor 'penta' is given")
    source, target = _pair_spans(record, text)
    return Label(text, suite, kind, penta, source, target)


def _pair_spans(
    record: dict[str, Any], text: str
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    marked = record.get("marked")
    if isinstance(marked, str) and ("<s>" in marked or "<t>" in marked):
        plain, source, target = marked_spans(marked)
        if " ".join(plain.split()) != " ".join(text.split()):
            raise ValueError("'marked' without its tags differs from 'text'")
        return source, target
    return _find(record.get("source"), text, "source"), _find(record.get("target"), text, "target")


def _find(value: object, text: str, field: str) -> tuple[int, int] | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"'{field}' is not a string")
    start = text.find(value)
    if start < 0:
        raise ValueError(f"'{field}' {value!r} does not occur in 'text'")
    return (start, start + len(value))


def read_labels(path: Path) -> list[Label]:
    """Every label of a JSONL file; DW801 for a bad line, DW802 for no labels at all."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScorerError(Errors.DW802, path=path, detail=str(exc)) from exc
    labels: list[Label] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            labels.append(parse_label(json.loads(line)))
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            raise ScorerError(Errors.DW801, path=path, line=number, detail=str(exc)) from exc
    kinds = {label.plover_type for label in labels if label.plover_type}
    if len(labels) < 2 or len(kinds) < 2:
        raise ScorerError(
            Errors.DW802, path=path, detail=f"{len(labels)} labels of {len(kinds)} types"
        )
    return labels


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _shifted(span: tuple[int, int] | None, offset: int) -> tuple[int, int] | None:
    return None if span is None else (span[0] + offset, span[1] + offset)


def _country(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    return actor.country or actor.code[:3]


def judge_pair(event: Event, label: Label) -> bool | None:
    """Whether the event is on the labelled pair (None when the label has no pair)."""
    if label.source is not None or label.target is not None:
        # Evidence offsets count from the event's sentence, the label's from the text:
        # a dateline cut off or an earlier sentence moves them apart.
        offset = max(label.text.find(event.sentence), 0) if event.sentence else 0
        source = _shifted(event.evidence.source, offset)
        # A side left unmarked is an unnamed actor ("were ordered to ..."): any will do.
        if label.source is not None and not _overlaps(source, label.source):
            return False
        return label.target is None or _overlaps(
            _shifted(event.evidence.target, offset), label.target
        )
    if label.source_codes:
        if _country(event.source) not in label.source_codes:
            return False
        target = _country(event.target)
        if label.target_codes:
            return target in label.target_codes
        return target is None or target in label.source_codes
    return None


def judge_type(plover_type: str | None, penta: int | None, label: Label) -> bool:
    """Whether a coded type (or, for penta-only labels, penta class) is right."""
    if label.plover_type is not None:
        return _merged(plover_type) == _merged(label.plover_type)
    return penta == label.penta


def _merged(kind: str | None) -> str | None:
    return "YIELD" if kind in ("CONCEDE", "RETREAT", "YIELD") else kind
