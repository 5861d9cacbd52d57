"""Values read out of a parsed document once and kept with it.

The coder reads some per-word facts of a document many times: its tree for
clause windows, its text for evidence, which words are capitalised, which can
be casualty words. Each is worked out on first request and kept in
``Doc.user_data``, which lives and dies with the doc. Kept values are plain
data (strings, numbers, lists of them), so a doc holding them still
serialises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from spacy.tokens import Doc

__all__ = ["kept"]

T = TypeVar("T")


def kept(doc: Doc, key: str, make: Callable[[Doc], T]) -> T:
    """``make(doc)``, worked out on the first request for ``key`` and kept with ``doc``.

    ``key`` names what ``make`` reads, inputs included: two makers must never
    share one. ``make`` must not return None.
    """
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = make(doc)
    return cast(T, found)
