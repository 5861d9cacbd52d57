"""The learned scorer at coding time: type, code, pair and calibrated confidence.

For each candidate (see :mod:`dyadwatch.coder.scoring.propose`) three linear models
give P(PLOVER type), P(penta class) and P(pair is right) (the first stage,
:meth:`Scorer.read`). The CAMEO code is chosen among the lexicon's own code
and one option per root by the second stage (:mod:`.choice`, learned over the
first stage's outputs and the lexicon's signals), or, for weights without it,
by the fixed rule log P(type) + log P(penta) + ``LEXICON_PRIOR``; the
lexicon's own, more specific code is kept whenever its option wins. The confidence is a
Platt-scaled probability, fitted on cross-validated predictions, that the
event's type and pair are right.

Inference needs numpy only; the weights ship in ``scoring/data/scorer.npz``.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np

from dyadwatch.coder.lexicon import BUILTIN_LEXICON
from dyadwatch.coder.scoring.choice import ChoiceModel, OptionView, OwnOption, RootOptions
from dyadwatch.coder.scoring.features import (
    Candidate,
    DenseReader,
    FeatureVector,
    Known,
    evolve,
    hash_features,
)
from dyadwatch.coder.scoring.linear import (
    Binary,
    Calibrator,
    LinearModel,
    Stacked,
    softmax_list,
)
from dyadwatch.coder.scoring.propose import SentenceView, event_id, fallback_draft, propose
from dyadwatch.errors import Errors, OntologyError, ScorerError
from dyadwatch.model import Event
from dyadwatch.ontology.cameo import CameoOntology, load_cameo
from dyadwatch.ontology.plover import PloverMapping, load_plover

__all__ = [
    "EVENT_THRESHOLD",
    "LEXICON_PRIOR",
    "MAIN_THRESHOLD",
    "MATERIAL_QUADS",
    "NESTED_PRIOR",
    "PAIR_THRESHOLD",
    "PENTA_CLASSES",
    "SIGNALS",
    "STATEMENT_CLASS",
    "WEIGHTS_FILE",
    "YIELD",
    "CodeOption",
    "Reading",
    "Rescorer",
    "Scored",
    "Scorer",
    "ScorerWeights",
    "builtin_event",
    "co_doers",
    "confident",
    "decide",
    "load_weights",
    "select",
    "type_class",
    "write_npz",
]

WEIGHTS_FILE = "scorer.npz"
YIELD = "YIELD"
"""One class for CAMEO 08: PLOVER 2.0 splits it into CONCEDE and RETREAT, the
PLV labels keep it whole; the chosen code tells which of the two it is."""
PENTA_CLASSES = ("0", "1", "2", "3", "4")
STATEMENT_CLASS = 0
"""The Phoenix class of a plain statement (CAMEO 01-02)."""
MATERIAL_QUADS = frozenset({2, 4})
"""GDELT QuadClasses of acts (material cooperation 06-09, material conflict 15-20): a
draft of one is never recoded into a statement (docs/MODEL_LOG.md, row 294)."""
LEXICON_PRIOR = 1.0
"""Log-odds bonus of the lexicon's own code in the joint choice (chosen by CV,
see docs/MODEL.md): the models overrule a specific rule only when clearly surer."""
NESTED_PRIOR = 4.0
"""Extra log-odds for the lexicon's code of an event noun whose own doer differs
from the subject of the trigger governing it (``Candidate.nested_doer``): the
sentence's words describe the governing act ("condemned"), not the noun's."""
SIGNALS = 6
"""What the calibrator reads without the second stage (:meth:`Scorer.signals`)."""
PAIR_THRESHOLD = 0.5
"""A trigger's other pairs become events when P(pair) reaches this."""
MAIN_THRESHOLD: float | None = 0.7
"""A drafted sentence's main predicate, when no draft is on it, becomes an event too
when P(event) reaches ``EVENT_THRESHOLD`` and P(pair) of its subject and object
reaches this (None: never). The labels mark a sentence's main act, which the
lexicon's triggers often miss ("X *sent* engineers to rebuild Y's bridges" drafts
no aid); docs/MODEL_LOG.md, rows 127-128."""
EVENT_THRESHOLD = 0.59
"""A fallback candidate (no lexicon draft in its sentence) becomes an event when
P(event) reaches this. Chosen on news, not on labelled rows (every labelled
sentence holds an event, so they reward recall only): the lowest of 61 values
(0.30-0.90) at which the event model (negatives weighted 2, ``train.EVENT_CONFIG``)
gives news negatives held out by document no more fallback events than session
14's model did at 0.7 (``bench/event_curve.py``; docs/MODEL_LOG.md, session 15)."""
Scope = Literal["builtin", "all"]


class Rescorer(Protocol):
    """What the Coder calls with each sentence's drafted events."""

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]: ...


def type_class(plover_type: str | None) -> str | None:
    """The scorer's class of a PLOVER type (CONCEDE and RETREAT are one class)."""
    if plover_type in ("CONCEDE", "RETREAT", YIELD):
        return YIELD
    return plover_type


def builtin_event(event: Event) -> bool:
    """Whether the built-in lexicon proposed the event (not a user's own rule)."""
    rule = event.rule or ""
    if rule.startswith("pair:"):
        rule = rule[len("pair:") :]
    return rule.startswith(f"{BUILTIN_LEXICON}:") or rule == "obligation"


def confident(events: Iterable[Event], min_confidence: float) -> list[Event]:
    """The events whose confidence reaches ``min_confidence`` (precision over recall)."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ScorerError(Errors.DW804, value=min_confidence)
    return [e for e in events if e.confidence >= min_confidence]


@dataclass(frozen=True, slots=True)
class ScorerWeights:
    types: LinearModel
    penta: LinearModel
    pair: LinearModel
    calibrator: Calibrator
    event: LinearModel
    """P(the sentence holds an event), for fallback candidates only."""
    choice: ChoiceModel | None = None
    """The second stage that picks each candidate's code (:mod:`.choice`); None:
    the fixed rule (``LEXICON_PRIOR``)."""

    def __post_init__(self) -> None:
        # With the second stage the calibrator reads one more signal (Scorer.judge).
        expected = SIGNALS + (1 if self.choice is not None else 0)
        for calibrator in (self.calibrator, self.calibrator.fallback):
            if calibrator is not None and len(calibrator.coef) != expected:
                raise ValueError(f"a calibrator of {expected} signals is needed, not "
                                 f"{len(calibrator.coef)}")  # fmt: skip

    def save(self, path: Path) -> None:
        arrays = {
            **self.types.to_arrays("types"),
            **self.penta.to_arrays("penta"),
            **self.pair.to_arrays("pair"),
            **self.event.to_arrays("event"),
            **self.calibrator.to_arrays(),
            **(self.choice.to_arrays() if self.choice is not None else {}),
        }
        write_npz(path, arrays)


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's timestamp: numpy's own savez stamps the clock, so two runs differ."""


def write_npz(path: Path, arrays: dict[str, np.typing.NDArray[np.generic]]) -> None:
    """A compressed .npz that ``numpy.load`` reads, the same bytes for the same arrays."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                np.lib.format.write_array(member, np.asarray(arrays[name]), allow_pickle=False)


def load_weights(path: Path | None = None) -> ScorerWeights:
    """Weights from ``path``, or the ones shipped in the package (read once)."""
    if path is None:
        return _shipped_weights()
    return _read_weights(path, str(path))


@functools.cache
def _shipped_weights() -> ScorerWeights:
    resource = importlib.resources.files("dyadwatch.coder.scoring.data").joinpath(WEIGHTS_FILE)
    with importlib.resources.as_file(resource) as path:
        return _read_weights(path, WEIGHTS_FILE)


def _read_weights(path: Path, name: str) -> ScorerWeights:
    try:
        with np.load(path, allow_pickle=False) as arrays:
            return ScorerWeights(
                LinearModel.from_arrays(arrays, "types"),
                LinearModel.from_arrays(arrays, "penta"),
                LinearModel.from_arrays(arrays, "pair"),
                Calibrator.from_arrays(arrays),
                LinearModel.from_arrays(arrays, "event"),
                ChoiceModel.from_arrays(arrays),
            )
    # An empty file makes np.load raise EOFError, which a CLI would read as "Aborted!".
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ScorerError(Errors.DW803, path=name, detail=str(exc) or type(exc).__name__) from exc


@dataclass(frozen=True, slots=True)
class CodeOption:
    """A (type class, penta class, root) combination and the code that stands for it."""

    type_class: str | None
    penta: int
    root: str
    code: str

    def same(self, other: CodeOption) -> bool:
        """Whether the two say the same to every label: root, type class and penta class."""
        return (self.root, self.type_class, self.penta) == (other.root, other.type_class,
                                                             other.penta)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Rest:
    """Root options as the second stage reads them: type column, penta class, root index."""

    options: tuple[CodeOption, ...]
    types: np.typing.NDArray[np.int64]
    pentas: np.typing.NDArray[np.int64]
    roots: np.typing.NDArray[np.int64]
    listed: RootOptions
    """The same as plain tuples, for ``ChoiceModel.pick_listed``."""

    @classmethod
    def of(
        cls, options: Sequence[CodeOption], keep: Iterable[int], type_index: dict[str, int]
    ) -> _Rest:
        kept = list(keep)
        missing = len(type_index)  # the "no type" column, read as uniform
        classes = [options[i].type_class for i in kept]
        types = [missing if c is None else type_index.get(c, missing) for c in classes]
        pentas = [options[i].penta for i in kept]
        return cls(
            tuple(options[i] for i in kept),
            np.asarray(types, dtype=np.int64),
            np.asarray(pentas, dtype=np.int64),
            np.asarray(kept, dtype=np.int64),
            RootOptions(tuple(types), tuple(pentas), tuple(kept)),
        )


@dataclass(frozen=True, slots=True)
class _Offer:
    """Root options a candidate may be offered: all of ``kept``, or all but one root
    (for a lexicon option that stands for that root's option)."""

    kept: frozenset[int]
    every: _Rest
    without: Mapping[int, _Rest]

    @classmethod
    def of(
        cls, options: Sequence[CodeOption], keep: Iterable[int], type_index: dict[str, int]
    ) -> _Offer:
        kept = list(keep)
        without = {i: _Rest.of(options, [j for j in kept if j != i], type_index) for i in kept}
        return cls(frozenset(kept), _Rest.of(options, kept, type_index), without)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the first stage's models say of a candidate, before any code is chosen."""

    types: list[float]
    penta: list[float]
    pair: float
    event: float
    """P(event) of a fallback candidate; 1 for a lexicon draft."""


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate with the scorer's decision."""

    candidate: Candidate
    code: str
    type_probability: float
    penta_probability: float
    pair_probability: float
    next_type: str | None
    next_probability: float | None
    signals: tuple[float, ...]
    """What the calibrator reads (see :meth:`Scorer.signals`)."""
    confidence: float
    event_probability: float = 1.0
    """P(the sentence holds an event): a fallback candidate's own; 1 for a lexicon draft."""


class Scorer:
    """Decides the type, code and pair of drafted events, and their confidence.

    ``scope`` "builtin" touches only events of the built-in lexicon (a user's
    own rules keep their codes); "all" scores every event with a CAMEO code.
    """

    def __init__(
        self,
        weights: ScorerWeights,
        *,
        scope: Scope = "builtin",
        pairs: bool = True,
        cameo: CameoOntology | None = None,
        plover: PloverMapping | None = None,
        lexicon_prior: float = LEXICON_PRIOR,
        fallback: bool | None = None,
    ) -> None:
        self.weights = weights
        self.fallback = scope == "builtin" if fallback is None else fallback
        self.lexicon_prior = lexicon_prior
        self.scope = scope
        self.pairs = pairs
        self._cameo = cameo or load_cameo()
        self._plover = plover or load_plover()
        self._options = _code_options(self._cameo, self._plover)
        self._type_index = {c: i for i, c in enumerate(weights.types.classes)}
        self._uniform = 1.0 / len(self._type_index)
        """P(type) of a class the type model lacks (a statement's "no type")."""
        self._log_uniform = math.log(max(self._uniform, 1e-9))
        self._log_classes = math.log(max(len(self._type_index), 2))
        self._own_options: dict[str, CodeOption | None] = {}
        """The lexicon codes' options, found once per code (normalising is not free)."""
        self._option_types = tuple(
            self._type_index.get(o.type_class) if o.type_class is not None else None
            for o in self._options
        )
        # The second stage's view: per root option, its type column (the last one
        # stands for "no type", read as uniform), its penta class and its root;
        # and the same without each root, for a lexicon option that stands for it.
        self._roots = tuple(o.root for o in self._options)
        self._root_index = {r: i for i, r in enumerate(self._roots)}
        self._any = _Offer.of(self._options, range(len(self._options)), self._type_index)
        # A material act's options: every root but the statements' (row 294).
        acting = [i for i, o in enumerate(self._options) if o.penta != STATEMENT_CLASS]
        self._acting = _Offer.of(self._options, acting, self._type_index)
        # The coding-time forms of the models (linear.py): the same sums, fewer numpy calls.
        self._stacked = Stacked.of(weights.types, weights.penta)
        self._pair = Binary.of(weights.pair)
        self._event = Binary.of(weights.event)
        self._known: Known | None = None
        """``hash_features``' memo: none. Inside the coder a memo of every string seen
        (up to ``KNOWN_MAX``) cost more in cache misses than the CRC-32s it saved
        (docs/MODEL.md, "Speed", session 15); a caller may still hand one in."""

    @property
    def roots(self) -> tuple[str, ...]:
        """The CAMEO roots of the code options (one each), in order."""
        return self._roots

    @classmethod
    def load(cls, path: Path | None = None, *, scope: Scope = "builtin") -> Scorer:
        return cls(load_weights(path), scope=scope)

    def touches(self, event: Event) -> bool:
        if event.plover is None and event.goldstein is None:
            return False  # a code outside CAMEO: the user's own scheme
        return self.scope == "all" or builtin_event(event)

    # -- scoring ------------------------------------------------------------

    def score(self, candidate: Candidate, vector: FeatureVector | None = None) -> Scored:
        """The candidate's decision; ``vector`` is its hashed type features, if at hand."""
        if vector is None:
            vector = hash_features(candidate.type_features, self._known)
        return self.judge(candidate, self.read(candidate, vector))

    def read(
        self,
        candidate: Candidate,
        vector: FeatureVector | None = None,
        pair: float | None = None,
    ) -> Reading:
        """The first stage: P(type), P(penta), P(pair) and, for a fallback, P(event);
        ``pair`` when the caller has it (:meth:`pair_probability`)."""
        if candidate.pending is not None:
            raise ValueError("the candidate's type features are not built: read its typed()")
        if vector is None:
            vector = hash_features(candidate.type_features, self._known)
        dense = candidate.dense
        type_scores, penta_scores = self._stacked.scores(vector, dense)
        if pair is None:
            pair = self.pair_probability(candidate)
        p_event = self._event_probability(vector) if candidate.fallback else 1.0
        return Reading(softmax_list(type_scores), softmax_list(penta_scores), pair, p_event)

    def pair_probability(self, candidate: Candidate) -> float:
        """P(pair is right): all that selecting a drafted trigger's pairs reads
        (:func:`select`)."""
        vector = hash_features(candidate.pair_features, self._known)
        return self._pair.probability(vector, candidate.dense)

    def judge(self, candidate: Candidate, reading: Reading) -> Scored:
        """The second stage: the candidate's code and confidence from its reading."""
        type_list, penta_list, pair = reading.types, reading.penta, reading.pair
        option, p_choice = self._pick(candidate, reading)
        p_type = self._type_probability(type_list, option.type_class)
        p_penta = penta_list[option.penta]
        runner = self._runner_up(type_list, option.type_class)
        p_event = reading.event
        signals = self.signals(p_type, p_penta, pair, candidate.lexicon_pair, p_event,
                               candidate.fallback)  # fmt: skip
        if p_choice is not None:
            # How sure the second stage is of its pick: the calibrator reads it too.
            signals = (*signals, math.log(max(p_choice, 1e-6)))
        return Scored(
            candidate,
            option.code,
            p_type,
            p_penta,
            pair,
            runner[0],
            runner[1],
            signals,
            self.weights.calibrator.probability(signals),
            p_event,
        )

    def _pick(self, candidate: Candidate, reading: Reading) -> tuple[CodeOption, float | None]:
        """The chosen option and, from the second stage, its probability (None: fixed rule)."""
        choice = self.weights.choice
        if choice is None or choice.layout.roots != self._roots:
            lexicon_code = None if candidate.fallback else candidate.event.cameo
            prior = self.lexicon_prior + (NESTED_PRIOR if candidate.nested_doer else 0.0)
            return self._choose(lexicon_code, reading.types, reading.penta, prior), None
        own, rest = self._lexicon_option(candidate)
        type_logs, penta_logs = self._logs(reading)
        logs = (type_logs.tolist(), penta_logs.tolist())
        if own is None:
            index, probability = choice.pick_listed(logs, rest.listed, None, candidate.fallback)
            return rest.options[index], probability
        mine = self._own_option(candidate, reading, own, type_logs)
        index, probability = choice.pick_listed(logs, rest.listed, mine, candidate.fallback)
        return (own if index == 0 else rest.options[index - 1]), probability

    def _lexicon_option(self, candidate: Candidate) -> tuple[CodeOption | None, _Rest]:
        """The lexicon's own option (None: none, or a root outside the options) and the
        root options beside it.

        The lexicon's own option stands for its root's option when the two say
        the same (type class and penta class: "173" and the root's "170" are both
        COERCE, class 4). No label can tell such twins apart, so a stage left to
        choose between them would drop the lexicon's specific code (an arrest)
        for the root's base code on whatever columns it learned elsewhere.
        """
        lexicon_code = None if candidate.fallback else candidate.event.cameo
        own = self._option_of(lexicon_code) if lexicon_code is not None else None
        root = None if own is None else self._root_index.get(own.root)
        if own is None or root is None:
            return None, self._any.every
        # "one person died in the clash": a death is not speech, whatever the
        # sentence's "said" tells the penta model (docs/MODEL_LOG.md, row 294).
        offer = self._acting if self._material(own) else self._any
        return own, offer.without[root] if self._options[root].same(own) else offer.every

    def _material(self, own: CodeOption) -> bool:
        """Whether the lexicon's code is a material act (GDELT QuadClass 2 or 4)."""
        return self._cameo.quad(own.code) in MATERIAL_QUADS

    def options_of(
        self, candidate: Candidate, reading: Reading
    ) -> tuple[OptionView, tuple[CodeOption, ...]]:
        """The candidate's code options (the lexicon's own first, standing for its twin:
        see ``_lexicon_option``) and the second stage's view (what fitting reads)."""
        own, rest = self._lexicon_option(candidate)
        type_logs, penta_logs = self._logs(reading)
        if own is None:
            types, pentas = type_logs[rest.types], penta_logs[rest.pentas]
            plain = OptionView(types, pentas, rest.roots, False, candidate.fallback,
                               classes=rest.pentas, fixed=types + pentas)  # fmt: skip
            return plain, rest.options
        mine = self._own_option(candidate, reading, own, type_logs)
        types = np.concatenate([[type_logs[mine.type_col]], type_logs[rest.types]])
        pentas = np.concatenate([[penta_logs[own.penta]], penta_logs[rest.pentas]])
        fixed = types + pentas
        fixed[0] += mine.prior
        nested, negated, hypothetical, reported, moved, top_type, top_penta = mine.flags
        view = OptionView(
            types,
            pentas,
            np.concatenate([[mine.root], rest.roots]),
            True,
            candidate.fallback,
            nested=nested,
            negated=negated,
            hypothetical=hypothetical,
            reported=reported,
            moved=moved,
            margin=mine.margin,
            entropy=mine.entropy,
            top_type=top_type,
            top_penta=top_penta,
            pair_log=mine.pair_log,
            rule=mine.rule,
            classes=np.concatenate([[own.penta], rest.pentas]),
            fixed=fixed,
        )
        return view, (own, *rest.options)

    def _logs(self, reading: Reading) -> tuple[np.typing.NDArray[np.float64], ...]:
        """log P(type) (with a uniform "no type" column last) and log P(penta)."""
        type_logs = np.log(np.maximum(np.asarray([*reading.types, self._uniform]), 1e-9))
        return type_logs, np.log(np.maximum(np.asarray(reading.penta), 1e-9))

    def _own_option(
        self,
        candidate: Candidate,
        reading: Reading,
        own: CodeOption,
        type_logs: np.typing.NDArray[np.float64],
    ) -> OwnOption:
        """What the second stage reads of the lexicon's own option."""
        own_type = self._type_index.get(own.type_class) if own.type_class is not None else None
        margin, entropy = self._type_reading(reading.types, type_logs)
        modality = candidate.event.modality
        flags = (
            candidate.nested_doer,
            modality.negated,
            modality.hypothetical,
            modality.reported,
            not candidate.lexicon_pair,
            own_type is not None and own_type == _first_max(reading.types),
            own.penta == _first_max(reading.penta),
        )
        return OwnOption(
            len(reading.types) if own_type is None else own_type,
            own.penta,
            self._root_index[own.root],
            self.lexicon_prior + (NESTED_PRIOR if candidate.nested_doer else 0.0),
            flags,
            margin,
            entropy,
            math.log(max(reading.pair, 1e-6)),
            _rule_of(candidate),
        )

    def _type_reading(
        self, types: Sequence[float], type_logs: np.typing.NDArray[np.float64]
    ) -> tuple[float, float]:
        """``choice.type_reading`` from the logs at hand (the same floor), in two numpy calls."""
        ordered = sorted(types)
        top, second = (ordered[-1], ordered[-2]) if len(types) > 1 else (ordered[0], 0.0)
        entropy = -float(np.dot(types, type_logs[: len(types)]))
        return top - second, entropy / self._log_classes

    def _event_probability(self, vector: FeatureVector) -> float:
        return self._event.probability(vector)

    @staticmethod
    def signals(
        p_type: float,
        p_penta: float,
        p_pair: float,
        lexicon: bool,
        p_event: float,
        fallback: bool,
    ) -> tuple[float, ...]:
        """Log-probabilities the calibrator turns into P(type and pair right)."""
        floor = 1e-6
        return (
            math.log(max(p_type, floor)),
            math.log(max(p_penta, floor)),
            math.log(max(p_pair, floor)),
            1.0 if lexicon else 0.0,
            math.log(max(p_event, floor)),
            1.0 if fallback else 0.0,  # linear.FALLBACK_SIGNAL: picks the fallback calibrator
        )

    def _type_probability(self, types: Sequence[float], cls: str | None) -> float:
        index = self._type_index.get(cls) if cls is not None else None
        return self._uniform if index is None else types[index]

    def _runner_up(
        self, types: Sequence[float], chosen: str | None
    ) -> tuple[str | None, float | None]:
        """The most likely type class other than ``chosen`` (the first, on a tie)."""
        best: str | None = None
        top = 0.0
        for kind, i in self._type_index.items():  # max()'s pick, without its list and key calls
            if kind != chosen and (best is None or types[i] > top):
                best, top = kind, types[i]
        return (best, top) if best is not None else (None, None)

    def _choose(
        self,
        lexicon_code: str | None,
        types: Sequence[float],
        penta: Sequence[float],
        prior: float,
    ) -> CodeOption:
        """The best option by log P(type) + log P(penta), the lexicon's own code first
        with ``prior`` added."""
        type_logs = [math.log(max(p, 1e-9)) for p in types]
        penta_logs = [math.log(max(p, 1e-9)) for p in penta]
        uniform = self._log_uniform
        own = self._option_of(lexicon_code) if lexicon_code is not None else None
        best, best_score = own, -math.inf
        if own is not None:
            index = self._type_index.get(own.type_class) if own.type_class is not None else None
            type_log = uniform if index is None else type_logs[index]
            best_score = type_log + penta_logs[own.penta] + prior
        acting = own is not None and self._material(own)
        for i, (option, index) in enumerate(zip(self._options, self._option_types, strict=True)):
            if acting and i not in self._acting.kept:
                continue  # as the second stage's options (``_lexicon_option``)
            score = (uniform if index is None else type_logs[index]) + penta_logs[option.penta]
            if score > best_score + 1e-12:
                best, best_score = option, score
        assert best is not None
        return best

    def _option_of(self, code: str) -> CodeOption | None:
        if code not in self._own_options:
            self._own_options[code] = self._find_option(code)
        return self._own_options[code]

    def _find_option(self, code: str) -> CodeOption | None:
        try:
            known = self._cameo.normalise(code)
        except OntologyError:
            return None
        mapped = self._plover.map(known)
        return CodeOption(
            type_class(mapped.type if mapped else None), self._cameo.penta(known), known[:2], known
        )

    # -- rescoring a sentence ----------------------------------------------

    def rescore(self, events: list[Event], view: SentenceView) -> list[Event]:
        """The sentence's events as the scorer decides them (untouched ones kept).

        A sentence with no event at all gets a fallback candidate (see
        :func:`~dyadwatch.coder.scoring.propose.fallback`), which becomes an
        event only when the event model says the sentence holds one.
        """
        if not events and self.fallback:
            # The event model reads the type features only: the event and its pair
            # features are built once, when it fires. A sentence with no doer to
            # name is not scored at all (fallback_draft's need_source).
            draft = fallback_draft(view, need_source=True)
            if draft is None:
                return events
            vector = hash_features(draft.type_features, self._known)
            if self._event_probability(vector) < EVENT_THRESHOLD:
                return events  # most sentences: decided by one small model
            whole = DenseReader(view.sentence).attach([draft.candidate()])[0]
            return decide([self.score(whole, vector)], self._cameo, self._plover)
        mine = [e for e in events if self.touches(e)]
        if not mine:
            return events
        others = [e for e in events if not self.touches(e)]
        dense = DenseReader(view.sentence)  # each candidate's block made with it, no copy
        proposed = propose(mine, view, with_pairs=self.pairs, typed=False, dense=dense)
        # Selection reads P(pair) alone: only the candidates it keeps get their type
        # features built, the type models and the code choice (the same events).
        pending = [_Pending(c, self.pair_probability(c)) for c in proposed]
        main = self._main_predicate(view, proposed, dense)
        kept = select([*pending, main] if main is not None else pending)
        scored = [self.judge(c, self.read(c, pair=k.pair_probability))
                  for k in kept for c in (k.candidate.typed(),)]  # fmt: skip
        decided = _decided(scored, self._cameo, self._plover)
        return sorted([*others, *decided], key=lambda e: (e.evidence.trigger, e.source.code))

    def _main_predicate(
        self, view: SentenceView, proposed: Sequence[Candidate], dense: DenseReader
    ) -> _Pending | None:
        """The sentence's main predicate as a fallback candidate beside its drafts, when
        no draft is on it and the event model fires (``MAIN_THRESHOLD``; select
        reads its P(pair))."""
        if MAIN_THRESHOLD is None or not self.fallback:
            return None
        root = view.sentence.root
        start = root.idx - view.sentence.start_char
        if any(c.event.evidence.trigger == (start, start + len(root.text)) for c in proposed):
            return None  # the lexicon drafted the main predicate itself (most sentences)
        draft = fallback_draft(view, need_source=True)
        if draft is None:
            return None
        p_event = self._event_probability(hash_features(draft.type_features, self._known))
        if p_event < EVENT_THRESHOLD:
            return None
        candidate = dense.attach([draft.candidate()])[0]
        return _Pending(candidate, self.pair_probability(candidate), event_probability=p_event)


def _first_max(values: list[float]) -> int:
    """The index of the first largest value."""
    return values.index(max(values))


def _rule_of(candidate: Candidate) -> str:
    """The proposing rule's feature (its content key), which the second stage trusts or not."""
    features = candidate.type_features
    if len(features) > 3 and features[3].startswith("rule="):
        return features[3]  # where features.type_features puts it
    return next((f for f in features if f.startswith("rule=")), "rule=none")


def decide(scored: Sequence[Scored], cameo: CameoOntology, plover: PloverMapping) -> list[Event]:
    """A sentence's events from its scored candidates: selected, coded, de-duplicated."""
    return _decided(select(scored), cameo, plover)


def _decided(
    selected: Sequence[Scored], cameo: CameoOntology, plover: PloverMapping
) -> list[Event]:
    """The selected candidates' events, coded and de-duplicated, in the sentence's order."""
    decided = [_apply(s, cameo, plover) for s in selected]
    return sorted(_dedupe(decided), key=lambda e: (e.evidence.trigger, e.source.code))


class _Selectable(Protocol):
    """What :func:`select` reads of a candidate: the candidate and the two models it needs."""

    @property
    def candidate(self) -> Candidate: ...

    @property
    def pair_probability(self) -> float: ...

    @property
    def event_probability(self) -> float: ...


_S = TypeVar("_S", bound=_Selectable)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A drafted candidate before the type models and the code choice: what selection reads."""

    candidate: Candidate
    pair_probability: float
    event_probability: float = 1.0


def _apply(scored: Scored, cameo: CameoOntology, plover: PloverMapping) -> Event:
    """The candidate's event with the chosen code, confidence and explanation."""
    event = scored.candidate.event
    # A fallback event's code is UNKNOWN, never an option: it always takes the chosen one.
    changes: dict[str, object] = {}
    if scored.code != event.cameo:
        changes = {
            "cameo": scored.code,
            "goldstein": cameo.goldstein(scored.code),
            "quad": cameo.quad(scored.code),
            "plover": plover.map(scored.code),
        }
    following = scored.next_probability
    return evolve(
        event,
        # What the id reads (code, pair, trigger) is the chosen code's: one copy, not two.
        id=event_id(event, scored.code),
        confidence=round(scored.confidence, 4),
        next_type=scored.next_type,
        next_type_probability=round(following, 4) if following is not None else None,
        **changes,
    )


def select(scored: Sequence[_S]) -> list[_S]:
    """Per trigger: the pairs the pair model accepts, else its most likely pair.

    A fallback candidate is kept only when P(event) reaches ``EVENT_THRESHOLD``.

    An event noun whose doer modifies it ("the U.S. drone strike") keeps that
    doer when no pair is accepted: the verb that governs the noun ("Pakistan
    condemned ...") is another event with its own subject.

    Co-doers of a kept pair are kept too, each with its own confidence
    (:func:`co_doers`): "police and troops killed three" is two events.
    """
    by_trigger: dict[tuple[int, int], list[_S]] = {}
    for item in scored:
        by_trigger.setdefault(item.candidate.event.evidence.trigger, []).append(item)
    drafted = any(not s.candidate.fallback for s in scored)
    chosen: list[_S] = []
    for group in by_trigger.values():
        if group[0].candidate.fallback:
            chosen.extend(s for s in group if _fallback_kept(s, drafted))
            continue
        accepted = [s for s in group if s.pair_probability >= PAIR_THRESHOLD]
        own = [s for s in group if s.candidate.lexicon_pair and s.candidate.own_doer]
        kept = accepted or [max(own or group, key=lambda s: s.pair_probability)]
        chosen.extend(kept)
        chosen.extend(co_doers(group, kept))
    return chosen


def _fallback_kept(item: _Selectable, drafted: bool) -> bool:
    """Whether a fallback candidate becomes an event: P(event) reaches its threshold
    and, beside drafts (a main predicate none of them is on), P(pair) reaches
    ``MAIN_THRESHOLD``."""
    if item.event_probability < EVENT_THRESHOLD:
        return False
    if not drafted:
        return True
    return MAIN_THRESHOLD is not None and item.pair_probability >= MAIN_THRESHOLD


def co_doers(group: Sequence[_S], kept: Sequence[_S]) -> list[_S]:
    """The candidates of one trigger that differ from a kept one only by a doer
    conjoined with its doer (``Candidate.doer_group``), not kept yet.

    The pair model scores each pair alone, and two conjoined doers split its
    belief: keeping only the best pair would drop the police of "police and
    troops killed three militants". A conjunct that is the kept pair's target
    ("India and Pakistan held talks": PAK -> PAK) is no co-doer.
    """
    found: list[_S] = []
    taken = {id(s) for s in kept}
    for item in kept:
        event = item.candidate.event
        group_of = item.candidate.doer_group
        if group_of is None:
            continue
        for other in group:
            if id(other) in taken or other.candidate.doer_group != group_of:
                continue
            if _co_doer(event, other.candidate.event):
                taken.add(id(other))
                found.append(other)
    return found


def _co_doer(kept: Event, other: Event) -> bool:
    """Same target (actor and words), another doer that is not that target."""
    if other.evidence.target != kept.evidence.target or _target_code(other) != _target_code(kept):
        return False
    if other.evidence.source == kept.evidence.source or other.source.code == kept.source.code:
        return False
    return other.source.code != _target_code(kept) and not _overlap(
        other.evidence.source, kept.evidence.target
    )


def _target_code(event: Event) -> str | None:
    return event.target.code if event.target is not None else None


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _dedupe(events: Sequence[Event]) -> list[Event]:
    """One event per (source, target, root) of a sentence: the most confident."""
    best: dict[tuple[str, str | None, str], Event] = {}
    for event in events:
        key = (event.source.code, event.target.code if event.target else None, event.cameo[:2])
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return list(best.values())


def _code_options(cameo: CameoOntology, plover: PloverMapping) -> tuple[CodeOption, ...]:
    """One option per CAMEO root: its most common (type class, penta) and its base code.

    A root's rare combinations ("015" is an AGREE statement) stay reachable
    only as the lexicon's own code: offered freely, they let the type model
    turn plain statements into agreements.
    """
    combos: dict[str, Counter[tuple[str | None, int]]] = {}
    for code in cameo.codes():
        if len(code) < 3:
            continue  # "01" is a root, not a code events take
        mapped = plover.map(code)
        key = (type_class(mapped.type if mapped else None), cameo.penta(code))
        combos.setdefault(code[:2], Counter())[key] += 1
    options = []
    for root, counts in sorted(combos.items()):
        (kind, penta), _ = counts.most_common(1)[0]
        codes = [c for c in cameo.codes() if c[:2] == root and len(c) >= 3]
        options.append(CodeOption(kind, penta, root, min(codes, key=lambda c: (len(c), c))))
    return tuple(options)
