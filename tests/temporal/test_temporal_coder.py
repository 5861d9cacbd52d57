"""The coder's events carry the temporal stage's date basis and future flag."""

from __future__ import annotations

import datetime as dt

from dyadwatch.coder.engine import Coder

PUBLISHED = dt.date(2019, 2, 27)  # a Wednesday


def test_temporal_coder_sets_date_basis(small_coder: Coder) -> None:
    text = (
        "India attacked Pakistan on 24 February. China urges India to show restraint. "
        "Two days later, Pakistan attacked India."
    )
    events = small_coder.code_text(text, PUBLISHED)
    bases = {e.sentence_index: (e.date, e.date_basis) for e in events}
    assert bases[0] == (dt.date(2019, 2, 24), "text")
    assert bases[1] == (PUBLISHED, "publication")  # a present appeal: stamped
    assert bases[2] == (dt.date(2019, 2, 26), "anchored")
    assert all(e.to_dict()["date_basis"] == e.date_basis for e in events)


def test_temporal_coder_flags_a_future_dated_event_hypothetical(small_coder: Coder) -> None:
    (future,) = small_coder.code_text("India meets Pakistan next Friday.", PUBLISHED)
    assert (future.cameo, future.date) == ("040", dt.date(2019, 3, 1))
    assert future.modality.hypothetical  # no modal says so: its date does
    (past,) = small_coder.code_text("India met Pakistan on Friday.", PUBLISHED)
    assert past.date == dt.date(2019, 2, 22)
    assert not past.modality.hypothetical
