"""Watch rules: loading with file and line, and what fires."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.errors import WatchError
from dyadwatch.model import Actor
from dyadwatch.store import Store, StoredEvent
from dyadwatch.watch import Alert, Rule, WatchState, check_rules, load_rules, record_alerts

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
    assert low.options == {"dyad": ["IND", "PAK"], "lookback": 12, "min_events": 10, "freq": "M"}
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
    with Store.open() as store:
        state = WatchState(store)
        alert = Alert("r", "r|1", "something", ("e1",))
        assert record_alerts(state, [alert, alert]) == [alert]
        assert record_alerts(state, [alert]) == []
        assert check_rules(store, (), ["doc"]) == []
        rows = store.select("SELECT rule, event_ids, delivered FROM watch_alerts")
        assert rows == [("r", ["e1"], False)]
        assert dt.datetime.now() is not None


def _planted(day: dt.date, n: int, a: str, b: str, *, coop: bool, tag: str) -> list[StoredEvent]:
    """``n`` daily events of one pair from ``day``: verbal cooperation or mass violence."""
    first, second = Actor(a, a, a), Actor(b, b, b)
    cameo, goldstein, quad = ("042", 1.9, 1) if coop else ("190", -10.0, 4)
    days = [day + dt.timedelta(days=i) for i in range(n)]
    return [
        StoredEvent(
            f"icews:{tag}{i}", "icews", d, first, second, cameo, goldstein, quad, f"{tag}{i}"
        )
        for i, d in enumerate(days)
    ]


def _fire(store: Store, state: WatchState, rules: tuple[Rule, ...]) -> list[Alert]:
    return record_alerts(state, check_rules(store, rules, []))


def test_rules_sign_flip_fires_once_with_evidence_and_rearms(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: chn-flips\n    kind: sign_flip\n    actor: CHN\n"
                    "    window_days: 10\n")  # fmt: skip
    rules = load_rules(path)
    jan = dt.date(2020, 1, 1)
    with Store.open() as store:
        state = WatchState(store)
        # USA–CHN warm, then hostile ten days later; IND–PAK flips too but lacks CHN.
        store.add_stored_events(
            _planted(jan, 3, "USA", "CHN", coop=True, tag="a")
            + _planted(jan, 3, "IND", "PAK", coop=True, tag="p")
            + _planted(dt.date(2020, 1, 11), 3, "CHN", "USA", coop=False, tag="b")
            + _planted(dt.date(2020, 1, 11), 3, "IND", "PAK", coop=False, tag="q")
        )
        [cooled] = _fire(store, state, rules)
        assert cooled.key == "chn-flips|CHN|USA|cooled|2020-01-04..2020-01-13"
        assert "CHN–USA cooled" in cooled.message
        assert cooled.event_ids and set(cooled.event_ids) <= {"icews:b0", "icews:b1", "icews:b2"}
        assert _fire(store, state, rules) == []  # checked again: recorded already
        # One more hostile day slides the window: still cooled, so no second alert.
        store.add_stored_events(_planted(dt.date(2020, 1, 14), 1, "CHN", "USA", coop=False,
                                         tag="c"))  # fmt: skip
        assert _fire(store, state, rules) == []
        # Warm again, then cool again: each reversal fires, the second cooling too.
        store.add_stored_events(_planted(dt.date(2020, 1, 21), 3, "USA", "CHN", coop=True,
                                         tag="d"))  # fmt: skip
        [warmed] = _fire(store, state, rules)
        assert warmed.key == "chn-flips|CHN|USA|warmed|2020-01-14..2020-01-23"
        store.add_stored_events(_planted(dt.date(2020, 1, 31), 3, "CHN", "USA", coop=False,
                                         tag="e"))  # fmt: skip
        [again] = _fire(store, state, rules)
        assert again.key == "chn-flips|CHN|USA|cooled|2020-01-24..2020-02-02"
        assert set(again.event_ids) <= {"icews:e0", "icews:e1", "icews:e2"}
        keys = [row[0] for row in store.select("SELECT key FROM watch_alerts ORDER BY fired_at")]
        assert keys == [cooled.key, warmed.key, again.key]


def test_rules_sign_flip_without_events_or_history_is_quiet() -> None:
    rule = Rule("f", "sign_flip", {"actor": "CHN", "window_days": 10, "min_events": 3})
    with Store.open() as store:
        assert check_rules(store, (rule,), []) == []  # no events, no watch tables
        store.add_stored_events(_planted(dt.date(2020, 1, 1), 3, "USA", "CHN", coop=True, tag="a"))
        assert check_rules(store, (rule,), []) == []  # one window only: nothing to flip
