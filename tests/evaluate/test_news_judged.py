"""Every kind of event on real news, judged by two engineers (bench/news_precision.py,
bench/data/news_events_judged.jsonl; docs/MODEL_LOG.md session 21): the file holds
identifiers and verdicts only, and the tool draws, finds and counts as it says."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from _judged_support import check_fields, check_identifiers, check_reason, judged_rows
from _tool_support import load_tool

from dyadwatch.model import Actor, Event, Evidence, PloverCode

ROOT = Path(__file__).resolve().parents[2]
JUDGED = ROOT / "bench" / "data" / "news_events_judged.jsonl"
SECOND = ROOT / "bench" / "data" / "news_events_judged_seed1.jsonl"
THIRD = ROOT / "bench" / "data" / "news_events_judged_seed2_new.jsonl"
"""Events row 296 gives newly (docs/MODEL_LOG.md, session 22): fewer than 210 (23 drone ones)."""
FIFTH = ROOT / "bench" / "data" / "news_events_judged_seed5_new.jsonl"
"""Events row 301 gives newly (session 23): 92, all a group's new events where it has few."""
SIZES = {JUDGED: 210, SECOND: 210, THIRD: 163, FIFTH: 92}
LISTINGS = [ROOT / "bench" / "data" / f"news_events_main_{rev}.jsonl"
            for rev in ("513a265", "a90b7ff")]  # fmt: skip
VERDICTS = {f"{j}_{part}" for j in "ab" for part in ("type", "pair", "reason")}


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return load_tool(ROOT / "bench" / "news_precision.py")


def check_row(row: dict[str, object]) -> None:
    """Raises AssertionError when a row holds more than identifiers, verdicts and short reasons."""
    check_fields(row, VERDICTS)
    check_identifiers(row)
    for judge in "ab":
        assert isinstance(row[f"{judge}_type"], bool) and isinstance(row[f"{judge}_pair"], bool)
        check_reason(row[f"{judge}_reason"])


@pytest.mark.parametrize("path", list(SIZES), ids=["first", "second", "third", "fifth"])
def test_judged_file_holds_identifiers_and_verdicts_only(tool: ModuleType, path: Path) -> None:
    rows = judged_rows(path)
    assert len(rows) == SIZES[path]
    for row in rows:
        check_row(row)
    assert len({tool.judged_key(r) for r in rows}) == len(rows)  # one verdict pair per event


@pytest.mark.parametrize("path", LISTINGS, ids=["513a265", "a90b7ff"])
def test_listing_of_an_earlier_coder_holds_identifiers_only(tool: ModuleType, path: Path) -> None:
    rows = judged_rows(path)
    assert len(rows) > 2000
    for row in rows:
        check_fields(row | {"type": None}, set())  # a listing row has no type
        check_identifiers(row | {"type": None})


def test_judged_samples_share_no_event(tool: ModuleType) -> None:
    keys = [{tool.judged_key(r) for r in judged_rows(p)} for p in SIZES]
    for index, later in enumerate(keys):
        assert not later & set().union(*keys[:index])


def test_new_events_samples_hold_only_events_their_earlier_coder_did_not_give(
    tool: ModuleType,
) -> None:
    for sample, listing in ((THIRD, LISTINGS[0]), (FIFTH, LISTINGS[1])):
        before = {tool.judged_key(r) for r in judged_rows(listing)}
        assert not before & {tool.judged_key(r) for r in judged_rows(sample)}


def test_the_tool_reads_every_judged_sample_in_one_stratum(tool: ModuleType) -> None:
    assert sorted(tool.SAMPLES.values()) == sorted(SIZES)
    assert list(tool.LISTINGS) == LISTINGS
    named = [name for _, names in tool.STRATA for name in names]
    assert sorted(named) == sorted(tool.SAMPLES) and len(tool.STRATA) == len(LISTINGS) + 1


@pytest.mark.parametrize(
    "extra", [{"sentence": "Rebels stormed the depot."}, {"source_text": "Rebels"}]
)
def test_judged_check_fails_on_a_text_field(extra: dict[str, str]) -> None:
    with pytest.raises(AssertionError, match="fields"):
        check_row(judged_rows(JUDGED)[0] | extra)


def test_judged_check_fails_on_a_quoted_reason_or_words_in_a_code() -> None:
    row = judged_rows(JUDGED)[0]
    with pytest.raises(AssertionError):
        check_row(row | {"a_reason": 'said "the depot burned" at dawn'})
    with pytest.raises(AssertionError):
        check_row(row | {"target": "the depot"})


def test_wilson_interval_and_kappa(tool: ModuleType) -> None:
    low, high = tool.wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert tool.wilson(0, 0) == (0.0, 0.0)
    assert tool.kappa([True, False, True], [True, False, True]) == 1.0
    # Agreement no better than two coins with the same bias: kappa 0.
    assert tool.kappa([True, True, False, False], [True, False, True, False]) == 0.0
    assert tool.kappa([True, False], [False, True]) == -1.0


def _doc(tool: ModuleType, suite: str, name: str) -> object:
    return tool.Doc(suite, name, "Chile shelled Peru.")


def _event(
    source: str, target: str, *, rule: str = "triggers.yaml:1", confidence: float = 0.8
) -> Event:
    text = "Chile and Bolivia shelled Peru."
    return Event(
        "e", "d", 0, text, Actor(source, source), Actor(target, target), "190", None, None,
        PloverCode("ASSAULT"), Evidence((18, 25)), rule=rule, confidence=confidence,
    )  # fmt: skip


def test_draw_takes_each_groups_share_with_one_seed(tool: ModuleType) -> None:
    found = [(_doc(tool, "timeml_check", f"t{i}"), _event("CHL", "PER")) for i in range(9)]
    found += [(_doc(tool, "case2021", f"c{i}"), _event("CHL", "PER")) for i in range(2)]
    found += [(_doc(tool, "drone_summary", f"s{i}"), _event("CHL", "PER")) for i in range(5)]
    sample = tool.draw(found, per_group=4, seed=3)
    assert sample == tool.draw(found, per_group=4, seed=3)
    groups = [tool.group_of(doc.suite) for doc, _ in sample]
    assert groups.count("timeml check half") == 4 and groups.count("drone strikes") == 4
    assert groups.count("case2021") == 2  # a smaller group gives all it has


Verdicts = tuple[bool, bool]


def _verdict(
    tool: ModuleType, doc: object, event: Event, a: Verdicts, b: Verdicts
) -> dict[str, object]:
    row: dict[str, object] = tool.identifiers(doc, event)
    row.update(a_type=a[0], a_pair=a[1], a_reason="x", b_type=b[0], b_pair=b[1], b_reason="y")
    return row


def test_report_finds_each_event_of_a_shared_trigger_and_counts_both_judges(
    tool: ModuleType,
) -> None:
    doc = _doc(tool, "case2021", "c1")
    chile = _event("CHL", "PER", confidence=0.9)
    bolivia = _event("BOL", "PER", rule="pair:triggers.yaml:1", confidence=0.3)
    gone = _event("ARG", "PER")
    judged = [
        _verdict(tool, doc, chile, (True, True), (True, True)),
        _verdict(tool, doc, bolivia, (True, True), (True, False)),
        _verdict(tool, doc, gone, (True, True), (True, True)),
    ]
    found = [(doc, chile), (doc, bolivia)]  # the coder no longer gives the ARG event
    items, missing = tool.find(judged, found)
    assert missing == 1 and [i.kind for i in items] == ["lexicon draft", "moved pair"]
    values = dict(tool.figures(judged, found))
    assert values["events judged: found again / no longer coded"] == "2 / 1"
    assert values["judges agree on correct"].startswith("0.500 (1/2;")
    assert values["correct, both judges (strict)"].startswith("0.500 (1/2;")
    assert values["correct, either judge (lenient)"].startswith("1.000 (2/2;")
    assert values["judge b: pair right"].startswith("0.500 (1/2;")
    assert values["correct (strict), proposed as moved pair"].startswith("0.000 (0/1;")
    assert values["confidence 0.8-1.0: right (strict) / mean confidence"] == "1.000 / 0.900 (1)"
    assert values["min_confidence 0.5: events kept, share right (strict)"].startswith(
        "1 of 2, 1.000"
    )
    assert tool.report(judged, found).startswith("| measure | value |\n|---|---|\n| events judged")


def test_stored_share_weighs_each_stratum_by_its_number_of_events(tool: ModuleType) -> None:
    docs = [_doc(tool, "case2021", f"c{i}") for i in range(5)]
    oldest = [(d, _event("CHL", "PER")) for d in docs[:3]]  # given by the oldest coder
    middle = [(docs[3], _event("BOL", "PER"))]  # first given by the next one
    new = [(docs[4], _event("ARG", "PER"))]  # given by neither
    first = {tool.judged_key(tool.identifiers(d, e)) for d, e in oldest}
    second = first | {tool.judged_key(tool.identifiers(*middle[0]))}
    right, wrong = (True, True), (False, True)
    judged_old = [_verdict(tool, d, e, right, right) for d, e in oldest[:2]]
    judged_old.append(_verdict(tool, docs[2], oldest[2][1], right, wrong))
    strata = [("old", judged_old), ("mid", [_verdict(tool, *middle[0], wrong, wrong)]),
              ("new", [_verdict(tool, *new[0], right, right)])]  # fmt: skip
    found = [*oldest, *middle, *new]
    values = dict(tool.stored_share(found, [first, second], strata))
    group = values["stored events right (strict, by strata), group case2021"]
    # 3 old events at 2/3 right, 1 middle at 0/1, 1 new at 1/1: 3 of 5.
    assert group.startswith("0.600 (3 old, 0.667 right of 3 judged; 1 mid, 0.000 right of 1 "
                            "judged; 1 new, 1.000 right of 1 judged)")  # fmt: skip
    assert values["stored events right (strict, by strata), all groups"].startswith("0.600")
    # An event the coder no longer gives is no stratum's evidence.
    values = dict(tool.stored_share([*oldest[:2], *middle, *new], [first, second], strata))
    assert values["stored events right (strict, by strata), group case2021"].startswith("0.750")
    with pytest.raises(AssertionError, match="one stratum"):
        tool.stored_share(found, [first], strata)
