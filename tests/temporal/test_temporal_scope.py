"""Date scope on sentences of our own: one test per construction of temporal/attach.py."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from dyadwatch.temporal import DateResolver, EventDate

PUBLISHED = dt.date(2019, 2, 27)  # a Wednesday
D = dt.date


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver()


def dates(nlp: Language, resolver: DateResolver, text: str, *triggers: str) -> list[EventDate]:
    """The dates of ``triggers`` (first token with that text each), dated as a document."""
    doc = nlp(text)
    tokens = [next(t for t in doc if t.text == word) for word in triggers]
    return resolver.for_document(doc, PUBLISHED).resolve_all(sorted(tokens, key=lambda t: t.i))


def one(nlp: Language, resolver: DateResolver, text: str, trigger: str) -> EventDate:
    return dates(nlp, resolver, text, trigger)[0]


def test_scope_when_clause_takes_the_main_clause_date(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "Tension rose on January 24, when Ruritania condemned a raid on its border."
    assert one(nlp, resolver, text, "condemned") == EventDate(D(2019, 1, 24), "day")


def test_scope_infinitival_frame_takes_the_clause_date(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "In August 2017 Ruritania was the first country to rebuke its neighbour."
    assert one(nlp, resolver, text, "rebuke") == EventDate(D(2017, 8, 1), "month")


def test_scope_premodified_noun_and_its_relative_clause(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "Officials recalled the March 1998 bombing that killed twelve guards."
    bombing, killed = dates(nlp, resolver, text, "bombing", "killed")
    assert bombing == killed == EventDate(D(1998, 3, 1), "month")
    assert one(nlp, resolver, "Officials recalled the March 1998 bombing.", "recalled") == (
        EventDate(PUBLISHED, "day")
    )


def test_scope_bare_year_before_a_noun(nlp: Language, resolver: DateResolver) -> None:
    text = "A 2010 commando raid freed the hostages."
    assert one(nlp, resolver, text, "raid") == EventDate(D(2010, 1, 1), "year")


def test_scope_second_of_joined_verbs(nlp: Language, resolver: DateResolver) -> None:
    text = "On Monday the rebels seized the town and burned the market."
    assert one(nlp, resolver, text, "burned") == EventDate(D(2019, 2, 25), "day")


def test_scope_opening_participial_frame_dates_the_main_verb(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "Speaking to reporters in 1995, the general said the border was calm."
    assert one(nlp, resolver, text, "said") == EventDate(D(1995, 1, 1), "year")
    text = "The general praised the troops, recalling their victory in 1995."
    assert one(nlp, resolver, text, "praised") == EventDate(PUBLISHED, "day")


def test_scope_nearest_own_time_wins(nlp: Language, resolver: DateResolver) -> None:
    text = "On Monday the minister said that the army had shelled the village in 2016."
    said, shelled = dates(nlp, resolver, text, "said", "shelled")
    assert said == EventDate(D(2019, 2, 25), "day")
    assert shelled == EventDate(D(2016, 1, 1), "year")


def test_scope_report_after_a_quote_keeps_its_own_time(
    nlp: Language, resolver: DateResolver
) -> None:
    text = '"The suspects fled on 3 January," the police said.'
    fled, said = dates(nlp, resolver, text, "fled", "said")
    assert fled == EventDate(D(2019, 1, 3), "day")
    assert said == EventDate(PUBLISHED, "day")
    assert said.basis == "publication"


def test_scope_date_phrase_on_a_noun_inside_the_verb_phrase(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "The mayor was wounded in the leg on Friday night."
    assert one(nlp, resolver, text, "wounded") == EventDate(D(2019, 2, 22), "day")


def test_scope_clause_on_a_time_noun(nlp: Language, resolver: DateResolver) -> None:
    text = "Unlike Thursday, when forty people were arrested, the march was calm."
    assert one(nlp, resolver, text, "arrested") == EventDate(D(2019, 2, 21), "day")


def test_scope_after_bounds_the_event(nlp: Language, resolver: DateResolver) -> None:
    text = "Ruritania imposed sanctions on Borduria after it tested a missile in May 2018."
    imposed, tested = dates(nlp, resolver, text, "imposed", "tested")
    assert tested == EventDate(D(2018, 5, 1), "month")
    assert imposed.range == (D(2018, 5, 1), PUBLISHED)
    text = "The envoy left after the talks on 12 February."
    assert one(nlp, resolver, text, "left").range == (D(2019, 2, 12), PUBLISHED)


def test_scope_before_bounds_the_event(nlp: Language, resolver: DateResolver) -> None:
    text = "The rebels fled before the army entered the town on 12 February."
    assert one(nlp, resolver, text, "fled").range == (D(2019, 2, 5), D(2019, 2, 12))


def test_scope_running_reference_time_across_sentences(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "Gunmen stormed a police post near the border on Sunday. "
        "They burned two trucks. Officials say the area is calm."
    )
    burned, say = dates(nlp, resolver, text, "burned", "say")
    assert burned == EventDate(D(2019, 2, 24), "day")
    assert burned.basis == "anchored"
    assert say == EventDate(PUBLISHED, "day") and say.basis == "publication"


def test_scope_reporting_verb_in_a_later_sentence_keeps_publication(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "Gunmen stormed a police post on Sunday. The governor said the post was rebuilt."
    assert one(nlp, resolver, text, "said").basis == "publication"


def test_scope_chain_counts_from_the_running_reference(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "The talks opened on 4 February. Two days later, the delegates walked out."
    walked = one(nlp, resolver, text, "walked")
    assert walked == EventDate(D(2019, 2, 6), "day")
    assert walked.basis == "anchored"


def test_scope_chain_without_an_anchor_stays_a_range(nlp: Language, resolver: DateResolver) -> None:
    text = "The talks opened. A few days later, the delegates walked out."
    walked = one(nlp, resolver, text, "walked")
    assert walked.range == (D(2019, 1, 27), PUBLISHED)
    assert walked.basis == "anchored"


def test_scope_definite_noun_names_back_a_dated_event(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "A bomb exploded at the market on 9 February. "
        "Residents still fear another bombing. The explosion shocked the town."
    )
    explosion = one(nlp, resolver, text, "explosion")
    assert explosion == EventDate(D(2019, 2, 9), "day")
    assert explosion.basis == "anchored"


def test_scope_future_weekday_is_the_next_one(nlp: Language, resolver: DateResolver) -> None:
    text = "The ministers will meet on Monday."
    assert one(nlp, resolver, text, "meet") == EventDate(D(2019, 3, 4), "day")
    text = "The unions planned a strike on Friday."
    assert one(nlp, resolver, text, "strike") == EventDate(D(2019, 3, 1), "day")
    text = "The unions held a strike on Friday."
    assert one(nlp, resolver, text, "held") == EventDate(D(2019, 2, 22), "day")


def test_scope_when_adverb_clause_below_the_main_verb(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "Nine soldiers were killed when their truck overturned last February."
    assert one(nlp, resolver, text, "killed") == EventDate(D(2018, 2, 1), "month")


def test_scope_opening_frame_noun_dates_the_clause(nlp: Language, resolver: DateResolver) -> None:
    text = "In Monday's debate, the governor attacked his rival over the budget."
    assert one(nlp, resolver, text, "attacked") == EventDate(D(2019, 2, 25), "day")
    # a trailing phrase does not set the scene
    text = "The governor praised the speech given at Monday's rally."
    assert one(nlp, resolver, text, "praised") == EventDate(PUBLISHED, "day")


def test_scope_date_between_article_and_noun_is_the_nouns(
    nlp: Language, resolver: DateResolver
) -> None:
    # the small parser makes "Dec." the object of "in" and "bombing" an apposition
    text = "The court freed two officers charged in the Dec. 3, 2001, bombing of the depot."
    freed, charged, bombing = dates(nlp, resolver, text, "freed", "charged", "bombing")
    assert bombing == EventDate(D(2001, 12, 3), "day")
    assert freed == charged == EventDate(PUBLISHED, "day")


def test_scope_present_plan_dates_the_planned_event(nlp: Language, resolver: DateResolver) -> None:
    text = "On Friday, the union plans to hold a march to protest the cuts."
    plans, hold, march = dates(nlp, resolver, text, "plans", "hold", "march")
    assert plans == hold == march == EventDate(D(2019, 3, 1), "day")
    # told in the past, the plan keeps the past day
    text = "On Friday, the union planned a march."
    assert one(nlp, resolver, text, "planned") == EventDate(D(2019, 2, 22), "day")


def test_scope_chain_counts_from_the_event_it_names(nlp: Language, resolver: DateResolver) -> None:
    text = (
        "Gunmen shot the mayor on 12 January. "
        "A neighbour saw their car ten days before the murder. "
        "Two men came to his house the day after his death."
    )
    saw, came = dates(nlp, resolver, text, "saw", "came")
    assert saw == EventDate(D(2019, 1, 2), "day") and saw.basis == "anchored"
    assert came == EventDate(D(2019, 1, 13), "day") and came.basis == "anchored"


def test_scope_chain_from_an_undated_named_event_stays_a_range(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "The talks opened on 4 February. Troops left two days before the vote."
    left = one(nlp, resolver, text, "left")
    assert left.range == (D(2019, 1, 27), PUBLISHED)
    assert left.basis == "anchored"


def test_scope_present_tense_keeps_the_publication_date(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "With the arrest of a suspect two weeks ago, the police say the case is closed."
    assert one(nlp, resolver, text, "say") == EventDate(PUBLISHED, "day")
    text = "Investigators think the gunman hid the rifle in 2017."
    think, hid = dates(nlp, resolver, text, "think", "hid")
    assert think == EventDate(PUBLISHED, "day")
    assert hid == EventDate(D(2017, 1, 1), "year")


def test_scope_when_clause_right_after_a_time(nlp: Language, resolver: DateResolver) -> None:
    text = "He kept a banner from 1989 when the union won against the army."
    assert one(nlp, resolver, text, "won") == EventDate(D(1989, 1, 1), "year")
    text = "Unlike Thursday, when forty marchers were arrested, the crowd was calm on Friday."
    assert one(nlp, resolver, text, "arrested") == EventDate(D(2019, 2, 21), "day")


def test_scope_month_between_article_and_noun(nlp: Language, resolver: DateResolver) -> None:
    text = "The March accession will give the three states a vote."
    assert one(nlp, resolver, text, "accession") == EventDate(D(2019, 3, 1), "month")
    text = "Detectives found new evidence in the October shooting of the judge."
    found, shooting = dates(nlp, resolver, text, "found", "shooting")
    assert shooting == EventDate(D(2018, 10, 1), "month")
    assert found == EventDate(PUBLISHED, "day")


def test_scope_bare_holiday_before_a_participle(nlp: Language, resolver: DateResolver) -> None:
    text = "The boy was found Christmas Day clinging to a raft."
    assert one(nlp, resolver, text, "found") == EventDate(D(2018, 12, 25), "day")


def test_scope_opening_frame_with_its_own_participle(nlp: Language, resolver: DateResolver) -> None:
    text = "In a survey finished on Monday, most voters said they backed the mayor."
    assert one(nlp, resolver, text, "said") == EventDate(D(2019, 2, 25), "day")


def test_scope_count_before_a_clause_dates_the_main_clause(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "Two days before the minister resigned in 2016, rebels seized the town."
    seized = one(nlp, resolver, text, "seized")
    # two days counted from a year stay that year (see "Conventions")
    assert seized == EventDate(D(2016, 1, 1), "year") and seized.basis == "anchored"
    text = "One year before the envoy gave a speech, rebels seized the town."
    seized = one(nlp, resolver, text, "seized")
    assert seized.range == (D(2018, 2, 26), PUBLISHED)  # the speech is undated


def test_scope_report_of_the_story_day_ends_the_running_reference(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "The minister announced a reward on Monday. "
        "She told the envoys that the hunt would go on. "
        "The envoys condemned the attack."
    )
    condemned = one(nlp, resolver, text, "condemned")
    assert condemned == EventDate(PUBLISHED, "day") and condemned.basis == "publication"


def test_scope_running_reference_passes_a_dated_report(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "Rebels shelled the airport on Sunday. "
        "The army said on Monday that the runway was closed. "
        "The rebels then seized the tower."
    )
    assert one(nlp, resolver, text, "seized") == EventDate(D(2019, 2, 25), "day")


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("``We will not go back,'' the union said in a letter, dated Monday.", "said"),
        ("In a statement dated Monday, the union demanded talks.", "demanded"),
    ],
)
def test_scope_document_dated_by_a_participle(
    nlp: Language, resolver: DateResolver, text: str, trigger: str
) -> None:
    assert one(nlp, resolver, text, trigger) == EventDate(D(2019, 2, 25), "day")


def test_scope_opening_phrase_names_back_a_dated_noun(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "The union sent the minister a letter dated Monday. "
        "In the letter, the union demanded talks."
    )
    demanded = one(nlp, resolver, text, "demanded")
    assert demanded == EventDate(D(2019, 2, 25), "day") and demanded.basis == "anchored"


def test_scope_warning_does_not_end_the_running_reference(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "The ministry issued a travel alert on Sunday. "
        "An attached note warned against all travel to the coast. "
        "The ministry also recalled its staff."
    )
    assert one(nlp, resolver, text, "recalled") == EventDate(D(2019, 2, 24), "day")


def test_scope_event_noun_framed_by_a_noun_names_back(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "A guard was stabbed at the depot on 3 January. "
        "On 20 February, detectives searched the scene of the stabbing again."
    )
    searched, stabbing = dates(nlp, resolver, text, "searched", "stabbing")
    assert searched == EventDate(D(2019, 2, 20), "day")
    assert stabbing == EventDate(D(2019, 1, 3), "day") and stabbing.basis == "anchored"


def test_scope_lede_takes_the_day_the_next_sentence_gives(
    nlp: Language, resolver: DateResolver
) -> None:
    text = (
        "HARBOUR CITY -- The mayor said the port would reopen. "
        "Dockers marched through the old town on Monday to demand their pay."
    )
    said = one(nlp, resolver, text, "said")
    assert said == EventDate(D(2019, 2, 25), "day") and said.basis == "anchored"


def test_scope_lede_day_dates_every_event_of_the_lede_alone(
    nlp: Language, resolver: DateResolver
) -> None:
    # The lede's day is worked out once per document: each past event of the
    # first sentence takes it; a later sentence's event runs on from it.
    text = (
        "HARBOUR CITY -- The mayor warned the dockers and closed the port. "
        "Dockers marched through the old town on Monday to demand their pay. "
        "The council later met the union."
    )
    warned, closed, met = dates(nlp, resolver, text, "warned", "closed", "met")
    monday = EventDate(D(2019, 2, 25), "day")
    assert warned == monday and warned.basis == "anchored"
    assert closed == monday and closed.basis == "anchored"
    assert met == monday and met.basis == "anchored"  # the running reference time


def test_scope_lede_keeps_publication_without_a_recent_day_next(
    nlp: Language, resolver: DateResolver
) -> None:
    text = "The mayor said the port would reopen. Dockers first marched in May 2016."
    assert one(nlp, resolver, text, "said").basis == "publication"
    text = "The mayor says the port will reopen. Dockers marched on Monday."
    assert one(nlp, resolver, text, "says").basis == "publication"
