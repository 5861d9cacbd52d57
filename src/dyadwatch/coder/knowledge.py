"""The knowledge a coder runs with, bundled and built once."""

from __future__ import annotations

from dataclasses import dataclass, field

from dyadwatch.actors.dictionary import ActorDictionary
from dyadwatch.coder.coreference import AttackKnowledge, load_attack_knowledge
from dyadwatch.coder.modality import ClauseKnowledge
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.ontology.cameo import CameoOntology
from dyadwatch.ontology.plover import PloverMapping

__all__ = ["MATERIAL_ROOTS", "Knowledge"]

MATERIAL_ROOTS = frozenset({"14", "15", "17", "18", "19", "20"})
"""Protest, force posture, coercion and violence: reported even when the doer
is unnamed, because who was hit, and how, is news in itself."""


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Actors, trigger rules, clause knowledge and the two ontologies."""

    actors: ActorDictionary
    rules: tuple[TriggerRule, ...]
    clauses: ClauseKnowledge
    cameo: CameoOntology
    plover: PloverMapping
    sourceless_roots: frozenset[str] = MATERIAL_ROOTS
    """CAMEO roots coded even when no source is named ("four were killed in a
    drone strike"); the source is then the unknown actor ``---``."""
    recode_intent: bool = True
    """Recode future, intended, threatened and refused events as 03x/13x/12x.

    PETRARCH dictionaries carry their own patterns for these ("- WILL *"), so a
    coder running them turns this off and codes each verb as its dictionary says.
    """
    attacks: AttackKnowledge = field(default_factory=load_attack_knowledge)
    """Words that tie one sentence's attack to another's toll (``data/attacks.yaml``)."""
