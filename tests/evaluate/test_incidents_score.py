"""The incident bench (evaluate/incidents.py) on reports written for the test."""

from __future__ import annotations

import datetime as dt

from dyadwatch.coder.engine import Coder
from dyadwatch.evaluate.incidents import StrikeReport, score_incidents

DAY = dt.date(2011, 3, 8)  # a Tuesday


def test_incidents_score_counts_events_merges_ledger_and_places(builtin_coder: Coder) -> None:
    reports = [
        StrikeReport("a", "A U.S. drone strike killed four men in Kurram on Tuesday. The "
                     "strike hit a car.", DAY, ("PAK",)),
        StrikeReport("b", "A drone strike killed two people in Shabwa province of Yemen on "
                     "Tuesday.", DAY, ("YEM",)),
        StrikeReport("c", "Five people were killed in a drone strike on Tuesday.", DAY, ("PAK",)),
    ]  # fmt: skip
    score = score_incidents(builtin_coder.code_document, reports)
    assert (score.strikes, score.violent, score.cross_merges, score.errors) == (3, 3, 0, 0)
    assert score.per_strike == 1.0
    # "c" names no place: it is counted under no country, so the ledger misses
    # a Pakistani strike and has one strike too many under NA.
    assert (score.misplaced, score.unplaced) == (1, 1)
    assert score.ledger_error == 2
