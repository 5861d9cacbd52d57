"""Scoring events against labelled (source, target) pairs.

A labelled pair marks, in one text, the words of a source (``<s>…</s>``) and
of a target (``<t>…</t>``) and the PLOVER type of what the source did to the
target (the layout of ``plv_train/pairs.jsonl``). The coder answers a pair
when one of its events has a source span overlapping the marked source and a
target span overlapping the marked target; that event's PLOVER type is then
its answer for the pair. Folds for cross-validation are by ``sentence_id``,
so a caller can keep one sentence's pairs on one side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dyadwatch.errors import Errors, EvaluationError
from dyadwatch.evaluate.suites import best_event
from dyadwatch.model import Event

__all__ = ["LabelledPair", "PairScore", "events_on_pair", "parse_pair", "score_pairs"]

CharSpan = tuple[int, int]
_TAG = re.compile(r"</?[st]>")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One labelled pair: the plain text, the marked spans and the gold type.

    A role may be marked more than once ("aid to *Ukraine* … *Ukraine*'s
    reforms") or not at all, when the text names no recipient or no doer.
    """

    sentence_id: str
    text: str
    sources: tuple[CharSpan, ...]
    targets: tuple[CharSpan, ...]
    plover_type: str


@dataclass(frozen=True, slots=True)
class PairScore:
    """How many pairs got an event on the pair, and with the right type."""

    pairs: int
    on_pair: int
    """Pairs with at least one event on the marked (source, target)."""
    right_type: int
    """Pairs whose event on the pair has the gold PLOVER type."""

    @property
    def pair_rate(self) -> float:
        """Share of pairs with an event on the pair."""
        return self.on_pair / self.pairs if self.pairs else 0.0

    @property
    def type_accuracy_on_pair(self) -> float:
        """Type accuracy over the pairs that got an event on the pair."""
        return self.right_type / self.on_pair if self.on_pair else 0.0

    @property
    def type_accuracy(self) -> float:
        """Type accuracy over all pairs (no event on the pair is wrong)."""
        return self.right_type / self.pairs if self.pairs else 0.0


def parse_pair(row: Mapping[str, object], where: str = "pairs") -> LabelledPair:
    """A :class:`LabelledPair` from one JSONL row (``marked``, ``plover_type``, ``sentence_id``).

    Raises ``EvaluationError`` (DW401) when the row lacks a field or its
    ``marked`` text marks neither role, or has tags that do not pair up.
    """
    marked, gold = row.get("marked"), row.get("plover_type")
    if not isinstance(marked, str) or not isinstance(gold, str) or not gold:
        raise EvaluationError(Errors.DW401, path=where, detail="needs 'marked' and 'plover_type'")
    unmarked = _unmark(marked)
    if unmarked is None or not (unmarked[1]["s"] or unmarked[1]["t"]):
        detail = "'marked' must mark a <s>source</s> or a <t>target</t> with paired tags"
        raise EvaluationError(Errors.DW401, path=where, detail=detail)
    text, spans = unmarked
    sentence = row.get("sentence_id", row.get("id", ""))
    return LabelledPair(str(sentence), text, tuple(spans["s"]), tuple(spans["t"]), gold)


def _unmark(marked: str) -> tuple[str, dict[str, list[CharSpan]]] | None:
    """The text without its tags and each tag's spans in it; None if tags do not pair."""
    parts: list[str] = []
    opened: dict[str, int] = {}
    spans: dict[str, list[CharSpan]] = {"s": [], "t": []}
    length = last = 0
    for match in _TAG.finditer(marked):
        piece = marked[last : match.start()]
        parts.append(piece)
        length += len(piece)
        last = match.end()
        tag = match.group()
        name = tag.strip("</>")
        if not tag.startswith("</"):
            if name in opened:
                return None
            opened[name] = length
        elif name in opened:
            spans[name].append((opened.pop(name), length))
        else:
            return None
    parts.append(marked[last:])
    return ("".join(parts), spans) if not opened else None


def events_on_pair(pair: LabelledPair, events: Sequence[Event]) -> list[Event]:
    """The events whose source and target spans overlap the pair's marked spans.

    A role left unmarked (no recipient, an unnamed doer) takes any actor.
    """
    found: list[Event] = []
    for event in events:
        offset = pair.text.find(event.sentence) if event.sentence else -1
        if offset < 0:
            continue
        source = _shifted(event.evidence.source, offset)
        target = _shifted(event.evidence.target, offset)
        if _on(target, pair.targets) and _on(source, pair.sources):
            found.append(event)
    return found


def score_pairs(pairs: Sequence[LabelledPair], events: Iterable[Sequence[Event]]) -> PairScore:
    """Score ``events`` (one list per pair, coded from ``pair.text``) against ``pairs``."""
    on_pair = right = 0
    for pair, coded in zip(pairs, events, strict=True):
        found = events_on_pair(pair, coded)
        on_pair += bool(found)
        best = best_event([e for e in found if e.plover is not None])
        answer = best.plover.type if best is not None and best.plover is not None else None
        right += answer == pair.plover_type
    return PairScore(len(pairs), on_pair, right)


def _shifted(span: tuple[int, int] | None, offset: int) -> CharSpan | None:
    return None if span is None else (span[0] + offset, span[1] + offset)


def _on(span: CharSpan | None, marked: Sequence[CharSpan]) -> bool:
    return not marked or any(_overlaps(span, gold) for gold in marked)


def _overlaps(span: CharSpan | None, gold: CharSpan) -> bool:
    return span is not None and span[0] < gold[1] and gold[0] < span[1]
