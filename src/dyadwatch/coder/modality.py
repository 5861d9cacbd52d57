"""Clause readings: negation, condition, report, future and control verbs.

The knowledge (which verbs report, which take an intention, which modals make
a clause hypothetical) is data in ``data/clauses.yaml``; this module walks
the dependency tree and applies it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

import yaml
from spacy.tokens import Token

from dyadwatch.coder.arguments import ArgumentWords
from dyadwatch.errors import DictionaryError, Errors
from dyadwatch.nlp.syntax import is_infinitive
from dyadwatch.nlp.text import tokens_text

__all__ = [
    "ClauseKnowledge",
    "ClauseReading",
    "ControlKind",
    "load_clause_knowledge",
    "read_clause",
]

ControlKind = Literal["intent", "refusal", "threat", "request", "attempt", "proposal"]
RecodeKind = Literal["intent", "refusal", "appeal", "demand"]


@dataclass(frozen=True, slots=True)
class ClauseKnowledge:
    communication: frozenset[str]
    according_to: frozenset[str]
    control: Mapping[str, ControlKind]
    hypothetical_marks: frozenset[str]
    modal_aux: frozenset[str]
    future_aux: frozenset[str]
    negators: frozenset[str]
    collective: tuple[tuple[str, ...], ...]
    intent: Mapping[str, str]
    refusal: Mapping[str, str]
    appeal: Mapping[str, str]
    demand: Mapping[str, str]
    ultimatum_marks: frozenset[str]
    deontic_aux: frozenset[str]
    partitives: frozenset[str]
    unaccusative: frozenset[str]
    cause_preps: frozenset[str]
    reported_future_aux: frozenset[str]
    air_weapons: frozenset[str]
    wanting: frozenset[str]
    """Verbs whose nominal object is an act only wanted, promised, ordered, refused
    or threatened ("demanded *the arrest*"); not "agreed a ceasefire" or
    "committed a massacre", whose objects happened."""
    implicative: frozenset[str] = frozenset()
    """Adjectives and nouns whose infinitive happened: "was quick *to arrest*",
    "the first *to condemn*". Any other adjective or noun over an infinitive
    leaves it unreal ("free to arrest", "ten days to arrest")."""
    inverted_conditions: frozenset[str] = frozenset()
    """Auxiliaries that open a condition when put before the subject of a
    subordinate clause: "*had* he been detained earlier, ..." (= if he had)."""
    modal_nouns: frozenset[str] = frozenset()
    """Nouns whose "of" object may only happen: "the *possibility* of his arrest"."""
    negative_subjects: frozenset[str] = frozenset()
    """Subjects that deny their clause: "*nobody* was arrested"."""
    commands: frozenset[str] = frozenset()
    """Request verbs of command whose ordered force the report tells as done: "the
    SP *ordered* firing at the mob", "*ordered* the police to open fire"."""
    noun_control: Mapping[str, ControlKind] = field(default_factory=lambda: MappingProxyType({}))
    """Nouns that control an infinitive: "threats *to cut* aid", "a motion *to place* ..."."""
    arguments: ArgumentWords = field(default_factory=ArgumentWords)
    """Words the argument resolver reads: measures, things, relatives, authored nouns."""

    def recode(self, kind: RecodeKind, code: str) -> str | None:
        """The code for intending/refusing/appealing for/demanding ``code``.

        The longest matching code prefix in that table wins; None if none does.
        """
        table: Mapping[str, str] = getattr(self, kind)
        for length in range(len(code), 1, -1):
            found = table.get(code[:length])
            if found:
                return found
        return None


@functools.cache
def _builtin_clauses() -> ClauseKnowledge:
    source = resources.files("dyadwatch.coder") / "data" / "clauses.yaml"
    return _parse(source.read_text(encoding="utf-8"), "clauses.yaml")


def load_clause_knowledge(path: Path | None = None) -> ClauseKnowledge:
    """The clause knowledge: built in, or from ``path`` (same YAML layout)."""
    if path is None:
        return _builtin_clauses()
    return _parse(path.read_text(encoding="utf-8"), str(path))


def _parse(text: str, origin: str) -> ClauseKnowledge:
    try:
        data = yaml.safe_load(text)
        control = _controls_of(data["control"])
        return ClauseKnowledge(
            communication=frozenset(map(str, data["communication"])),
            according_to=frozenset(map(str, data["according_to"])),
            control=MappingProxyType(control),
            hypothetical_marks=frozenset(map(str, data["hypothetical_marks"])),
            modal_aux=frozenset(map(str, data["modal_aux"])),
            future_aux=frozenset(map(str, data["future_aux"])),
            negators=frozenset(map(str, data["negators"])),
            collective=tuple(tuple(map(str, words)) for words in data["collective"]),
            intent=_table(data["intent"]),
            refusal=_table(data["refusal"]),
            appeal=_table(data["appeal"]),
            demand=_table(data["demand"]),
            ultimatum_marks=frozenset(map(str, data["ultimatum_marks"])),
            deontic_aux=frozenset(map(str, data["deontic_aux"])),
            partitives=frozenset(map(str, data["partitives"])),
            unaccusative=frozenset(map(str, data["unaccusative"])),
            cause_preps=frozenset(map(str, data["cause_preps"])),
            reported_future_aux=frozenset(map(str, data["reported_future_aux"])),
            air_weapons=frozenset(map(str, data["air_weapons"])),
            wanting=frozenset(map(str, data["wanting"])),
            implicative=frozenset(map(str, data.get("implicative") or ())),
            negative_subjects=frozenset(map(str, data.get("negative_subjects") or ())),
            modal_nouns=frozenset(map(str, data.get("modal_nouns") or ())),
            inverted_conditions=frozenset(map(str, data.get("inverted_conditions") or ())),
            commands=frozenset(map(str, data.get("commands") or ())),
            noun_control=MappingProxyType(_controls_of(data.get("noun_control") or {})),
            arguments=ArgumentWords.of(data.get("arguments") or {}),
        )
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise DictionaryError(Errors.DW207, path=origin, detail=str(exc)) from exc


def _controls_of(kinds: Mapping[str, list[object]]) -> dict[str, ControlKind]:
    """Word → control kind, from kind → words; an unknown kind is an error."""
    control: dict[str, ControlKind] = {}
    for name, words in kinds.items():
        kind = _CONTROL_KINDS.get(name)
        if kind is None:
            raise TypeError(f"unknown control kind {name!r}")
        for word in words:
            control[str(word)] = kind
    return control


_CONTROL_KINDS: dict[str, ControlKind] = {str(kind): kind for kind in get_args(ControlKind)}


def _table(rows: Mapping[object, object]) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in rows.items()})


_CLIMBS = frozenset({"xcomp", "conj", "advcl", "prep", "pobj", "dobj", "acl", "acomp"})
"""Dependencies through which a clause's framing reaches down to a trigger."""


@dataclass(frozen=True, slots=True)
class ClauseReading:
    """How a trigger's clause frames its event."""

    negated: bool = False
    hypothetical: bool = False
    reported: bool = False
    future: bool = False
    control: ControlKind | None = None
    controller: Token | None = None
    """The control verb ("agreed" in "agreed to meet"), if any."""
    reporter: Token | None = None
    """The communication verb ("said") whose complement holds the trigger."""
    ultimatum: bool = False
    """A condition the event depends on: "will withdraw *unless* ..."."""
    deontic: bool = False
    """An obligation: "X must withdraw" (a demand when someone reports it)."""
    conditional: bool = False
    """An "if"/"unless" condition hangs on the clause."""


def _negated(token: Token, k: ClauseKnowledge) -> bool:
    return any(
        c.dep_ == "neg"
        or (c.dep_ in ("advmod", "det") and c.lower_ in k.negators)
        or (c.dep_ in _SUBJECTS and _denying_subject(c, k))
        for c in token.children
    )


_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _denying_subject(subject: Token, k: ClauseKnowledge) -> bool:
    """ "*Nobody* was arrested", "*not a single* activist has been arrested"."""
    if subject.lower_ in k.negative_subjects:
        return True
    return any(t.lower_ in k.negators for t in subject.subtree if t.i < subject.i)


@dataclass(frozen=True, slots=True)
class _Above:
    """What the clauses above a trigger's verb say about it."""

    control: ControlKind | None = None
    controller: Token | None = None
    reporter: Token | None = None
    future: bool = False
    hypothetical: bool = False
    negated: bool = False


def read_clause(trigger: Token, k: ClauseKnowledge) -> ClauseReading:
    """Read negation, condition, report and control around ``trigger``."""
    verb, negated = _clause_verb(trigger, k)
    words = _Dependents.of(verb)
    auxes = words.auxes
    above = _look_up(verb, k)
    conditional = words.marked(k.hypothetical_marks) or words.clause_marked(k.hypothetical_marks)
    conditional = conditional or _inverted_condition(verb, k)
    reported = above.reporter is not None or _according_to(verb, k)
    future = bool(auxes & k.future_aux) or above.future
    hypothetical = bool(auxes & k.modal_aux) or conditional or above.hypothetical
    if reported and auxes & k.reported_future_aux:
        # "said it would attend": the future of the past, hypothetical only under a condition.
        future = True
        hypothetical = conditional or bool(auxes & (k.modal_aux - k.reported_future_aux))
    if above.control in ("threat", "proposal") or _wanted_object(trigger, k):
        hypothetical = True
    if _possible_object(trigger, k):
        hypothetical = True
    return ClauseReading(
        negated=negated or above.negated,
        hypothetical=hypothetical or conditional,
        reported=reported,
        future=future,
        control=above.control,
        controller=above.controller,
        reporter=above.reporter,
        ultimatum=words.clause_marked(k.ultimatum_marks),
        deontic=bool(auxes & k.deontic_aux) and above.control is None,
        conditional=conditional,
    )


@dataclass(frozen=True, slots=True)
class _Dependents:
    """What a clause reading asks of a verb's dependents, read from them once."""

    auxes: set[str]
    marks: set[str]
    clause_marks: list[set[str]]
    """The marks of each adverbial clause under the verb ("if", "unless")."""

    @classmethod
    def of(cls, verb: Token) -> _Dependents:
        auxes: set[str] = set()
        marks: set[str] = set()
        clause_marks: list[set[str]] = []
        for child in verb.children:
            dep = child.dep_
            if dep in ("aux", "auxpass"):
                auxes.add(child.lower_)
            elif dep == "mark":
                marks.add(child.lower_)
            elif dep == "advcl":
                clause_marks.append({c.lower_ for c in child.children if c.dep_ == "mark"})
        return cls(auxes, marks, clause_marks)

    def marked(self, wanted: frozenset[str]) -> bool:
        return not self.marks.isdisjoint(wanted)

    def clause_marked(self, wanted: frozenset[str]) -> bool:
        return any(not marks.isdisjoint(wanted) for marks in self.clause_marks)


def _according_to(verb: Token, k: ClauseKnowledge) -> bool:
    """Whether the clause under ``verb`` holds an "according to" word.

    The subtree lies between its edges: when the text there does not even
    contain such a word (compared case-folded, which never drops a match that
    lower-casing each word finds), no word of the subtree can be one.
    """
    text = tokens_text(verb.doc, verb.left_edge.i, verb.right_edge.i + 1).casefold()
    if not any(word.casefold() in text for word in k.according_to):
        return False
    return any(c.lower_ in k.according_to for c in verb.subtree)


def _wanted_object(trigger: Token, k: ClauseKnowledge) -> bool:
    """ "demanded *the arrest* of X", "promised *aid*", "refused *talks*": an act named
    as the object of a wish, promise, order, refusal or threat has not happened (yet).
    What is begun, agreed or committed ("began talks") happened: those verbs are
    not in ``wanting``."""
    if trigger.pos_ not in ("NOUN", "PROPN") or trigger.dep_ != "dobj":
        return False
    return trigger.head.lemma_ in k.wanting


def _inverted_condition(verb: Token, k: ClauseKnowledge) -> bool:
    """ "*had* the leader been detained earlier, the riots would have been avoided":
    a subordinate clause whose auxiliary comes before its subject is a condition
    (a main clause so built is a question)."""
    if verb.dep_ == "ROOT":
        return False
    # The subject nearest the verb: the small parser may take a "that" for another.
    subject = max((c.i for c in verb.children if c.dep_ in _SUBJECTS), default=None)
    return subject is not None and any(
        c.dep_ == "aux" and c.lower_ in k.inverted_conditions and c.i < subject
        for c in verb.children
    )


def _possible_object(trigger: Token, k: ClauseKnowledge) -> bool:
    """ "the possibility *of his arrest*", "the risk *of clashes*": an act named as
    what may happen."""
    of = trigger.head
    if trigger.pos_ not in ("NOUN", "PROPN") or trigger.dep_ != "pobj" or of.lower_ != "of":
        return False
    return of.head.lemma_.lower() in k.modal_nouns


def _clause_verb(trigger: Token, k: ClauseKnowledge) -> tuple[Token, bool]:
    """The verb whose clause frames the trigger, and whether either is negated.

    A noun trigger that is an argument ("held *talks*") is framed by its verb.
    """
    negated = _negated(trigger, k)
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubjpass", "nsubj"):
        return trigger.head, negated or _negated(trigger.head, k)
    return trigger, negated


def _look_up(verb: Token, k: ClauseKnowledge) -> _Above:
    """Climb from ``verb`` to the first control verb, condition or report above it."""
    control: ControlKind | None = None
    controller: Token | None = None
    future = hypothetical = negated = False
    current = verb
    while current.head.i != current.i:
        dep, head = current.dep_, current.head
        kind = _control_of(current, head, k) if control is None else None
        if kind is not None:
            control, controller = kind, head
            head_aux = _Dependents.of(head).auxes
            future = future or bool(head_aux & k.future_aux)
            hypothetical = hypothetical or bool(head_aux & k.modal_aux)
            negated = negated or _negated(head, k)
        elif _unreal(current, head, k, controlled=control is not None):
            hypothetical = True
        elif dep in ("ccomp", "parataxis") and head.lemma_ in k.communication:
            return _Above(control, controller, head, future, hypothetical, negated)
        elif dep not in _CLIMBS:
            break
        elif _shares_frame(current, head, k):
            # "must be arrested and booked", "have not been able to arrest"
            hypothetical = hypothetical or bool(_Dependents.of(head).auxes & k.modal_aux)
            negated = negated or _negated(head, k) or _negated_copula(head, k)
        current = head
    return _Above(control, controller, None, future, hypothetical, negated)


def _shares_frame(current: Token, head: Token, k: ClauseKnowledge) -> bool:
    """Whether ``current`` takes its head's auxiliaries and negation: a joined verb
    with no subject of its own ("must be arrested and *booked*"), or the infinitive
    of an implicative head ("was not able *to arrest*")."""
    if current.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        return not any(c.dep_ in _SUBJECTS for c in current.children)
    return current.dep_ == "xcomp" and head.lemma_.lower() in k.implicative


def _negated_copula(head: Token, k: ClauseKnowledge) -> bool:
    """ "has not been *able*": the negation sits on the copula of an adjective."""
    return head.dep_ == "acomp" and _negated(head.head, k)


def _unreal(current: Token, head: Token, k: ClauseKnowledge, *, controlled: bool) -> bool:
    """A condition ("if ...") or an unasserted infinitive hangs ``current`` on ``head``."""
    if current.dep_ == "advcl" and _Dependents.of(current).marked(k.hypothetical_marks):
        return True
    return not controlled and _unreal_infinitive(current, head, k)


def _unreal_infinitive(current: Token, head: Token, k: ClauseKnowledge) -> bool:
    """An infinitive that names what is possible, hard, due or aimed at, not done.

    "free *to arrest* us", "found it difficult *to arrest* him", "ten days *to
    arrest* the accused", "raided the house *to arrest* him": under an adjective
    or a noun (control nouns are read by :func:`_control_of`), or a purpose
    clause of a verb. Implicative heads ("quick to arrest") keep it factual.
    """
    if current.dep_ not in ("xcomp", "advcl", "acl") or head.lemma_.lower() in k.implicative:
        return False
    if not is_infinitive(current):
        return False
    return head.pos_ in ("ADJ", "NOUN") or current.dep_ == "advcl"


def _control_of(current: Token, head: Token, k: ClauseKnowledge) -> ControlKind | None:
    """How ``head`` controls the clause of ``current``, if it does.

    "agreed *to* meet", for requests also "demanded *that* Libya release", and
    nouns with an infinitive: "threats *to cut* aid", "a motion *to place* ...".
    """
    dep = current.dep_
    if head.pos_ in ("NOUN", "PROPN"):
        infinitive = dep in ("acl", "relcl") and is_infinitive(current)
        return k.noun_control.get(head.lemma_.lower()) if infinitive else None
    kind = k.control.get(head.lemma_)
    if kind is None:
        return None
    if dep == "xcomp":
        return kind
    # "told X that ..." reports; only a pure request verb asks with a that-clause.
    if dep == "ccomp" and kind == "request" and head.lemma_ not in k.communication:
        return kind
    return None
