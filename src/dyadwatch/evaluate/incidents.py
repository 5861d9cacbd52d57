"""Incident identity on strike reports: one strike, one stored event.

Each report of a strike (one document per strike, dated on the strike day) is
coded and ingested into one fresh in-memory store, as ``dyadwatch ingest``
would. Then:

* violent events per strike: stored (deduplicated) CAMEO 18-20 events whose
  source is US-coded or names no country, over the number of strikes;
* cross-strike merges: stored events whose mentions come from two or more
  documents, each of which reports a different strike;
* ledger error: :func:`dyadwatch.analytics.ledger.coded_strikes` counted per
  country-year against the true count; the sum of absolute differences over
  the true number of strikes;
* misplaced: violent events placed in a country where no strike of the suite
  happened (or placed nowhere), over the violent events.

The records come from the caller (``bench/run_eval.py`` reads the suite); the
package never needs the suite.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dyadwatch.model import Document, Event
from dyadwatch.store import DedupRules, Store

__all__ = ["IncidentScore", "StrikeReport", "score_incidents", "violent_events"]

STRIKERS = ("USA",)
"""Source countries of the suite's strikes; a source with no country counts too."""


@dataclass(frozen=True, slots=True)
class StrikeReport:
    """One strike: its report, the day it happened and the ISO-3 countries it may be in."""

    id: str
    text: str
    date: dt.date
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IncidentScore:
    strikes: int
    violent: int
    """Stored violent events by the strikers (or an unnamed source)."""
    cross_merges: int
    ledger_error: int
    """Sum over country-years of |coded strikes - true strikes|."""
    misplaced: int
    """Violent events placed in a country with no strike, or placed nowhere."""
    unplaced: int
    """Of ``misplaced``: those placed nowhere."""
    errors: int
    """Reports the coder failed on (they count as coding nothing)."""

    @property
    def per_strike(self) -> float:
        return self.violent / self.strikes if self.strikes else 0.0

    @property
    def ledger_share(self) -> float:
        return self.ledger_error / self.strikes if self.strikes else 0.0

    @property
    def misplaced_share(self) -> float:
        return self.misplaced / self.violent if self.violent else 0.0


Code = Callable[[Document], list[Event]]

_VIOLENT = """
SELECT e.id, e.location_country FROM events e
WHERE e.provenance = 'dyadwatch' AND e.cameo_root IN ('18', '19', '20')
    AND (e.source_country IS NULL OR e.source_country IN (SELECT unnest($strikers)))
"""

_CROSS = """
SELECT count(*) FROM (
    SELECT l.event_id FROM event_links l JOIN event_mentions m ON m.id = l.mention_id
    GROUP BY l.event_id HAVING count(DISTINCT m.doc_id) > 1
)
"""


def violent_events(store: Store) -> list[tuple[str, str | None]]:
    """(id, place country) of the stored violent events of the strikers or of no one named."""
    rows = store.select(_VIOLENT.replace("$strikers", "?"), [list(STRIKERS)])
    return [(str(r[0]), r[1]) for r in rows]


def score_incidents(
    code: Code, reports: Sequence[StrikeReport], rules: DedupRules | None = None
) -> IncidentScore:
    """Code and ingest ``reports`` in order into a fresh store and score its events."""
    import pandas as pd

    from dyadwatch.analytics.ledger import coded_strikes
    from dyadwatch.errors import DyadwatchError

    errors = 0
    with Store.open(dedup=rules) as store:
        for report in reports:
            doc = Document(report.id, report.text, report.date)
            try:
                events = code(doc)
            except (DyadwatchError, ValueError, RuntimeError, IndexError, KeyError):
                events, errors = [], errors + 1
            store.add_document(doc, events)
        violent = violent_events(store)
        cross = int(store.select(_CROSS)[0][0])
        coded = coded_strikes(store)
        counted = Counter(
            ("?" if pd.isna(c) else str(c), int(y))
            for c, y in zip(coded["country"], coded["year"], strict=True)
        )
    truth = Counter((_first(r.countries), r.date.year) for r in reports)
    struck = {c for r in reports for c in r.countries}
    error = sum(abs(counted[key] - truth[key]) for key in set(counted) | set(truth))
    misplaced = sum(country is None or country not in struck for _, country in violent)
    unplaced = sum(country is None for _, country in violent)
    return IncidentScore(len(reports), len(violent), cross, error, misplaced, unplaced, errors)


def _first(countries: Iterable[str]) -> str:
    return next(iter(countries), "?")
