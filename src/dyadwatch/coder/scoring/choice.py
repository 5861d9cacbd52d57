"""The second stage: which code option a candidate takes, learned over the first stage.

The first stage (the type, penta and pair models of :mod:`.model`) reads the
sentence; this stage reads only what the first stage said about each code
option of one candidate (log P(type), log P(penta)), what the lexicon said
(its own code and root, its rule, the clause's modality, nesting, a moved
pair) and how sure the type model was (margin, entropy), and their crosses
(the lexicon's root × the option's root, the lexicon's root × the first
stage's favourite root). A conditional logit over the candidate's options
scores them; the best one is the candidate's code.

Why: the fixed rule it replaces (log P(type) + log P(penta), plus
``LEXICON_PRIOR`` for the lexicon's own code) cannot know that "imposed
sanctions" (163) is a right root the models like to overrule, while other
roots of the lexicon are often wrong. The fixed rule is this model's starting
point and what its ridge pulls towards (:func:`prior_weights`), so an option
the training data says little about is chosen as before.

The stage is fitted on out-of-fold first-stage outputs (``train.py``); coding
needs numpy only: a gather and a sum per candidate.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = [
    "HELD",
    "RULE_BUCKETS",
    "SCALARS",
    "ChoiceModel",
    "ChoiceRow",
    "Layout",
    "OptionView",
    "OwnOption",
    "RootOptions",
    "fit_choice",
    "option_rows",
    "prior_weights",
    "type_reading",
]

FloatArray = npt.NDArray[np.float64]

SCALARS = (
    "type_log",
    "penta_log",
    "fallback_type_log",
    "fallback_penta_log",
    "own",
    "own_nested",
    "own_negated",
    "own_hypothetical",
    "own_reported",
    "own_moved",
    "own_margin",
    "own_entropy",
    "own_top_type",
    "own_top_penta",
    "own_pair_log",
)
"""The named columns; the blocks of :class:`Layout` follow them."""
HELD = ("own_nested",)
"""Columns kept at the fixed rule's weight: a held event noun ("condemned the
U.S. drone strike") is rare in the labels, which would teach the stage to
give the noun its governing verb's type (``model.NESTED_PRIOR``)."""
_SCALAR_INDEX = {name: i for i, name in enumerate(SCALARS)}
_LOGS = (_SCALAR_INDEX["type_log"], _SCALAR_INDEX["penta_log"])
_FALLBACK_LOGS = (_SCALAR_INDEX["fallback_type_log"], _SCALAR_INDEX["fallback_penta_log"])
_OWN, _NESTED, _NEGATED, _HYPOTHETICAL, _REPORTED, _MOVED = (
    _SCALAR_INDEX[n]
    for n in ("own", "own_nested", "own_negated", "own_hypothetical", "own_reported", "own_moved")
)
_MARGIN, _ENTROPY, _TOP_TYPE, _TOP_PENTA, _PAIR_LOG = (
    _SCALAR_INDEX[n]
    for n in ("own_margin", "own_entropy", "own_top_type", "own_top_penta", "own_pair_log")
)
_FLAGS = (_NESTED, _NEGATED, _HYPOTHETICAL, _REPORTED, _MOVED, _TOP_TYPE, _TOP_PENTA)
"""The own option's on/off columns, in the order of ``OwnOption.flags``."""
RULE_BUCKETS = 256
"""The lexicon's rules hash into this many trust columns (own option only)."""
_FLOOR = 1e-9


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each column of the stage's weights sits, given the CAMEO roots."""

    roots: tuple[str, ...]

    @property
    def width(self) -> int:
        r = len(self.roots)
        return len(SCALARS) + r + r + r * r + r * r + RULE_BUCKETS

    def scalar(self, name: str) -> int:
        return _SCALAR_INDEX[name]

    def root_bias(self, root: int) -> int:
        """Every option of this root (a root's own base rate)."""
        return len(SCALARS) + root

    def own_root(self, root: int) -> int:
        """The lexicon's own option, by its root (how far to trust each root)."""
        return len(SCALARS) + len(self.roots) + root

    def cross(self, lexicon_root: int, option_root: int) -> int:
        """Another root's option while the lexicon said ``lexicon_root``."""
        r = len(self.roots)
        return len(SCALARS) + 2 * r + lexicon_root * r + option_root

    def own_top(self, lexicon_root: int, top_root: int) -> int:
        """The lexicon's option while the first stage's favourite root is ``top_root``."""
        r = len(self.roots)
        return len(SCALARS) + 2 * r + r * r + lexicon_root * r + top_root

    def rule(self, rule: str) -> int:
        r = len(self.roots)
        bucket = zlib.crc32(rule.encode("utf-8")) % RULE_BUCKETS
        return len(SCALARS) + 2 * r + 2 * r * r + bucket


@dataclass(frozen=True, slots=True)
class OptionView:
    """What the second stage reads of one candidate: its options and the first stage's outputs.

    ``type_logs`` and ``penta_logs`` are per option (the lexicon's own option
    first when ``own`` is set); ``roots`` are the options' root indexes.
    """

    type_logs: FloatArray
    penta_logs: FloatArray
    roots: npt.NDArray[np.int64]
    own: bool
    """The first option is the lexicon's own code."""
    fallback: bool
    nested: bool = False
    negated: bool = False
    hypothetical: bool = False
    reported: bool = False
    moved: bool = False
    """The candidate's pair is not the lexicon's (a ``pair:`` alternative)."""
    margin: float = 0.0
    entropy: float = 0.0
    top_type: bool = False
    """The own option's type is the type model's favourite."""
    top_penta: bool = False
    pair_log: float = 0.0
    rule: str = ""
    classes: npt.NDArray[np.int64] | None = None
    """Per option, its penta class (what :meth:`ChoiceModel.pick` groups by)."""
    fixed: FloatArray | None = None
    """Per option, the fixed rule's score (log P(type) + log P(penta), the lexicon's prior)."""


@dataclass(frozen=True, slots=True)
class RootOptions:
    """Root options as :meth:`ChoiceModel.pick_listed` reads them (plain tuples)."""

    types: tuple[int, ...]
    """Each option's column of log P(type) (the last column: no type)."""
    pentas: tuple[int, ...]
    roots: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class OwnOption:
    """The lexicon's own option as :meth:`ChoiceModel.pick_listed` reads it (see
    :class:`OptionView` for the fields' meaning)."""

    type_col: int
    penta: int
    root: int
    prior: float
    """The fixed rule's bonus for it (``LEXICON_PRIOR``, ``NESTED_PRIOR``)."""
    flags: tuple[bool, ...]
    """nested, negated, hypothetical, reported, moved, top_type, top_penta."""
    margin: float
    entropy: float
    pair_log: float
    rule: str


ChoiceRow = tuple[npt.NDArray[np.int64], FloatArray]
"""One option's sparse row: column indexes and values."""


def _top_root(view: OptionView) -> int:
    """The root the first stage alone likes best among the options (the lexicon's own
    included: it may stand for its root's option, see ``Scorer.options_of``)."""
    return int(view.roots[int(np.argmax(view.type_logs + view.penta_logs))])


def option_rows(view: OptionView, layout: Layout) -> list[ChoiceRow]:
    """The sparse rows of a candidate's options (what fitting reads)."""
    kind = "fallback_" if view.fallback else ""
    t, p = layout.scalar(f"{kind}type_log"), layout.scalar(f"{kind}penta_log")
    lexicon = int(view.roots[0]) if view.own else None
    rows: list[ChoiceRow] = []
    for i, root in enumerate(view.roots):
        cols = [t, p, layout.root_bias(int(root))]
        vals = [float(view.type_logs[i]), float(view.penta_logs[i]), 1.0]
        if lexicon is not None and i == 0:
            extra = _own_columns(view, layout, lexicon)
            cols.extend(c for c, _ in extra)
            vals.extend(v for _, v in extra)
        elif lexicon is not None:
            cols.append(layout.cross(lexicon, int(root)))
            vals.append(1.0)
        rows.append((np.asarray(cols, dtype=np.int64), np.asarray(vals)))
    return rows


def _own_columns(view: OptionView, layout: Layout, lexicon: int) -> list[tuple[int, float]]:
    flags = {
        "own": True,
        "own_nested": view.nested,
        "own_negated": view.negated,
        "own_hypothetical": view.hypothetical,
        "own_reported": view.reported,
        "own_moved": view.moved,
        "own_top_type": view.top_type,
        "own_top_penta": view.top_penta,
    }
    found = [(layout.scalar(n), 1.0) for n, on in flags.items() if on]
    found.extend(
        [
            (layout.scalar("own_margin"), view.margin),
            (layout.scalar("own_entropy"), view.entropy),
            (layout.scalar("own_pair_log"), view.pair_log),
            (layout.own_root(lexicon), 1.0),
            (layout.own_top(lexicon, _top_root(view)), 1.0),
            (layout.rule(view.rule), 1.0),
        ]
    )
    return found


@dataclass(frozen=True, slots=True)
class ChoiceModel:
    """The second stage's weights over a :class:`Layout`.

    ``by_class``: the stage picks the penta class only (the class of its best
    option); within that class the fixed rule picks the code. Most of the
    stage's labels are penta-only, which say nothing of which option of a
    class is right, yet their per-root columns move that choice too. A held
    event noun (``nested``, see ``HELD``) is left to the fixed rule: the labels
    hold too few of them to overrule ``NESTED_PRIOR``.
    """

    layout: Layout
    weights: FloatArray
    by_class: bool = False
    _listed: list[float] = field(init=False, repr=False, compare=False)
    _bias: list[float] = field(init=False, repr=False, compare=False)
    _cross: list[list[float]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The coding-time path (pick_listed) reads single columns: from lists, not the array.
        object.__setattr__(self, "_listed", self.weights.tolist())
        r = len(self.layout.roots)
        listed = self._listed
        bias = len(SCALARS)
        cross = self.layout.cross(0, 0)
        object.__setattr__(self, "_bias", listed[bias : bias + r])
        object.__setattr__(
            self, "_cross", [listed[cross + i * r : cross + (i + 1) * r] for i in range(r)]
        )

    def scores(self, view: OptionView) -> FloatArray:
        """Each option's score; the highest is the candidate's code."""
        w = self.weights
        layout = self.layout
        t, p = _FALLBACK_LOGS if view.fallback else _LOGS
        scores = w[t] * view.type_logs + w[p] * view.penta_logs + w[len(SCALARS) + view.roots]
        if view.own:
            lexicon = int(view.roots[0])
            first = layout.cross(lexicon, 0)
            scores[1:] += w[first + view.roots[1:]]
            flags = (view.nested, view.negated, view.hypothetical, view.reported, view.moved,
                     view.top_type, view.top_penta)  # fmt: skip
            scores[0] += self._own_sum(
                lexicon, _top_root(view), flags, view.margin, view.entropy, view.pair_log,
                view.rule,
            )  # fmt: skip
        return scores  # type: ignore[no-any-return]

    def _own_sum(
        self,
        lexicon: int,
        top: int,
        flags: tuple[bool, ...],
        margin: float,
        entropy: float,
        pair_log: float,
        rule: str,
    ) -> float:
        """What ``_own_columns`` adds up, without building them (``flags`` in ``_FLAGS`` order)."""
        w = self._listed
        layout = self.layout
        score = w[_OWN] + w[_MARGIN] * margin + w[_ENTROPY] * entropy
        score += w[_PAIR_LOG] * pair_log
        for on, column in zip(flags, _FLAGS, strict=True):
            if on:
                score += w[column]
        own_top = layout.own_top(lexicon, top)
        return score + w[layout.own_root(lexicon)] + w[own_top] + w[layout.rule(rule)]

    def pick_listed(
        self, logs: tuple[list[float], list[float]], rest: RootOptions, own: OwnOption | None,
        fallback: bool,
    ) -> tuple[int, float]:  # fmt: skip
        """:meth:`pick` of the view the same inputs give, in plain Python (coding time).

        ``logs`` are log P(type) (a uniform "no type" column last) and log P(penta);
        index 0 is ``own`` when given, then ``rest`` in order. Same sums in the same
        order as :meth:`scores`, so the same choice.
        """
        tl, pl = logs
        t, p = _FALLBACK_LOGS if fallback else _LOGS
        wt, wp = self._listed[t], self._listed[p]
        bias = self._bias
        fixed = [tl[a] + pl[b] for a, b in zip(rest.types, rest.pentas, strict=True)]
        scores = [
            wt * tl[a] + wp * pl[b] + bias[r]
            for a, b, r in zip(rest.types, rest.pentas, rest.roots, strict=True)
        ]
        classes = rest.pentas
        if own is not None:
            cross = self._cross[own.root]
            scores = [s + cross[r] for s, r in zip(scores, rest.roots, strict=True)]
            base = tl[own.type_col] + pl[own.penta]
            top = own.root
            if fixed and max(fixed) > base:
                top = rest.roots[fixed.index(max(fixed))]
            own_score = wt * tl[own.type_col] + wp * pl[own.penta] + bias[own.root]
            own_score += self._own_sum(own.root, top, own.flags, own.margin, own.entropy,
                                       own.pair_log, own.rule)  # fmt: skip
            scores = [own_score, *scores]
            fixed = [base + own.prior, *fixed]
            classes = (own.penta, *classes)
        high = max(scores)
        best = scores.index(high)
        shares = [math.exp(s - high) for s in scores]
        total = sum(shares)
        if not self.by_class:
            return best, 1.0 / total
        nested = own is not None and own.flags[0]
        return self._within_class((scores, shares, fixed), total, classes, nested)

    def _within_class(
        self,
        sums: tuple[Sequence[float], Sequence[float], Sequence[float]],
        total: float,
        classes: Sequence[int],
        nested: bool,
    ) -> tuple[int, float]:
        """The ``by_class`` decision from the options' (scores, shares, fixed scores),
        the shares' total and classes: the same plain sums for :meth:`pick` and
        :meth:`pick_listed`."""
        scores, shares, fixed = sums
        # A held event noun (see HELD): the fixed rule, with NESTED_PRIOR, decides.
        decider = fixed if nested else scores
        chosen = classes[decider.index(max(decider))]
        members = [i for i, c in enumerate(classes) if c == chosen]
        within = max(members, key=fixed.__getitem__)
        return within, sum(shares[i] for i in members) / total

    def choose(self, view: OptionView) -> int:
        """The index of the chosen option (the first on a tie: the lexicon's own)."""
        return int(np.argmax(self.scores(view)))

    def pick(self, view: OptionView) -> tuple[int, float]:
        """The chosen option's index and its probability among the options (with
        ``by_class``: its class's probability, the option the fixed rule's within it)."""
        scores = self.scores(view)
        high = int(np.argmax(scores))
        shares = np.exp(scores - scores[high])
        if not self.by_class or view.classes is None or view.fixed is None:
            return high, 1.0 / float(shares.sum())
        listed = scores.tolist()
        top = listed[high]
        shared = [math.exp(s - top) for s in listed]
        return self._within_class(
            (listed, shared, view.fixed.tolist()), sum(shared), view.classes.tolist(),
            view.own and view.nested,
        )  # fmt: skip

    def to_arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        return {
            "choice_weights": self.weights.astype(np.float64),
            "choice_roots": np.asarray(self.layout.roots, dtype=np.str_),
            "choice_by_class": np.asarray([self.by_class], dtype=np.bool_),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[np.generic]]) -> ChoiceModel | None:
        """The stored stage, or None for weights written before it existed. Keys of
        settings since removed (``choice_shortlist``, ``choice_marginal``,
        ``choice_keep_own``, ``choice_own_bonus``: off in every shipped file) are
        not read."""
        if "choice_weights" not in arrays:
            return None
        layout = Layout(tuple(str(r) for r in arrays["choice_roots"]))
        weights = np.asarray(arrays["choice_weights"], dtype=np.float64)
        if weights.shape != (layout.width,):
            raise ValueError(f"choice weights of width {weights.shape}, layout {layout.width}")
        return cls(layout, weights, _flag(arrays, "choice_by_class"))


def _flag(arrays: Mapping[str, npt.NDArray[np.generic]], name: str) -> bool:
    """A stored on/off setting (off in weights written before it existed)."""
    return name in arrays and bool(np.asarray(arrays[name]).any())


def prior_weights(layout: Layout, lexicon_prior: float, nested_prior: float) -> FloatArray:
    """The fixed rule as weights: both log-probabilities at 1, the lexicon's bonuses."""
    w = np.zeros(layout.width)
    for name in ("type_log", "penta_log", "fallback_type_log", "fallback_penta_log"):
        w[layout.scalar(name)] = 1.0
    w[layout.scalar("own")] = lexicon_prior
    w[layout.scalar("own_nested")] = nested_prior
    return w


def type_reading(types: Sequence[float]) -> tuple[float, float]:
    """The type model's margin (best minus second probability) and normalised entropy."""
    ordered = sorted(types, reverse=True)
    margin = ordered[0] - (ordered[1] if len(ordered) > 1 else 0.0)
    entropy = -sum(p * math.log(max(p, _FLOOR)) for p in types)
    return margin, entropy / math.log(max(len(types), 2))


@dataclass(frozen=True, slots=True)
class _Group:
    rows: list[ChoiceRow]
    positive: npt.NDArray[np.bool_]
    weight: float


def fit_choice(
    groups: Sequence[tuple[OptionView, Sequence[bool], float]],
    layout: Layout,
    start: FloatArray,
    l2: float,
    fixed: Sequence[str] = (),
    by_class: bool = False,
) -> ChoiceModel:
    """A conditional logit over each group's options, ridge ``l2`` towards ``start``.

    The ``fixed`` scalar columns keep their ``start`` weights. ``by_class`` only
    says how the fitted model decides (:class:`ChoiceModel`).

    A group is a candidate with a label: its right options (several for a
    penta-only label) share the probability mass the loss rewards. Groups
    without a right option, or with only right ones, teach nothing and are
    skipped. Deterministic: L-BFGS from ``start``.
    """
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    kept = [
        _Group(option_rows(view, layout), np.asarray(right, dtype=bool), weight)
        for view, right, weight in groups
        if any(right) and not all(right)
    ]
    if not kept:
        return ChoiceModel(layout, start.copy(), by_class)
    cols = np.concatenate([c for g in kept for c, _ in g.rows])
    vals = np.concatenate([v for g in kept for _, v in g.rows])
    pointers = np.cumsum([0, *(len(c) for g in kept for c, _ in g.rows)])
    x = csr_matrix((vals, cols, pointers), shape=(int(pointers.size - 1), layout.width))
    sizes = np.asarray([len(g.rows) for g in kept])
    group_of = np.repeat(np.arange(len(kept)), sizes)
    positive = np.concatenate([g.positive for g in kept]).astype(np.float64)
    weight = np.asarray([g.weight for g in kept])
    free = np.ones(layout.width)
    free[[layout.scalar(n) for n in fixed]] = 0.0

    def objective(w: FloatArray) -> tuple[float, FloatArray]:
        s = x @ w
        top = np.full(len(kept), -np.inf)
        np.maximum.at(top, group_of, s)
        e = np.exp(s - top[group_of])
        total = np.bincount(group_of, e, minlength=len(kept))
        right = np.bincount(group_of, e * positive, minlength=len(kept))
        loss = float(weight @ (np.log(total) - np.log(right)))
        share = e / total[group_of] - e * positive / right[group_of]
        grad = x.T @ (share * weight[group_of])
        diff = w - start
        return loss + 0.5 * l2 * float(diff @ diff), (np.asarray(grad) + l2 * diff) * free

    result = minimize(objective, start.copy(), jac=True, method="L-BFGS-B",
                      options={"maxiter": 500})  # fmt: skip
    fitted = np.asarray(result.x, dtype=np.float64)
    return ChoiceModel(layout, fitted, by_class)
