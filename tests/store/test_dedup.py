"""Cross-article deduplication: linking, live counts, widest ranges, one-a-day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from dyadwatch.errors import StoreError
from dyadwatch.model import (
    Actor,
    DateBasis,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
    PloverCode,
    Range,
    Size,
)
from dyadwatch.store import DedupRules, Store, StoredEvent

DAY = dt.date(2021, 8, 15)
NGA = Actor("Nigerian gunmen", "NGAREB", "NGA", "REB")
CIV = Actor("villagers", "NGACVL", "NGA", "CVL")
KADUNA = Location("Kaduna", "NGA", "KD", 10.5, 7.4, "city", None)
ZAMFARA = Location("Gusau", "NGA", "ZA", 12.2, 6.7, "city", None)


def report(
    text: str,
    *,
    url: str | None = None,
    publisher: str | None = None,
    day: dt.date = DAY,
    cameo: str = "181",
    place: Location | None = KADUNA,
    size: Size | None = None,
    modality: Modality | None = None,
    source: Actor = NGA,
    target: Actor | None = CIV,
    sentences: int = 1,
    basis: DateBasis | None = None,
) -> tuple[Document, list[Event]]:
    """One article whose first ``sentences`` sentences each report the event."""
    doc = Document.from_text(text, date=day, url=url, publisher=publisher)
    events = [
        Event(
            id=f"{doc.id}-{i}", doc_id=doc.id, sentence_index=i, sentence=text,
            source=source, target=target, cameo=cameo, goldstein=-9.0, quad=4,
            plover=PloverCode("ABDUCT"), evidence=Evidence((16, 25), (0, 15)),
            modality=modality or Modality(), date=day, date_precision="day",
            date_basis=basis, location=place, size=size,
        )
        for i in range(sentences)
    ]  # fmt: skip
    return doc, events


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open() as opened:
        yield opened


def events_of(store: Store) -> list[StoredEvent]:
    return list(store.stored_events(provenance="dyadwatch"))


def test_dedup_reports_of_one_happening_become_one_event(store: Store) -> None:
    store.add_documents(
        [
            report("Gunmen kidnapped villagers.", url="https://a.example/1"),
            report("Villagers kidnapped by gunmen.", url="https://www.b.example/x", day=DAY
                   + dt.timedelta(days=1), cameo="1811"),
        ]
    )  # fmt: skip
    store.add_document(*report("Gunmen seized villagers.", url="https://a.example/2"))
    (event,) = events_of(store)
    assert (event.num_mentions, event.num_articles, event.num_sources) == (3, 3, 2)
    assert event.date == DAY and event.cameo == "181"
    assert event.source_url == "https://a.example/1"
    assert len(store.mentions_of(event.id)) == 3
    assert store.table_counts()["event_links"] == 3


def test_dedup_counts_are_live_as_reports_arrive(store: Store) -> None:
    store.add_document(*report("First report.", publisher="Daily Trust"))
    assert [e.num_mentions for e in events_of(store)] == [1]
    store.add_document(*report("Second report.", publisher="daily trust ", sentences=2))
    (event,) = events_of(store)
    # Three mentions, two articles, one publisher (case and spaces do not count).
    assert (event.num_mentions, event.num_articles, event.num_sources) == (3, 2, 1)


@pytest.mark.parametrize(
    "other",
    [
        {"day": DAY + dt.timedelta(days=2)},
        {"cameo": "182"},
        {"source": Actor("Nigerian soldiers", "NGAMIL", "NGA", "MIL")},
        {"source": Actor("Niger gunmen", "NERREB", "NER", "REB")},
        {"target": Actor("Nigerien villagers", "NERCVL", "NER", "CVL")},
        {"place": ZAMFARA},
        {"place": dataclasses.replace(KADUNA, name="Zaria", lat=11.07, lon=7.7)},
        {"size": Size(killed=Range(30, 30))},
        {"cameo": "042", "target": Actor("villagers", "NGACVL", "NGA", "CVL")},
    ],
    ids=["outside-window", "other-base-code", "doer-sector", "doer-country", "victim-country",
         "other-adm1", "town-70-km-apart", "tolls-3-vs-30", "not-violence"],
)  # fmt: skip
def test_dedup_distinct_happenings_stay_apart(store: Store, other: dict[str, object]) -> None:
    store.add_document(*report("One.", place=KADUNA, size=Size(killed=Range(3, 3))))
    store.add_document(*report("Two.", **other))  # type: ignore[arg-type]
    assert len(events_of(store)) == 2


@pytest.mark.parametrize(
    "other",
    [
        {"target": Actor("soldiers", "NGAMIL", "NGA", "MIL")},
        {"target": None},
        {"source": Actor("gunmen", "---", None, None)},
        {"cameo": "190"},
        {"place": dataclasses.replace(KADUNA, name="Kaduna South", lat=10.45, lon=7.42)},
        {"size": Size(killed=Range(4, 5))},
    ],
    ids=["victims-described-otherwise", "victims-unnamed", "doer-unnamed", "generic-force",
         "town-6-km-apart", "toll-risen"],
)  # fmt: skip
def test_dedup_readings_of_one_act_of_violence_merge(
    store: Store, other: dict[str, object]
) -> None:
    store.add_document(*report("One.", place=KADUNA, size=Size(killed=Range(3, 3))))
    store.add_document(*report("Two.", **other))  # type: ignore[arg-type]
    (event,) = events_of(store)
    founder, merged = store.merged_into(event.id)
    assert founder["reasons"] is None
    reasons = merged["reasons"]
    assert isinstance(reasons, dict) and reasons["date_gap"] == 0


def test_dedup_merge_reasons_name_the_matching_fields(store: Store) -> None:
    store.add_document(*report("One.", place=KADUNA, size=Size(killed=Range(3, 3))))
    store.add_document(*report("Two.", place=KADUNA, size=Size(killed=Range(2, 4))))
    (event,) = events_of(store)
    reasons = store.merged_into(event.id)[1]["reasons"]
    assert reasons == {"date_gap": 0, "code": "181", "source": "NGA", "target": "NGA",
                       "place": "town Kaduna", "killed": "killed 3-3"}  # fmt: skip


def test_dedup_unmerge_holds_through_relink_and_reingest(store: Store) -> None:
    one, two = report("One.", place=KADUNA), report("Two.", place=KADUNA)
    store.add_documents([one, two])
    (event,) = events_of(store)
    moved = two[1][0].id
    assert store.unmerge(event.id, [moved]) == 2
    assert store.relink() == 2
    assert store.add_document(*two) is False  # already stored: nothing changes
    assert sorted(len(store.merged_into(e.id)) for e in events_of(store)) == [1, 1]
    # A third report still joins the first event; the split mention stays alone.
    store.add_document(*report("Three.", place=KADUNA))
    assert sorted(len(store.merged_into(e.id)) for e in events_of(store)) == [1, 2]


@pytest.mark.parametrize(
    ("event_id", "mentions"),
    [("dyadwatch:nothing", ["x"]), (None, ["not-a-member"]), (None, [])],
    ids=["unknown-event", "stranger", "none-given"],
)
def test_dedup_unmerge_errors_are_dw308(
    store: Store, event_id: str | None, mentions: list[str]
) -> None:
    store.add_documents([report("One."), report("Two.")])
    (event,) = events_of(store)
    with pytest.raises(StoreError) as info:
        store.unmerge(event_id or event.id, mentions)
    assert info.value.code == "DW309"


def test_dedup_unmerge_keeps_one_mention(store: Store) -> None:
    store.add_documents([report("One."), report("Two.")])
    (event,) = events_of(store)
    ids = [str(m["mention_id"]) for m in store.merged_into(event.id)]
    with pytest.raises(StoreError) as info:
        store.unmerge(event.id, ids)
    assert info.value.code == "DW309" and "stay" in info.value.message


def test_dedup_follow_up_strike_stays_apart_from_the_first(store: Store) -> None:
    store.add_document(*report("A strike killed three people in Kaduna."))
    store.add_document(*report("Minutes later, another drone fired at a house in Kaduna."))
    store.add_document(*report("A second strike hit the village, killing three."))
    assert sorted(e.num_mentions for e in events_of(store)) == [1, 2]


NEXT = DAY + dt.timedelta(days=1)
NORTH_WAZIRISTAN = Location("North Waziristan", "PAK", "PK-KP", 33.0, 70.07, "city", None)
MIRANSHAH = Location("Miran Shah", "PAK", "PK-KP", 33.0, 70.07, "city", 1169367)
PAKISTANIS = Actor("people", "PAKCVL", "PAK", "CVL")
MIR_ALI = Location("Mir Ali", "PAK", "PK-KP", 32.96, 70.29, "city", None)
KURRAM = Location("Kurram", "PAK", "PK-KP", 33.90, 70.10, "city", None)
SOUTH_WAZIRISTAN = Location("South Waziristan", "PAK", "PK-KP", 32.30, 69.57, "city", None)
PAKISTAN = Location("Pakistan", "PAK", None, 30.0, 70.0, "country", None)
KHYBER_PAKHTUNKHWA = Location("Khyber Pakhtunkhwa", "PAK", "PK-KP", 34.0, 71.5, "adm1", None)


@pytest.mark.parametrize(
    ("first", "second", "basis", "rules", "events"),
    [
        (MIRANSHAH, MIRANSHAH, "text", DedupRules(), 1),
        (KADUNA, dataclasses.replace(KADUNA, name="Kaduna South", lat=10.45, lon=7.42),
         "text", DedupRules(), 2),
        (NORTH_WAZIRISTAN, NORTH_WAZIRISTAN, "text", DedupRules(), 2),
        (NORTH_WAZIRISTAN, NORTH_WAZIRISTAN, None, DedupRules(), 1),
        (NORTH_WAZIRISTAN, NORTH_WAZIRISTAN, None, DedupRules(late_reports=False), 2),
        (NORTH_WAZIRISTAN, MIR_ALI, None, DedupRules(), 2),
    ],
    ids=["same-town", "town-6-km-apart", "same-district", "late-report", "late-report-off",
         "late-report-town-and-district"],
)  # fmt: skip
def test_dedup_reports_a_day_apart_need_one_town(
    first: Location, second: Location, basis: DateBasis | None, rules: DedupRules, events: int
) -> None:
    victims = {"source": Actor("drone", "---", None, None), "target": PAKISTANIS}
    with Store.open(dedup=rules) as store:
        store.add_document(*report("One.", place=first, basis="text", **victims))  # type: ignore[arg-type]
        store.add_document(*report("Two.", place=second, day=NEXT, basis=basis, **victims))  # type: ignore[arg-type]
        assert len(events_of(store)) == events


def test_dedup_place_required_keeps_unplaced_violence_apart(store: Store) -> None:
    store.add_document(*report("One.", place=KADUNA))
    store.add_document(*report("Two.", place=None))
    store.add_document(*report("Three.", place=KADUNA))
    assert sorted(e.num_mentions for e in events_of(store)) == [1, 2]
    assert store.relink(DedupRules(place_required=False)) == 1


def test_dedup_unknown_place_is_compatible_and_is_learnt() -> None:
    with Store.open(dedup=DedupRules(place_required=False)) as store:
        store.add_document(*report("No place named.", place=None))
        store.add_document(*report("In Kaduna.", place=KADUNA))
        store.add_document(*report("In Zamfara.", place=ZAMFARA))
        kaduna, zamfara = sorted(events_of(store), key=lambda e: e.num_mentions, reverse=True)
        assert kaduna.num_mentions == 2 and kaduna.location == KADUNA
        assert zamfara.num_mentions == 1 and zamfara.location == ZAMFARA


def test_dedup_rules_are_tunable() -> None:
    wide = DedupRules(window_days=3, code_digits=2, match_place=False)
    with Store.open(dedup=wide) as store:
        store.add_document(*report("One.", place=KADUNA))
        store.add_document(*report("Two.", cameo="182", place=ZAMFARA,
                                   day=DAY + dt.timedelta(days=3)))  # fmt: skip
        assert [e.num_mentions for e in events_of(store)] == [2]
        assert store.relink(DedupRules()) == 2
        assert store.dedup == DedupRules()
        assert store.relink(wide) == 1


def test_dedup_rules_can_be_given_per_call(store: Store) -> None:
    store.add_document(*report("One."))
    store.add_document(*report("Two.", day=DAY + dt.timedelta(days=5)),
                       dedup=DedupRules(window_days=7))  # fmt: skip
    assert len(events_of(store)) == 1


@pytest.mark.parametrize(
    "rules",
    [{"window_days": -1}, {"window_days": "1"}, {"code_digits": 1}, {"code_digits": 5},
     {"match_place": "yes"}, {"window_days": True}, {"place_km": 0}, {"toll_ratio": -1},
     {"place_km": float("nan")}, {"place_required": 1}, {"late_reports": "no"}],
)  # fmt: skip
def test_dedup_bad_rules_are_dw307(rules: dict[str, object]) -> None:
    with pytest.raises(StoreError) as info:
        DedupRules(**rules)  # type: ignore[arg-type]
    assert info.value.code == "DW307"
    assert next(iter(rules)) in info.value.message


def test_dedup_widest_casualty_range_across_mentions(store: Store) -> None:
    store.add_document(*report("At least 3 killed.", size=Size(killed=Range(3, 5))))
    store.add_document(*report("Up to 10 dead.", size=Size(killed=Range(2, 10),
                                                           injured=Range(4, 4))))  # fmt: skip
    store.add_document(*report("No figures."))
    (event,) = events_of(store)
    assert event.killed == Range(2, 10)
    assert event.injured == Range(4, 4)


@pytest.mark.parametrize(
    "modality", [Modality(negated=True), Modality(hypothetical=True)], ids=["negated", "hypo"]
)
def test_dedup_negated_and_hypothetical_mentions_never_count(
    store: Store, modality: Modality
) -> None:
    store.add_document(*report("They did not kidnap anyone.", modality=modality))
    assert events_of(store) == []
    store.add_document(*report("Gunmen kidnapped villagers."))
    store.add_document(*report("They might kidnap more.", modality=modality))
    (event,) = events_of(store)
    assert event.num_mentions == 1
    frame = store.events_frame()
    assert frame["event_id"].isna().sum() == 2  # the non-factual mentions stay unlinked
    assert store.counts()["events"] == 3  # every mention is still kept


def test_dedup_undated_mentions_are_never_merged(store: Store) -> None:
    doc, events = report("Undated.")
    doc = dataclasses.replace(doc, date=None)
    undated = [dataclasses.replace(e, date=None, date_precision=None) for e in events]
    store.add_document(doc, undated)
    doc2, events2 = report("Undated too.")
    doc2 = dataclasses.replace(doc2, date=None)
    store.add_document(doc2, [dataclasses.replace(e, date=None) for e in events2])
    assert [e.date for e in events_of(store)] == [None, None]


def test_dedup_every_mention_keeps_its_evidence(store: Store) -> None:
    first, second = report("Gunmen kidnapped villagers."), report("Villagers were abducted.")
    store.add_documents([first, second])
    (event,) = events_of(store)
    mentions = store.mentions_of(event.id)
    assert {m["id"] for m in mentions} == {first[1][0].id, second[1][0].id}
    assert all(m["evidence"] == {"trigger": [16, 25], "source": [0, 15], "target": None}
               for m in mentions)  # fmt: skip
    assert store.mentions_of("no-such-event") == []


def test_dedup_never_merges_into_imported_events(store: Store) -> None:
    imported = StoredEvent("gdelt2:1", "gdelt2", DAY, NGA, CIV, "181", -9.0, 4, "1")
    assert store.add_stored_events([imported]) == 1
    store.add_document(*report("Gunmen kidnapped villagers."))
    assert store.table_counts()["events"] == 2
    assert next(store.stored_events(provenance="gdelt2")).num_mentions == 1


def test_dedup_one_a_day_folds_a_dyad_code_and_day(store: Store) -> None:
    # Two events (their places differ) on one day fold into one row.
    store.add_document(*report("In Kaduna.", place=KADUNA))
    store.add_document(*report("In Zamfara.", place=ZAMFARA))
    store.add_document(*report("Next week.", day=DAY + dt.timedelta(days=7)))
    frame = store.one_a_day(provenance="dyadwatch")
    assert list(frame["events"]) == [2, 1]
    assert list(frame["date"].dt.date) == [DAY, DAY + dt.timedelta(days=7)]
    assert len(store.one_a_day(since=DAY + dt.timedelta(days=1))) == 1
    assert len(store.one_a_day(dyad=("NGA", "USA"))) == 0
    assert len(store.one_a_day(limit=1)) == 1
    assert len(store.one_a_day(root="18")) == 2


def test_dedup_one_batch_links_like_many(store: Store) -> None:
    reports = [report(f"Report {i}.", day=DAY + dt.timedelta(days=i % 4)) for i in range(12)]
    store.add_documents(reports)
    with Store.open() as one_by_one:
        for doc, events in reports:
            one_by_one.add_document(doc, events)
        assert list(one_by_one.stored_events()) == list(store.stored_events())


def test_dedup_dyad_series_and_top_dyads_count_events_not_mentions(store: Store) -> None:
    usa = Actor("US troops", "USAMIL", "USA", "MIL")
    store.add_documents(
        [report(f"Report {i}.", source=usa, target=Actor("Nigeria", "NGA", "NGA"),
                cameo="042", day=DAY + dt.timedelta(days=40 * (i % 2)), sentences=2)
         for i in range(4)]
        + [report("Gunmen kidnapped villagers.")]
    )  # fmt: skip
    series = store.dyad_series("nga", "USA")
    assert list(series["events"]) == [1, 1]
    assert list(series["num_mentions"]) == [4, 4]
    assert list(series["month"].dt.strftime("%Y-%m")) == ["2021-08", "2021-09"]
    assert list(store.dyad_series("NGA", "USA", one_a_day=True)["events"]) == [1, 1]
    assert store.dyad_series("NGA", "USA", provenance="icews").empty
    top = store.top_dyads(5)
    assert top.to_dict("records") == [
        {"country_a": "NGA", "country_b": "USA", "events": 2, "goldstein_mean": -9.0}
    ]  # the NGA-NGA kidnapping is internal, not a dyad between countries
    with pytest.raises(StoreError):
        store.top_dyads(-1)


@pytest.mark.parametrize(
    ("first", "second", "events"),
    [
        (NORTH_WAZIRISTAN, MIRANSHAH, 1),
        (NORTH_WAZIRISTAN, MIR_ALI, 1),
        (KURRAM, MIRANSHAH, 2),
        (NORTH_WAZIRISTAN, SOUTH_WAZIRISTAN, 2),
        (KHYBER_PAKHTUNKHWA, MIR_ALI, 1),
        (PAKISTAN, MIR_ALI, 2),
        (PAKISTAN, PAKISTAN, 2),
    ],
    ids=["town-in-district", "town-21-km-from-seat", "town-100-km-from-seat",
         "two-districts", "province-and-town", "country-only", "country-both"],
)  # fmt: skip
def test_dedup_violence_same_day_needs_a_place_below_country(
    first: Location, second: Location, events: int
) -> None:
    victims = {"source": Actor("drone", "---", None, None), "target": PAKISTANIS}
    with Store.open() as store:
        store.add_document(*report("One.", place=first, **victims))  # type: ignore[arg-type]
        store.add_document(*report("Two.", place=second, **victims))  # type: ignore[arg-type]
        assert len(events_of(store)) == events


@pytest.mark.parametrize(
    "sentence",
    ["Drones hit the district for the second time in 24 hours.",
     "US drones fired more missiles as villagers came to help."],
)  # fmt: skip
def test_dedup_tells_sequel_in_more_words(sentence: str) -> None:
    from dyadwatch.store._dedup import tells_sequel

    assert tells_sequel(sentence)
    assert not tells_sequel("A drone fired two missiles at a house for the first time.")


@pytest.mark.parametrize(
    ("first", "second", "gap", "events"),
    [
        (("Minutes later, another drone fired at a house.", "text"),
         ("A follow-up strike hit the same house.", "text"), 0, 1),
        (("A drone fired at a house.", "publication"), ("A drone hit a home.", "text"), 1, 1),
        (("A drone fired at a house.", "text"), ("A drone hit a home.", "text"), 1, 2),
    ],
    ids=["both-sequels", "stored-one-dated-by-publication", "both-dated-by-text"],
)  # fmt: skip
def test_dedup_stored_event_is_told_by_its_founding_report(
    first: tuple[str, DateBasis], second: tuple[str, DateBasis], gap: int, events: int
) -> None:
    # The second report meets the first only as a stored event, whose
    # founding report (read from the store) says whether it was a follow-up
    # and how it was dated; one batch and a relink link both alike.
    victims = {"source": Actor("drone", "---", None, None), "target": PAKISTANIS}
    reports = [report(text, place=NORTH_WAZIRISTAN, day=DAY + dt.timedelta(days=i * gap),
                      basis=basis, **victims)  # type: ignore[arg-type]
               for i, (text, basis) in enumerate((first, second))]  # fmt: skip
    with Store.open() as apart, Store.open() as together:
        for doc, found in reports:
            apart.add_document(doc, found)
        together.add_documents(reports)
        assert len(events_of(apart)) == events
        assert events_of(apart) == events_of(together)
        apart.relink()
        assert events_of(apart) == events_of(together)


def test_dedup_links_alike_however_reports_are_batched() -> None:
    # Reports of violence of every kind the rules tell apart (follow-ups,
    # dates from text or publication, towns and districts, a day apart),
    # linked one document at a time, where every candidate is a stored
    # event, and all in one batch, where none is.
    texts = (
        "A drone struck a house.",
        "Minutes later, another drone struck.",
        "A second strike hit the village.",
        "Drones struck again at dawn.",
    )
    places = (NORTH_WAZIRISTAN, MIRANSHAH, MIR_ALI, KURRAM, None)
    bases: tuple[DateBasis | None, ...] = ("text", "publication", None)
    victims = {"source": Actor("drone", "---", None, None), "target": PAKISTANIS}
    reports = [
        report(f"{texts[i % 4]} ({i})", place=places[i % 5], day=DAY + dt.timedelta(days=i % 3),
               basis=bases[i % 3], size=Size(killed=Range(i % 4, i % 4 + 1)), **victims)  # type: ignore[arg-type]
        for i in range(30)
    ]  # fmt: skip
    with Store.open() as apart, Store.open() as together:
        for doc, found in reports:
            apart.add_document(doc, found)
        together.add_documents(reports)
        linked = [len(apart.mentions_of(e.id)) for e in events_of(apart)]
        assert len(linked) < len(reports) and max(linked) > 1  # some merged, not all
        assert events_of(apart) == events_of(together)
