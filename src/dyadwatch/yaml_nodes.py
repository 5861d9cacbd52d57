"""Reading our YAML knowledge files as node trees, so errors can name a line.

Every data file dyadwatch ships (lexicon, casualty words, …) is composed, not
loaded, so a bad entry can be reported as DW207 with its file and line.
"""

from __future__ import annotations

import yaml

from dyadwatch.errors import DictionaryError, Errors

__all__ = ["compose_knowledge"]


def compose_knowledge(text: str, path: str, *, what: str = "file") -> yaml.Node:
    """The YAML node tree of ``text``; DW207 naming ``path`` and the line if it
    is not YAML or is empty (``what`` names the file's kind in the message)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DictionaryError(
            Errors.DW207, path=path, line=line, detail=f"not valid YAML: {exc}"
        ) from exc
    if root is None:
        raise DictionaryError(Errors.DW207, path=path, line=1, detail=f"empty {what}")
    return root
