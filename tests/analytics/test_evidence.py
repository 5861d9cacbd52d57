"""The citations of a statement: the events and the sentences that report them."""

from __future__ import annotations

from dyadwatch.analytics.evidence import cite, cite_each
from scored_store import event_id, scored_store


def test_evidence_cite_each_equals_cite_of_each_group() -> None:
    with scored_store() as store:
        ids = [str(row[0]) for row in store.select("SELECT id FROM events ORDER BY id")]
        groups = [ids[:2], [], [ids[-1], "dyadwatch:nowhere", ids[0]], ids[::-1]]
        found = cite_each(store, groups)
        assert found == [cite(store, group) for group in groups]
        assert found[1] == () and len(found[2]) == 2  # the unknown id left out
        first = cite(store, [event_id("sure-text")])[0]
        assert first.sentences and first.sentences == tuple(
            dict.fromkeys(m["sentence"] for m in store.mentions_of(first.event_id))
        )
        assert cite_each(store, []) == [] and cite(store, []) == ()
