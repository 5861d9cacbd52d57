"""DateResolver on literal sentences: each form of date, anchoring, attachment, bad dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Token

from dyadwatch.temporal import DateResolver, EventDate
from dyadwatch.temporal.attach import _shares_down, scope
from dyadwatch.temporal.expressions import Expression

DEMO = Path(__file__).resolve().parents[2] / "src/dyadwatch/demo/corpus.jsonl"

PUBLISHED = dt.date(2019, 2, 27)  # a Wednesday
D = dt.date


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver()


def when(
    nlp: Language,
    resolver: DateResolver,
    text: str,
    trigger: str,
    published: dt.date | None = PUBLISHED,
    anchor: EventDate | None = None,
) -> EventDate:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    return resolver.resolve(token, published, anchor)


def day(value: dt.date) -> EventDate:
    return EventDate(value, "day")


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The talks were held on January 24.", "held", day(D(2019, 1, 24))),
        ("Jets bombed a camp on 24 Jan 2018.", "bombed", day(D(2018, 1, 24))),
        ("Jets bombed a camp on January 24, 2018.", "bombed", day(D(2018, 1, 24))),
        ("Jets bombed a camp on the 24th of January 2018.", "bombed", day(D(2018, 1, 24))),
        ("India tested a missile in May 1998.", "tested", EventDate(D(1998, 5, 1), "month")),
        ("Jets bombed a camp on 2019-02-26.", "bombed", day(D(2019, 2, 26))),
        ("Jets bombed a camp on 26/02/2019.", "bombed", day(D(2019, 2, 26))),
        ("Jets bombed a camp on 2/26/2019.", "bombed", day(D(2019, 2, 26))),
        ("India held elections in 2014.", "held", EventDate(D(2014, 1, 1), "year")),
    ],
)
def test_resolve_absolute_dates(
    nlp: Language, resolver: DateResolver, text: str, trigger: str, expected: EventDate
) -> None:
    assert when(nlp, resolver, text, trigger) == expected


def test_resolve_ambiguous_numeric_date_is_ignored(nlp: Language, resolver: DateResolver) -> None:
    # 02/03/2019 is 2 March or February 3: we do not guess
    assert when(nlp, resolver, "Jets bombed a camp on 02/03/2019.", "bombed") == day(PUBLISHED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Militants attacked a convoy in February.", EventDate(D(2019, 2, 1), "month")),
        ("Militants attacked a convoy in March.", EventDate(D(2018, 3, 1), "month")),
        ("Militants attacked a convoy last February.", EventDate(D(2018, 2, 1), "month")),
        # the month just past would be "last month": "last January" is a year back
        ("Militants attacked a convoy last January.", EventDate(D(2018, 1, 1), "month")),
        ("Militants attacked a convoy last December.", EventDate(D(2018, 12, 1), "month")),
        (
            "Militants attacked a convoy in mid-February.",
            EventDate(D(2019, 2, 11), "day", (D(2019, 2, 11), D(2019, 2, 20))),
        ),
    ],
)
def test_resolve_partial_dates_take_the_latest_year_not_after_publication(
    nlp: Language, resolver: DateResolver, text: str, expected: EventDate
) -> None:
    assert when(nlp, resolver, text, "attacked") == expected


def test_resolve_future_month_is_after_publication(nlp: Language, resolver: DateResolver) -> None:
    text = "India will hold talks next February."
    assert when(nlp, resolver, text, "hold") == EventDate(D(2020, 2, 1), "month")
    text = "India will hold talks in January."
    assert when(nlp, resolver, text, "hold") == EventDate(D(2020, 1, 1), "month")


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("A drone strike killed five militants yesterday.", "killed", day(D(2019, 2, 26))),
        ("Police arrested the suspects today.", "arrested", day(PUBLISHED)),
        ("Pakistan struck two days ago.", "struck", day(D(2019, 2, 25))),
        ("Pakistan struck on Monday.", "struck", day(D(2019, 2, 25))),
        ("Pakistan struck on Wednesday.", "struck", day(PUBLISHED)),
        ("Pakistan struck last Wednesday.", "struck", day(D(2019, 2, 20))),
        ("India will hold talks on Monday.", "hold", day(D(2019, 3, 4))),
        ("India is scheduled to hold talks on Monday.", "hold", day(D(2019, 3, 4))),
        (
            "Protesters rallied last week in Lahore.",
            "rallied",
            EventDate(D(2019, 2, 18), "day", (D(2019, 2, 18), D(2019, 2, 24))),
        ),
        ("Prices rose last month.", "rose", EventDate(D(2019, 1, 1), "month")),
        ("Prices rose this year.", "rose", EventDate(D(2019, 1, 1), "year")),
        (
            "The attack happened earlier this month.",
            "happened",
            EventDate(D(2019, 2, 1), "day", (D(2019, 2, 1), PUBLISHED)),
        ),
    ],
)
def test_resolve_dates_relative_to_publication(
    nlp: Language, resolver: DateResolver, text: str, trigger: str, expected: EventDate
) -> None:
    assert when(nlp, resolver, text, trigger) == expected


def test_resolve_relative_dates_need_a_publication_date(
    nlp: Language, resolver: DateResolver
) -> None:
    assert when(nlp, resolver, "Pakistan struck yesterday.", "struck", None) == EventDate(
        None, None
    )


ANCHOR = day(D(2019, 1, 1))


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The next day, the army attacked the village.", "attacked", day(D(2019, 1, 2))),
        ("The following day, the army attacked the village.", "attacked", day(D(2019, 1, 2))),
        ("A day later, the army attacked the village.", "attacked", day(D(2019, 1, 2))),
        ("Two days later, Pakistan shot down a jet.", "shot", day(D(2019, 1, 3))),
        ("That same day, the army attacked the village.", "attacked", ANCHOR),
        ("The previous day, the army attacked the village.", "attacked", day(D(2018, 12, 31))),
        (
            "Just a few days later, India struck again.",
            "struck",
            EventDate(D(2019, 1, 3), "day", (D(2019, 1, 3), D(2019, 1, 6))),
        ),
        (
            "Troops attacked the town that week.",
            "attacked",
            EventDate(D(2018, 12, 31), "day", (D(2018, 12, 31), D(2019, 1, 6))),
        ),
    ],
)
def test_resolve_dates_relative_to_the_previous_event(
    nlp: Language, resolver: DateResolver, text: str, trigger: str, expected: EventDate
) -> None:
    assert when(nlp, resolver, text, trigger, anchor=ANCHOR) == expected


def test_resolve_anchor_range_shifts_both_ends(nlp: Language, resolver: DateResolver) -> None:
    anchor = EventDate(D(2019, 1, 3), "day", (D(2019, 1, 3), D(2019, 1, 6)))
    found = when(nlp, resolver, "The next day, the army attacked.", "attacked", anchor=anchor)
    assert found == EventDate(D(2019, 1, 4), "day", (D(2019, 1, 4), D(2019, 1, 7)))


def test_resolve_anchored_phrase_without_anchor_stays_a_range(
    nlp: Language, resolver: DateResolver
) -> None:
    found = when(nlp, resolver, "The next day, the army attacked.", "attacked")
    assert found.range == (D(2019, 1, 27), PUBLISHED)
    assert found.basis == "anchored"
    found = when(nlp, resolver, "A few months later, the army withdrew.", "withdrew")
    assert found.range == (D(2018, 2, 26), PUBLISHED)


def test_resolve_same_words_do_not_shift_twice(nlp: Language, resolver: DateResolver) -> None:
    doc = nlp("Two days later, Pakistan shot down a jet and captured the pilot.")
    shot = resolver.resolve(doc[5], PUBLISHED, ANCHOR)
    captured = resolver.resolve(next(t for t in doc if t.text == "captured"), PUBLISHED, shot)
    assert shot == captured == day(D(2019, 1, 3))


def test_resolve_historical_mention_keeps_its_own_date(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "India conducted air strikes on Monday after its nuclear tests in May 1998."
    assert when(nlp, resolver, text, "tests") == EventDate(D(1998, 5, 1), "month")
    assert when(nlp, resolver, text, "conducted") == day(D(2019, 2, 25))
    text = "Pakistan condemned the attack, citing its nuclear tests in May 1998."
    assert when(nlp, resolver, text, "condemned") == day(PUBLISHED)


def test_resolve_reported_clause_without_a_time_takes_the_report_date(
    nlp: Language, resolver: DateResolver
) -> None:
    # What was reported on Tuesday happened by Tuesday: a better bound than publication.
    text = "Pakistan said on Tuesday that India attacked its posts."
    assert when(nlp, resolver, text, "said") == day(D(2019, 2, 26))
    assert when(nlp, resolver, text, "attacked") == day(D(2019, 2, 26))


def test_resolve_reported_clause_keeps_its_own_date(nlp: Language, resolver: DateResolver) -> None:
    text = "Pakistan said on Tuesday that India attacked its posts on Sunday."
    assert when(nlp, resolver, text, "attacked") == day(D(2019, 2, 24))


def test_resolve_noun_trigger_shares_its_verbs_date(nlp: Language, resolver: DateResolver) -> None:
    text = "Thousands were killed in a drone strike on Monday."
    assert when(nlp, resolver, text, "strike") == day(D(2019, 2, 25))
    text = "The February 26 strike killed 40."
    assert when(nlp, resolver, text, "killed") == day(D(2019, 2, 26))


def test_resolve_deadline_is_not_the_event_date(nlp: Language, resolver: DateResolver) -> None:
    text = "India will withdraw its troops by 2030."
    assert when(nlp, resolver, text, "withdraw") == day(PUBLISHED)


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan attacked the post on February 30.",
        "Pakistan attacked the post on 31 April.",
        "Pakistan attacked the post on 30 February 2019.",
        "Pakistan attacked the post on 31/04/2019.",
    ],
)
def test_resolve_nonsense_dates_fall_back(nlp: Language, resolver: DateResolver, text: str) -> None:
    assert when(nlp, resolver, text, "attacked") == day(PUBLISHED)
    assert when(nlp, resolver, text, "attacked", None) == EventDate(None, None)


def test_resolve_without_any_date_is_unknown(nlp: Language, resolver: DateResolver) -> None:
    assert when(nlp, resolver, "Pakistan attacked the post.", "attacked", None) == EventDate(
        None, None
    )


def test_resolve_year_inferred_from_the_document(nlp: Language, resolver: DateResolver) -> None:
    doc = nlp(
        "The clashes began in early 2018. Militants attacked a convoy in February. "
        "Crowds celebrated the New Year. Police arrested ten people."
    )
    assert resolver.document_year(doc) == 2018
    by_word = {t.text: t for t in doc}
    assert resolver.resolve(by_word["began"], None) == EventDate(
        D(2018, 1, 1), "month", (D(2018, 1, 1), D(2018, 4, 30))
    )
    assert resolver.resolve(by_word["attacked"], None) == EventDate(D(2018, 2, 1), "month")
    assert resolver.resolve(by_word["celebrated"], None) == day(D(2018, 1, 1))
    assert resolver.resolve(by_word["arrested"], None) == EventDate(D(2018, 1, 1), "year")


def test_resolve_document_year_ignores_counts_and_deadlines(
    nlp: Language, resolver: DateResolver
) -> None:
    doc = nlp("The 2000 troops will leave by 2030. Talks began in 2016.")
    assert resolver.document_year(doc) == 2016
    assert resolver.document_year(nlp("Two thousand people marched.")) is None


PIECES = (
    "0", "1", "2", "9", " ", "/", "-", ".", ",", "'", "May ", "February ", "Monday ", "last ",
    "week ", "days ", "later ", "ago ", "the next day ", "in ", "early ", "2018 ", "30 ", "a few ",
    "this month ", "killed ", "Christmas ", "winter ", "999 years ago ",
)  # fmt: skip


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=40), st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
    ),
    published=st.one_of(st.none(), st.dates()),
)
def test_resolve_never_raises_and_dates_are_consistent(
    nlp: Language, resolver: DateResolver, text: str, published: dt.date | None
) -> None:
    doc = nlp(text)
    anchor: EventDate | None = EventDate(dt.date.max, "day")
    for token in doc:
        found = resolver.resolve(token, published, anchor)
        assert (found.date is None) == (found.precision is None)
        if found.range is not None:
            assert found.date is not None
            assert found.range[0] <= found.date <= found.range[1]
        anchor = found


def test_resolve_document_dating_reads_each_sentence_once(
    nlp: Language, resolver: DateResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An undated document's sentences are read once, for its year and its events."""
    text = (
        "In March 2017 India protested to Pakistan. The next day Pakistan rejected it. "
        "Two days later India recalled its envoy. China urged restraint."
    )
    doc = nlp(text)
    triggers = [t for t in doc if t.text in ("protested", "rejected", "recalled", "urged")]
    one_by_one = [resolver.resolve(t, None) for t in triggers]
    assert resolver.document_year(doc) == 2017
    calls: list[str] = []
    read = resolver.expressions

    def counting(text: str) -> list[Expression]:
        calls.append(text)
        return read(text)

    monkeypatch.setattr(resolver, "expressions", counting)
    dating = resolver.for_document(doc, None)
    assert dating.year == 2017
    assert calls == [sentence.text for sentence in doc.sents]
    anchor: EventDate | None = None
    together = []
    for trigger in triggers:
        found = dating.resolve(trigger, anchor)
        anchor = found if found.span is not None else anchor
        together.append(found)
    assert len(calls) == 4  # not once more an event
    march = EventDate(D(2017, 3, 1), "month")
    assert [(d.date, d.precision) for d in together] == [
        (march.date, "month"), (march.date, "month"), (march.date, "month"),
        (D(2017, 1, 1), "year"),
    ]  # fmt: skip
    assert one_by_one[0] == together[0]


def _scope_by_climbing(trigger: Token) -> set[int]:
    """The definition: a word of the trigger's subtree whose way up to the
    trigger (itself included, the trigger not) opens no time of its own."""
    found = set()
    for token in trigger.subtree:
        current = token
        while current.i != trigger.i and _shares_down(current):
            current = current.head
        if token.i != trigger.i and current.i == trigger.i:
            found.add(token.i)
    return found


def test_resolve_scope_matches_its_definition_on_the_demo_corpus(nlp: Language) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()[:80]
    checked = kept = 0
    for doc in nlp.pipe(json.loads(line)["text"] for line in lines):
        for token in doc:
            expected = _scope_by_climbing(token)
            assert {word.i for word in scope(token)} == expected
            checked, kept = checked + 1, kept + len(expected)
    assert checked > 3_000 and kept > checked  # real subtrees, not only leaves


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Rebels seized the port in June last year.", "seized", EventDate(D(2018, 6, 1), "month")),
        ("Rebels seized the port last February.", "seized", EventDate(D(2018, 2, 1), "month")),
        ("Rebels seized the port last summer.", "seized",
         EventDate(D(2018, 6, 1), "month", (D(2018, 6, 1), D(2018, 8, 31)))),
        ("Rebels seized the port over the winter.", "seized",
         EventDate(D(2018, 12, 1), "month", (D(2018, 12, 1), D(2019, 2, 28)))),
        ("Rebels seized the port in early February.", "seized",
         EventDate(D(2019, 2, 1), "day", (D(2019, 2, 1), D(2019, 2, 10)))),
        ("Rebels seized the port over the weekend.", "seized",
         EventDate(D(2019, 2, 23), "day", (D(2019, 2, 23), D(2019, 2, 24)))),
        ("The envoys will meet next March.", "meet", EventDate(D(2019, 3, 1), "month")),
        ("The envoys will meet in the spring.", "meet",
         EventDate(D(2019, 3, 1), "month", (D(2019, 3, 1), D(2019, 5, 31)))),
    ],
)  # fmt: skip
def test_resolve_relative_months_seasons_and_weekends(
    nlp: Language, resolver: DateResolver, text: str, trigger: str, expected: EventDate
) -> None:
    assert when(nlp, resolver, text, trigger) == expected
