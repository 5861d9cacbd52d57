"""Reading our YAML knowledge files as node trees, so errors can name a line.

Every data file dyadwatch ships (lexicon, casualty words, …) is composed, not
loaded, so a bad entry can be reported as DW207 with its file and line.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from dyadwatch.errors import DictionaryError, Errors

__all__ = ["compose_knowledge", "knowledge_error", "mapping_fields"]


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


def knowledge_error(path: str, node: yaml.Node, detail: str) -> DictionaryError:
    """DW207 naming ``path`` and the line of ``node``."""
    return DictionaryError(Errors.DW207, path=path, line=node.start_mark.line + 1, detail=detail)


def mapping_fields(
    node: yaml.Node,
    *,
    path: str,
    key: Callable[[yaml.Node], str],
    allowed: frozenset[str] | None = None,
    required: tuple[str, ...] = (),
) -> dict[str, yaml.Node]:
    """The value nodes of a mapping node by key, each key read by ``key``.

    DW207 naming ``path`` and the line when ``node`` is not a mapping, a key is
    not ``allowed`` (None: any key), repeats, or a ``required`` key is missing.
    """
    if not isinstance(node, yaml.MappingNode):
        raise knowledge_error(path, node, "expected a mapping")
    found: dict[str, yaml.Node] = {}
    for key_node, value in node.value:
        name = key(key_node)
        if allowed is not None and name not in allowed:
            detail = f"unknown key {name!r} (allowed: {', '.join(sorted(allowed))})"
            raise knowledge_error(path, key_node, detail)
        if name in found:
            raise knowledge_error(path, key_node, f"duplicate key {name!r}")
        found[name] = value
    for name in required:
        if name not in found:
            raise knowledge_error(path, node, f"missing key {name!r}")
    return found
