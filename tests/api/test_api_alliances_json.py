"""``/alliances`` writes its network a column at a time: the same JSON as writing each
table cell by cell (``to_jsonable``), on a network with triads, both signs and
unscored edges."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from dyadwatch.analytics import alliances
from dyadwatch.api._queries import to_jsonable
from dyadwatch.api.routes_analytics import _network
from dyadwatch.model import Actor
from dyadwatch.store import Store, StoredEvent

_COUNTRIES = ("USA", "PAK", "IND", "CHN", "RUS", "IRN")
_CODES = (("042", 1.9, 1), ("057", 8.0, 2), ("111", -2.0, 3), ("190", -10.0, 4), ("010", None, 1))


def _events(n: int) -> list[StoredEvent]:
    rng = random.Random(5)
    found = []
    for i in range(n):
        a, b = rng.sample(_COUNTRIES, 2)
        cameo, goldstein, quad = rng.choice(_CODES)
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(365))
        found.append(
            StoredEvent(
                f"icews:n{i}",
                "icews",
                day,
                Actor(a, a, a),
                Actor(b, b, b),
                cameo,
                goldstein,
                quad,
                f"n{i}",
                num_mentions=1,
            )
        )
    return found


def test_api_alliances_json_equals_the_cell_by_cell_json(tmp_path: Path) -> None:
    with Store.open(tmp_path / "n.duckdb") as store:
        store.add_stored_events(_events(900))
        for refresh in (False, True):  # the events table, then the rollup
            if refresh:
                store.refresh_rollup()
            network = alliances(store, dt.date(2020, 1, 1), dt.date(2020, 12, 31), min_events=3)
            expected = to_jsonable(
                {
                    "start": network.start,
                    "end": network.end,
                    "nodes": sorted(str(node) for node in network.graph.nodes),
                    "edges": network.edges(),
                    "triads": network.triads(),
                    "tension": network.tension(),
                    "balance": network.balance(),
                }
            )
            found = _network(network)
            assert json.dumps(found) == json.dumps(expected)  # types too: 5 is not 5.0
            assert len(found["triads"]) > 3 and found["balance"] is not None
            assert {edge["sign"] for edge in found["edges"]} == {1, -1}
