"""Watch rules: loading with file and line, and what fires."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.errors import WatchError
from dyadwatch.store import Store
from dyadwatch.watch import WatchState, check_rules, load_rules, record_alerts

RULES = """\
rules:
  - name: ind-pak-low
    kind: dyad_low
    dyad: [ind, PAK]
    lookback: 12
  - name: pak-strikes
    kind: event
    plover: ASSAULT
    country: PAK
    killed_min: 5
  - name: chn-flips
    kind: sign_flip
    actor: CHN
"""


def test_rules_load_the_three_kinds_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    low, strike, flip = load_rules(path)
    assert low.options == {"dyad": ["IND", "PAK"], "lookback": 12, "min_events": 1, "freq": "M"}
    assert strike.kind == "event" and strike.options["killed_min"] == 5
    assert flip.options == {"actor": "CHN", "window_days": 365, "min_events": 3}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("  - name: x\n    kind: nope\n", "kind 'nope'"),
        ("  - name: x\n    kind: event\n    killed_min: -1\n", "killed_min"),
        ("  - name: x\n    kind: event\n    root: 18\n", "root"),
        ("  - name: x\n    kind: dyad_low\n    dyad: [USA]\n", "dyad"),
        ("  - name: x\n    kind: sign_flip\n    actor: CHN\n    colour: red\n", "unknown"),
        ("  - kind: event\n", "name"),
    ],
)
def test_rules_bad_rule_is_dw705_with_line(tmp_path: Path, rule: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: ok\n    kind: event\n" + rule)
    with pytest.raises(WatchError, match=message) as caught:
        load_rules(path)
    assert caught.value.code == "DW705"
    assert caught.value.line == 4


def test_rules_alerts_are_recorded_once_per_key(tmp_path: Path) -> None:
    from dyadwatch.watch import Alert

    with Store.open() as store:
        state = WatchState(store)
        alert = Alert("r", "r|1", "something", ("e1",))
        assert record_alerts(state, [alert, alert]) == [alert]
        assert record_alerts(state, [alert]) == []
        assert check_rules(store, (), ["doc"]) == []
        rows = store.select("SELECT rule, event_ids, delivered FROM watch_alerts")
        assert rows == [("r", ["e1"], False)]
        assert dt.datetime.now() is not None
