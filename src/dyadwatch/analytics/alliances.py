"""The alliance network of a time window: who cooperates with whom, and where it strains.

Nodes are actors (countries by default); an undirected edge joins two actors
with at least ``min_events`` events between them in the window (both
directions), weighted by their net-cooperation index (see
:mod:`dyadwatch.analytics.series`) and signed: positive for mostly
cooperative, negative for mostly conflictual. Pairs whose index lies within
``±threshold`` are neutral and left out.

**Structural balance** (Heider; Cartwright and Harary): a triangle is balanced
when the product of its signs is positive (``+++``: three friends; ``+--``:
two friends with a common enemy) and unbalanced otherwise (``++-``, ``---``).
An actor's *tension* is the number of unbalanced triangles it sits in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from dyadwatch.analytics._sql import (
    ActorLevel,
    Scope,
    Window,
    check_choice,
    invalid,
    window,
)
from dyadwatch.analytics.evidence import cite, top_events
from dyadwatch.analytics.series import dyad_filter
from dyadwatch.store import Store
from dyadwatch.store._query import EventFilter

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "AllianceNetwork",
    "Realignment",
    "alliances",
    "balance_of",
    "realignments",
    "tension_of",
]

_EDGE_COLUMNS = ["a", "b", "events", "coop", "conflict", "net_coop", "goldstein_mean", "sign"]
_TRIAD_COLUMNS = ["a", "b", "c", "signs", "balanced"]


@dataclass(frozen=True, slots=True)
class AllianceNetwork:
    """A signed, weighted ``networkx.Graph`` of one window, and its balance.

    Edge attributes: ``events``, ``coop``, ``conflict``, ``net_coop`` (the
    weight), ``goldstein_mean`` and ``sign`` (+1/−1). Treat ``graph`` as
    read-only: the tables below are computed from it on demand.
    """

    start: dt.date
    end: dt.date
    graph: nx.Graph

    def edges(self) -> pd.DataFrame:
        """One row per edge, columns a, b (a < b), events, coop, conflict, net_coop,
        goldstein_mean, sign; strongest first."""
        rows = [
            [a, b, *(d[c] for c in _EDGE_COLUMNS[2:])]
            for a, b, d in (self._ordered(u, v, d) for u, v, d in self.graph.edges(data=True))
        ]
        frame = pd.DataFrame(rows, columns=_EDGE_COLUMNS)
        order = frame["net_coop"].abs().sort_values(ascending=False, kind="stable").index
        return frame.loc[order].reset_index(drop=True)

    @staticmethod
    def _ordered(u: str, v: str, data: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        return (u, v, data) if u < v else (v, u, data)

    def triads(self) -> pd.DataFrame:
        """Every triangle: a < b < c, ``signs`` of ab, ac, bc (e.g. ``+-+``), ``balanced``."""
        rows = [[a, b, c, signs, _balanced(signs)] for a, b, c, signs in self._triangles()]
        return pd.DataFrame(rows, columns=_TRIAD_COLUMNS)

    def _triangles(self) -> Iterator[tuple[str, str, str, str]]:
        graph = self.graph
        for a in sorted(graph):
            later = sorted(n for n in graph[a] if n > a)
            for i, b in enumerate(later):
                for c in later[i + 1 :]:
                    if graph.has_edge(b, c):
                        yield a, b, c, _signs(graph, (a, b), (a, c), (b, c))

    def balance(self) -> float | None:
        """The share of balanced triangles (None without any triangle)."""
        return balance_of(self.triads())

    def tension(self) -> pd.DataFrame:
        """Columns actor, unbalanced, triads, share (unbalanced / triads), most tense first."""
        return tension_of(self.triads())


def tension_of(triads: pd.DataFrame) -> pd.DataFrame:
    """:meth:`AllianceNetwork.tension` from its :meth:`~AllianceNetwork.triads`: for a
    caller that has them already (listing a year's triangles costs tens of ms)."""
    total: Counter[str] = Counter()
    strained: Counter[str] = Counter()
    for a, b, c, balanced in zip(
        triads["a"], triads["b"], triads["c"], triads["balanced"], strict=True
    ):
        total.update((a, b, c))
        if not balanced:
            strained.update((a, b, c))
    rows = [[n, strained[n], total[n], strained[n] / total[n]] for n in total]
    frame = pd.DataFrame(rows, columns=["actor", "unbalanced", "triads", "share"])
    return frame.sort_values(
        ["unbalanced", "share", "actor"], ascending=[False, False, True]
    ).reset_index(drop=True)


def balance_of(triads: pd.DataFrame) -> float | None:
    """The share of balanced triangles of :meth:`AllianceNetwork.triads` (None without
    any): for a caller that has the triads already."""
    return None if triads.empty else float(triads["balanced"].mean())


def _signs(graph: nx.Graph, *pairs: tuple[str, str]) -> str:
    return "".join("+" if graph.edges[p]["sign"] > 0 else "-" for p in pairs)


def _balanced(signs: str) -> bool:
    return signs.count("-") % 2 == 0


def alliances(
    store: Store,
    start: dt.date,
    end: dt.date,
    *,
    min_events: int = 3,
    threshold: float = 0.0,
    provenance: str | None = None,
    actor_level: ActorLevel = "country",
    **scope: Unpack[Scope],
) -> AllianceNetwork:
    """The alliance network of events dated ``start`` to ``end`` (inclusive).

    ``actor_level="code"`` makes nodes of full actor codes (PAKMIL, USAGOV)
    instead of countries; ``min_confidence`` and ``date_basis`` choose the
    events read (:class:`~dyadwatch.analytics._sql.Scope`). Bad values raise
    StoreError DW303.
    """
    import networkx as nx  # imported here: `import dyadwatch` should stay light

    start, end = window("window", (start, end))
    level = check_choice("actor_level", actor_level, ("country", "code"))
    if not isinstance(min_events, int) or isinstance(min_events, bool) or min_events < 1:
        invalid("min_events", min_events, "expected a positive integer")
    if not isinstance(threshold, int | float) or not 0 <= threshold < 1:
        invalid("threshold", threshold, "expected a number in [0, 1)")
    pairs = _pairs(store, start, end, level, provenance, scope)
    graph = nx.Graph()
    for row in pairs.to_dict("records"):
        net = float(row["net_coop"])
        if row["events"] >= min_events and abs(net) > threshold:
            graph.add_edge(
                row["a"], row["b"], events=int(row["events"]), coop=int(row["coop"]),
                conflict=int(row["conflict"]), net_coop=net,
                goldstein_mean=_float(row["goldstein_mean"]), sign=1 if net > 0 else -1,
            )  # fmt: skip
    return AllianceNetwork(start, end, graph)


def _pairs(
    store: Store, start: dt.date, end: dt.date, level: str, provenance: str | None, scope: Scope
) -> pd.DataFrame:
    chosen = EventFilter.of(EventFilter(provenance=provenance), **scope)  # DW303 for bad values
    frame = store.pair_totals(start, end, chosen, level=level)
    scored = frame["coop"] + frame["conflict"]
    frame["net_coop"] = (frame["coop"] - frame["conflict"]) / scored.where(scored > 0)
    return frame.dropna(subset=["net_coop"])


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


@dataclass(frozen=True, slots=True)
class Realignment:
    """What changed between two windows' alliance networks.

    ``flips``: pairs joined in both windows whose sign flipped; columns a, b,
    net_coop_before, net_coop_after, change (``warmed``/``cooled``), and
    ``evidence``: citations of the second window's events that drove the change
    (most conflictual for a cooling, most cooperative for a warming).
    ``triads``: triangles present in both windows whose balance changed;
    columns a, b, c, signs_before, signs_after, moved (``toward balance``/
    ``away from balance``).
    """

    first: AllianceNetwork
    second: AllianceNetwork
    flips: pd.DataFrame
    triads: pd.DataFrame

    def statements(self) -> list[str]:
        """One sentence per flip and per triangle that moved toward balance."""
        lines = [
            f"{r.a}–{r.b} {r.change} ({r.net_coop_before:+.2f} → {r.net_coop_after:+.2f})"
            for r in self.flips.itertuples(index=False)
        ]
        for r in self.triads.itertuples(index=False):
            if r.moved == "toward balance":
                lines.append(
                    f"{r.a}–{r.b}–{r.c} moved toward balance ({r.signs_before} → {r.signs_after})"
                )
        return lines


def realignments(
    store: Store,
    window1: Window,
    window2: Window,
    **options: Any,
) -> Realignment:
    """Compare the networks of two ``(start, end)`` windows; ``options`` go to
    :func:`alliances` (min_events, threshold, provenance, actor_level,
    min_confidence, date_basis); the evidence of a flip obeys the same filters."""
    first = alliances(store, *window("window1", window1), **options)
    second = alliances(store, *window("window2", window2), **options)
    scope = Scope(
        min_confidence=options.get("min_confidence"), date_basis=options.get("date_basis")
    )
    flips = _with_evidence(store, _flips(first, second), second, options.get("provenance"), scope)
    return Realignment(first, second, flips, _moved_triads(first, second))


def _with_evidence(
    store: Store, flips: pd.DataFrame, after: AllianceNetwork, provenance: str | None,
    scope: Scope,
) -> pd.DataFrame:  # fmt: skip
    """Each flip with the events of the later window that drove it."""
    evidence = []
    for row in flips.itertuples(index=False):
        where = dyad_filter(str(row.a), str(row.b), provenance=provenance, **scope)
        cooled = str(row.change) == "cooled"
        ids = top_events(store, where, after.start, after.end, lowest=cooled)
        evidence.append(cite(store, ids))
    return flips.assign(evidence=pd.Series(evidence, index=flips.index, dtype=object))


def _flips(first: AllianceNetwork, second: AllianceNetwork) -> pd.DataFrame:
    rows = []
    for u, v, after in second.graph.edges(data=True):
        if first.graph.has_edge(u, v):
            before = first.graph.edges[u, v]
            if before["sign"] != after["sign"]:
                a, b = sorted((u, v))
                change = "warmed" if after["sign"] > 0 else "cooled"
                rows.append([a, b, before["net_coop"], after["net_coop"], change])
    columns = ["a", "b", "net_coop_before", "net_coop_after", "change"]
    return pd.DataFrame(rows, columns=columns).sort_values(["a", "b"]).reset_index(drop=True)


def _moved_triads(first: AllianceNetwork, second: AllianceNetwork) -> pd.DataFrame:
    before = {(a, b, c): s for a, b, c, s in first._triangles()}
    rows = []
    for a, b, c, after in second._triangles():
        was = before.get((a, b, c))
        if was is not None and _balanced(was) != _balanced(after):
            moved = "toward balance" if _balanced(after) else "away from balance"
            rows.append([a, b, c, was, after, moved])
    columns = ["a", "b", "c", "signs_before", "signs_after", "moved"]
    return pd.DataFrame(rows, columns=columns)
