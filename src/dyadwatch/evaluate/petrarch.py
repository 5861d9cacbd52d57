"""Scoring a coder on PETRARCH-style validation records.

A gold file is JSONL, one record a line: ``id``, ``text``, ``date``
(``YYYYMMDD``), ``expected`` (a list of ``{"source", "target", "code"}``),
``expect_noevents``, ``expect_error``, ``category`` and ``config`` (a list of
``{"option", "value"}`` coder settings). The metric is the suite's own:

* event level: per record, tp = |coded & expected|, fp = |coded - expected|,
  fn = |expected - coded| over ``(source, target, code)`` triples, summed over
  records (micro), giving precision, recall and F1;
* record level: ``exact`` is the share of records whose coded set equals the
  expected set. Records expecting no events or an error/discard expect the
  empty set, so they match exactly iff nothing is coded.

How our events become triples (see docs/EVALUATION.md):

* negated events are left out: PETRARCH dictionaries spell out what a negated
  verb means with their own patterns ("didn't clash" → 050), so a plain
  negated event is one PETRARCH would not have coded;
* hypothetical and reported events count: PETRARCH codes "is about to
  restore" and "X said Y" like any other event;
* a record's ``require_dyad`` option (default true, as in PETRARCH) drops
  events without a target; with ``require_dyad: false`` such events count
  with PETRARCH's empty-actor placeholder ``---`` as target;
* a coder that raises a DyadwatchError on a record has coded nothing there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dyadwatch.errors import DyadwatchError, Errors, EvaluationError
from dyadwatch.evaluate.metrics import prf
from dyadwatch.model import Event

__all__ = [
    "EMPTY_ACTOR",
    "GoldRecord",
    "PetrarchScore",
    "TextCoder",
    "Triple",
    "code_records",
    "evaluate_petrarch",
    "event_triples",
    "load_records",
    "score",
]

Triple = tuple[str, str, str]
"""``(source code, target code, CAMEO code)``."""

EMPTY_ACTOR = "---"
"""PETRARCH's code for an actor slot it could not fill."""

_TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
_FALSE_WORDS = frozenset({"false", "no", "0", "off"})


class TextCoder(Protocol):
    """What evaluation needs of a coder (``dyadwatch.coder.engine.Coder`` has it)."""

    def code_text(self, text: str, date: dt.date | None = None) -> list[Event]: ...


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One validation record: a sentence, its story date and the expected triples."""

    id: str
    text: str
    date: dt.date | None
    expected: frozenset[Triple]
    expect_noevents: bool = False
    expect_error: tuple[str, ...] | None = None
    category: str = ""
    config: tuple[tuple[str, str], ...] = ()

    def option(self, name: str) -> str | None:
        """The record's value for coder option ``name`` (last one wins), or None."""
        found = None
        for option, value in self.config:
            if option.lower() == name.lower():
                found = value
        return found

    @property
    def require_dyad(self) -> bool:
        """PETRARCH's ``require_dyad`` for this record (default true)."""
        value = self.option("require_dyad")
        return value is None or value.strip().lower() not in _FALSE_WORDS


@dataclass(frozen=True, slots=True)
class PetrarchScore:
    """Micro event-level P/R/F1 and the exact-match share over ``records`` records."""

    records: int
    precision: float
    recall: float
    f1: float
    exact: float
    tp: int
    fp: int
    fn: int

    def to_dict(self) -> dict[str, float | int]:
        """The headline figures: records, precision, recall, f1, exact."""
        return {
            "records": self.records,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "exact": self.exact,
        }

    def counts(self) -> dict[str, int]:
        """The event counts behind the ratios: tp, fp, fn."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}


def load_records(path: Path) -> list[GoldRecord]:
    """Read a JSONL gold file; a bad line raises EvaluationError (DW401) naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(Errors.DW401, path=path, detail=f"cannot read: {exc}") from exc
    return list(_parse_lines(path, lines))


def _parse_lines(path: Path, lines: Sequence[str]) -> Iterator[GoldRecord]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _parse_record(json.loads(line))
        except (ValueError, TypeError, KeyError) as exc:
            # json.JSONDecodeError is a ValueError; KeyError's str() is just the key.
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise EvaluationError(Errors.DW401, path=path, line=number, detail=detail) from exc


def _parse_record(raw: object) -> GoldRecord:
    if not isinstance(raw, dict):
        raise TypeError("a record must be a JSON object")
    record_id, text = raw["id"], raw["text"]
    if not isinstance(record_id, str) or not isinstance(text, str):
        raise TypeError("'id' and 'text' must be strings")
    category = raw.get("category") or ""
    if not isinstance(category, str):
        raise TypeError("'category' must be a string")
    return GoldRecord(
        id=record_id,
        text=text,
        date=_parse_date(raw.get("date")),
        expected=frozenset(_parse_triple(item) for item in raw.get("expected") or ()),
        expect_noevents=_parse_bool(raw.get("expect_noevents", False), "expect_noevents"),
        expect_error=_parse_errors(raw.get("expect_error")),
        category=category,
        config=tuple(_parse_option(item) for item in raw.get("config") or ()),
    )


def _parse_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 8 or not value.isdigit():
        raise ValueError(f"'date' must be YYYYMMDD, got {value!r}")
    return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))  # ValueError if impossible


def _parse_triple(item: object) -> Triple:
    if not isinstance(item, dict):
        raise TypeError("each expected event must be an object")
    parts = (item["source"], item["target"], item["code"])
    if not all(isinstance(part, str) and part for part in parts):
        raise TypeError(f"expected event needs non-empty source, target and code: {item}")
    return (str(parts[0]), str(parts[1]), str(parts[2]))


def _parse_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name!r} must be true or false")
    return value


def _parse_errors(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("'expect_error' must be null or a list of strings")
    return tuple(value)


def _parse_option(item: object) -> tuple[str, str]:
    if not isinstance(item, dict) or not isinstance(item.get("option"), str):
        raise TypeError("each config entry must be an object with an 'option' string")
    return (item["option"], str(item.get("value", "")))


def score(records: Sequence[GoldRecord], predictions: Sequence[frozenset[Triple]]) -> PetrarchScore:
    """Score coded triples, one set per record, against the records' expectations."""
    if len(records) != len(predictions):
        raise ValueError(f"{len(records)} records but {len(predictions)} predictions")
    tp = fp = fn = exact = 0
    for record, coded in zip(records, predictions, strict=True):
        expected = record.expected
        tp += len(coded & expected)
        fp += len(coded - expected)
        fn += len(expected - coded)
        exact += coded == expected
    counts = prf(tp, fp, fn)
    return PetrarchScore(
        records=len(records),
        precision=counts.precision,
        recall=counts.recall,
        f1=counts.f1,
        exact=exact / len(records) if records else 0.0,
        tp=tp,
        fp=fp,
        fn=fn,
    )


def event_triples(events: Sequence[Event], *, require_dyad: bool = True) -> frozenset[Triple]:
    """The ``(source, target, code)`` triples PETRARCH would report for ``events``."""
    triples: set[Triple] = set()
    for event in events:
        if event.modality.negated:
            continue
        if event.target is None:
            if require_dyad:
                continue
            triples.add((event.source.code, EMPTY_ACTOR, event.cameo))
        else:
            triples.add((event.source.code, event.target.code, event.cameo))
    return frozenset(triples)


def code_records(coder: TextCoder, records: Sequence[GoldRecord]) -> list[frozenset[Triple]]:
    """Code each record's text with its story date; a coder error codes nothing."""
    predictions = []
    for record in records:
        try:
            events = coder.code_text(record.text, record.date)
        except DyadwatchError:
            events = []
        predictions.append(event_triples(events, require_dyad=record.require_dyad))
    return predictions


def evaluate_petrarch(coder: TextCoder, records: Sequence[GoldRecord]) -> PetrarchScore:
    """Code every record with ``coder`` and score the result."""
    return score(records, code_records(coder, records))
