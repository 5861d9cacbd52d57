"""A gazetteer loaded once for the geo tests (built on first use, then cached)."""

from __future__ import annotations

import pytest

from dyadwatch.geo import Gazetteer, PlaceResolver, load_gazetteer


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def resolver(gazetteer: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gazetteer)
