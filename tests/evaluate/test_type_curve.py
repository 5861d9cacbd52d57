"""bench/type_curve.py: a suite's labels teach in part, and every label is still scored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from _tool_support import load_tool

from dyadwatch.coder.scoring.labels import Label
from dyadwatch.coder.scoring.train import Corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return load_tool(ROOT / "bench" / "type_curve.py")


def _corpus(size: int = 40) -> Corpus:
    """Sentences with a PLOVER label each; every other one also holds a PLV pair."""
    texts = tuple(f"Sentence {i} of the toy corpus." for i in range(size))
    labels = tuple(
        (Label(t, "plover", plover_type="AID"),)
        + ((Label(t, "plv", plover_type="AID"),) if i % 2 == 0 else ())
        for i, t in enumerate(texts)
    )
    return Corpus(texts, labels, tuple(() for _ in texts), tuple(None for _ in texts))


def test_type_curve_points_parse(tool: ModuleType) -> None:
    assert tool.parse_point("full") == {}
    assert tool.parse_point("plover=0.5,plv=0") == {"plover": 0.5, "plv": 0.0}
    for bad in ("cameo=0.5", "plover=1.5", "plover=-0.1", "plover=half"):
        with pytest.raises(ValueError):
            tool.parse_point(bad)


def test_type_curve_smaller_share_teaches_a_subset(tool: ModuleType) -> None:
    texts = [f"text number {i}" for i in range(2000)]
    half = {t for t in texts if tool.teaches(t, 0.5)}
    more = {t for t in texts if tool.teaches(t, 0.75)}
    assert half < more
    assert 0.45 < len(half) / len(texts) < 0.55
    assert not any(tool.teaches(t, 0.0) for t in texts)
    assert all(tool.teaches(t, 1.0) for t in texts)


def test_type_curve_withholds_only_the_points_suites(tool: ModuleType) -> None:
    corpus = _corpus()
    none_plv = tool.taught(corpus, {"plv": 0.0})
    assert all(label.suite == "plover" for found in none_plv.labels for label in found)
    assert [len(found) for found in none_plv.labels] == [1] * len(corpus.texts)
    assert none_plv.texts == corpus.texts and none_plv.candidates == corpus.candidates
    half = tool.taught(corpus, {"plover": 0.5})
    kept = [t for t, found in zip(half.texts, half.labels, strict=True)
            if any(label.suite == "plover" for label in found)]  # fmt: skip
    assert 0 < len(kept) < len(corpus.texts)
    assert kept == [t for t in corpus.texts if tool.teaches(t, 0.5)]
    # The PLV labels of a sentence whose PLOVER label is withheld stay.
    assert sum(label.suite == "plv" for found in half.labels for label in found) == 20


@dataclass
class _Fitted:
    corpus: Corpus


def test_type_curve_trains_on_the_share_and_scores_every_label(
    tool: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus()
    trained: list[Corpus] = []
    scored: list[Corpus] = []

    def fake_cv(training: Corpus, seed: int) -> _Fitted:
        trained.append(training)
        return _Fitted(training)

    @dataclass
    class _Figures:
        figures: dict[str, tuple[float, float, int]]

    def fake_figures(oof: _Fitted, seed: int) -> _Figures:
        scored.append(oof.corpus)
        names = ("plover_type", "penta", "plv_type", "plv_pair")
        return _Figures(dict.fromkeys(names, (0.5, 0.0, 10)))

    monkeypatch.setattr(tool, "cross_validate", fake_cv)
    monkeypatch.setattr(tool, "oof_figures", fake_figures)
    line = tool.row("plv=0", corpus, 0)
    assert line.startswith("| plv=0 | 40 | 0.500 (5) |")
    assert not any(label.suite == "plv" for found in trained[0].labels for label in found)
    assert scored == [corpus]


def test_type_curve_refuses_a_bad_point_and_a_missing_suite(
    tool: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tool.main(["--eval", str(tmp_path), "--point", "plover=2"]) == 2
    assert "bad --point" in capsys.readouterr().err
    assert tool.main(["--eval", str(tmp_path), "--point", "full"]) == 1
    assert "no plv_train" in capsys.readouterr().err
