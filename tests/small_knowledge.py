"""A hand-made knowledge bundle for tests of the coder's mechanisms.

Kept apart from conftest.py so test modules can import it by name.
"""

from __future__ import annotations

from dyadwatch.actors.dictionary import ActorDictionary, ActorEntry, AgentEntry, DatedCode
from dyadwatch.coder.rules import Slot, TriggerRule


def country(phrase: str, code: str, kind: str = "country") -> ActorEntry:
    return ActorEntry(phrase, (DatedCode(code),), phrase, kind)  # type: ignore[arg-type]


def words(*options: str) -> Slot:
    """A ``words`` slot with one single-word option per argument."""
    return Slot("words", tuple((option,) for option in options))


SMALL_ACTORS = ActorDictionary.of(
    [
        country("Pakistan", "PAK"),
        country("India", "IND"),
        country("Indian", "IND", "demonym"),
        country("New Delhi", "IND", "capital"),
        country("China", "CHN"),
        country("United States", "USA"),
        country("US", "USA"),
        country("Afghanistan", "AFG"),
    ],
    [
        AgentEntry("military", "MIL"),
        AgentEntry("warplane", "MIL"),
        AgentEntry("jet", "MIL"),
        AgentEntry("troops", "MIL"),
    ],
)

SMALL_RULES = (
    TriggerRule("attack", "190"),
    TriggerRule("strike", "190"),
    TriggerRule("strike", "195", before=(words("warplane*", "drone"),)),
    TriggerRule("shoot", "190", particle="down"),
    TriggerRule("urge", "025"),
    TriggerRule("urge", "0256", after=(words("restraint"),)),
    TriggerRule("meet", "040"),
    TriggerRule("hold", "---"),
    TriggerRule("hold", "043", after=(words("talks"),)),
    TriggerRule("agree", "030"),
)
