"""Watch rules: what should raise an alert, declared in YAML.

A rules file::

    rules:
      - name: usa-pak-low          # the dyad's monthly index at its lowest in 24 months
        kind: dyad_low
        dyad: [USA, PAK]
        lookback: 24
      - name: pak-strikes          # any ASSAULT in PAK with at least 5 killed
        kind: event
        plover: ASSAULT
        country: PAK
        killed_min: 5
      - name: chn-flips            # a sign flip in the alliance network involving CHN
        kind: sign_flip
        actor: CHN
        window_days: 365

Each rule yields :class:`Alert` candidates with a stable ``key``; the watcher
records a key once, so a rule fires once per finding however often it is checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

from dyadwatch.analytics import MIN_EVENTS, dyad_lows, dyad_series, realignments
from dyadwatch.errors import DyadwatchError, Errors, WatchError
from dyadwatch.store import Store
from dyadwatch.store.watch_tables import WatchTables

__all__ = ["Alert", "Rule", "check_rules", "load_rules"]

RuleKind = Literal["dyad_low", "event", "sign_flip"]
_FIELDS: dict[str, frozenset[str]] = {
    "dyad_low": frozenset({"dyad", "lookback", "freq", "min_events"}),
    "event": frozenset({"plover", "root", "country", "killed_min"}),
    "sign_flip": frozenset({"actor", "window_days", "min_events"}),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated rule; ``options`` holds the kind's own fields."""

    name: str
    kind: RuleKind
    options: dict[str, object] = field(hash=False)


@dataclass(frozen=True, slots=True)
class Alert:
    """A rule that fired, with the events behind it."""

    rule: str
    key: str
    message: str
    event_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "key": self.key, "message": self.message,
                "event_ids": list(self.event_ids)}  # fmt: skip


def load_rules(path: Path) -> tuple[Rule, ...]:
    """The rules of a YAML file; a bad rule raises WatchError DW705 with its file and line."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WatchError(Errors.DW705, path=path, detail=str(exc)) from exc
    items = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise WatchError(Errors.DW705, path=path, detail="expected a 'rules:' list")
    lines = _item_lines(root)
    rules = [
        _rule(item, path, lines[i] if i < len(lines) else None) for i, item in enumerate(items)
    ]
    if len({rule.name for rule in rules}) != len(rules):
        raise WatchError(Errors.DW705, path=path, detail="rule names must be unique")
    return tuple(rules)


def _item_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line + 1 for node in value.value]
    return []


def _rule(item: object, path: Path, line: int | None) -> Rule:
    def bad(detail: str) -> WatchError:
        return WatchError(Errors.DW705, path=path, line=line, detail=detail)

    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise bad("a rule needs a 'name'")
    kind = item.get("kind")
    if kind not in _FIELDS:
        raise bad(f"kind {kind!r} is not one of {sorted(_FIELDS)}")
    options = {k: v for k, v in item.items() if k not in ("name", "kind")}
    unknown = set(options) - _FIELDS[kind]
    if unknown:
        raise bad(f"unknown fields {sorted(unknown)} for kind {kind}")
    try:
        _CHECKS[kind](options)
    except (TypeError, ValueError) as exc:
        raise bad(str(exc)) from exc
    return Rule(item["name"], kind, options)


def _positive(options: dict[str, object], name: str, default: int) -> None:
    value = options.setdefault(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer")


def _code(options: dict[str, object], name: str, *, required: bool) -> None:
    value = options.get(name)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.isalnum():
        raise ValueError(f"{name} must be a code such as PAK")
    options[name] = value.upper()


def _check_low(options: dict[str, object]) -> None:
    dyad = options.get("dyad")
    if not (isinstance(dyad, list) and len(dyad) == 2 and all(isinstance(a, str) for a in dyad)):
        raise ValueError("dyad must be a pair such as [USA, PAK]")
    options["dyad"] = [str(a).upper() for a in dyad]
    _positive(options, "lookback", 24)
    _positive(options, "min_events", MIN_EVENTS)
    if options.setdefault("freq", "M") not in ("D", "W", "M", "Y"):
        raise ValueError("freq must be D, W, M or Y")


def _check_event(options: dict[str, object]) -> None:
    _code(options, "plover", required=False)
    _code(options, "country", required=False)
    root = options.get("root")
    if root is not None and not (isinstance(root, str) and root.isdigit() and len(root) == 2):
        raise ValueError("root must be a CAMEO root such as '18' (quoted)")
    killed = options.setdefault("killed_min", 0)
    if not isinstance(killed, int) or isinstance(killed, bool) or killed < 0:
        raise ValueError("killed_min must be an integer >= 0")


def _check_flip(options: dict[str, object]) -> None:
    _code(options, "actor", required=True)
    _positive(options, "window_days", 365)
    _positive(options, "min_events", 3)


def _int(options: dict[str, object], name: str) -> int:
    value = options[name]
    assert isinstance(value, int)  # checked at load
    return value


def _text(options: dict[str, object], name: str) -> str | None:
    value = options.get(name)
    return value if isinstance(value, str) else None


_CHECKS = {"dyad_low": _check_low, "event": _check_event, "sign_flip": _check_flip}


def check_rules(store: Store, rules: tuple[Rule, ...], new_docs: list[str]) -> list[Alert]:
    """Every alert the rules raise now; ``new_docs`` are the documents of this cycle.

    ``event`` rules look only at events of ``new_docs``; ``dyad_low`` fires when
    the dyad's latest period is its low; ``sign_flip`` compares the window
    ending at the latest event date with the window before it.
    """
    alerts: list[Alert] = []
    for rule in rules:
        if rule.kind == "event":
            alerts.extend(_events(store, rule, new_docs))
        elif rule.kind == "dyad_low":
            alerts.extend(_low(store, rule))
        else:
            alerts.extend(_flips(store, rule))
    return alerts


def _events(store: Store, rule: Rule, docs: list[str]) -> list[Alert]:
    if not docs:
        return []
    o = rule.options
    plover, root, country = _text(o, "plover"), _text(o, "root"), _text(o, "country")
    found = store.events_of_documents(
        docs, plover=plover, root=root, country=country, min_killed=_int(o, "killed_min")
    )
    alerts = []
    for event in found:
        source = event.source.code if event.source else None
        target = event.target.code if event.target else None
        killed = event.killed.max if event.killed else None
        text = (
            f"{rule.name}: {source}→{target} CAMEO {event.cameo} on {event.date} ({killed} killed)"
        )
        alerts.append(Alert(rule.name, f"{rule.name}|{event.id}", text, (event.id,)))
    return alerts


def _low(store: Store, rule: Rule) -> list[Alert]:
    o = rule.options
    dyad = o["dyad"]
    assert isinstance(dyad, list)  # checked at load
    a, b = str(dyad[0]), str(dyad[1])
    freq: Any = o["freq"]
    series = dyad_series(store, a, b, freq=freq)
    if series.empty:
        return []
    latest = pd.Timestamp(series["period"].max()).date()
    findings = dyad_lows(
        store, a, b, freq=freq, kind="low",
        lookback=_int(o, "lookback"), min_events=_int(o, "min_events"),
    )  # fmt: skip
    return [
        Alert(rule.name, f"{rule.name}|{f.period.isoformat()}", f.text, f.event_ids)
        for f in findings
        if f.period == latest
    ]


def _flips(store: Store, rule: Rule) -> list[Alert]:
    o = rule.options
    last = store.last_event_date()
    if last is None:
        return []
    span = dt.timedelta(days=_int(o, "window_days"))
    second = (last - span + dt.timedelta(days=1), last)
    first = (second[0] - span, second[0] - dt.timedelta(days=1))
    try:
        change = realignments(store, first, second, min_events=_int(o, "min_events"))
    except DyadwatchError:
        return []
    actor = _text(o, "actor")
    span_text = f"{second[0].isoformat()}..{second[1].isoformat()}"
    alerts = []
    for row in change.flips.itertuples(index=False):
        if actor not in (row.a, row.b):
            continue
        # A flip that persists must not fire again as the window slides; one that
        # reverses and comes back (cool, warm, cool) must, hence the window in the key.
        if _last_flip(store, rule.name, str(row.a), str(row.b)) == row.change:
            continue
        cited: Any = row.evidence
        ids = tuple(str(c.event_id) for c in cited)
        key = f"{rule.name}|{row.a}|{row.b}|{row.change}|{span_text}"
        moved = f"{row.net_coop_before:+.2f} → {row.net_coop_after:+.2f}"
        text = f"{rule.name}: {row.a}–{row.b} {row.change} ({moved}) in {span_text}"
        alerts.append(Alert(rule.name, key, text, ids))
    return alerts


def _last_flip(store: Store, rule: str, a: str, b: str) -> str | None:
    """The direction of the pair's latest recorded flip alert, if any."""
    prefix = f"{rule}|{a}|{b}|"
    key = WatchTables(store).last_alert_key(rule, prefix)
    if key is None:
        return None
    return key[len(prefix) :].split("|", 1)[0]
