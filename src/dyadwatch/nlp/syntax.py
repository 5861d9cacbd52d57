"""Clause structure from a dependency parse: who is subject, object, agent.

These are the general mechanisms the coder relies on instead of per-sentence
rules: voice, conjunct expansion, argument inheritance along ``xcomp`` and
``conj`` chains, prepositional arguments and clause windows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Doc, Token

from dyadwatch.nlp.kept import kept

__all__ = [
    "CLAUSE_BREAKS",
    "after_indices",
    "after_window",
    "before_indices",
    "before_window",
    "conjuncts",
    "direct_objects",
    "doers",
    "is_infinitive",
    "is_passive",
    "is_reduced_passive",
    "passive_agents",
    "passive_subjects",
    "prep_objects",
    "subjects",
]

CLAUSE_BREAKS = frozenset({"ccomp", "advcl", "parataxis", "conj", "relcl", "csubj", "acl", "cc"})
"""Children whose subtrees belong to another clause than their head's."""

_SUBJECTS = frozenset({"nsubj", "csubj", "expl"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
_ACTIVE_SUBJECTS = frozenset({"nsubj", "csubj"})
"""Subjects that do what their verb tells ("expl" is a placeholder: "*there* were clashes")."""
_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_INHERITING = frozenset({"xcomp", "conj", "advcl", "acomp", "pcomp"})
"""Dependencies along which a verb without a subject takes its head's subject."""
_OWN_CLAUSE = frozenset({"nsubj", "nsubjpass", "aux", "auxpass"})
"""Dependents a reduced passive never has: a subject or an auxiliary of its own."""


def conjuncts(token: Token) -> list[Token]:
    """``token`` and the words coordinated with it ("India and Pakistan")."""
    return [token, *token.conjuncts]


def is_passive(verb: Token) -> bool:
    """Passive voice, including reduced relatives ("the six people *killed* in ...")."""
    if is_reduced_passive(verb):
        return True
    return any(c.dep_ in _PASSIVE_SUBJECTS or c.dep_ == "auxpass" for c in verb.children)


def is_reduced_passive(verb: Token) -> bool:
    """A past participle modifying a noun: the noun is what the verb was done to.

    A participle with its own subject or auxiliary ("Breaking: *Kenya has
    expelled* ...", parsed as a clause modifying the label) is a finite clause
    the parser hung on a noun, not a reduced passive.
    """
    return (
        verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and not any(c.dep_ in _OWN_CLAUSE for c in verb.children)
    )


def passive_subjects(verb: Token) -> list[Token]:
    """Who a passive verb was done to: its passive subject, or the noun it modifies."""
    if is_reduced_passive(verb):
        return conjuncts(verb.head)
    return [t for c in verb.children if c.dep_ in _PASSIVE_SUBJECTS for t in conjuncts(c)]


def _inherited(verb: Token, of_head: Callable[[Token], list[Token]]) -> list[Token] | None:
    """The subjects (or doers, by ``of_head``) a verb without its own inherits along
    an xcomp/conj chain: an object-control verb's object, else its head's; None when
    ``verb`` inherits none (an adverbial clause that is not a participle, a root)."""
    if verb.dep_ not in _INHERITING or verb.head.i == verb.i:
        return None
    head = verb.head
    if verb.dep_ == "xcomp" and _object_controls(head):
        return [t for o in direct_objects(head) for t in conjuncts(o)]
    if verb.dep_ != "advcl" or _is_participle(verb):
        return of_head(head)
    return None


def subjects(verb: Token) -> list[Token]:
    """Grammatical subjects of ``verb``, inherited along xcomp/conj chains.

    "Pakistan agreed to hold talks": the subject of "hold" is Pakistan.
    "India and Pakistan met and signed": both verbs share both subjects.
    """
    own = [c for c in verb.children if c.dep_ in _SUBJECTS | _PASSIVE_SUBJECTS]
    if own:
        return [t for s in own for t in conjuncts(s)]
    inherited = _inherited(verb, subjects)
    if inherited is not None:
        return inherited
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and not is_reduced_passive(verb):
        return [verb.head]
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") and is_infinitive(verb):
        return [verb.head]  # "the first nation *to rebuke* X": the nation rebukes
    return []


def doers(verb: Token) -> list[Token]:
    """Who does what ``verb`` tells: an active verb's subject, a passive's ``by``
    agent, inherited along xcomp/conj chains as :func:`subjects` inherits.

    Unlike :func:`subjects`, a passive's subject is never a doer: it is what
    was done to ("three soldiers *were killed*"), and so is the noun a reduced
    passive modifies ("the villagers *killed by troops*": the troops).
    """
    if is_passive(verb) or any(c.dep_ == "agent" for c in verb.children):
        return [t for a in passive_agents(verb) for t in conjuncts(a)]
    own = [c for c in verb.children if c.dep_ in _ACTIVE_SUBJECTS]
    if own:
        return [t for s in own for t in conjuncts(s)]
    inherited = _inherited(verb, doers)
    if inherited is not None:
        return inherited
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return [verb.head]  # not a reduced passive (above): "troops *deploying* to Mali"
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") and is_infinitive(verb):
        return [verb.head]
    return []


def is_infinitive(verb: Token) -> bool:
    """The verb has "to" as its auxiliary: "agreed *to meet*", "the first *to rebuke*"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _object_controls(verb: Token) -> bool:
    """ "urged Pakistan to act": the object, not the subject, does the acting."""
    return any(c.dep_ == "dobj" for c in verb.children)


def _is_participle(verb: Token) -> bool:
    return verb.tag_ in ("VBG", "VBN") and not any(c.dep_ == "mark" for c in verb.children)


def direct_objects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in _OBJECTS]


def passive_agents(verb: Token) -> list[Token]:
    """The "by X" phrase of a passive verb."""
    found: list[Token] = []
    for child in verb.children:
        if child.dep_ == "agent":
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def prep_objects(head: Token) -> Iterator[tuple[str, Token]]:
    """(preposition, object) pairs attached to ``head``: "talks *with India*"."""
    for child in head.children:
        is_prep = child.dep_ in ("prep", "agent", "dative") and child.pos_ == "ADP"
        if is_prep or child.dep_ == "prt":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    yield child.lower_, obj


def _in_window(index: int, top: int, tree: _Tree, breaks: frozenset[str]) -> bool:
    """Whether word ``index`` hangs under word ``top`` without crossing into another clause."""
    heads, deps = tree
    while index != top:
        if deps[index] in breaks or heads[index] == index:
            return False
        index = heads[index]
    return True


_Tree = tuple[list[int], list[str]]
_TREE_KEY = "dyadwatch.syntax.tree"


def _tree(doc: Doc) -> _Tree:
    """Every word's head index and relation, as plain lists.

    Window tests climb many heads per trigger; Token objects made at every
    step cost more than the climb, so the tree is read out once per document
    and kept with it.
    """
    return kept(doc, _TREE_KEY, _read_tree)


def _read_tree(doc: Doc) -> _Tree:
    return [t.head.i for t in doc], [t.dep_ for t in doc]


def _window_top(head: Token) -> Token:
    if head.dep_ in ("xcomp", "conj") and head.pos_ == "VERB":
        return head.head
    return head


def before_window(head: Token) -> list[Token]:
    """Words left of ``head`` within its clause (or its controller's), in text order."""
    doc = head.doc
    return [doc[i] for i in before_indices(head)]


def after_window(head: Token, breaks: frozenset[str] = CLAUSE_BREAKS) -> list[Token]:
    """Words right of ``head`` within its clause (as ``breaks`` bounds it), in text order."""
    doc = head.doc
    return [doc[i] for i in after_indices(head, breaks)]


def before_indices(head: Token) -> list[int]:
    """As :func:`before_window`, the words' document indexes."""
    top = _window_top(head)
    tree = _tree(head.doc)
    start = min(head.left_edge.i, top.left_edge.i)
    return [
        i
        for i in range(start, head.i)
        if _in_window(i, head.i, tree, CLAUSE_BREAKS) or _in_window(i, top.i, tree, CLAUSE_BREAKS)
    ]


def after_indices(head: Token, breaks: frozenset[str] = CLAUSE_BREAKS) -> list[int]:
    """As :func:`after_window`, the words' document indexes."""
    tree = _tree(head.doc)
    span = range(head.i + 1, head.right_edge.i + 1)
    return [i for i in span if _in_window(i, head.i, tree, breaks)]
