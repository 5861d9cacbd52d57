"""Ontology data packages: the CAMEO event table and the CAMEO → PLOVER mapping."""

from dyadwatch.ontology.cameo import CameoCode, CameoOntology, load_cameo
from dyadwatch.ontology.plover import PLOVER_TYPES, PloverMapping, load_plover

__all__ = [
    "PLOVER_TYPES",
    "CameoCode",
    "CameoOntology",
    "PloverMapping",
    "load_cameo",
    "load_plover",
]
