"""Actors a sentence names who do not do the act a trigger tells: its bystanders.

A moved pair (``propose``) may take any actor the sentence names as the
trigger's source. On real news two kinds of name are never the doer, and the
pair model, trained on sentences that each hold one labelled event, often took
them (docs/MODEL_LOG.md, "Session 22"):

* **a place**: the object of a locative preposition, or of an "of" that names
  a part of such a place. "Gunmen attacked a church *in northern Burkina
  Faso*", "a blast in a town *in the north of Prague*", "pushed *into Iraq and
  Kuwait*": where it happened, not who did it (it may still be the target:
  "shelled villages in Kashmir" is done to a place).
* **a speaker**: the subject of a communication verb whose complement tells
  the act, and the object of "according to". "*Afghan officials* say Taliban
  fighters attacked a checkpoint", "six rockets were fired at the base, *the
  UN* said": who tells of it, not who did it, unless the complement's subject
  is a pronoun, which may be the speaker itself ("Iran said *it* had
  seized the tanker").

Only the syntax is read: the rule holds for any actor, named or not.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Span, Token

__all__ = ["LOCATIVE", "placed", "places", "speakers"]

LOCATIVE = frozenset(
    {"in", "at", "near", "into", "across", "inside", "outside", "throughout", "around",
     "within", "along", "over", "beyond", "amid"}
)  # fmt: skip
"""Prepositions whose object says where an act happened."""
_LISTED = frozenset({"conj", "appos"})
_PLACE_DEPS = frozenset({"pobj", *_LISTED})
_MOST_STEPS = 4
"""How many "of" links a place may sit below its locative ("in the north of the
province of X"): bounds the climb on a parse that loops through odd links."""
_CLAUSE_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})


def placed(head: Token) -> bool:
    """Whether the phrase headed by ``head`` names where something happened.

    "in northern *Mali*", "near *the border*", "in the city of *Irapuato*",
    "into Iraq and *Kuwait*"; not "the leaders of *India*" nor "troops *from*
    Chad" (where a party comes from may be who it is).
    """
    token = head
    for _ in range(_MOST_STEPS):
        while token.dep_ in _LISTED and token.head.i != token.i:
            token = token.head
        if token.dep_ != "pobj":
            return False
        preposition = token.head
        word = preposition.lower_
        if word in LOCATIVE:
            return True
        if word != "of" or preposition.head.pos_ not in ("NOUN", "PROPN"):
            return False
        token = preposition.head  # "the north *of* Prague": is the north a place?
    return False


def speakers(trigger: Token, communication: Collection[str]) -> frozenset[int]:
    """The tokens of whoever tells of the trigger's act: the subject of the first
    communication verb above it, and every "according to" object of the sentence.

    The communication verb's subject is left out when the reported clause's subject
    is a pronoun or holds a possessive one ("said *it* would", "said *its* forces
    had"): the speaker may be its doer.
    """
    found: set[int] = set()
    reporter, clause = _reporter(trigger, communication)
    if reporter is not None and clause is not None and not _self_report(clause):
        for child in reporter.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not _holds(child, trigger):
                found.update(t.i for t in child.subtree)
    for token in trigger.sent:
        if token.lower_ == "to" and token.head.lower_ == "according" and not _holds(token, trigger):
            found.update(t.i for t in token.subtree if t.i != token.i)
    return frozenset(found)


def places(sentence: Span, triggers: Collection[int]) -> frozenset[int]:
    """The heads of the sentence's phrases that name where something happened.

    Heads only: an actor is known by its phrase's head, and a phrase below a
    place's head may name a party ("killed in an attack *by militants*"). An
    event noun the lexicon drafted (a token of ``triggers``) is no place: "killed
    *in a US drone strike*" tells the doer, whose name the actor list resolves at
    "strike".
    """
    return frozenset(
        t.i for t in sentence if t.dep_ in _PLACE_DEPS and t.i not in triggers and placed(t)
    )


def _reporter(trigger: Token, communication: Collection[str]) -> tuple[Token | None, Token | None]:
    """The first communication verb above the trigger whose complement holds it, and
    that complement's top ("Officials *say* rebels *attacked* ...")."""
    current = trigger
    while current.head.i != current.i:
        head = current.head
        if current.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in communication:
            return head, current
        current = head
    return None, None


def _self_report(clause: Token) -> bool:
    """Whether the reported clause's subject is a pronoun or has a possessive one."""
    for child in clause.children:
        if child.dep_ not in _CLAUSE_SUBJECTS:
            continue
        if child.pos_ == "PRON" or any(
            g.dep_ == "poss" and g.pos_ == "PRON" for g in child.children
        ):
            return True
    return False


def _holds(phrase: Token, trigger: Token) -> bool:
    """Whether the trigger is inside the phrase (the speaker's own act: "the
    *statement* of the ministry said ...")."""
    return phrase.left_edge.i <= trigger.i <= phrase.right_edge.i
