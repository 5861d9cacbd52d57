"""``/events/{id}`` and ``/documents/{id}`` read in one statement each: the same
records as the separate reads they replace, for every stored event and document."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.store import Store


def test_api_point_reads_one_statement_matches_the_separate_reads(store_path: Path) -> None:
    with Store.open(store_path, read_only=True) as store:
        ids = [str(row[0]) for row in store.select("SELECT id FROM events")]
        assert any(i.startswith("gdelt2:") for i in ids) and len(ids) > 5
        for event_id in [*ids, "dyadwatch:unknown"]:
            event, score, mentions = store.explained_event(event_id)
            assert event == store.stored_event(event_id)
            assert score == store.event_scores([event_id]).get(event_id)
            assert [m.to_dict() for m in mentions] == store.mentions_of(event_id)
        docs = [str(row[0]) for row in store.select("SELECT id FROM documents")]
        for doc_id in docs:
            found = store.document_with_mentions(doc_id)
            assert found is not None
            assert found == (store.document(doc_id), store.document_mentions(doc_id))
        assert store.document_with_mentions("no-such-document") is None
