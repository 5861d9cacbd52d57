"""Who the doer of a clause is, and which candidates are co-doers.

A doer is an active subject or a passive's ``by`` agent: a passive's subject
and the noun a reduced passive modifies are what was done to (issue 18,
session 13). Conjoined doers of one trigger share a ``doer_group``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _scoring_support import Keep, phrase_roles
from spacy.language import Language

from dyadwatch.coder.component import builtin_knowledge
from dyadwatch.coder.engine import Coder

DAY = dt.date(2021, 5, 4)


def test_propose_doers_passive_subject_is_no_doer(nlp: Language) -> None:
    sources, targets = phrase_roles(nlp, "Three shopkeepers were robbed in the bazaar.", "robbed")
    assert "Three shopkeepers" not in sources
    assert "Three shopkeepers" in targets


def test_propose_doers_reduced_passive_noun_is_done_to(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The shopkeepers robbed by the gang reopened on Monday.", "robbed"
    )
    assert "the gang" in sources and "The shopkeepers" not in sources
    assert "The shopkeepers" in targets


def test_propose_doers_shared_passive_subject_is_done_to(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The engineers were abducted and killed near the dam.", "killed"
    )
    assert "The engineers" not in sources
    assert "The engineers" in targets


def test_propose_doers_conjoined_agents_are_no_partners(nlp: Language) -> None:
    sources, targets = phrase_roles(
        nlp, "The shops were looted by the gang and the guards.", "looted"
    )
    assert {"the gang", "the guards"} <= sources
    assert not {"the gang", "the guards"} & targets


@pytest.mark.slow
def test_propose_doers_conjoined_sources_share_a_group(nlp: Language) -> None:
    keep = Keep()
    coder = Coder(nlp, builtin_knowledge(), scorer=keep)
    coder.code_text("Police and soldiers shot dead two robbers in Ranchi.", DAY)
    groups = {c.event.source.code: c.doer_group for c in keep.found if c.lexicon_pair}
    assert groups.get("COP") is not None and groups["COP"] == groups.get("MIL"), groups
    keep = Keep()
    Coder(nlp, builtin_knowledge(), scorer=keep).code_text("Police shot dead two robbers.", DAY)
    assert keep.found and all(c.doer_group is None for c in keep.found)
