"""The overview's latest mentions come from the hub's summaries: read once, then
followed after a write (here with no grace period)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from api_support import ApiClient

from dyadwatch.model import Actor, Document, Event, Evidence, Modality, PloverCode
from dyadwatch.store import Store
from dyadwatch.web import create_app


def _report(text: str) -> tuple[Document, list[Event]]:
    doc = Document.from_text(text, date=dt.date(2022, 3, 9), url="https://news.example/a")
    event = Event(
        id=f"{doc.id}-0", doc_id=doc.id, sentence_index=0, sentence=text,
        source=Actor("Ruritanian army", "RURMIL", "RUR", "MIL"),
        target=Actor("Freedonia", "FRE", "FRE"), cameo="190", goldstein=-10.0, quad=4,
        plover=PloverCode("FIGHT"), evidence=Evidence((16, 22), (0, 15)),
        modality=Modality(), date=dt.date(2022, 3, 9), date_precision="day",
    )  # fmt: skip
    return doc, [event]


def test_web_overview_latest_mentions_follow_a_write(tmp_path: Path) -> None:
    path = tmp_path / "latest.duckdb"
    Store.open(path).close()
    app = create_app(path, token="t0k3n-for-tests")
    hub = app.state.hub
    hub.summary_max_age = 0.0  # no grace: the next request after a write recomputes
    client = ApiClient(app)
    try:
        assert "Nothing stored yet." in client.get("/ui/").text
        with hub.writing() as store:
            store.add_documents([_report("Ruritanian troops shelled a Freedonian border post.")])
        page = client.get("/ui/").text
        assert "Nothing stored yet." not in page
        assert "Freedonian border post" in page
    finally:
        hub.close()
