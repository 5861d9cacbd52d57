"""Loading a script of bench/ or tools/ as a module, for the tests of those scripts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_tool(path: Path) -> ModuleType:
    """The script at ``path`` as a module named by its stem.

    Its folder is on ``sys.path`` while it loads, because the scripts import
    their neighbours (``type_misses``, ``fallback_news``); the module is kept
    in ``sys.modules``, where its dataclasses look their module up.
    """
    folder = str(path.parent)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
    finally:
        if added:
            sys.path.remove(folder)
    return module
