"""From an argument word to coded actors.

An argument of a trigger ("the ambassadors of Arnor and Gondor", "Pakistan's
military", "it") is resolved by looking at the dictionary mentions inside its
noun phrase: the country comes from the head or its possessor / modifier /
"of" phrase, the sector from an agent word on the head, and pronouns and
"both sides" from the document's memory of earlier actors. Amounts, origins
and kinds of things name no party ("U.S. dollars", "Pakistani-made", "military
aid"); relative pronouns, copulas and the authors of threats or motions lead
to the actor a clause is about (``ArgumentWords``, from clauses.yaml).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Token

from dyadwatch.actors.dictionary import ActorEntry, AgentEntry
from dyadwatch.actors.matcher import Mention
from dyadwatch.model import Actor
from dyadwatch.nlp.syntax import conjuncts
from dyadwatch.nlp.text import tokens_text

__all__ = [
    "UNKNOWN_SOURCE",
    "ArgumentResolver",
    "ArgumentWords",
    "Discourse",
    "ResolvedActor",
    "compose_code",
    "in_dateline",
    "split_code",
]

_NON_COUNTRY = frozenset(
    {
        "IGO",
        "NGO",
        "IMG",
        "MNC",
        "UIS",
        "REB",
        "INS",
        "UAF",
        "MIL",
        "GOV",
        "COP",
        "OPP",
        "SPY",
        "MED",
        "HRI",
        "REF",
        "CVL",
        "BUS",
        "LAB",
        "AGR",
        "EDU",
        "REL",
        "ELI",
        "CRM",
        "LEG",
        "JUD",
        "PTY",
        "SEP",
        "MOD",
        "RAD",
        "DEV",
        "HLH",
        "ENV",
        "SET",
        "AMN",
        "---",
    }
)
_SINGULAR_PRONOUNS = frozenset({"it", "its", "itself", "he", "his", "him", "she", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "their", "them", "themselves"})
_GROUP_NOUNS = frozenset(
    {"country", "nation", "side", "government", "party", "power", "neighbour", "neighbor", "state"}
)
_NP_MODIFIERS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod", "nummod", "det"})
_OF_PREPS = frozenset({"of", "from"})
_CLASSIFIERS = frozenset({"amod", "compound", "nmod", "npadvmod", "poss"})
"""How a word modifies a noun it classifies: "*U.S.* dollars", "*military* aid"."""
_NAME_PARTS = frozenset({"compound", "amod", "nmod", "poss", "flat", "nummod", "quantmod"})
"""Left modifiers that belong to an unnamed party's words ("a *former* banker")."""
_DATELINE_MARKS = frozenset({"--", "—", ":"})
"""Punctuation that closes a dateline ("LISBON --", "Lucknow:")."""
_DATELINE_HYPHENS = frozenset({"-", "–"})
"""Closes a dateline only when spaced ("Washington - ..."), not in "Iran-backed"."""
_DATELINE_SPAN = 8
_PATIENT_PREPS = frozenset({"of", "into", "on", "against"})
"""What an event noun is done to: "the arrest *of*", "an inquiry *into*", "a ban *on*"."""
_RELATIVE_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})
_COPULA = "be"
_PREDICATE_PARTNER = {"attr": "nsubj", "nsubj": "attr"}


@dataclass(frozen=True, slots=True)
class ArgumentWords:
    """The words behind the resolver's general mechanisms (``arguments`` in clauses.yaml)."""

    measures: frozenset[str] = frozenset()
    """Money and measures: their country modifiers are currencies or origins."""
    origins: frozenset[str] = frozenset()
    """ "made", "built": a country joined to them names where a thing comes from."""
    things: frozenset[str] = frozenset()
    """Things given, cut or talked about: their agent adjectives are kinds, not actors."""
    relatives: frozenset[str] = frozenset()
    """Relative pronouns, which stand for the noun their clause modifies."""
    authored: frozenset[str] = frozenset()
    """Nouns whose author is the actor: a threat, a pledge, a motion."""
    authoring: frozenset[str] = frozenset()
    """Verbs whose subject authors their object noun ("tabled a motion")."""
    own_forces: frozenset[str] = frozenset()
    """Agent codes that, named without a country as a target, are the source's own
    ("Israel mobilized *the army*", "withdrew *its troops*")."""
    times: frozenset[str] = frozenset()
    """Spans of time, which name no party ("to end *months* of fighting")."""

    @classmethod
    def of(cls, data: Mapping[str, object]) -> ArgumentWords:
        """From the ``arguments`` mapping of clauses.yaml (absent lists are empty)."""

        def words(key: str) -> frozenset[str]:
            found = data.get(key) or []
            if not isinstance(found, list):
                raise TypeError(f"arguments.{key} must be a list of words")
            return frozenset(str(word).lower() for word in found)

        return cls(
            words("measures"),
            words("origins"),
            words("things"),
            words("relatives"),
            words("authored"),
            words("authoring"),
            frozenset(code.upper() for code in words("own_forces")),
            words("times"),
        )


def split_code(code: str) -> tuple[str | None, str | None]:
    """(country, sector) of a CAMEO actor code: "PAKMIL" -> ("PAK", "MIL")."""
    head = code[:3]
    if head in _NON_COUNTRY or not head.isalpha():
        return None, (head if head != "---" else None)
    return head, (code[3:6] or None)


def compose_code(actor_code: str | None, agent: AgentEntry | None) -> str | None:
    """Join an actor code and an agent: ("PAK", MIL) -> "PAKMIL"."""
    if agent is None:
        return actor_code
    if actor_code is None:
        return agent.code
    if agent.prefix:
        return agent.code + actor_code
    if actor_code.endswith(agent.code) or (
        len(actor_code) >= 6 and actor_code[3:6] == agent.code[:3]
    ):
        return actor_code
    return actor_code + agent.code


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    actor: Actor
    start: int
    """Doc token offsets of the words that named it."""
    end: int
    via_memory: bool = False
    subject: bool = False


UNKNOWN_SOURCE = ResolvedActor(Actor("", "---", None, None, None), -1, -1)
"""The doer of an event whose text names none (CAMEO's "---")."""


@dataclass(slots=True)
class Discourse:
    """What a document has named so far, for pronouns and "both sides"."""

    actors: list[ResolvedActor] = field(default_factory=list)
    groups: list[list[ResolvedActor]] = field(default_factory=list)
    """Coordinated subjects ("Afghanistan, Pakistan, the US and China"), for "they"."""

    def remember(self, found: Sequence[ResolvedActor]) -> None:
        self.actors.extend(a for a in found if not a.via_memory)

    def remember_group(self, members: Sequence[ResolvedActor]) -> None:
        if len({m.actor.code for m in members}) >= 2:
            self.groups.append(list(members))

    def last_group(self, before: int) -> list[ResolvedActor]:
        """The latest group named before token ``before`` (empty if none)."""
        for group in reversed(self.groups):
            if group[0].start < before:
                return group
        return []

    def last(self, before: int) -> ResolvedActor | None:
        """The latest subject actor named before token ``before``, else any actor."""
        earlier = [a for a in self.actors if a.start < before]
        subjects = [a for a in earlier if a.subject]
        pool = subjects or earlier
        return pool[-1] if pool else None

    def last_pair(self, before: int, exclude: frozenset[str] = frozenset()) -> list[ResolvedActor]:
        """The two latest distinct countries named before token ``before``."""
        seen: dict[str, ResolvedActor] = {}
        for candidate in reversed(self.actors):
            country = candidate.actor.country
            if (
                candidate.start < before
                and country
                and country not in seen
                and country not in exclude
            ):
                seen[country] = candidate
            if len(seen) == 2:
                break
        return list(reversed(seen.values()))


class ArgumentResolver:
    """Resolves argument words of one sentence to actors."""

    def __init__(
        self,
        mentions: Sequence[Mention],
        day: dt.date | None,
        discourse: Discourse,
        collective: tuple[tuple[str, ...], ...],
        partitives: frozenset[str] = frozenset(),
        words: ArgumentWords = ArgumentWords(),
    ) -> None:
        self._by_token = {i: m for m in mentions for i in range(m.start, m.end)}
        self._words = words
        self._day = day
        self._discourse = discourse
        self._collective = collective
        self._collective_ends = frozenset(c[-1] for c in collective if c)
        self._partitives = partitives
        # What a word's own modifiers say is fixed for the sentence (the mentions
        # and the parse are), and each argument is asked about several times:
        # as a subject to remember, in a group, as a source, as a target.
        self._agents: dict[int, AgentEntry | None] = {}
        self._modifiers: dict[int, tuple[Mention, ...]] = {}
        self._collectives: dict[int, bool] = {}

    def resolve(self, head: Token, exclude: frozenset[str] = frozenset()) -> list[ResolvedActor]:
        """All actors an argument names, one per coordinated member.

        ``exclude`` holds countries that cannot be meant (the event's source,
        when resolving "both sides" as its target).
        """
        members = [head, *head.conjuncts]
        shared = [m for member in members for m in self._modifier_actors(member)]
        found: list[ResolvedActor] = []
        for member in members:
            resolved = self._resolve_one(member, exclude)
            agent = self._agent_of(member)
            if shared and agent is not None and all(r.actor.country is None for r in resolved):
                # "Danish media and government": the government is Danish too.
                resolved = [self._make(m, agent, member) for m in shared]
            found.extend(resolved)
        if exclude and found and all(self._own_force(r) for r in found):
            return []  # asked for a target: the source's own army is none
        return _unique(found)

    def unnamed(self, head: Token, events: frozenset[int] = frozenset()) -> ResolvedActor | None:
        """A party the dictionaries do not know, kept with code ``---`` and its words.

        "jailed *a former banker*", "arrested *Dmitri Volkov*": the words say whom
        the event was done to even when no actor code does. Pronouns, amounts,
        datelines, event nouns (``events``: "ordered *an investigation*"), things
        given or talked about, agent words (the source's own forces, "withdrew
        *its troops*") and what a pronoun owns ("opened *its borders*") name none.
        """
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        words = self._words
        lemma = head.lemma_.lower()
        if head.i in events or lemma in words.things:
            # "ordered *the arrest of* a banker", "an inquiry *into* the bank": the
            # event's own patient.
            patient = next((o for p, o in _preps(head) if p in _PATIENT_PREPS), None)
            return self.unnamed(patient, events) if patient is not None else None
        if self._not_a_party(head) or in_dateline(head) or self._agent_of(head) is not None:
            return None
        if self._is_collective(head) or self._counts_a_group(head):
            return None  # "both sides" with nobody named before: no one in particular
        if head.lower_ in words.relatives or lemma in words.times or head.lower_ in words.times:
            return None
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
            return None
        # "the *Leawood-based* AMC", "the *rebel-held* town": whole modifiers.
        own = [c.left_edge.i for c in head.lefts if c.dep_ in _NAME_PARTS]
        start = min([head.i, *own])
        text = tokens_text(head.doc, start, head.i + 1)
        return ResolvedActor(Actor(text, "---", None, None, None), start, head.i + 1)

    def _own_force(self, resolved: ResolvedActor) -> bool:
        actor = resolved.actor
        return actor.country is None and actor.code in self._words.own_forces

    def resolve_plain(self, head: Token) -> list[ResolvedActor]:
        """Like ``resolve`` but without pronouns or memory (for remembering)."""
        if head.pos_ == "PRON" or self._is_collective(head):
            return []
        return self._resolve_one(head)

    def is_city(self, token: Token) -> bool:
        """Whether ``token`` names a capital city (not a country or a demonym)."""
        mention = self._by_token.get(token.i)
        entry = mention.entry if mention is not None else None
        return isinstance(entry, ActorEntry) and entry.kind == "capital"

    def is_place(self, token: Token) -> bool:
        """Whether ``token`` names a country or a capital (a place as much as an actor)."""
        mention = self._by_token.get(token.i)
        entry = mention.entry if mention is not None else None
        return isinstance(entry, ActorEntry) and entry.kind in ("country", "capital")

    def has_actor(self, token: Token) -> bool:
        return self.has_actor_at(token.i)

    def has_actor_at(self, i: int) -> bool:
        """Whether an actor mention starts at document token ``i``."""
        mention = self._by_token.get(i)
        return mention is not None and mention.kind == "actor" and mention.start == i

    def _resolve_one(
        self, head: Token, exclude: frozenset[str] = frozenset(), *, predicated: bool = True
    ) -> list[ResolvedActor]:
        lower = head.lower_
        antecedent = self._antecedent(head)
        if antecedent is not None:
            return self._resolve_one(antecedent, exclude)
        if self._not_a_party(head) or in_dateline(head):
            return []
        if head.pos_ == "PRON" and lower in _PLURAL_PRONOUNS | _SINGULAR_PRONOUNS:
            group = self._discourse.last_group(head.i) if lower in _PLURAL_PRONOUNS else []
            return [_recall(r, head) for r in group] if group else self._from_memory(head)
        if self._counts_a_group(head):
            return [_recall(r, head) for r in self._discourse.last_group(head.i)]
        if self._is_collective(head):
            pair = self._discourse.last_pair(head.i, exclude)
            return [_recall(r, head, country_only=True) for r in pair]
        counted = self._counted(head)
        if counted is not None:
            return [r for member in conjuncts(counted) for r in self._resolve_one(member, exclude)]
        agent = self._agent_of(head)
        mention = self._by_token.get(head.i)
        if mention is not None and mention.kind == "actor":
            return [self._make(mention, agent)]
        countries = self._modifier_actors(head)
        if countries:
            return [self._make(m, agent, head) for m in countries]
        if agent is not None:
            return [self._agent_only(agent, head)]
        return (
            self._apposition(head, exclude)
            or self._author(head, exclude)
            or (self._predicated(head, exclude) if predicated else [])
        )

    def _antecedent(self, head: Token) -> Token | None:
        """ "the country *that* condemned Israel": a relative pronoun stands for the noun."""
        if head.lower_ not in self._words.relatives or head.dep_ not in _RELATIVE_ROLES:
            return None
        clause = head.head
        if clause.dep_ == "prep":  # "the group *to which* ...", "with whom"
            clause = clause.head
        if clause.dep_ == "relcl" and clause.head.i != head.i:
            return clause.head
        return None

    def _not_a_party(self, head: Token) -> bool:
        """Words that never name a party to the event.

        An amount ("U.S. *dollars*", "Saudi *riyals*") and a country modifying it
        or an origin word ("*Pakistani*-made"); and an agent adjective classifying
        a thing ("*military* aid": a kind of aid, not the military's act).
        """
        words = self._words
        mention = self._by_token.get(head.i)
        named = mention is not None and mention.kind == "actor" and mention.start == head.i
        if not named and (head.lemma_.lower() in words.measures or head.lower_ in words.measures):
            return True
        if head.dep_ not in _CLASSIFIERS or head.head.i == head.i:
            return False
        above = head.head
        if above.lower_ in words.measures or above.lemma_.lower() in words.measures:
            return True
        if above.lower_ in words.origins:
            return True
        agent_only = mention is not None and isinstance(mention.entry, AgentEntry)
        return agent_only and head.pos_ == "ADJ" and above.lemma_.lower() in words.things

    def _author(self, head: Token, exclude: frozenset[str]) -> list[ResolvedActor]:
        """ "Germany issued *threats* to cut aid", "a *motion* by France to ...": who made it."""
        words = self._words
        if head.lemma_.lower() not in words.authored:
            return []
        if not any(c.dep_ in ("acl", "relcl") for c in head.children):
            return []  # only a noun with a clause acts through it: "threats *to cut* aid"
        authors = [noun for prep, noun in _preps(head) if prep == "by"]
        verb = head.head
        if not authors and head.dep_ == "dobj" and verb.lemma_.lower() in words.authoring:
            authors = _own_subjects(verb)
        for author in authors:
            found = self._resolve_one(author, exclude)
            # Asked for a target ("issued an ultimatum to Ecuador"), the noun is the
            # source's own: its author is no target, and the search goes on.
            found = [r for r in found if r.actor.country is None or r.actor.country not in exclude]
            if found:
                return found
        return []

    def _predicated(self, head: Token, exclude: frozenset[str]) -> list[ResolvedActor]:
        """ "Iran was the first *nation* to rebuke ...", "the country that condemned
        Israel was Turkey": a copula says who the noun is."""
        verb = head.head
        if verb.lemma_ != _COPULA or head.pos_ not in ("NOUN", "PROPN"):
            return []
        other = _PREDICATE_PARTNER.get(head.dep_)
        for child in verb.children:
            if child.dep_ == other and child.i != head.i:
                return self._resolve_one(child, exclude, predicated=False)
        return []

    def _apposition(self, head: Token, exclude: frozenset[str]) -> list[ResolvedActor]:
        """ "Kenzo Oshima, the UN relief coordinator": the apposition says who he is."""
        for child in head.children:
            if child.dep_ == "appos":
                found = self._resolve_one(child, exclude)
                if found:
                    # The name is the party's words too: its evidence spans both.
                    return [_spanning(r, head) for r in found]
        return []

    def _counted(self, head: Token) -> Token | None:
        """ "Thousands of students": the students, unless the head itself is an actor."""
        if head.lower_ not in self._partitives or head.i in self._by_token:
            return None
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return next((o for o in child.children if o.dep_ == "pobj"), None)
        return None

    def group_of(self, head: Token) -> list[ResolvedActor]:
        """Every actor a coordinated noun phrase names, without memory."""
        return [r for member in conjuncts(head) for r in self.resolve_plain(member)]

    def _counts_a_group(self, head: Token) -> bool:
        """ "The four countries", "all three governments": the latest group named."""
        if head.lemma_.lower() not in _GROUP_NOUNS:
            return False
        return any(
            (c.dep_ == "nummod" and c.lower_ not in ("two", "2")) or c.lower_ == "all"
            for c in head.children
        )

    def _from_memory(self, head: Token) -> list[ResolvedActor]:
        remembered = self._discourse.last(head.i)
        return [_recall(remembered, head)] if remembered else []

    def _is_collective(self, head: Token) -> bool:
        found = self._collectives.get(head.i)
        if found is None:
            found = self._collectives[head.i] = self._names_collective(head)
        return found

    def _names_collective(self, head: Token) -> bool:
        if _last_in_subtree(head).lower_ not in self._collective_ends:
            return False  # the phrase's last word is not a collective's last word
        words = tuple(t.lower_ for t in head.subtree)
        return any(words[-len(c) :] == c for c in self._collective if len(words) >= len(c))

    def _agent_of(self, head: Token) -> AgentEntry | None:
        if head.i not in self._agents:
            self._agents[head.i] = self._find_agent(head)
        return self._agents[head.i]

    def _find_agent(self, head: Token) -> AgentEntry | None:
        if head.lemma_.lower() in self._words.things:
            return None  # "military aid": a kind of aid
        for token in (head, *[c for c in head.children if c.dep_ in ("compound", "amod")]):
            mention = self._by_token.get(token.i)
            if mention is not None and isinstance(mention.entry, AgentEntry):
                return mention.entry
        return None

    def _modifier_actors(self, head: Token) -> tuple[Mention, ...]:
        """Actor mentions among the head's modifiers: possessor first, then the rest.

        People named by an agent word also take the country they are *in*
        ("human rights activists in Arnor").
        """
        found = self._modifiers.get(head.i)
        if found is None:
            found = self._modifiers[head.i] = tuple(self._find_modifier_actors(head))
        return found

    def _find_modifier_actors(self, head: Token) -> list[Mention]:
        preps = _OF_PREPS | {"in"} if self._agent_of(head) is not None else _OF_PREPS
        ordered = sorted(head.children, key=lambda c: (c.dep_ != "poss", c.i))
        for child in ordered:
            found = self._actors_in_modifier(child, preps)
            if found:
                return found
        return []

    def _actors_in_modifier(self, child: Token, preps: frozenset[str]) -> list[Mention]:
        if child.dep_ in _NP_MODIFIERS:
            candidates = [child, *child.conjuncts]
            nested = [c for c in child.children if c.dep_ in ("compound", "amod", "poss")]
            candidates.extend(nested)
        elif child.dep_ == "prep" and child.lower_ in preps:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            candidates = [m for o in objects for m in (o, *o.conjuncts)]
        else:
            return []
        found: list[Mention] = []
        for token in candidates:
            mention = self._by_token.get(token.i)
            if mention is None or in_dateline(token):
                continue  # "Oslo - A court in Sweden": the dateline modifies nothing
            if mention.kind == "actor" and mention not in found:
                found.append(mention)
        return found

    def _make(
        self, mention: Mention, agent: AgentEntry | None, head: Token | None = None
    ) -> ResolvedActor:
        entry = mention.entry
        assert isinstance(entry, ActorEntry)
        code = compose_code(entry.code_on(self._day), agent) or "---"
        country, sector = split_code(code)
        doc = head.doc if head is not None else None
        start, end = mention.start, mention.end
        if head is not None and doc is not None:
            start, end = min(start, head.i), max(end, head.i + 1)
        text = tokens_text(head.doc, start, end) if head is not None else entry.phrase
        return ResolvedActor(Actor(text, code, country, sector, entry.name), start, end)

    def _agent_only(self, agent: AgentEntry, head: Token) -> ResolvedActor:
        start = min([head.i] + [c.i for c in head.children if c.dep_ in ("compound", "amod")])
        country, sector = split_code(agent.code)
        text = tokens_text(head.doc, start, head.i + 1)
        return ResolvedActor(Actor(text, agent.code, country, sector, None), start, head.i + 1)


def _preps(head: Token) -> list[tuple[str, Token]]:
    """(preposition, object) pairs under ``head``: "a motion *by France*"."""
    return [
        (child.lower_, obj)
        for child in head.children
        if child.dep_ in ("prep", "agent")
        for obj in child.children
        if obj.dep_ == "pobj"
    ]


def _own_subjects(verb: Token) -> list[Token]:
    """The subjects a verb names itself, or its passive "by" agent."""
    found = [c for c in verb.children if c.dep_ == "nsubj"]
    if not found:
        for child in verb.children:
            if child.dep_ == "agent":
                found.extend(o for o in child.children if o.dep_ == "pobj")
    return found


def _spanning(resolved: ResolvedActor, head: Token) -> ResolvedActor:
    """``resolved`` with its words widened to the phrase headed by ``head``."""
    start = min(resolved.start, head.left_edge.i)
    end = max(resolved.end, head.i + 1)
    if resolved.via_memory or (start, end) == (resolved.start, resolved.end):
        return resolved
    actor = resolved.actor
    text = tokens_text(head.doc, start, end)
    widened = Actor(text, actor.code, actor.country, actor.sector, actor.name)
    return ResolvedActor(widened, start, end, resolved.via_memory, resolved.subject)


def _recall(remembered: ResolvedActor, head: Token, *, country_only: bool = False) -> ResolvedActor:
    """An earlier actor, named again by a pronoun or a phrase like "both sides".

    An antecedent in the same sentence ("Norway says *it* will not accept")
    is where the sentence names the actor: the evidence points at its words.
    Across sentences the evidence can only be the pronoun itself.
    """
    actor = remembered.actor
    here = remembered.start >= head.sent.start and remembered.end <= head.sent.end
    text = actor.text if here else head.text
    if country_only and actor.country:
        echoed = Actor(text, actor.country, actor.country, None, None)
    else:
        echoed = Actor(text, actor.code, actor.country, actor.sector, actor.name)
    if here:
        return ResolvedActor(echoed, remembered.start, remembered.end, via_memory=True)
    return ResolvedActor(echoed, head.i, head.i + 1, via_memory=True)


def _closes_dateline(token: Token) -> bool:
    if token.text in _DATELINE_MARKS:
        return True
    before = token.nbor(-1) if token.i > 0 else None
    return token.text in _DATELINE_HYPHENS and before is not None and bool(before.whitespace_)


def in_dateline(head: Token) -> bool:
    """ "LISBON -- A court ...", "TIRANA, Albania (AP) -- ...", "Lucknow: ...": the
    place a story was filed from opens the sentence before a dash or colon and is
    no party to its events."""
    if head.pos_ != "PROPN":
        return False  # before .sent, which walks the sentence starts: most heads stop here
    sentence = head.sent
    if head.i - sentence.start >= _DATELINE_SPAN:
        return False
    for token in sentence[: _DATELINE_SPAN + 1]:
        if _closes_dateline(token):
            return head.i < token.i
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _unique(found: list[ResolvedActor]) -> list[ResolvedActor]:
    seen: set[str] = set()
    unique: list[ResolvedActor] = []
    for item in found:
        if item.actor.code not in seen:
            seen.add(item.actor.code)
            unique.append(item)
    return unique


def _last_in_subtree(head: Token) -> Token:
    """The last token ``head.subtree`` yields (its order is the tree's, not always the text's)."""
    token = head
    while token.n_rights:
        *_, token = token.rights
    return token
