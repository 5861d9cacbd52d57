"""Places for events: a gazetteer and the resolver that ties a place to its event.

``load_gazetteer()`` builds (or reads from its cache) the index of countries,
ISO 3166-2 subdivisions and GeoNames cities; ``PlaceResolver.locate`` gives an
event's ``Location`` from its trigger token; ``document_focus`` the place a
document is about. See docs/PLACES.md.
"""

from __future__ import annotations

from dyadwatch.geo.gazetteer import Gazetteer, Place, district_names, load_gazetteer
from dyadwatch.geo.mentions import PlaceMention, find_mentions
from dyadwatch.geo.resolve import PlaceContext, PlaceResolver, choose, document_focus

__all__ = [
    "Gazetteer",
    "Place",
    "PlaceContext",
    "PlaceMention",
    "PlaceResolver",
    "choose",
    "district_names",
    "document_focus",
    "find_mentions",
    "load_gazetteer",
]
