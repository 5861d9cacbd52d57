"""The modules the build compiles with mypyc, and the switch back to their source.

Coding a sentence runs a few thousand lines of plain Python (rule matching,
arguments, modality, places, dates, casualty figures); compiled by mypyc they
take a quarter to a third less time, with the same events (docs/BATCH.md, "Compiled
coder"). ``setup.py`` compiles the modules listed here unless the build runs
with ``DYADWATCH_PURE=1``.

``DYADWATCH_PURE=1`` at run time makes an installed build import these modules
from their Python source instead: for profilers and debuggers that cannot see
inside compiled functions, and for benchmarks that compare both in one run.

This file is read by ``setup.py`` before the package exists, so it imports
nothing but the standard library. ``python src/dyadwatch/_build.py`` prints the
source files, one a line (the Makefile rebuilds when one of them changes).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

__all__ = [
    "COMPILED",
    "PURE_VARIABLE",
    "compiled_modules",
    "pure_requested",
    "run_source",
    "source_beside",
    "source_files",
]

PURE_VARIABLE = "DYADWATCH_PURE"
_PURE_VALUES = {"1": True, "0": False, "": False}

COMPILED: tuple[str, ...] = (
    "dyadwatch._memo",
    "dyadwatch.nlp.kept",
    "dyadwatch.nlp.syntax",
    "dyadwatch.nlp.text",
    "dyadwatch.nlp.words",
    "dyadwatch.actors.matcher",
    "dyadwatch.coder.arguments",
    "dyadwatch.coder.coreference",
    "dyadwatch.coder.enrich",
    "dyadwatch.coder.modality",
    "dyadwatch.coder.rules",
    "dyadwatch.coder.sentence",
    "dyadwatch.coder.triggers",
    "dyadwatch.geo.mentions",
    "dyadwatch.geo.resolve",
    "dyadwatch.casualties.extract",
    "dyadwatch.casualties.numbers",
    "dyadwatch.temporal.attach",
    "dyadwatch.temporal.expressions",
)
"""The coder's per-sentence work. Left out on purpose: ``coder.engine`` (tests
and users subclass ``Coder``, which compiled classes forbid) and
``temporal.resolve`` (its tests replace a method on an instance)."""


def source_files(root: Path) -> list[Path]:
    """The Python file of each compiled module, under the folder holding ``dyadwatch``."""
    return [root.joinpath(*name.split(".")).with_suffix(".py") for name in COMPILED]


def compiled_modules() -> list[str]:
    """The modules of :data:`COMPILED` that this process imported compiled."""
    return [
        name
        for name in COMPILED
        if _is_extension_path(getattr(sys.modules.get(name), "__file__", None))
    ]


def source_beside(extension: str | Path, name: str) -> Path:
    """The ``.py`` file of module ``name`` in the folder of its compiled ``extension``."""
    return Path(extension).parent / (name.rpartition(".")[2] + ".py")


def pure_requested(environ: Mapping[str, str]) -> bool:
    """Whether ``DYADWATCH_PURE`` asks for plain Python: "1" yes; "0" or unset no.

    Any other value raises ValueError: a "true" read as no would leave the user
    believing they ran the source.
    """
    value = environ.get(PURE_VARIABLE, "")
    if value.strip() not in _PURE_VALUES:
        raise ValueError(f"{PURE_VARIABLE} must be 1 or 0, not {value!r}")
    return _PURE_VALUES[value.strip()]


def run_source() -> None:
    """Import the modules of :data:`COMPILED` from source if ``DYADWATCH_PURE=1``.

    Must run before any of them is imported: the package's ``__init__`` calls it
    first. It puts a finder on ``sys.meta_path`` (once per process), the import
    system's own hook for choosing where a module comes from. A value other
    than 1 or 0 raises ConfigError (DW001).
    """
    try:
        pure = pure_requested(os.environ)
    except ValueError as exc:
        # Imported here: setup.py reads this file before the package exists.
        from dyadwatch.errors import ConfigError, Errors

        value = os.environ.get(PURE_VARIABLE)
        raise ConfigError(
            Errors.DW001, name=PURE_VARIABLE, value=value, reason="must be 1 or 0"
        ) from exc
    if not pure:
        return
    if not any(isinstance(finder, _SourceFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder())


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds a compiled module's ``.py`` file where the path finder would take its ``.so``."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in COMPILED:
            return None
        found = importlib.machinery.PathFinder.find_spec(fullname, path)
        if found is None or not _is_extension_path(found.origin):
            return found
        source = source_beside(str(found.origin), fullname)
        return importlib.util.spec_from_file_location(fullname, source)


def _is_extension_path(origin: str | None) -> bool:
    return (origin or "").endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


if __name__ == "__main__":
    for file in source_files(Path(__file__).resolve().parents[1]):
        print(file)
