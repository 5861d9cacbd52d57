"""What the learned scorer sees of a candidate event: named, hashed features.

A candidate is an event the lexicon drafted (trigger, source, target, code),
or the same trigger with another (source, target) pair taken from the
sentence's actor mentions. Its features are plain strings, so they can be
read when debugging, and are hashed into a fixed space (CRC-32, stable across
processes and platforms) so the shipped weights need no vocabulary:

* the lexicon's proposal: CAMEO code and root, PLOVER type, the rule that
  fired (by its content, :func:`rule_keys`, not its line), the trigger lemma
  and the lemma joined with the root;
* the trigger in its clause: part of speech, dependency, head lemma, its
  dependents, the words around it;
* the arguments: dependency path from the trigger to each, actor sectors,
  whether the source is unknown or the target absent;
* the clause reading: negated, hypothetical, reported;
* the sentence: its words and word pairs (a bag, weighted down by length) and
  the types of the other events drafted in it.

Pair features describe one (source, target) pair relative to the trigger.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import itertools
import math
import operator
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from spacy import symbols as spacy_symbols
from spacy.tokens import Span, Token

from dyadwatch.coder.rules import TriggerRule
from dyadwatch.model import Event

__all__ = [
    "DENSE_PARTS",
    "HASH_BITS",
    "KNOWN_MAX",
    "NO_DENSE",
    "Candidate",
    "DenseReader",
    "FeatureVector",
    "Known",
    "Mentioned",
    "TriggerParts",
    "builtin_rule_keys",
    "dependency_path",
    "evolve",
    "fallback_features",
    "governor_features",
    "hash_features",
    "mode_features",
    "object_features",
    "pair_features",
    "pair_type_features",
    "rule_feature",
    "rule_keys",
    "sentence_features",
    "token_at",
    "type_features",
]

HASH_BITS = 22
"""Features hash into 2**22 slots: collisions are rare at a few 10k features."""
_WINDOW = 3
_MAX_PATH = 4
_NP_LINKS = frozenset({"compound", "poss", "amod", "nmod", "appos"})
_CLAUSES = frozenset({"xcomp", "ccomp", "advcl", "dobj", "prep"})
_GOVERNORS = 2
"""How many verbs above the trigger :func:`governor_features` names."""

FeatureVector = tuple[tuple[int, ...], tuple[float, ...]]
"""Hashed feature indexes and their values (a sparse row)."""
DENSE_PARTS = ("trigger", "source", "target", "sentence")
"""The dense block: the pipeline's own token vectors (``doc.tensor``) of these."""
NO_DENSE: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
"""A candidate's dense block before one is attached (empty: the models leave it out)."""


@dataclass(frozen=True, slots=True)
class Mentioned:
    """An actor named in the sentence, as a possible source or target."""

    code: str
    head: int
    """Document index of the noun phrase's head word."""
    span: tuple[int, int]
    """Character offsets in the sentence text."""
    text: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate event with the features of its type and of its pair."""

    event: Event
    type_features: tuple[str, ...]
    pair_features: tuple[str, ...]
    lexicon_pair: bool
    """True for the pair the lexicon drafted; False for an alternative pair."""
    own_doer: bool = False
    """The trigger is an event noun and the source modifies it ("the U.S. drone
    strike"): the noun's doer, which no verb governing the noun should take over."""
    nested_doer: bool = False
    """An event noun with its own doer inside another trigger's clause whose
    subject is someone else ("Pakistan condemned the U.S. drone strike"): the
    governing verb's type is not the noun's, so the lexicon's code is held
    more firmly (``model.NESTED_PRIOR``)."""
    fallback: bool = False
    """The lexicon drafted nothing in the sentence: the main predicate stands in
    for a trigger, and the models decide whether there is an event at all."""
    dense: npt.NDArray[np.float32] = field(default_factory=lambda: NO_DENSE, compare=False)
    """The dense block (see :class:`DenseReader`); empty when the pipeline has no tensor."""
    doer_group: int | None = None
    """The coordination the source's words belong to ("*police* and *troops*
    killed", "*Indian* and *Pakistani* shelling"), as the document index of its
    first member; None when the source is no conjunct. Candidates of one
    trigger in the same group on the same target are co-doers: each is kept
    (``model.select``)."""
    pending: Callable[[], tuple[str, ...]] | None = field(default=None, compare=False, repr=False)
    """What builds ``type_features`` when they are left to build (``propose(...,
    typed=False)``: selection reads only the pair, so a dropped candidate never
    pays for its type features); None once they are built (:meth:`typed`)."""

    def typed(self) -> Candidate:
        """The candidate with its type features built (itself when they are)."""
        if self.pending is None:
            return self
        return evolve(self, type_features=self.pending(), pending=None)


_T = TypeVar("_T")


@functools.cache
def _positional(kind: type) -> tuple[Any, dict[str, int]] | None:
    """A dataclass's field getter and each field's place in its ``__init__``, or None
    when ``__init__`` does not take every field by position (then ``replace`` copies)."""
    if not dataclasses.is_dataclass(kind):
        return None
    fields = dataclasses.fields(kind)
    if not fields or any(not f.init or f.kw_only for f in fields):
        return None
    names = [f.name for f in fields]
    # An InitVar is an __init__ parameter but no field: the places would shift.
    if list(inspect.signature(kind).parameters) != names:
        return None
    getter = operator.attrgetter(*names) if len(names) > 1 else None
    return getter, {name: i for i, name in enumerate(names)}


def evolve(obj: _T, **changes: Any) -> _T:
    """``dataclasses.replace``'s copy at about 0.6 (``Event``) to 0.8 (``Candidate``)
    of its cost.

    The scorer copies its candidates and events a few times each (``Event`` has
    26 fields): ``replace`` walks ``fields()`` and builds keyword arguments every
    call, while this reads the fields in one ``attrgetter`` call and passes them
    by position (``__init__`` and ``__post_init__`` still run).
    """
    kind: type = type(obj)
    found = _positional(kind)
    if found is None or found[0] is None:
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    getter, places = found
    values = list(getter(obj))
    for name, value in changes.items():
        place = places.get(name)
        if place is None:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
        values[place] = value
    made: _T = kind(*values)
    return made


Known = dict[str, tuple[str, int]]
"""Feature string → (group, hashed index): a caller's memo for :func:`hash_features`."""

KNOWN_MAX = 500_000
"""A memo past this many strings is emptied: its memory stays bounded on a long feed."""


def hash_features(features: Iterable[str], known: Known | None = None) -> FeatureVector:
    """Hashed indexes and values; each group (text before '=') sums to norm 1.

    A long sentence has many words: scaling each group to unit length keeps
    the bag of words from drowning the few features about the trigger.
    ``known`` is the caller's memo of strings already hashed (the scorer's: a
    sentence's bag and a trigger's parts recur in each of its candidates);
    with or without it, the same sums in the same order, so the same vector.
    """
    # Called for every candidate with ~45-100 features: no setdefault's spare
    # list, no split's list, bound look-ups (about 8% of its time, same result).
    groups: dict[str, list[int]] = {}
    crc32, mask = zlib.crc32, (1 << HASH_BITS) - 1
    if known is None:  # the scorer's path (no memo): no tuple a string
        for feature in features:
            group = feature.partition("=")[0]
            members = groups.get(group)
            if members is None:
                groups[group] = [crc32(feature.encode()) & mask]
            else:
                members.append(crc32(feature.encode()) & mask)
    else:
        for feature in features:
            hit = known.get(feature)
            if hit is None:
                hit = (feature.partition("=")[0], crc32(feature.encode()) & mask)
                if len(known) >= KNOWN_MAX:
                    known.clear()
                known[feature] = hit
            group, index = hit
            members = groups.get(group)
            if members is None:
                groups[group] = [index]
            else:
                members.append(index)
    values: dict[int, float] = {}
    get = values.get
    for members in groups.values():
        weight = 1.0 / math.sqrt(len(members))
        for index in members:
            values[index] = get(index, 0.0) + weight
    ordered = sorted(values)
    return tuple(ordered), tuple([values[i] for i in ordered])


def rule_keys(rules: Iterable[TriggerRule]) -> dict[str, str]:
    """Each rule origin (``file:line``) → a key made of what its rules say.

    The origin is what users read, but as a feature it would move whenever a
    line is added above the entry. The key is a short digest of the file's
    name and, for every rule the line gives, its head, part of speech,
    particle, slots, codes and forms: it changes when the entry does, never
    when another entry is added, moved or commented.
    """
    contents: dict[str, set[str]] = {}
    for rule in rules:
        if not rule.origin:
            continue
        content = (rule.pos, rule.lemma, rule.particle, rule.before, rule.after, rule.clause,
                   rule.code, rule.reverse_code, rule.forms)  # fmt: skip
        contents.setdefault(rule.origin, set()).add(repr(content))
    keys = {}
    for origin, found in contents.items():
        name = origin.rsplit(":", 1)[0]
        digest = hashlib.sha1("\n".join(sorted(found)).encode("utf-8")).hexdigest()[:12]
        keys[origin] = f"{name}#{digest}"
    return keys


@functools.cache
def builtin_rule_keys() -> Mapping[str, str]:
    """:func:`rule_keys` of the built-in lexicon (read once)."""
    from dyadwatch.coder.lexicon import load_builtin_rules

    return rule_keys(load_builtin_rules())


def rule_feature(rule: str | None, keys: Mapping[str, str] | None = None) -> str:
    """The ``rule`` feature's value: the proposing rule's content key (``keys``:
    origin → key; default the built-in lexicon's), or the rule's own name when
    no key is known ("obligation", a rule outside ``keys``)."""
    origin = (rule or "none").removeprefix("pair:")
    found = builtin_rule_keys() if keys is None else keys
    return found.get(origin, origin)


def sentence_features(sentence: Span, *, pairs: bool = True) -> tuple[str, ...]:
    """The sentence's bag of lemmas and, with ``pairs``, lemma pairs (stop words and
    punctuation out). A drafted trigger's type reads the lemmas alone: the pairs,
    one string per word, carried no weight there under CV (docs/MODEL_LOG.md, row 40x)."""
    lemmas: list[str] = []
    content: list[str] = []
    for token in sentence:  # one pass: a spaCy attribute costs more than the test
        lemma = token.lemma_.lower()
        if not (token.is_punct or token.is_space):
            lemmas.append(lemma)
        if token.is_alpha and not token.is_stop:
            content.append(lemma)
    found = [f"u={w}" for w in content]
    if pairs:
        found.extend(f"b={a}_{b}" for a, b in itertools.pairwise(lemmas))
    return tuple(found)


def dependency_path(start: Token, end: Token) -> str:
    """Dependencies from ``start`` up to the common ancestor and down to ``end``.

    "^nsubj" climbs from a subject to its verb, "vdobj" descends to an object;
    paths longer than four steps are "far".
    """
    if start.i == end.i:
        return "self"
    up = [start, *start.ancestors]
    down = [end, *end.ancestors]
    up_ids = [t.i for t in up]
    common = next((t for t in down if t.i in up_ids), None)
    if common is None:
        return "none"
    climb = [f"^{t.dep_}" for t in up[: up_ids.index(common.i)]]
    descend = [f"v{t.dep_}" for t in reversed(down[: [t.i for t in down].index(common.i)])]
    steps = climb + descend
    return "far" if len(steps) > _MAX_PATH else "".join(steps)


@dataclass(frozen=True)
class TriggerParts:
    """What a trigger's type features read of the parse alone, whatever its pair.

    A trigger's candidates (its drafts and every alternative pair) share these:
    built once a trigger (:meth:`of`) and handed to :func:`type_features`, they
    spare each candidate the walks over the trigger's children, window and
    governors (the same strings, so the same features).
    """

    lemma: str
    kids: tuple[str, ...]
    window: tuple[str, ...]
    governors: tuple[str, ...]
    future: bool
    objects: tuple[str, ...]
    """The lemmas of the trigger's objects, through quantities (:func:`object_features`)."""

    @classmethod
    def of(cls, trigger: Token, sentence: Span | None = None) -> TriggerParts:
        children = list(trigger.children)  # read by three groups: one walk
        return cls(
            trigger.lemma_.lower(),
            tuple(f"kid={c.dep_}|{c.lemma_.lower()}" for c in children),
            tuple(_window(trigger, sentence)),
            tuple(governor_features(trigger)),
            _future(trigger, children),
            tuple(_through_of(c).lemma_.lower() for c in children if c.dep in _OBJECT_IDS),
        )


def type_features(
    event: Event,
    trigger: Token,
    others: Sequence[str],
    rule_keys: Mapping[str, str] | None = None,
    sentence: Span | None = None,
    parts: TriggerParts | None = None,
) -> tuple[str, ...]:
    """Features of the event's type; ``others`` are the sentence's other drafted types,
    ``rule_keys`` the lexicon's origin → content keys (:func:`rule_feature`),
    ``sentence`` the trigger's sentence when the caller has it at hand, ``parts``
    the trigger's :class:`TriggerParts` when the caller keeps them across its
    candidates.

    The trigger's part of speech, dependency, head and the paths to its
    arguments are left out: cross-validated, they carried no weight the
    lemma, its dependents and the window do not (docs/MODEL_LOG.md, rows 40x);
    the verbs governing the trigger (:func:`governor_features`) do.
    """
    if parts is None:
        parts = TriggerParts.of(trigger, sentence)
    lemma = parts.lemma
    root = event.cameo[:2]
    plover = event.plover.type if event.plover else "none"
    modality = event.modality
    found = [
        f"code={event.cameo}",
        f"root={root}",
        f"plover={plover}",
        f"rule={rule_feature(event.rule, rule_keys)}",
        f"lem={lemma}",
        f"lemroot={lemma}|{root}",
        f"neg={modality.negated}",
        f"hyp={modality.hypothetical}",
        f"rep={modality.reported}",
        f"src={_sectors(event.source.code)}",
        f"tgt={_sectors(event.target.code) if event.target else 'absent'}",
        *parts.kids,
        *parts.window,
        *parts.governors,
    ]
    found.extend(f"other={t}" for t in others)
    found.extend(_mode_strings(event, plover, parts.future))
    found.extend(_object_strings(parts.lemma, parts.objects, plover))
    found.extend(pair_type_features(event, trigger, sentence))
    return tuple(found)


_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
_OF_HEADS = frozenset(
    {"more", "worth", "number", "amount", "package", "batch", "set", "lot", "total", "range",
     "series", "group", "supply", "shipment", "consignment"}
)  # fmt: skip
_OBJECTS = frozenset({"dobj", "nsubjpass", "attr", "oprd"})
_OBJECT_IDS = frozenset(spacy_symbols.IDS[d] for d in _OBJECTS)
_AUX = spacy_symbols.IDS["aux"]
"""Integer dependency labels: comparing them skips a string-store look-up a child."""


def mode_features(
    event: Event, trigger: Token, plover: str, children: Sequence[Token] | None = None
) -> list[str]:
    """The clause's reading crossed with the lexicon's type.

    The PLOVER manual codes a future cooperative act (CONSULT, SUPPORT,
    COOPERATE, AID) as AGREE ("said it would send aid", "will hold talks") and
    an announced future retreat as CONCEDE, and calls THREATEN an ASSAULT made
    hypothetical. The type model reads the flags and the type apart, which a
    linear model cannot combine: these crosses let it. ``children`` are the
    trigger's, when the caller has them at hand.
    """
    future = _future(trigger, list(trigger.children) if children is None else children)
    return _mode_strings(event, plover, future)


def _mode_strings(event: Event, plover: str, future: bool) -> list[str]:
    found = [f"mxf={future}|{plover}"]
    if event.modality.hypothetical:
        found.append(f"mx=hyp|{plover}")
    if event.modality.reported:
        found.append(f"mx=rep|{plover}")
    if event.modality.negated:
        found.append(f"mx=neg|{plover}")
    return found


def _future(trigger: Token, children: Sequence[Token]) -> bool:
    """A future auxiliary on the trigger or on the verbs whose open clause holds it."""
    node, below = trigger, children
    for _ in range(3):
        if any(c.dep == _AUX and c.lower_ in _FUTURE_AUX for c in below):
            return True
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
        below = list(node.children)
    return False


def object_features(
    trigger: Token, plover: str = "none", children: Sequence[Token] | None = None
) -> list[str]:
    """The head noun of what the trigger acts on, through quantities ("$4 million
    *worth of* equipment" is equipment), and its ending, which generalises
    across words of one kind ("-ion", "-ers"); crossed with the trigger's lemma
    and with the lexicon's type ("opened its *borders*" to refugees is AID,
    not the YIELD of "open")."""
    below = trigger.children if children is None else children
    heads = [_through_of(c).lemma_.lower() for c in below if c.dep in _OBJECT_IDS]
    return _object_strings(trigger.lemma_.lower(), heads, plover)


def _object_strings(lemma_of_trigger: str, heads: Sequence[str], plover: str) -> list[str]:
    found: list[str] = []
    for lemma in heads:
        found.append(f"obj={lemma}")
        found.append(f"lemobj={lemma_of_trigger}|{lemma}")
        found.append(f"objplv={lemma}|{plover}")
        if len(lemma) > 4:
            found.append(f"objsuf={lemma[-3:]}")
    return found


def _through_of(noun: Token) -> Token:
    for _ in range(3):
        if noun.lemma_.lower() not in _OF_HEADS and noun.pos_ not in ("NUM", "SYM"):
            return noun
        nxt = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"), None)  # fmt: skip
        if nxt is None:
            return noun
        noun = nxt
    return noun


def pair_type_features(event: Event, trigger: Token, sentence: Span | None) -> list[str]:
    """What the candidate's own pair says about its type: the preposition that
    brings the target to the trigger ("against", "to", "with") with the
    trigger's lemma, and the word that joins source and target when it is not
    the trigger (the pair then belongs to another predicate)."""
    sentence = trigger.sent if sentence is None else sentence
    lemma = trigger.lemma_.lower()
    evidence = event.evidence
    source = token_at(sentence, evidence.source) if evidence.source else None
    target = token_at(sentence, evidence.target) if evidence.target else None
    found = [f"ptvia={lemma}|{_via(target) if target is not None else 'none'}"]
    if source is not None and target is not None:
        joint = _common(source, target)
        found.append(
            "ptlca=self" if joint is None or joint.i == trigger.i
            else f"ptlca={joint.lemma_.lower()}"
        )  # fmt: skip
    return found


def _common(a: Token, b: Token) -> Token | None:
    above = {a.i, *(t.i for t in a.ancestors)}
    return next((t for t in (b, *b.ancestors) if t.i in above), None)


def governor_features(trigger: Token) -> list[str]:
    """The verbs that govern the trigger, nearest first, as the main clause sees it.

    "threatened to *cut* aid", "demanded that troops *withdraw*", "refused to
    *meet*": the act a draft names is held by a verb above it, whose lemma,
    the relation through which it holds the act, and its negation tell the
    type model that the sentence is a threat, a demand or a refusal rather
    than the act itself. At most ``_GOVERNORS`` verbs (or the parse root).
    """
    found: list[str] = []
    named = 0
    child = trigger
    for ancestor in trigger.ancestors:
        if ancestor.pos_ in ("VERB", "AUX") or ancestor.dep_ == "ROOT":
            lemma = ancestor.lemma_.lower()
            negated = any(k.dep_ == "neg" for k in ancestor.children)
            if not named:
                found.append(f"gov1={lemma}")
            found.append(f"gov={lemma}|{child.dep_}")
            found.append(f"govneg={negated}|{child.dep_}")
            named += 1
            if named == _GOVERNORS:
                break
        child = ancestor
    return found


def fallback_features(
    trigger: Token,
    source: Token | None,
    target: Token | None,
    negated: bool,
    sentence: Span | None = None,
) -> tuple[str, ...]:
    """Features of a sentence-level candidate: its predicate and arguments, no lexicon code.

    ``fb`` crosses tell the models these apart from the lexicon's drafts, whose
    code and rule features they lack.
    """
    lemma = trigger.lemma_.lower()
    found = [
        "rule=fallback",
        f"fblem={lemma}",
        f"lem={lemma}",
        f"fbpos={trigger.pos_}|{trigger.tag_}",
        f"neg={negated}",
        f"fbargs={source is not None}|{target is not None}",
    ]
    kids = [(c.dep_, c.lemma_.lower()) for c in trigger.children]  # one walk, read twice
    found.extend(f"fbkid={dep}|{word}" for dep, word in kids)
    found.extend(f"fbclause={dep}|{word}" for dep, word in kids if dep in _CLAUSES)
    found.extend(_window(trigger, sentence))
    found.append(f"spath={dependency_path(trigger, source) if source is not None else 'none'}")
    found.append(f"tpath={dependency_path(trigger, target) if target is not None else 'none'}")
    return tuple(found)


def pair_features(
    event: Event,
    trigger: Token,
    source: Mentioned | None,
    target: Mentioned | None,
    *,
    lexicon_pair: bool,
) -> tuple[str, ...]:
    """Features of a (source, target) pair for one trigger."""
    doc = trigger.doc
    root = event.cameo[:2]
    lemma = trigger.lemma_.lower()
    spath = dependency_path(trigger, doc[source.head]) if source is not None else "none"
    tpath = dependency_path(trigger, doc[target.head]) if target is not None else "none"
    found = [
        f"pair_lexicon={lexicon_pair}",
        f"pair_spath={spath}",
        f"pair_tpath={tpath}",
        f"pair_paths={spath}|{tpath}",
        f"pair_rootspath={root}|{spath}",
        f"pair_roottpath={root}|{tpath}",
        f"pair_lemspath={lemma}|{spath}",
        f"pair_lemtpath={lemma}|{tpath}",
        f"pair_order={_order(trigger.i, source, target)}",
        f"pair_sdist={_distance(trigger.i, source)}",
        f"pair_tdist={_distance(trigger.i, target)}",
        f"pair_ssector={_sectors(source.code) if source else 'none'}",
        f"pair_tsector={_sectors(target.code) if target else 'none'}",
        f"pair_svia={_via(doc[source.head]) if source else 'none'}",
        f"pair_tvia={_via(doc[target.head]) if target else 'none'}",
    ]
    return tuple(found)


def _via(head: Token) -> str:
    """The preposition that introduces a phrase ("on Iran", "in Texas"), or its dependency."""
    if head.dep_ == "pobj":
        return f"{head.head.lemma_.lower()}|{_sectors_of_token(head)}"
    return head.dep_


def _sectors_of_token(head: Token) -> str:
    return "propn" if head.pos_ == "PROPN" else "noun"


def _window(trigger: Token, sentence: Span | None = None) -> list[str]:
    doc = trigger.doc
    # Token.sent searches the parse for the sentence's bounds: the caller's is free.
    sentence = trigger.sent if sentence is None else sentence
    found = []
    for offset in range(-_WINDOW, _WINDOW + 1):
        i = trigger.i + offset
        if offset == 0 or not sentence.start <= i < sentence.end:
            continue
        found.append(f"w{offset}={doc[i].lemma_.lower()}")
    return found


def _sectors(code: str) -> str:
    """The code without its country: "PAKMIL" -> "MIL", "USA" -> "state", "---" -> "unknown"."""
    if code == "---":
        return "unknown"
    tail = code[3:] if code[:3].isalpha() and len(code) >= 3 else code
    return tail[:3] or "state"


def _order(trigger: int, source: Mentioned | None, target: Mentioned | None) -> str:
    parts = [("T", trigger)]
    if source is not None:
        parts.append(("S", source.head))
    if target is not None:
        parts.append(("O", target.head))
    return "".join(name for name, _ in sorted(parts, key=lambda p: p[1]))


def _distance(trigger: int, actor: Mentioned | None) -> str:
    if actor is None:
        return "none"
    gap = abs(actor.head - trigger)
    return "1" if gap <= 1 else "3" if gap <= 3 else "6" if gap <= 6 else "far"


class DenseReader:
    """The dense block of a sentence's candidates, read from the pipeline's tok2vec.

    spaCy's tagger and parser already compute a context vector per token
    (``doc.tensor``: 96 numbers with ``en_core_web_sm``), so these features
    cost a few look-ups. A candidate's block is the vectors of its trigger, its
    source's and target's head words, and the sentence's mean, each scaled to
    unit length (like a hashed group), zeros for an absent argument. A
    pipeline without a tensor gives an empty block, which the models ignore.
    """

    def __init__(self, sentence: Span) -> None:
        self._sentence = sentence
        tensor = sentence.doc.tensor
        rows = np.asarray(tensor, dtype=np.float32) if tensor is not None else NO_DENSE
        ok = rows.ndim == 2 and rows.shape[0] == len(sentence.doc) and rows.shape[1] > 0
        self._rows = rows if ok else np.zeros((0, 0), dtype=np.float32)
        self._heads: dict[tuple[int, int], npt.NDArray[np.float32]] = {}
        self._mean = (
            self._unit(self._rows[sentence.start : sentence.end].mean(axis=0)) if ok else NO_DENSE
        )

    @property
    def width(self) -> int:
        return int(self._rows.shape[1]) * len(DENSE_PARTS)

    def block(self, event: Event) -> npt.NDArray[np.float32]:
        """The candidate's dense block (trigger, source, target, sentence)."""
        if not self.width:
            return NO_DENSE
        evidence = event.evidence
        return np.concatenate(
            [self._head(evidence.trigger), self._head(evidence.source),
             self._head(evidence.target), self._mean]
        )  # fmt: skip

    def attach(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        return [evolve(c, dense=self.block(c.event)) for c in candidates]

    def _head(self, span: tuple[int, int] | None) -> npt.NDArray[np.float32]:
        width = int(self._rows.shape[1])
        if span is None:
            return np.zeros(width, dtype=np.float32)
        if span not in self._heads:
            head = token_at(self._sentence, span)
            vector = (
                self._unit(self._rows[head.i])
                if head is not None
                else np.zeros(width, dtype=np.float32)
            )
            self._heads[span] = vector
        return self._heads[span]

    @staticmethod
    def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        # np.linalg.norm of a float32 vector is sqrt(x.dot(x)) in float32, after checks
        # that cost more than the sum; and x / norm is float32 already (no astype).
        if vector.dtype != np.float32:
            vector = vector.astype(np.float32)
        norm = float(np.sqrt(vector.dot(vector)))
        return vector / norm if norm > 0 else vector.copy()


def token_at(sentence: Span, span: tuple[int, int]) -> Token | None:
    """The head token of the character ``span`` of ``sentence`` (None for no tokens)."""
    found = sentence.char_span(span[0], span[1], alignment_mode="expand")
    return found.root if found is not None and len(found) else None
