"""spaCy's greedy dependency parse, driven one batch step at a time from Python.

The stock greedy loop (``Parser.greedy_parse``) is compiled, but the build we
install takes and releases the GIL several times per transition (its Cython
error checks), and its per-step matrix product calls blis, which falls back to
a generic kernel on CPUs it does not recognise. spaCy's own beam-search and
training paths drive the same model differently: ``ParserStepModel.predict``
scores every unfinished state of a batch in one numpy step, and
``Parser.transition_states`` applies each state's best valid move. Parsing
greedily that way reuses spaCy's model, features and transition system as
they are; only the loop around them changes, and the annotations are set by
the stock parser's own ``set_annotations`` (its postprocessing included).
Each step calls the step model's three parts (state features, precomputed
hidden layer, output layer) directly, as its forward function does at
inference: a batch of ten news articles takes some 1,500 steps, and going
through thinc's generic model call and an unseen-class mask the pipeline
never has cost about a tenth of the parse.

The one numeric difference is the BLAS that multiplies the hidden layer by the
output weights (numpy's instead of blis), as for every other layer under
:func:`dyadwatch.nlp.accelerate.accelerate`. Tests and ``bench/bench_coder.py``
check that the heads and labels are the stock ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy
from numpy.typing import NDArray
from spacy.language import Language
from spacy.pipeline import DependencyParser
from spacy.tokens import Doc
from spacy.util import raise_error

from dyadwatch._iterate import chunks

__all__ = ["SteppedParser", "can_step"]

ErrorHandler = Callable[[str, Any, list[Doc], Exception], Any]

_GROUP = 128
"""Documents read ahead and sorted by length before parsing: a batch steps as
long as its longest document, so similar lengths waste fewer steps."""


def can_step(parser: object) -> bool:
    """Whether ``parser`` is a greedy spaCy dependency parser with a stepwise model."""
    if not isinstance(parser, DependencyParser):
        return False
    model = parser.model
    return (
        parser.cfg.get("beam_width", 1) == 1
        and getattr(model, "name", None) == "parser_model"
        and bool(model.attrs.get("has_upper"))
    )


class SteppedParser:
    """A stock dependency parser whose greedy loop runs as batched numpy steps."""

    def __init__(self, parser: Any, *, group: int = _GROUP) -> None:
        if not can_step(parser):
            raise ValueError("only a greedy spaCy DependencyParser with an upper layer can step")
        self._parser = parser
        self._group = group
        self._error_handler: ErrorHandler = raise_error

    def get_error_handler(self) -> ErrorHandler:
        """What a failing batch is passed to (spaCy's pipe protocol; default: raise)."""
        return self._error_handler

    def set_error_handler(self, error_handler: ErrorHandler) -> None:
        """Set by ``Language.set_error_handler``, as for spaCy's own components."""
        self._error_handler = error_handler

    def __call__(self, doc: Doc) -> Doc:
        self._parse([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 32) -> Iterator[Doc]:
        for in_order in chunks(docs, max(batch_size, self._group, 1)):
            try:
                by_length = sorted(in_order, key=len)
                for batch in chunks(by_length, max(batch_size, 1)):
                    self._parse(batch)
                yield from in_order
            except Exception as exc:  # noqa: BLE001 - the handler decides, as in spaCy's pipes
                self._error_handler(self._parser.name, self, in_order, exc)

    def _parse(self, docs: list[Doc]) -> None:
        parser = self._parser
        states = parser.moves.init_batch(docs)
        if any(len(doc) for doc in docs):
            step = parser.model.predict(docs)
            scores = _scorer(step)
            unfinished = [state for state in states if not state.is_final()]
            while unfinished:
                unfinished = parser.transition_states(unfinished, scores(unfinished))
            step.clear_memory()
        parser.set_annotations(docs, states)


def _scorer(step: Any) -> Callable[[list[Any]], NDArray[numpy.float32]]:
    """Scores of each state's moves, as ``step.predict(states)`` computes them."""
    features, hidden, output = step.get_token_ids, step.state2vec, step.vec2scores
    unseen = step._class_mask == 0
    if not unseen.any():
        return lambda states: output.predict(hidden.predict(features(states)))

    def masked(states: list[Any]) -> NDArray[numpy.float32]:
        # A move the model never saw gets the lowest score, as in spaCy's step.
        scores: NDArray[numpy.float32] = output.predict(hidden.predict(features(states)))
        scores[:, unseen] = numpy.nanmin(scores)
        return scores

    return masked


@Language.factory(
    "dyadwatch_parser",
    requires=["doc.tensor"],
    assigns=["token.dep", "token.head", "token.is_sent_start", "doc.sents"],
)
def _make_stepped_parser(nlp: Language, name: str) -> SteppedParser:
    return SteppedParser(nlp.get_pipe("parser"))
