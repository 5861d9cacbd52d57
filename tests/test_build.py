"""The compiled build: which modules are compiled, fresh, and coding as their source does."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dyadwatch import _build
from dyadwatch.coder.engine import Coder

SRC = Path(__file__).resolve().parents[1] / "src"
DEMO = SRC / "dyadwatch/demo/corpus.jsonl"

# Codes demo briefs and prints the events and which modules ran compiled.
_CODE_DEMO = """
import json, sys
from dyadwatch import Coder, _build
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")][:40]
events = [[e.to_dict() for e in found] for found in Coder.builtin().code_texts(texts)]
print(json.dumps({"compiled": _build.compiled_modules(), "events": events}, default=str))
"""


def _imported() -> list[str]:
    for name in _build.COMPILED:
        importlib.import_module(name)
    return _build.compiled_modules()


def test_every_listed_module_is_compiled_unless_the_build_is_pure() -> None:
    """`make` builds them all; a build without them must say so (DYADWATCH_PURE=1)."""
    compiled = _imported()
    if _build.pure_requested(os.environ):
        assert compiled == []
    else:
        assert compiled == list(_build.COMPILED), (
            "some modules run from source: rebuild with `make test` "
            "(or `pip install -e .`), or set DYADWATCH_PURE=1 for a pure build"
        )


def test_no_compiled_module_is_older_than_its_source() -> None:
    """An edit after the build would be silently ignored: the extension wins the import."""
    stale = []
    for name in _imported():
        built = Path(str(sys.modules[name].__file__))
        if _build.source_beside(built, name).stat().st_mtime > built.stat().st_mtime:
            stale.append(name)
    assert stale == [], f"rebuild with `make test` (or `pip install -e .`): {stale}"


def test_source_files_are_the_listed_modules() -> None:
    files = _build.source_files(SRC)
    assert all(f.is_file() for f in files)
    names = [".".join(f.relative_to(SRC).with_suffix("").parts) for f in files]
    assert names == list(_build.COMPILED)


@pytest.mark.parametrize(
    ("value", "pure"), [("1", True), ("0", False), ("", False), (" 1 ", True), (None, False)]
)
def test_pure_requested_reads_one_and_zero(value: str | None, pure: bool) -> None:
    environ = {} if value is None else {_build.PURE_VARIABLE: value}
    assert _build.pure_requested(environ) is pure


@pytest.mark.parametrize("value", ["true", "yes", "2", "pure"])
def test_pure_requested_refuses_other_values(value: str) -> None:
    with pytest.raises(ValueError, match="must be 1 or 0"):
        _build.pure_requested({_build.PURE_VARIABLE: value})


def test_a_bad_pure_value_stops_the_import_with_dw001() -> None:
    env = {**os.environ, _build.PURE_VARIABLE: "true"}
    run = subprocess.run(
        [sys.executable, "-c", "import dyadwatch"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode != 0
    assert "DW001" in run.stderr
    assert "DYADWATCH_PURE" in run.stderr


@pytest.mark.slow
def test_the_pure_switch_runs_the_source_and_codes_the_same_events(
    scored_coder: Coder, tmp_path: Path
) -> None:
    """DYADWATCH_PURE=1 imports every listed module from its .py, with the same events."""
    script = tmp_path / "code_demo.py"
    script.write_text(_CODE_DEMO, encoding="utf-8")
    env = {**os.environ, _build.PURE_VARIABLE: "1"}
    run = subprocess.run(
        [sys.executable, str(script), str(DEMO)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    pure = json.loads(run.stdout)
    assert pure["compiled"] == []
    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    here = [[e.to_dict() for e in found] for found in scored_coder.code_texts(texts[:40])]
    assert sum(map(len, here)) > 40  # briefs with events to compare
    assert pure["events"] == json.loads(json.dumps(here, default=str))
