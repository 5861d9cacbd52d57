"""Loading the spaCy pipeline: done once, in one place, and passed on."""

from __future__ import annotations

import spacy
from spacy.language import Language

from dyadwatch.errors import Errors, ModelError
from dyadwatch.nlp.accelerate import accelerate

__all__ = ["REQUIRED_COMPONENTS", "load_pipeline"]

REQUIRED_COMPONENTS = ("tagger", "parser", "attribute_ruler", "lemmatizer")
"""What coding reads: tags, dependencies and lemmas. NER is not used."""


def load_pipeline(name: str, *, fast: bool = True) -> Language:
    """Load ``name`` with only the components coding needs enabled.

    ``fast`` swaps in :mod:`dyadwatch.nlp.accelerate`'s equivalent faster
    paths where the pipeline allows them (same annotations, less time).
    Raises ModelError (DW002) when the pipeline is not installed and DW003
    when it lacks a component the coder reads.
    """
    try:
        nlp = spacy.load(name, exclude=["ner"])
    except OSError as exc:
        raise ModelError(Errors.DW002, name=name) from exc
    for component in ("parser", "lemmatizer"):
        if component not in nlp.pipe_names:
            raise ModelError(Errors.DW003, name=name, component=component)
    if fast:
        accelerate(nlp)
    return nlp
