"""Who did it to whom: the argument mechanisms behind the pair breakdown of
docs/CODER.md ("Who did it to whom"), on the built-in lexicon, in our own sentences.

Each mechanism has a case where it applies and a near case where it must not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.model import Event

DAY = dt.date(2021, 5, 4)

pytestmark = pytest.mark.slow


def coded(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, DAY)


def pairs(events: list[Event]) -> set[tuple[str, str | None]]:
    return {(e.source.code, e.target.code if e.target else None) for e in events}


def words(event: Event, role: str) -> str | None:
    span = event.evidence.source if role == "source" else event.evidence.target
    return event.sentence[slice(*span)] if span is not None else None


# -- parties the dictionaries do not know -----------------------------------------------


def test_argument_roles_unknown_object_is_an_unknown_target(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "A court in Sweden has jailed a retired accountant.")
    jailed = [e for e in events if e.target is not None]
    assert jailed, events
    assert jailed[0].target is not None and jailed[0].target.code == "---"
    assert words(jailed[0], "target") == "retired accountant"
    assert jailed[0].target.country is None  # analyses by country leave it out


def test_argument_roles_event_noun_is_no_party_but_its_patient_is(builtin_coder: Coder) -> None:
    inquiry = coded(builtin_coder, "Norway ordered an inquiry.")
    assert all(e.target is None for e in inquiry), inquiry
    arrest = coded(builtin_coder, "Norway ordered the arrest of a retired accountant.")
    assert {words(e, "target") for e in arrest} == {"retired accountant"}


@pytest.mark.parametrize(
    "text",
    [
        "Norway withdrew its troops.",  # the source's own forces
        "Norway opened its borders.",  # what a pronoun owns
        "Norway and Sweden agreed to a cease-fire to end years of fighting.",  # a span of time
    ],
)
def test_argument_roles_no_unknown_target_for_own_things_or_time(
    builtin_coder: Coder, text: str
) -> None:
    events = coded(builtin_coder, text)
    assert all(e.target is None or e.target.code != "---" for e in events), events


def test_argument_roles_known_actor_still_wins_over_unknown(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Canada condemned the visit by Sweden.")
    assert ("CAN", "SWE") in pairs(events)
    assert all(e.target is None or e.target.code != "---" for e in events)


def test_argument_roles_coordinated_sources_deal_with_each_other(builtin_coder: Coder) -> None:
    text = "Norway and Sweden agreed to a cease-fire to end years of fighting."
    events = coded(builtin_coder, text)
    assert {("NOR", "SWE"), ("SWE", "NOR")} <= pairs(events)


def test_argument_roles_unknown_target_is_never_a_mutual_doer(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Norway met the new committee on Monday.")
    assert all(e.source.code != "---" for e in events), events


# -- datelines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "OSLO -- A court in Sweden has jailed a retired accountant.",
        "Oslo - A court in Sweden has jailed a retired accountant.",
    ],
)
def test_argument_roles_dateline_is_no_party(builtin_coder: Coder, text: str) -> None:
    events = coded(builtin_coder, text)
    assert events
    assert all(e.source.code != "NOR" and "Oslo" not in e.source.text for e in events), events


def test_argument_roles_hyphenated_country_is_no_dateline(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Oslo-based bankers met Sweden's envoy.")
    assert not any(e.source.code == "---" and e.source.text == "" for e in events)
    events = coded(builtin_coder, "Norway met Sweden's envoy in Oslo.")
    assert ("NOR", "SWEGOV") in pairs(events) or ("NOR", "SWE") in pairs(events), events


# -- pronouns --------------------------------------------------------------------------


def test_argument_roles_pronoun_evidence_is_its_antecedent_in_the_sentence(
    builtin_coder: Coder,
) -> None:
    events = coded(builtin_coder, "Sweden says it will not accept the plan.")
    assert events and all(e.source.code == "SWE" for e in events)
    assert {words(e, "source") for e in events} == {"Sweden"}


def test_argument_roles_pronoun_evidence_stays_the_pronoun_across_sentences(
    builtin_coder: Coder,
) -> None:
    events = coded(builtin_coder, "Sweden held a vote on Monday. It rejected the plan.")
    later = [e for e in events if e.sentence_index == 1]
    assert later and later[0].source.code == "SWE"
    assert words(later[0], "source") == "It"


# -- which phrase names the other party ----------------------------------------------


def test_argument_roles_consulting_with_names_the_partner(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Norway discussed Libya with Sweden on Monday.")
    assert ("NOR", "SWE") in pairs(events)
    assert ("NOR", "LBY") not in pairs(events)


def test_argument_roles_aid_in_a_country_is_for_it(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Norway provided humanitarian aid in Yemen.")
    assert ("NOR", "YEM") in pairs(events)


def test_argument_roles_meeting_in_a_country_is_still_a_place(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Norway met Sweden's envoy in Yemen.")
    assert all(e.target is None or e.target.code != "YEM" for e in events), events


# -- statements and purposes ---------------------------------------------------------


def test_argument_roles_statement_is_about_the_reported_subject(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Canada said the Swedish government is committed to reform.")
    assert ("CAN", "SWEGOV") in pairs(events)


def test_argument_roles_statement_about_its_own_speaker_has_no_target(
    builtin_coder: Coder,
) -> None:
    events = coded(builtin_coder, "Norway said its economy was strong.")
    assert pairs(events) == {("NOR", None)}


def test_argument_roles_aid_names_whom_its_purpose_helps(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Norway gave 20 million euros to help farmers in Kenya.")
    assert ("NOR", "KEN") in pairs(events)


def test_argument_roles_a_purpose_names_no_partner_of_a_meeting(builtin_coder: Coder) -> None:
    events = coded(builtin_coder, "Norway met the committee to discuss the dispute in Kenya.")
    assert all(e.target is None or e.target.code != "KEN" for e in events), events
