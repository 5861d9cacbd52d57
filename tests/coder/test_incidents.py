"""One incident, one event: a document's mentions of one act of violence (issue 24)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.coder.incidents import compatible_codes, resolve_incidents
from dyadwatch.model import Actor, Event, Evidence, Location, Modality, Range, Size

DAY = dt.date(2012, 5, 22)  # a Tuesday
KURRAM = Location("Kurram", "PAK", "PK-KP", 33.7, 70.1, "city")
LAGHMAN = Location("Laghman", "AFG", "AF-LAG", 34.7, 70.2, "adm1")


def violent(builtin_coder: Coder, text: str) -> list[Event]:
    return [e for e in builtin_coder.code_text(text, DAY) if e.cameo_root in ("18", "19", "20")]


def test_incidents_readings_of_one_target_become_one_actor(builtin_coder: Coder) -> None:
    (event,) = violent(
        builtin_coder, "A suspected U.S. drone strike killed two people in the Kurram district."
    )
    assert event.target is not None
    assert (event.target.country, event.target.sector) == ("PAK", "CVL")
    assert event.alternatives, "the competing codings stay visible"
    assert len(event.mentions) == 2  # "strike" and "killed"


def test_incidents_later_sentences_join_the_strike(builtin_coder: Coder) -> None:
    text = (
        "A drone fired two missiles at a house in Miranshah on Tuesday, killing four men. "
        "The strike destroyed the house. Officials later said the attack had killed six people."
    )
    (event,) = violent(builtin_coder, text)
    assert {m.sentence_index for m in event.mentions} >= {0, 2}
    assert event.size is not None and event.size.killed == Range(4, 6)


def test_incidents_distinct_places_stay_apart(builtin_coder: Coder) -> None:
    text = (
        "A drone strike killed three men in Kurram on Tuesday. "
        "Another strike killed two people in Laghman province of Afghanistan."
    )
    events = violent(builtin_coder, text)
    assert len(events) == 2


def _event(n: int, **fields: object) -> Event:
    base = Event(
        id=f"e{n}", doc_id="d", sentence_index=n, sentence="Words.",
        source=Actor("drone", "USAMIL", "USA", "MIL"), target=None, cameo="195",
        goldstein=-10.0, quad=4, plover=None, evidence=Evidence((0, 5)), date=DAY,
    )  # fmt: skip
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "other",
    [
        {"source": Actor("Pakistani jets", "PAKMIL", "PAK", "MIL")},
        {"cameo": "183"},
        {"location": LAGHMAN},
        {"date": DAY + dt.timedelta(days=5)},
        {"sentence": "Separately, a strike hit a car."},
    ],
    ids=["other-doer", "other-kind", "other-place", "other-day", "announced-as-another"],
)
def test_incidents_conflicting_evidence_keeps_two_events(other: dict[str, object]) -> None:
    first = _event(0, location=KURRAM)
    assert len(resolve_incidents([first, _event(1, **other)])) == 2


def test_incidents_doers_without_country_differ_by_sector() -> None:
    police = _event(0, source=Actor("police", "COP", None, "COP"), cameo="190")
    mob = _event(1, source=Actor("the mob", "CVL", None, "CVL"), cameo="182")
    assert len(resolve_incidents([police, mob])) == 2
    again = _event(2, source=Actor("officers", "COP", None, "COP"), cameo="190")
    assert len(resolve_incidents([police, again])) == 1


def test_incidents_fold_keeps_order_ranges_and_non_violence() -> None:
    statement = _event(1, cameo="010", source=Actor("Pakistan", "PAK", "PAK"))
    first = _event(0, size=Size(killed=Range(2, 2)), location=KURRAM)
    toll = _event(2, source=Actor("someone", "---"), cameo="190", size=Size(killed=Range(3, 5)))
    negated = _event(3, modality=Modality(negated=True))
    folded, kept, alone = resolve_incidents([first, statement, toll, negated])
    assert kept == statement and alone == negated
    assert folded.id == "e0" and folded.cameo == "195" and folded.location == KURRAM
    assert folded.size is not None and folded.size.killed == Range(2, 5)
    assert [m.sentence_index for m in folded.mentions] == [0, 2]
    assert [(a.source, a.cameo) for a in folded.alternatives] == [("---", "190")]


def test_incidents_target_country_comes_from_the_place() -> None:
    one = _event(0, target=Actor("two people", "CVL", None, "CVL"), location=KURRAM)
    (event,) = resolve_incidents([one, _event(1)])
    assert event.target is not None and event.target.code == "PAKCVL"


def test_incidents_generic_codes_agree_with_any_violence() -> None:
    assert compatible_codes("190", "195") and compatible_codes("1823", "183")
    assert not compatible_codes("183", "195")


def test_incidents_place_basis_says_where_the_place_comes_from(builtin_coder: Coder) -> None:
    own = violent(builtin_coder, "A U.S. drone strike killed four people near Wana on Monday.")
    assert [(e.location and e.location.name, e.place_basis) for e in own] == [("Wana", "text")]
    told = "A drone fired two missiles at a house, killing six people. The house was in Wana."
    (later,) = violent(builtin_coder, told)
    assert later.location is not None and later.location.name == "Wana"
    assert later.place_basis in ("incident", "document")
    (summary,) = violent(
        builtin_coder,
        "Missiles hit a compound, killing three people. "
        "Three alleged militants were killed in a strike in Datta Khel, North Waziristan.",
    )
    assert summary.location is not None and summary.location.country == "PAK"
    assert summary.place_basis in ("text", "incident")


def test_incidents_unplaced_violence_takes_the_victims_country(builtin_coder: Coder) -> None:
    (event,) = violent(builtin_coder, "A U.S. drone killed four Yemeni tribesmen on Friday.")
    assert event.location is not None and event.location.country == "YEM"
    assert (event.location.precision, event.place_basis) == ("country", "victim")
    (doer,) = violent(builtin_coder, "A U.S. drone strike killed three people on Friday.")
    assert doer.location is None or doer.location.country != "USA"
    assert (doer.location is None) == (doer.place_basis is None)


def test_incidents_unplaced_violence_takes_the_documents_country(builtin_coder: Coder) -> None:
    (event,) = violent(
        builtin_coder,
        "A drone fired two missiles at a car on Friday, killing four men. "
        "Yemeni officials said the car belonged to a local tribal leader.",
    )
    assert event.location is not None and event.location.country == "YEM"
    assert (event.location.precision, event.place_basis) == ("country", "context")
    # A far-reaching doer's country says nothing of where its drone flew.
    (doer,) = violent(builtin_coder, "A U.S. drone fired two missiles at a car, killing four.")
    assert doer.location is None and doer.place_basis is None


def test_incidents_publication_dated_mention_joins_the_dated_strike(
    builtin_coder: Coder,
) -> None:
    text = (
        "At least 10 people were killed in an American drone strike on Thursday morning. "
        "Botched strike on a militant leader kills 15 in a village of North Waziristan."
    )
    monday = dt.date(2010, 1, 11)
    events = builtin_coder.code_text(text, monday)
    (strike,) = [e for e in events if e.cameo_root in ("18", "19", "20")]
    assert strike.date == dt.date(2010, 1, 7) and strike.date_basis == "text"
    assert strike.location is not None and strike.location.name == "North Waziristan"


def test_incidents_co_doers_keep_their_events_and_count_the_dead_once() -> None:
    toll = Size(killed=Range(3, 3))
    victims = Actor("three militants", "INS", None, "INS")
    police = _event(0, source=Actor("police", "COP", None, "COP"), cameo="190", target=victims,
                    evidence=Evidence((20, 24), (0, 6), (25, 40)), size=toll)  # fmt: skip
    troops = dataclasses.replace(
        police, id="e1", source=Actor("troops", "MIL", None, "MIL"),
        evidence=Evidence((20, 24), (11, 17), (25, 40)),
    )  # fmt: skip
    resolved = resolve_incidents([police, troops])
    assert [e.source.code for e in resolved] == ["COP", "MIL"]
    assert [e.size for e in resolved] == [toll, None]
    # The better-attested co-doer (here: the surer one) carries the toll.
    doubtful = dataclasses.replace(police, confidence=0.4)
    assert [e.size for e in resolve_incidents([doubtful, troops])] == [None, toll]


def test_incidents_co_doers_need_one_trigger_and_one_victim() -> None:
    toll = Size(killed=Range(3, 3))
    police = _event(0, source=Actor("police", "COP", None, "COP"), cameo="190",
                    evidence=Evidence((20, 24), (0, 6), (25, 40)), size=toll)  # fmt: skip
    # Each doer the other's victim: a fight, two acts, each with its toll.
    fight = dataclasses.replace(
        police, id="e1", source=Actor("troops", "MIL", None, "MIL"),
        target=Actor("police", "COP", None, "COP"), evidence=Evidence((20, 24), (11, 17), (0, 6)),
    )  # fmt: skip
    assert [e.size for e in resolve_incidents([police, fight])] == [toll, toll]
    # Another trigger: not a joint act.
    later = dataclasses.replace(fight, target=None, evidence=Evidence((50, 54), (11, 17)))
    assert [e.size for e in resolve_incidents([police, later])] == [toll, toll]


def test_incidents_co_doers_share_the_date_their_lead_resolved() -> None:
    monday = dt.date(2012, 5, 21)
    victims = Actor("three militants", "INS", None, "INS")
    police = _event(0, source=Actor("police", "COP", None, "COP"), cameo="190", target=victims,
                    evidence=Evidence((20, 24), (0, 6), (25, 40)), date_basis="publication",
                    size=Size(killed=Range(3, 3)))  # fmt: skip
    troops = dataclasses.replace(
        police, id="e1", source=Actor("troops", "MIL", None, "MIL"),
        evidence=Evidence((20, 24), (11, 17), (25, 40)), confidence=0.5,
    )  # fmt: skip
    # A later sentence tells the police's act again, with its day.
    raid = dataclasses.replace(
        police, id="e2", sentence_index=1, evidence=Evidence((4, 8)), date=monday,
        date_precision="day", date_basis="text",
    )  # fmt: skip
    resolved = resolve_incidents([police, troops, raid])
    assert [(e.source.code, e.date, e.date_basis) for e in resolved] == [
        ("COP", monday, "text"),
        ("MIL", monday, "text"),
    ]
    # Without another mention each keeps the date its trigger gave.
    alone = resolve_incidents([police, troops])
    assert [(e.date, e.date_basis) for e in alone] == [(DAY, "publication")] * 2


def test_incidents_co_doers_dated_by_a_later_sentence(builtin_coder: Coder) -> None:
    text = (
        "Police and troops killed three militants in Srinagar. "
        "The militants were killed in a raid on Monday, officials said."
    )
    events = violent(builtin_coder, text)
    assert {"MIL", "COP"} <= {e.source.code for e in events}
    assert {(e.date, e.date_basis) for e in events} == {(dt.date(2012, 5, 21), "text")}
