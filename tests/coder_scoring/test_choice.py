"""The second stage: the code option a candidate takes, learned over the first stage's outputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from _scoring_support import candidate

from dyadwatch.coder.scoring import Scorer, load_weights
from dyadwatch.coder.scoring.choice import (
    SCALARS,
    ChoiceModel,
    Layout,
    OptionView,
    fit_choice,
    option_rows,
    prior_weights,
    type_reading,
)
from dyadwatch.coder.scoring.model import LEXICON_PRIOR, NESTED_PRIOR, Reading, ScorerWeights

ROOTS = ("01", "02", "16", "17")
LAYOUT = Layout(ROOTS)


def _fixed_rule() -> np.typing.NDArray[np.float64]:
    """The fixed rule as the stage's weights over ``LAYOUT`` (a new array each call)."""
    return prior_weights(LAYOUT, LEXICON_PRIOR, NESTED_PRIOR)


def _view(type_logs: list[float], penta_logs: list[float], *, own: bool = True,
          rule: str = "rule=x") -> OptionView:  # fmt: skip
    """A candidate whose lexicon said root 16 (own option first), then one option per root."""
    roots = [2, 0, 1, 2, 3] if own else [0, 1, 2, 3]
    return OptionView(
        np.asarray(type_logs), np.asarray(penta_logs), np.asarray(roots, dtype=np.int64),
        own, False, margin=0.2, entropy=0.5, top_penta=True, pair_log=-0.1, rule=rule,
    )  # fmt: skip


def _sparse_scores(model: ChoiceModel, view: OptionView) -> list[float]:
    return [float(v @ model.weights[c]) for c, v in option_rows(view, model.layout)]


def test_choice_scores_match_the_sparse_rows_fitting_reads() -> None:
    layout = Layout(ROOTS)
    weights = np.random.default_rng(0).normal(size=layout.width)
    model = ChoiceModel(layout, weights)
    view = _view([-0.5, -2.0, -1.0, -0.7, -3.0], [-0.3, -1.0, -0.9, -0.3, -0.2])
    assert model.scores(view) == pytest.approx(_sparse_scores(model, view))
    plain = _view([-2.0, -1.0, -0.7, -3.0], [-1.0, -0.9, -0.3, -0.2], own=False)
    assert model.scores(plain) == pytest.approx(_sparse_scores(model, plain))


def test_choice_prior_weights_are_the_fixed_rule() -> None:
    model = ChoiceModel(LAYOUT, _fixed_rule())
    # The lexicon's own option trails the best root option by less than the prior: kept.
    kept = _view([-1.2, -2.0, -1.0, -1.2, -0.5], [-0.5, -1.0, -0.9, -0.5, -0.5])
    assert model.choose(kept) == 0
    # By more than the prior: overruled (root 17, index 4).
    overruled = _view([-3.0, -2.0, -1.0, -3.0, -0.5], [-0.5, -1.0, -0.9, -0.5, -0.5])
    assert model.choose(overruled) == 4


def test_choice_fit_learns_to_trust_a_root_the_first_stage_overrules() -> None:
    """Own root 16 is right though P(type) prefers root 17 by more than the prior."""
    layout, start = LAYOUT, _fixed_rule()
    wrong = _view([-3.0, -2.0, -2.5, -3.0, -0.4], [-0.5, -1.0, -0.9, -0.5, -0.5])
    right = [True, False, False, True, False]
    fixed = ChoiceModel(layout, start)
    assert fixed.choose(wrong) == 4
    learned = fit_choice([(wrong, right, 1.0)] * 40, layout, start, l2=1.0)
    assert learned.choose(wrong) == 0
    # A group with no right option (or only right ones) teaches nothing.
    idle = fit_choice([(wrong, [False] * 5, 1.0), (wrong, [True] * 5, 1.0)], layout, start, 1.0)
    assert np.array_equal(idle.weights, start)


def test_choice_fit_keeps_held_columns_at_the_fixed_rule() -> None:
    layout, start = LAYOUT, _fixed_rule()
    nested = replace(_view([-3.0, -2.0, -2.5, -3.0, -0.4], [-0.5] * 5), nested=True)
    groups = [(nested, [False, False, False, False, True], 1.0)] * 20
    column = layout.scalar("own_nested")
    assert fit_choice(groups, layout, start, 1.0).weights[column] < NESTED_PRIOR
    held = fit_choice(groups, layout, start, 1.0, fixed=("own_nested",))
    assert held.weights[column] == NESTED_PRIOR
    assert held.weights[layout.scalar("own")] < LEXICON_PRIOR


def test_choice_fit_is_deterministic() -> None:
    layout, start = LAYOUT, _fixed_rule()
    groups = [
        (_view([-1.0, -2.0, -1.5, -1.0, -0.4], [-0.5, -1.0, -0.9, -0.5, -0.5]),
         [False, False, False, False, True], 1.0),
        (_view([-0.5, -2.0, -1.5, -0.5, -1.4], [-0.5, -1.0, -0.9, -0.5, -0.5], rule="rule=y"),
         [True, False, False, True, False], 0.3),
    ]  # fmt: skip
    first = fit_choice(groups, layout, start, 1.0)
    second = fit_choice(groups, layout, start, 1.0)
    assert np.array_equal(first.weights, second.weights)
    assert not np.array_equal(first.weights, start)


def test_choice_arrays_round_trip_and_a_wrong_width_is_refused() -> None:
    layout = Layout(ROOTS)
    model = ChoiceModel(layout, np.arange(layout.width, dtype=np.float64))
    back = ChoiceModel.from_arrays(model.to_arrays())
    assert back is not None and back.layout == layout
    assert np.array_equal(back.weights, model.weights)
    assert ChoiceModel.from_arrays({}) is None
    arrays = model.to_arrays()
    arrays["choice_weights"] = arrays["choice_weights"][:-1]
    with pytest.raises(ValueError):
        ChoiceModel.from_arrays(arrays)
    assert layout.width == len(SCALARS) + 2 * 4 + 2 * 16 + 256


def test_choice_type_reading_margin_and_entropy() -> None:
    assert type_reading([0.7, 0.2, 0.1]) == pytest.approx(
        (0.5, -(0.7 * np.log(0.7) + 0.2 * np.log(0.2) + 0.1 * np.log(0.1)) / np.log(3))
    )
    assert type_reading([1.0, 0.0])[1] == pytest.approx(0.0)


def _first_stage() -> ScorerWeights:
    """The shipped first stage alone: no second stage, a calibrator of six signals."""
    shipped = load_weights()
    six = replace(shipped.calibrator, coef=shipped.calibrator.coef[:6], fallback=None)
    return replace(shipped, choice=None, calibrator=six)


def _with_stage(weights: ScorerWeights, choice: ChoiceModel) -> ScorerWeights:
    """``weights`` (a first stage alone) with ``choice``, its calibrator reading the
    stage's signal at 1."""
    calibrator = replace(weights.calibrator, coef=(*weights.calibrator.coef, 1.0))
    return replace(weights, choice=choice, calibrator=calibrator)


def _prior_stage(roots: tuple[str, ...], lexicon_prior: float = LEXICON_PRIOR) -> ChoiceModel:
    """A second stage at the fixed rule's weights."""
    layout = Layout(roots)
    return ChoiceModel(layout, prior_weights(layout, lexicon_prior, NESTED_PRIOR))


def test_choice_scorer_with_prior_weights_chooses_as_the_fixed_rule() -> None:
    weights = _first_stage()
    fixed = Scorer(weights)
    staged = Scorer(_with_stage(weights, _prior_stage(fixed.roots)))
    rng = np.random.default_rng(1)
    classes, pentas = len(weights.types.classes), len(weights.penta.classes)
    for code in ("163", "020", "173", "190", "036"):
        for _ in range(30):
            types = list(rng.dirichlet(np.full(classes, 0.3)))
            penta = list(rng.dirichlet(np.full(pentas, 0.5)))
            reading = Reading(types, penta, 0.6, 1.0)
            drafted = candidate(code)
            assert staged.judge(drafted, reading).code == fixed.judge(drafted, reading).code


def test_choice_weights_saved_and_loaded_with_the_scorer(tmp_path: Path) -> None:
    weights = _first_stage()
    choice = _prior_stage(Scorer(weights).roots, lexicon_prior=2.0)
    path = tmp_path / "scorer.npz"
    _with_stage(weights, choice).save(path)
    loaded = load_weights(path)
    assert loaded.choice is not None
    assert np.array_equal(loaded.choice.weights, choice.weights)
    assert loaded.choice.layout == choice.layout
    with pytest.raises(ValueError):  # the stage's weights without its calibrator signal
        replace(weights, choice=choice)


def _staged() -> Scorer:
    """The shipped first stage with a second stage at the fixed rule's weights."""
    weights = _first_stage()
    return Scorer(_with_stage(weights, _prior_stage(Scorer(weights).roots)))


def test_choice_lexicon_option_stands_for_its_twin_root_option() -> None:
    scorer = _staged()
    reading = Reading([1.0 / 15] * 15, [0.2] * 5, 0.6, 1.0)
    # 173 (arrest) and its root's 170 are both COERCE, class 4: one option, the lexicon's.
    view, options = scorer.options_of(candidate("173"), reading)
    codes = [o.code for o in options]
    assert codes[0] == "173" and "170" not in codes
    # An act is not offered the statements' roots 01 and 02 (row 294).
    assert not {c[:2] for c in codes} & {"01", "02"}
    assert len(codes) == len(scorer.roots) - 2 and len(view.roots) == len(codes)
    # 015 (an AGREE statement, class 0) differs from its root's 010 (no type): both stay.
    view, options = scorer.options_of(candidate("015"), reading)
    codes = [o.code for o in options]
    assert codes[0] == "015" and "010" in codes and len(codes) == len(scorer.roots) + 1
    assert len(view.roots) == len(codes)


def test_choice_never_trades_an_arrest_for_its_root_base_code() -> None:
    scorer = _staged()
    layout = Layout(scorer.roots)
    # A stage that learned to like root 17's base option more than the lexicon's own
    # (what a stage fitted without arrests can learn): the twin is not offered, so
    # the arrest keeps its code whenever COERCE wins.
    weights = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
    weights[layout.cross(scorer.roots.index("17"), scorer.roots.index("17"))] = 5.0
    calibrator = scorer.weights.calibrator
    biased = Scorer(replace(scorer.weights, choice=ChoiceModel(layout, weights),
                            calibrator=calibrator))  # fmt: skip
    types = [0.01] * 15
    types[list(biased.weights.types.classes).index("COERCE")] = 0.86
    reading = Reading(types, [0.02, 0.02, 0.02, 0.02, 0.92], 0.9, 1.0)
    assert biased.judge(candidate("173"), reading).code == "173"


def test_choice_by_class_picks_the_class_and_the_fixed_rule_within_it() -> None:
    layout, weights = LAYOUT, _fixed_rule()
    weights[layout.root_bias(3)] = 3.0  # the stage likes root 17's option (index 4)
    view = replace(
        _view([-1.0, -2.0, -1.0, -1.5, -1.2], [-0.5, -1.0, -0.9, -0.5, -0.5]),
        classes=np.asarray([3, 0, 0, 3, 3], dtype=np.int64),
        fixed=np.asarray([-0.5, -3.0, -1.9, -2.0, -1.7]),
    )
    plain = ChoiceModel(layout, weights)
    assert plain.pick(view)[0] == 4
    staged = ChoiceModel(layout, weights, by_class=True)
    index, share = staged.pick(view)
    # Class 3 wins; within it the fixed rule keeps the lexicon's own option.
    assert index == 0
    scores = staged.scores(view)
    p = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert share == pytest.approx(float(p[[0, 3, 4]].sum()))
    loaded = ChoiceModel.from_arrays(staged.to_arrays())
    assert loaded is not None and loaded.by_class and np.array_equal(loaded.weights, weights)
    old = {k: v for k, v in plain.to_arrays().items() if k != "choice_by_class"}
    assert ChoiceModel.from_arrays(old) is not None and not ChoiceModel.from_arrays(old).by_class  # type: ignore[union-attr]


@pytest.mark.parametrize("by_class", [False, True])
def test_choice_coding_path_picks_as_the_view_fitting_reads(by_class: bool) -> None:
    scorer = _staged()
    layout = Layout(scorer.roots)
    rng = np.random.default_rng(2)
    weights = rng.normal(size=layout.width)
    model = ChoiceModel(layout, weights, by_class)
    calibrator = scorer.weights.calibrator
    staged = Scorer(replace(scorer.weights, choice=model, calibrator=calibrator))
    classes, pentas = len(staged.weights.types.classes), len(staged.weights.penta.classes)
    drafted = [candidate(code) for code in ("173", "015", "163", "020", "190")]
    drafted += [candidate("042", negated=True), replace(candidate("173"), fallback=True)]
    drafted += [replace(candidate("195"), nested_doer=True)]
    for cand in drafted:
        for _ in range(40):
            types = list(rng.dirichlet(np.full(classes, 0.3)))
            penta = list(rng.dirichlet(np.full(pentas, 0.5)))
            reading = Reading(types, penta, float(rng.uniform(0.01, 0.99)), 1.0)
            view, options = staged.options_of(cand, reading)
            index, share = model.pick(view)
            option, listed_share = staged._pick(cand, reading)
            assert option == options[index]
            assert listed_share == pytest.approx(share, rel=1e-9)


def test_choice_by_class_leaves_a_held_event_noun_to_the_fixed_rule() -> None:
    layout, weights = LAYOUT, _fixed_rule()
    weights[layout.root_bias(0)] = 9.0  # the stage would take root 01's option (index 1)
    view = replace(
        _view([-1.0, -2.0, -1.0, -1.5, -1.2], [-0.5, -1.0, -0.9, -0.5, -0.5]),
        classes=np.asarray([3, 0, 0, 3, 3], dtype=np.int64),
        fixed=np.asarray([-1.5 + LEXICON_PRIOR + NESTED_PRIOR, -1.0, -3.0, -2.0, -1.7]),
    )
    staged = ChoiceModel(layout, weights, by_class=True)
    assert staged.pick(view)[0] == 1
    assert staged.pick(replace(view, nested=True))[0] == 0


@pytest.mark.parametrize("staged", [True, False], ids=["second stage", "fixed rule"])
def test_choice_a_material_act_never_becomes_a_statement(staged: bool) -> None:
    """Row 294: "one person died in the clash" stays a death however sure the penta
    model is that the sentence ("he confirmed that ...") is a statement."""
    scorer = _staged() if staged else Scorer(_first_stage())
    types = [1.0 / 15] * 15
    sure_statement = Reading(types, [0.96, 0.01, 0.01, 0.01, 0.01], 0.6, 1.0)
    assert scorer.judge(candidate("190"), sure_statement).code[:2] not in ("01", "02")
    # A verbal draft may still become a plain statement.
    assert scorer.judge(candidate("130"), sure_statement).code[:2] in ("01", "02")
