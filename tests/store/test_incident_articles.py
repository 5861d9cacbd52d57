"""Cross-article identity on articles written for this test (issue 24).

The same strike told by two to four outlets, in different words, with
different tolls and place detail, beside distinct incidents of the same day in
the same province (and one in the same district by other hands). Every
article goes through the built-in coder and into one store; pairs of articles
are then scored: predicted the same incident when their violent mentions
share a stored event.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Document
from dyadwatch.store import DedupRules, Store

DAY = dt.date(2012, 5, 22)  # a Tuesday
NEXT = DAY + dt.timedelta(days=1)

ARTICLES: tuple[tuple[str, dt.date, str], ...] = (
    ("kurram", DAY, "A suspected U.S. drone strike killed two people in the Kurram district "
     "of Pakistan on Tuesday, local officials said."),
    ("kurram", NEXT, "Two suspected militants were killed when a U.S. drone fired missiles at "
     "a compound in Kurram on Tuesday."),
    ("kurram", NEXT, "Officials in Parachinar said a drone strike in the Kurram tribal district "
     "killed three people and wounded one on Tuesday."),
    ("waziristan", DAY, "A U.S. drone strike killed five militants in North Waziristan on "
     "Tuesday."),
    ("waziristan", NEXT, "Five people died when missiles from an American drone hit a vehicle "
     "near Miranshah in North Waziristan on Tuesday."),
    ("wana", DAY, "At least ten people were killed when a U.S. drone strike hit a house near "
     "Wana in South Waziristan on Tuesday."),
    ("wana", NEXT, "A drone strike on a house in Wana killed 12 militants on Tuesday, "
     "Pakistani officials said."),
    ("marib", DAY, "A U.S. drone strike killed three suspected al Qaeda militants in Marib "
     "province of Yemen on Tuesday."),
    ("marib", DAY, "An American drone fired on a car in Marib on Tuesday, killing three men, "
     "tribal sources said."),
    ("marib", NEXT, "Three alleged militants were killed in a drone strike in Yemen's Marib "
     "province, residents said on Tuesday."),
    ("marib", NEXT, "A drone strike killed at least four people in Marib, Yemen on Tuesday, "
     "officials said."),
    ("shabwa", DAY, "A U.S. drone strike killed two men travelling in a car in Shabwa "
     "province on Tuesday."),
    ("shabwa", NEXT, "Two suspected militants died in a drone strike in Shabwa, Yemen, on "
     "Tuesday."),
    ("police", DAY, "Gunmen shot dead four policemen at a checkpoint in Kurram on Tuesday."),
    ("police", NEXT, "Four policemen were killed by gunmen in the Kurram district on Tuesday."),
)  # fmt: skip
"""(incident, publication day, text): five drone strikes, one shooting, 15 articles."""


def _events_per_article(coder: Coder, store: Store) -> list[set[str]]:
    """The stored events each article's violent mentions are linked to."""
    linked: list[set[str]] = []
    for n, (_, day, text) in enumerate(ARTICLES):
        doc = Document(f"article-{n}", text, day, url=f"https://outlet{n % 4}.example/{n}")
        events = coder.code_document(doc)
        store.add_document(doc, events)
        violent = [e.id for e in events if e.cameo_root in ("18", "19", "20")]
        rows = store.select(
            "SELECT DISTINCT event_id FROM event_links WHERE mention_id IN (SELECT unnest(?))",
            [violent],
        )
        linked.append({str(r[0]) for r in rows})
    return linked


def pair_scores(linked: Sequence[set[str]]) -> tuple[float, float]:
    """Merge precision and recall over pairs of articles."""
    same = predicted = both = 0
    for i, j in itertools.combinations(range(len(ARTICLES)), 2):
        gold = ARTICLES[i][0] == ARTICLES[j][0]
        guess = bool(linked[i] & linked[j])
        same += gold
        predicted += guess
        both += gold and guess
    return (both / predicted if predicted else 1.0), both / same


@pytest.mark.parametrize("rules", [DedupRules()], ids=["default-rules"])
def test_incident_articles_merge_precision_and_recall(
    builtin_coder: Coder, rules: DedupRules
) -> None:
    with Store.open(dedup=rules) as store:
        linked = _events_per_article(builtin_coder, store)
    assert all(linked), "every article tells an act of violence"
    precision, recall = pair_scores(linked)
    assert precision >= 0.95
    assert recall >= 0.9


def test_incident_articles_one_event_per_article(builtin_coder: Coder) -> None:
    """Each article, itself one incident, stores one violent event."""
    with Store.open() as store:
        linked = _events_per_article(builtin_coder, store)
    assert [len(events) for events in linked] == [1] * len(ARTICLES)


def test_incident_articles_scores_count_pairs() -> None:
    apart = [{str(n)} for n in range(len(ARTICLES))]
    assert pair_scores(apart) == (1.0, 0.0)
    together = [{"one"}] * len(ARTICLES)
    precision, recall = pair_scores(together)
    assert recall == 1.0 and precision < 0.2
