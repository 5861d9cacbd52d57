"""Self-coded events of known confidence and date basis, stored the way ingest stores them.

One document per event, so each founds its own deduplicated event. USA–PAK:

| mention | date | code | confidence | date_basis |
|---|---|---|---|---|
| sure-text | 2021-01-10 | 042 (visit) | 0.9 | text |
| mid-anchored | 2021-02-10 | 042 (visit) | 0.6 | anchored |
| weak-publication | 2021-03-10 | 190 (force) | 0.3 | publication |
| sure-publication | 2021-04-10 | 190 (force) | 0.8 | publication |
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dyadwatch.model import Actor, DateBasis, Document, Event, Evidence, PloverCode
from dyadwatch.store import Store

USA = Actor("Washington", "USA", "USA", None, "United States")
PAK = Actor("Islamabad", "PAK", "PAK", None, "Pakistan")

ROWS: tuple[tuple[str, dt.date, str, float, DateBasis], ...] = (
    ("sure-text", dt.date(2021, 1, 10), "042", 0.9, "text"),
    ("mid-anchored", dt.date(2021, 2, 10), "042", 0.6, "anchored"),
    ("weak-publication", dt.date(2021, 3, 10), "190", 0.3, "publication"),
    ("sure-publication", dt.date(2021, 4, 10), "190", 0.8, "publication"),
)
_KINDS = {
    "042": (1.9, 1, PloverCode("CONSULT", "visit", ())),
    "190": (-10.0, 4, PloverCode("ASSAULT", None, ())),
}


def scored_event(
    doc: Document, name: str, day: dt.date, cameo: str, confidence: float, basis: DateBasis
) -> Event:
    goldstein, quad, plover = _KINDS[cameo]
    return Event(
        id=f"{name}-0", doc_id=doc.id, sentence_index=0, sentence=doc.text,
        source=USA, target=PAK, cameo=cameo, goldstein=goldstein, quad=quad, plover=plover,
        evidence=Evidence((11, 18), (0, 10), (19, 28)), date=day, date_precision="day",
        date_basis=basis, confidence=confidence, rule=f"triggers.yaml:{cameo}",
        next_type="ACCUSE", next_type_probability=round(1 - confidence, 2),
    )  # fmt: skip


def scored_documents() -> list[tuple[Document, list[Event]]]:
    batch = []
    for name, day, cameo, confidence, basis in ROWS:
        doc = Document.from_text(f"Washington {name} Islamabad.", date=day, doc_id=name)
        batch.append((doc, [scored_event(doc, name, day, cameo, confidence, basis)]))
    return batch


def scored_store(path: Path | str = ":memory:") -> Store:
    store = Store.open(path)
    store.add_documents(scored_documents())
    return store


def event_id(name: str) -> str:
    """The deduplicated event a mention of ``ROWS`` founded."""
    return f"dyadwatch:{name}-0"


def history_documents(
    calm: int = 15, tense: int = 2, per_month: int = 10
) -> list[tuple[Document, list[Event]]]:
    """USA–PAK from January 2019: ``calm`` months of visits dated by their own words
    (confidence 0.9), then ``tense`` months of uses of force dated only by their
    publication stamp (confidence 0.3); ``per_month`` events a month, three days
    apart so that none is taken for another's report."""
    batch = []
    for index in range(calm + tense):
        year, month = 2019 + index // 12, index % 12 + 1
        cameo, confidence, basis = (
            ("042", 0.9, "text") if index < calm else ("190", 0.3, "publication")
        )
        for k in range(per_month):
            day = dt.date(year, month, 1 + 3 * k)
            name = f"h{index}-{k}"
            doc = Document.from_text(f"Washington {name} Islamabad.", date=day, doc_id=name)
            event = scored_event(doc, name, day, cameo, confidence, basis)  # type: ignore[arg-type]
            batch.append((doc, [event]))
    return batch


def history_store(path: Path | str = ":memory:") -> Store:
    store = Store.open(path)
    store.add_documents(history_documents())
    return store
