"""The actor knowledge that every source compiles to.

The built-in knowledge base, user YAML/CSV dictionaries and PETRARCH/TABARI
dictionaries all become the same three kinds of entry, so one matcher serves
them all:

* ``ActorEntry``: a name that denotes an actor ("Pakistan", "Islamabad",
  "Nawaz Sharif") with one or more date-ranged CAMEO codes;
* ``AgentEntry``: a word that denotes a sector ("army" → MIL, "refugees" → REF),
  combined with a nearby actor's country;
* ``DiscardEntry``: a phrase that marks a sentence (or story) as not codable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "ActorKind",
    "AgentEntry",
    "DatedCode",
    "DiscardEntry",
]

ActorKind = Literal["country", "capital", "demonym", "igo", "group", "person", "actor"]


@dataclass(frozen=True, slots=True)
class DatedCode:
    """A CAMEO actor code valid from ``start`` to ``end`` (inclusive; None = open)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A phrase naming an actor, e.g. ``ActorEntry("Islamabad", (DatedCode("PAK"),), …)``.

    ``phrase`` is written as in text; the matcher tokenizes it the way it
    tokenizes sentences. With ``stem`` the last word may be a prefix of the
    text's word (TABARI's "ARGENTIN" matches "Argentina" and "Argentine").
    """

    phrase: str
    codes: tuple[DatedCode, ...]
    name: str
    kind: ActorKind = "actor"
    stem: bool = False
    cased: bool = False
    """Match only as written ("LeT", "WHO", "RAW"), never lower-cased."""

    def code_on(self, day: dt.date | None) -> str | None:
        """The code in force on ``day``: a covering dated code, else the undated one."""
        if day is not None:
            for dated in self.codes:
                if dated.dated and dated.covers(day):
                    return dated.code
        for dated in self.codes:
            if not dated.dated:
                return dated.code
        if day is None and self.codes:
            # No story date: the most recent tenure is the best guess.
            return max(self.codes, key=lambda c: c.start or dt.date.min).code
        return None


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """A phrase naming a sector, e.g. ``AgentEntry("army", "MIL")``.

    ``prefix`` marks PETRARCH's ``[NGO~]`` form, where the agent code comes
    before the country code instead of after it.
    """

    phrase: str
    code: str
    prefix: bool = False
    stem: bool = False


@dataclass(frozen=True, slots=True)
class DiscardEntry:
    """A phrase that makes a sentence (or with ``story``, a whole document) uncodable."""

    phrase: str
    story: bool = False
    stem: bool = False


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    """An immutable bundle of actor, agent and discard entries."""

    actors: tuple[ActorEntry, ...] = ()
    agents: tuple[AgentEntry, ...] = ()
    discards: tuple[DiscardEntry, ...] = ()

    @classmethod
    def of(
        cls,
        actors: Iterable[ActorEntry] = (),
        agents: Iterable[AgentEntry] = (),
        discards: Iterable[DiscardEntry] = (),
    ) -> ActorDictionary:
        return cls(tuple(actors), tuple(agents), tuple(discards))

    def merged(self, other: ActorDictionary) -> ActorDictionary:
        """This dictionary extended by ``other``; ``other`` wins on equal phrases."""
        return ActorDictionary(
            self.actors + other.actors,
            self.agents + other.agents,
            self.discards + other.discards,
        )
