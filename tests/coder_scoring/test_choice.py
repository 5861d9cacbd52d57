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
    shortlisted,
    type_reading,
)
from dyadwatch.coder.scoring.model import LEXICON_PRIOR, NESTED_PRIOR, Reading

ROOTS = ("01", "02", "16", "17")


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
    layout = Layout(ROOTS)
    model = ChoiceModel(layout, prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR))
    # The lexicon's own option trails the best root option by less than the prior: kept.
    kept = _view([-1.2, -2.0, -1.0, -1.2, -0.5], [-0.5, -1.0, -0.9, -0.5, -0.5])
    assert model.choose(kept) == 0
    # By more than the prior: overruled (root 17, index 4).
    overruled = _view([-3.0, -2.0, -1.0, -3.0, -0.5], [-0.5, -1.0, -0.9, -0.5, -0.5])
    assert model.choose(overruled) == 4


def test_choice_fit_learns_to_trust_a_root_the_first_stage_overrules() -> None:
    """Own root 16 is right though P(type) prefers root 17 by more than the prior."""
    layout = Layout(ROOTS)
    start = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
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
    layout = Layout(ROOTS)
    start = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
    nested = replace(_view([-3.0, -2.0, -2.5, -3.0, -0.4], [-0.5] * 5), nested=True)
    groups = [(nested, [False, False, False, False, True], 1.0)] * 20
    column = layout.scalar("own_nested")
    assert fit_choice(groups, layout, start, 1.0).weights[column] < NESTED_PRIOR
    held = fit_choice(groups, layout, start, 1.0, fixed=("own_nested",))
    assert held.weights[column] == NESTED_PRIOR
    assert held.weights[layout.scalar("own")] < LEXICON_PRIOR


def test_choice_fit_is_deterministic() -> None:
    layout = Layout(ROOTS)
    start = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
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


def test_choice_scorer_with_prior_weights_chooses_as_the_fixed_rule() -> None:
    shipped = load_weights()
    six = replace(shipped.calibrator, coef=shipped.calibrator.coef[:6], fallback=None)
    weights = replace(shipped, choice=None, calibrator=six)
    fixed = Scorer(weights)
    layout = Layout(fixed.roots)
    prior = ChoiceModel(layout, prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR))
    calibrator = replace(weights.calibrator, coef=(*weights.calibrator.coef, 1.0))
    staged = Scorer(replace(weights, choice=prior, calibrator=calibrator))
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
    shipped = load_weights()
    six = replace(shipped.calibrator, coef=shipped.calibrator.coef[:6], fallback=None)
    weights = replace(shipped, choice=None, calibrator=six)
    layout = Layout(Scorer(weights).roots)
    choice = ChoiceModel(layout, prior_weights(layout, 2.0, NESTED_PRIOR))
    path = tmp_path / "scorer.npz"
    calibrator = replace(weights.calibrator, coef=(*weights.calibrator.coef[:6], 1.0))
    replace(weights, choice=choice, calibrator=calibrator).save(path)
    loaded = load_weights(path)
    assert loaded.choice is not None
    assert np.array_equal(loaded.choice.weights, choice.weights)
    assert loaded.choice.layout == layout
    with pytest.raises(ValueError):  # the stage's weights without its calibrator signal
        replace(weights, choice=choice, calibrator=replace(calibrator, coef=(1.0,) * 6))


def _staged() -> Scorer:
    """The shipped first stage with a second stage at the fixed rule's weights."""
    shipped = load_weights()
    six = replace(shipped.calibrator, coef=shipped.calibrator.coef[:6], fallback=None)
    weights = replace(shipped, choice=None, calibrator=six)
    layout = Layout(Scorer(weights).roots)
    prior = ChoiceModel(layout, prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR))
    calibrator = replace(six, coef=(*six.coef, 1.0))
    return Scorer(replace(weights, choice=prior, calibrator=calibrator))


def test_choice_lexicon_option_stands_for_its_twin_root_option() -> None:
    scorer = _staged()
    reading = Reading([1.0 / 15] * 15, [0.2] * 5, 0.6, 1.0)
    # 173 (arrest) and its root's 170 are both COERCE, class 4: one option, the lexicon's.
    view, options = scorer.options_of(candidate("173"), reading)
    codes = [o.code for o in options]
    assert codes[0] == "173" and "170" not in codes
    assert len(codes) == len(scorer.roots) and len(view.roots) == len(codes)
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
    layout = Layout(ROOTS)
    weights = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
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


def test_choice_shortlisted_is_the_fixed_rules_best_and_the_lexicons_own() -> None:
    fixed = [-3.0, -0.5, -1.0, -0.5, -4.0]
    assert shortlisted(fixed, True, 2) == [0, 1, 3]
    assert shortlisted(fixed, False, 2) == [1, 3]
    assert shortlisted(fixed, True, 1) == [0, 1]  # the first of a tie
    assert shortlisted(fixed, True, 9) == [0, 1, 2, 3, 4]


def test_choice_shortlist_keeps_the_stage_off_roots_the_fixed_rule_ranks_low() -> None:
    layout = Layout(ROOTS)
    weights = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
    weights[layout.root_bias(3)] = 9.0  # the stage likes root 17's option (index 4)
    view = replace(
        _view([-0.5, -2.0, -1.0, -1.5, -4.0], [-0.5, -1.0, -0.9, -0.5, -2.0]),
        classes=np.asarray([3, 0, 0, 3, 4], dtype=np.int64),
        fixed=np.asarray([0.0, -3.0, -1.9, -2.0, -6.0]),
    )
    assert ChoiceModel(layout, weights, by_class=True).pick(view)[0] == 4
    short = ChoiceModel(layout, weights, by_class=True, shortlist=3)
    index, share = short.pick(view)
    assert index == 0
    # The fixed rule's best three are the own option, 2 and 3 (classes 3, 0, 3); its share
    # is its class's among them.
    scores = short.scores(view)[[0, 2, 3]]
    p = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert share == pytest.approx(float(p[0] + p[2]))
    loaded = ChoiceModel.from_arrays(short.to_arrays())
    assert loaded is not None and loaded.shortlist == 3
    # Fitting reads the shortlist too: a label that only an option off it satisfies teaches nothing.
    right = [False, False, False, False, True]
    start = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
    idle = fit_choice([(view, right, 1.0)] * 20, layout, start, 1.0, shortlist=3)
    assert np.array_equal(idle.weights, start)
    moved = fit_choice([(view, right, 1.0)] * 20, layout, start, 1.0)
    assert not np.array_equal(moved.weights, start)


@pytest.mark.parametrize(
    ("by_class", "shortlist", "marginal", "keep_own"),
    [(False, 0, False, False), (True, 0, False, False), (True, 2, False, False),
     (False, 3, False, False), (True, 0, True, False), (True, 0, False, True),
     (True, 2, True, True)],
)  # fmt: skip
def test_choice_coding_path_picks_as_the_view_fitting_reads(
    by_class: bool, shortlist: int, marginal: bool, keep_own: bool
) -> None:
    scorer = _staged()
    layout = Layout(scorer.roots)
    rng = np.random.default_rng(2)
    weights = rng.normal(size=layout.width)
    model = ChoiceModel(layout, weights, by_class, shortlist, marginal, keep_own)
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
    layout = Layout(ROOTS)
    weights = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
    weights[layout.root_bias(0)] = 9.0  # the stage would take root 01's option (index 1)
    view = replace(
        _view([-1.0, -2.0, -1.0, -1.5, -1.2], [-0.5, -1.0, -0.9, -0.5, -0.5]),
        classes=np.asarray([3, 0, 0, 3, 3], dtype=np.int64),
        fixed=np.asarray([-1.5 + LEXICON_PRIOR + NESTED_PRIOR, -1.0, -3.0, -2.0, -1.7]),
    )
    staged = ChoiceModel(layout, weights, by_class=True)
    assert staged.pick(view)[0] == 1
    assert staged.pick(replace(view, nested=True))[0] == 0


def _split_classes_view() -> OptionView:
    """The own option (class 3) and two options of class 0: the single best option is
    the own one, yet class 0's two options hold more probability together."""
    return replace(
        _view([-1.0, -1.2, -1.2, -5.0, -5.0], [0.0, 0.0, 0.0, 0.0, 0.0]),
        classes=np.asarray([3, 0, 0, 3, 3], dtype=np.int64),
        fixed=np.asarray([-1.0, -1.2, -1.5, -5.0, -5.0]),
    )


def test_choice_marginal_picks_the_class_of_most_summed_probability() -> None:
    layout = Layout(ROOTS)
    weights = np.zeros(layout.width)
    weights[layout.scalar("type_log")] = 1.0
    view = _split_classes_view()
    by_best = ChoiceModel(layout, weights, by_class=True)
    assert by_best.pick(view)[0] == 0
    summed = ChoiceModel(layout, weights, by_class=True, marginal=True)
    index, share = summed.pick(view)
    assert index == 1  # class 0, and within it the fixed rule's best
    p = np.exp(view.type_logs) / np.exp(view.type_logs).sum()
    assert share == pytest.approx(float(p[1] + p[2]))
    loaded = ChoiceModel.from_arrays(summed.to_arrays())
    assert loaded is not None and loaded.marginal and not loaded.keep_own


def test_choice_keep_own_keeps_the_lexicons_code_in_its_class() -> None:
    layout = Layout(ROOTS)
    weights = prior_weights(layout, LEXICON_PRIOR, NESTED_PRIOR)
    weights[layout.root_bias(3)] = 3.0  # the stage likes root 17's option (index 4), class 3
    view = replace(
        _view([-1.0, -2.0, -1.0, -1.5, -1.2], [-0.5, -1.0, -0.9, -0.5, -0.5]),
        classes=np.asarray([3, 0, 0, 3, 3], dtype=np.int64),
        # The fixed rule, even with the lexicon's prior, prefers root 17's base code.
        fixed=np.asarray([-2.5, -3.0, -1.9, -2.0, -1.0]),
    )
    assert ChoiceModel(layout, weights, by_class=True).pick(view)[0] == 4
    kept = ChoiceModel(layout, weights, by_class=True, keep_own=True)
    assert kept.pick(view)[0] == 0
    # Another class chosen: the fixed rule picks within it, as without keep_own.
    weights[layout.root_bias(0)] = 9.0
    other = ChoiceModel(layout, weights, by_class=True, keep_own=True)
    assert other.pick(view)[0] == 2
    loaded = ChoiceModel.from_arrays(kept.to_arrays())
    assert loaded is not None and loaded.keep_own and not loaded.marginal
