"""Candidate events for the learned scorer: the lexicon's drafts and other pairs.

The lexicon drafts an event per trigger and per (source, target) pair its
syntax rules find. The scorer also considers, for each trigger, the other
pairs the sentence's actor mentions allow ("the first nation to rebuke X",
where the rules miss the source): a pair model then decides which pairs hold.

Pairs come from two places: the actors the dictionaries name anywhere in the
sentence (either role), and the trigger's own subject and object phrases that
no dictionary names ("fined *Siemens*", "condemned *Muslim leaders*"), kept
with CAMEO's unknown code ``---`` and their words, each in its syntactic role
only (a subject as source, an object as target).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dyadwatch.actors.matcher import Mention
from dyadwatch.coder.arguments import ArgumentResolver, in_dateline
from dyadwatch.coder.scoring.bystanders import places, speakers
from dyadwatch.coder.scoring.features import (
    NO_DENSE,
    Candidate,
    DenseReader,
    Mentioned,
    TriggerParts,
    evolve,
    fallback_features,
    pair_features,
    sentence_features,
    token_at,
    type_features,
)
from dyadwatch.model import Actor, Event, Evidence, Modality
from dyadwatch.nlp.syntax import doers as clause_doers
from dyadwatch.nlp.syntax import is_passive, is_reduced_passive, subjects

__all__ = [
    "FALLBACK_RULE",
    "MAX_ACTORS",
    "PAIR_RULE",
    "UNKNOWN",
    "FallbackDraft",
    "SentenceView",
    "argument_phrases",
    "fallback",
    "fallback_draft",
    "mentioned_actors",
    "nesting",
    "propose",
]

MAX_ACTORS = 6
"""Actors per sentence the pair proposer combines (at most 6 x 6 pairs a trigger)."""
PAIR_RULE = "pair:"
"""Prefix of ``Event.rule`` for an event the scorer moved to another pair."""
_NP_LINKS = frozenset({"compound", "poss", "amod", "nmod", "appos"})
_VIOLENT = frozenset({"18", "19", "20"})
"""CAMEO roots whose drafted doer and victim a moved pair may not swap."""
UNKNOWN = "---"
FALLBACK_RULE = "fallback"
"""``Event.rule`` of a sentence-level event the lexicon did not draft."""
_PREDICATES = frozenset({"VERB", "AUX", "NOUN"})
_SUBJECTS = frozenset({"nsubj"})
_OBJECTS = frozenset({"dobj", "dative", "nsubjpass", "obj", "iobj"})
_PHRASE_POS = frozenset({"NOUN", "PROPN"})
_RELATIVE_TAGS = frozenset({"WDT", "WP"})
_CARRIED = frozenset({"dobj", "pobj", "attr", "nsubjpass"})
"""Where an event noun stands when a verb carries it ("launched *an attack*")."""
_NOT_ACTORS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
_TIME_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december", "day", "week", "month", "year", "decade", "time", "today",
     "tomorrow", "yesterday", "night", "morning", "evening", "afternoon", "weekend", "hour"}
)  # fmt: skip
"""Heads that name a time, not a party (the pipeline may carry no entity labels)."""


@dataclass(frozen=True, slots=True)
class SentenceView:
    """What the scorer needs of a coded sentence: the parse and its actors."""

    sentence: Span
    actors: tuple[tuple[Mentioned, Actor], ...]
    doc_id: str = ""
    index: int = 0
    """The sentence's place in its document (a fallback event needs it)."""
    rule_keys: Mapping[str, str] | None = None
    """The coder's rule origins → content keys (``features.rule_keys``); None:
    the built-in lexicon's."""
    communication: frozenset[str] = frozenset()
    """Lemmas of the verbs that report (``ClauseKnowledge.communication``): their
    subjects are no moved pair's doer of what they report (``bystanders``)."""


def mentioned_actors(
    sentence: Span, mentions: Sequence[Mention], resolver: ArgumentResolver
) -> tuple[tuple[Mentioned, Actor], ...]:
    """Actors the sentence names, resolved at their noun phrase's head, in text order."""
    found: dict[tuple[str, int], tuple[Mentioned, Actor]] = {}
    doc = sentence.doc
    for mention in mentions:
        if mention.kind != "actor" or not sentence.start <= mention.start < sentence.end:
            continue
        head = _phrase_head(doc[mention.start])
        for resolved in resolver.resolve_plain(head):
            key = (resolved.actor.code, head.i)
            if key in found or resolved.start < 0:
                continue
            first, last = doc[resolved.start], doc[resolved.end - 1]
            span = (
                first.idx - sentence.start_char,
                last.idx + len(last.text) - sentence.start_char,
            )
            found[key] = (
                Mentioned(resolved.actor.code, head.i, span, resolved.actor.text),
                resolved.actor,
            )
        if len(found) >= MAX_ACTORS:
            break
    return tuple(sorted(found.values(), key=lambda m: m[0].span))


def _phrase_head(token: Token) -> Token:
    head = token
    while head.dep_ in _NP_LINKS and head.head.i != head.i:
        head = head.head
    return head


def propose(
    events: Sequence[Event],
    view: SentenceView,
    *,
    with_pairs: bool = True,
    typed: bool = True,
    dense: DenseReader | None = None,
) -> list[Candidate]:
    """Candidates for ``events`` (all from ``view.sentence``), lexicon pairs first.

    Without ``typed`` each candidate's type features are left to build
    (``Candidate.pending``, built by ``Candidate.typed``): the scorer selects
    on the pair model alone and builds them for the kept candidates only.
    With ``dense`` each candidate gets its dense block as it is made (what
    ``dense.attach`` would give it after).
    """
    sentence = view.sentence
    bag = sentence_features(sentence, pairs=False)
    types = [e.plover.type if e.plover else "none" for e in events]
    candidates: list[Candidate] = []
    by_trigger: dict[tuple[int, int], list[Event]] = {}
    for event in events:
        by_trigger.setdefault(event.evidence.trigger, []).append(event)
    tokens = {span: token_at(sentence, span) for span in by_trigger}
    heads = {t.i for t in tokens.values() if t is not None}
    groups: dict[tuple[int, int] | None, int | None] = {}  # doer group of each source phrase
    placed = places(sentence, heads) if with_pairs else frozenset()
    for trigger_span, group in by_trigger.items():
        trigger = tokens[trigger_span]
        if trigger is None:
            continue
        others = [
            t for t, e in zip(types, events, strict=True) if e.evidence.trigger != trigger_span
        ]
        taken: set[tuple[str | None, str | None]] = set()
        own: list[tuple[Mentioned, Actor]] = []
        doers: list[tuple[Mentioned, Actor]] = []
        argued: list[tuple[Mentioned, Actor]] = []
        # The trigger's pairs first, its candidates after: what a candidate says of the
        # trigger's own doer and nesting is then known when it is made (no copy after).
        pairs: list[_Pair] = []
        for event in group:
            source = _mentioned_of(event.evidence.source, event.source, view, sentence)
            target = _mentioned_of(event.evidence.target, event.target, view, sentence)
            pairs.append((event, source, target, True))
            taken.add((_key(source, event.source.code), _key(target, None)))
            if source is not None and _own_doer(trigger, sentence.doc[source.head]):
                own.append((source, event.source))
            if source is not None:
                doers.append((source, event.source))
            if target is not None and event.target is not None:
                argued.append((target, event.target))
        if with_pairs:
            drafted = _Drafted(tuple(e.evidence for e in group), tuple(group), tuple(doers),
                               tuple(argued))  # fmt: skip
            pairs.extend(_alternatives(group[0], trigger, view, taken, own, drafted, placed))
        # Nesting reads the trigger alone: the same for all its candidates.
        nested = nesting(trigger, heads, group[0].cameo[:2])
        held = bool(own) and _governed_by_other(trigger, heads, own, events, tokens)
        make = _maker(sentence, trigger, (*bag, *nested), others, view.rule_keys, typed, dense)
        for event, source, target, lexicon in pairs:
            span = event.evidence.source
            if span not in groups:
                groups[span] = _doer_group(span, sentence)
            candidates.append(make(event, source, target, lexicon, _own_doer_tag(event, own),
                                   held, groups[span]))  # fmt: skip
    return candidates


def _doer_group(span: tuple[int, int] | None, sentence: Span) -> int | None:
    """The coordination the source's words belong to, as its first member's index.

    Only the phrase's own words count, its top and their modifiers ("*Indian*
    and Pakistani shelling"), not a conjunct deeper inside ("the leaders *of*
    India and Pakistan" is one party).
    """
    if span is None:
        return None
    words = sentence.char_span(span[0], span[1], alignment_mode="expand")
    if words is None:
        return None
    inside = range(words.start, words.end)
    for word in words:
        if word.conjuncts and _on_top(word, inside):
            return min(word.i, *(c.i for c in word.conjuncts))
    return None


def _on_top(word: Token, inside: range) -> bool:
    """Whether ``word`` reaches the top of its phrase through modifiers and conjuncts only."""
    while word.head.i in inside and word.head.i != word.i:
        if word.dep_ not in _NP_LINKS and word.dep_ != "conj":
            return False
        word = word.head
    return True


def nesting(trigger: Token, triggers: set[int], root: str) -> tuple[str, ...]:
    """Whether the trigger governs another trigger's clause, or sits in one.

    "Police said the man stabbed ...": the statement governs the stabbing; the
    type model must not move the reported act's type onto the speaker's event.
    """
    doc = trigger.doc
    # An ancestor walk from each trigger is shorter than the whole subtree.
    governs = any(i != trigger.i and trigger.is_ancestor(doc[i]) for i in triggers)
    inside = next((a for a in trigger.ancestors if a.i in triggers), None)
    found = [
        f"nest={governs}|{inside is not None}",
        f"nestroot={root}|{governs}|{inside is not None}",
    ]
    if governs:
        found.append(f"nestlem={trigger.lemma_.lower()}")
    if inside is not None:
        found.append(f"nestin={inside.lemma_.lower()}|{trigger.dep_}")
    return tuple(found)


def _governed_by_other(
    trigger: Token,
    triggers: set[int],
    own: Sequence[tuple[Mentioned, Actor]],
    events: Sequence[Event],
    tokens: Mapping[tuple[int, int], Token | None],
) -> bool:
    """Whether the event noun sits in another trigger's clause whose doer is not its own.

    ``tokens`` holds the head token of every event's trigger span.

    "Pakistan condemned the U.S. drone strike": the strike's doer (USA) is not
    the condemner (PAK), so the strike is an event of its own, not a part of
    the condemnation.
    """
    inside = next((a for a in trigger.ancestors if a.i in triggers), None)
    if inside is None:
        return False
    doers = {a.code for _, a in own}
    governing = [
        e.source.code
        for e in events
        if (token := tokens[e.evidence.trigger]) is not None and token.i == inside.i
    ]
    return bool(governing) and not doers.intersection(governing)


def _own_doer_tag(event: Event, own: Sequence[tuple[Mentioned, Actor]]) -> str:
    """Tells the pair model whether the candidate's source is the event noun's own doer."""
    if not own:
        tag = "none"
    else:
        source = event.evidence.source
        same = any(a.code == event.source.code for _, a in own)
        tag = "self" if same and source is not None and any(
            _overlaps(m.span, source) for m, _ in own) else "other"  # fmt: skip
    return f"pair_owndoer={tag}"


def _key(mentioned: Mentioned | None, fallback: str | None) -> str | None:
    """What tells pairs apart: the code, or for an unnamed phrase its head too."""
    if mentioned is None:
        return fallback
    return mentioned.code if mentioned.code != UNKNOWN else f"{UNKNOWN}@{mentioned.head}"


@dataclass(frozen=True, slots=True)
class _Drafted:
    """What the lexicon drafted for one trigger: its evidence and its arguments."""

    evidence: tuple[Evidence, ...]
    events: tuple[Event, ...]
    sources: tuple[tuple[Mentioned, Actor], ...]
    targets: tuple[tuple[Mentioned, Actor], ...]


@dataclass(frozen=True, slots=True)
class _Roles:
    """Which words the trigger's own syntax and drafts already gave a role.

    A moved pair may take another actor for a role, never flip one: a
    passive's subject and ``by`` agent keep their roles, and so do the doer
    and the victim the lexicon drafted for violence ("a US drone struck their
    vehicles", "militants died", "a farmer was killed by shrapnel"). Other
    drafts' roles stay open: a reporting verb's drafted target is often the
    subject of the act it reports ("Kenya said Uganda sent troops").
    """

    doers: tuple[tuple[int, int], ...]
    """Character spans that may not be a target."""
    done_to: tuple[tuple[int, int], ...]
    """Character spans that may not be a source."""

    @classmethod
    def of(cls, trigger: Token, drafted: _Drafted, sentence: Span) -> _Roles:
        """The roles around ``trigger``, a token of ``sentence`` (spans count from its start)."""
        violent = any(e.cameo[:2] in _VIOLENT for e in drafted.events)
        doers = [m.span for m, _ in drafted.sources] if violent else []
        done_to = [m.span for m, _ in drafted.targets] if violent else []
        if _reduced_passive(trigger):
            # "the villagers *killed* by troops": the noun up to its head, not its clause.
            noun = trigger.head
            first = noun.left_edge
            done_to.append((first.idx - sentence.start_char,
                            noun.idx + len(noun.text) - sentence.start_char))  # fmt: skip
        for child in trigger.children:
            if child.dep_ == "nsubjpass":
                done_to.append(_char_span(child, sentence))
            elif child.dep_ == "agent":
                doers.extend(_char_span(g, sentence) for g in child.children if g.dep_ == "pobj")
        return cls(tuple(doers), tuple(done_to))

    def not_source(self, mentioned: Mentioned) -> bool:
        return any(_overlaps(mentioned.span, s) for s in self.done_to) and not any(
            _overlaps(mentioned.span, s) for s in self.doers
        )

    def not_target(self, mentioned: Mentioned) -> bool:
        return any(_overlaps(mentioned.span, s) for s in self.doers) and not any(
            _overlaps(mentioned.span, s) for s in self.done_to
        )


def _char_span(head: Token, sentence: Span) -> tuple[int, int]:
    """The phrase headed by ``head``, in character offsets of the sentence."""
    first, last = head.left_edge, head.right_edge
    return (first.idx - sentence.start_char, last.idx + len(last.text) - sentence.start_char)


def _redrafts(
    source: Mentioned, target: tuple[Mentioned, Actor] | None, drafted: Sequence[Evidence]
) -> bool:
    """Whether the pair names the same words as a drafted pair, under other codes
    ("Police" as ``---`` where the lexicon resolved it to COP)."""
    span = target[0].span if target is not None else None
    for evidence in drafted:
        if evidence.source is None or not _overlaps(source.span, evidence.source):
            continue
        if (span is None) == (evidence.target is None) and (
            span is None or (evidence.target is not None and _overlaps(span, evidence.target))
        ):
            return True
    return False


def argument_phrases(
    trigger: Token, view: SentenceView, argued: Sequence[tuple[int, int]] = ()
) -> tuple[list[tuple[Mentioned, Actor]], list[tuple[Mentioned, Actor]]]:
    """The trigger's subject and object phrases no dictionary names: (sources, targets).

    ``argued`` are the spans of the drafted events' own arguments: a phrase
    overlapping one is already an argument, under its resolved code.
    """
    named = [*(m.span for m, _ in view.actors), *argued]
    doers, done_to = _argument_heads(trigger)
    sources = [p for head in doers for p in _phrase(head, view.sentence, named)]
    targets = [p for head in done_to for p in _phrase(head, view.sentence, named)]
    return sources, targets


def _argument_heads(trigger: Token) -> tuple[list[Token], list[Token]]:
    """The heads of the trigger's doer and done-to phrases, each with its conjuncts.

    Conjoined subjects of an active verb are also each other's partners ("India
    and Mercosur agreed to ..."); conjoined agents and objects only share a role.
    """
    own_subjects: list[Token] = []
    found: list[Token] = []
    done_to: list[Token] = []
    noun = trigger.pos_ == "NOUN"
    for child in trigger.children:
        if child.dep_ in _SUBJECTS:
            own_subjects.append(child)
        elif child.dep_ == "agent" or (noun and child.dep_ == "prep" and child.lower_ == "by"):
            # "an attack *by militants*": a noun's "by" phrase is its doer, as a verb's agent.
            found.extend(g for g in child.children if g.dep_ == "pobj")
        elif noun and child.dep_ == "poss":
            found.append(child)  # "the militants' attack on ...": the possessor did it
        elif child.dep_ in _OBJECTS:
            done_to.append(child)
        elif child.dep_ == "prep":
            done_to.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ == "ccomp":
            # "X said *Y* must ...", "X warned that *Y* would ...": a statement's
            # complement subject is whom the speaker's act is about.
            done_to.extend(g for g in child.children if g.dep_ in ("nsubj", "nsubjpass"))
    own_subjects = [_antecedent(h) for h in own_subjects or _clause_subjects(trigger)]
    found.extend(own_subjects)
    done_to.extend(_clause_patients(trigger))
    done_to.extend(_further_objects(trigger))
    if not _done_to_voice(trigger):
        # Conjoined agents of a passive act together; only active subjects are partners.
        done_to.extend(c for h in own_subjects for c in h.conjuncts)
    return _with_conjuncts(found), _with_conjuncts(done_to)


def _clause_patients(trigger: Token) -> list[Token]:
    """What a passive clause with no subject of its own was done to: the noun a
    reduced passive modifies ("the villagers *killed* by troops"), the passive
    subject a conjoined verb shares ("were abducted and *killed*")."""
    if _reduced_passive(trigger):
        return [trigger.head]
    own = any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children)
    if trigger.dep_ == "conj" and not own and trigger.tag_ == "VBN":
        return [c for c in trigger.head.children if c.dep_ == "nsubjpass"]
    return []


def _reduced_passive(trigger: Token) -> bool:
    """ "the villagers *killed* (by troops)": a participle on a noun, or a clause
    on a noun with a ``by`` agent (the tagger may read the participle as a past)."""
    return is_reduced_passive(trigger) or (
        trigger.dep_ == "acl" and any(c.dep_ == "agent" for c in trigger.children)
    )


def _done_to_voice(trigger: Token) -> bool:
    """A passive trigger, or one with a ``by`` agent ("killed *by troops*")."""
    return is_passive(trigger) or any(c.dep_ == "agent" for c in trigger.children)


def _with_conjuncts(heads: Sequence[Token]) -> list[Token]:
    found: dict[int, Token] = {}
    for head in heads:
        for member in (head, *head.conjuncts):
            found.setdefault(member.i, member)
    return list(found.values())


def _antecedent(head: Token) -> Token:
    """ "militants, *who* attacked ...": a relative pronoun stands for the noun."""
    clause = head.head
    if head.tag_ in _RELATIVE_TAGS and clause.dep_ == "relcl" and clause.head.pos_ in _PHRASE_POS:
        return clause.head
    return head


def _clause_subjects(trigger: Token) -> list[Token]:
    """Who does what a clause with no subject of its own tells: the doer of an
    event noun's carrier verb, the noun an active reduced relative hangs on, or
    the doer it inherits ("agreed *to share* ...", "troops *deploying* to Mali",
    "launched *an attack*").

    A doer is an active subject or a passive's ``by`` agent (``syntax.doers``),
    never a passive's subject: "three soldiers *were killed*" did no killing,
    nor did "the villagers *killed* by troops".
    """
    if trigger.pos_ == "NOUN":
        verb = trigger.head
        if trigger.dep_ in _CARRIED and verb.pos_ == "VERB":
            return clause_doers(verb)
        return []
    governing = trigger.head.head
    if trigger.dep_ == "pcomp" and governing.pos_ in ("VERB", "AUX", "ADJ"):
        # "were guilty *of violating* ...", "accused X *of shelling* ...", "X was
        # accused *of shelling*": the governing verb's object, else its subject,
        # which a passive accusation makes the accused.
        return [c for c in governing.children if c.dep_ == "dobj"] or subjects(governing)
    return clause_doers(trigger)


def _further_objects(trigger: Token) -> list[Token]:
    """Objects one step beyond the trigger's own: where the act's target often is.

    A light verb's event noun carries the target ("opened an *investigation of*
    the minister", "filed a *lawsuit against* the firm", "signed an *agreement
    with* Kenya"), and so does the verb of an open clause ("agreed *to set up* a
    centre in Goa", "will send a team *to investigate* the crash"); an event noun
    carried by a verb has its target hung on that verb ("launched an attack *on*
    X").
    """
    found: list[Token] = []
    if trigger.pos_ == "NOUN" and trigger.dep_ in _CARRIED and trigger.head.pos_ == "VERB":
        found.extend(_prep_objects(trigger.head))
    # "went *on a visit to* Russia", "responded *to a request from* the paper".
    found.extend(g for o in _prep_objects(trigger) for g in _prep_objects(o))
    for child in trigger.children:
        if child.dep_ in _OBJECTS and child.pos_ == "NOUN":
            found.extend(_prep_objects(child))
        elif child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            for grand in child.children:
                if grand.dep_ in _OBJECTS:
                    found.append(grand)
                    found.extend(_prep_objects(grand))
            found.extend(_prep_objects(child))
    return found


def _prep_objects(head: Token) -> list[Token]:
    """Objects of the head's prepositions, and the subject of a clause standing as
    one ("an attack on *the government* calling it ...", parsed as a clause)."""
    found: list[Token] = []
    for prep in (c for c in head.children if c.dep_ == "prep"):
        for grand in prep.children:
            if grand.dep_ == "pobj":
                found.append(grand)
            elif grand.dep_ == "pcomp":
                found.extend(s for s in grand.children if s.dep_ == "nsubj")
    return found


def _phrase(
    head: Token, sentence: Span, named: Sequence[tuple[int, int]]
) -> list[tuple[Mentioned, Actor]]:
    """A noun phrase (its words up to the head) as an unknown actor, unless a named one."""
    if (
        head.pos_ not in _PHRASE_POS
        or head.ent_type_ in _NOT_ACTORS
        or head.lemma_.lower() in _TIME_WORDS
        or head.like_num
        or in_dateline(head)  # "NAIROBI (Reuters) - Kenya expelled ...": where it was filed
    ):
        return []
    first = head.left_edge
    span = (first.idx - sentence.start_char, head.idx + len(head.text) - sentence.start_char)
    if any(_overlaps(span, other) for other in named):
        return []
    # Doc.text joins every token of the document: the phrase's own tokens give the same words.
    text = sentence.doc[first.i : head.i + 1].text
    return [(Mentioned(UNKNOWN, head.i, span, text), Actor(text, UNKNOWN, None, None, None))]


_Pair = tuple[Event, Mentioned | None, Mentioned | None, bool]
"""A candidate before it is made: its event, source, target and whether the lexicon drafted it."""
_Make = Callable[
    [Event, Mentioned | None, Mentioned | None, bool, str, bool, int | None], Candidate
]


def _maker(
    sentence: Span,
    trigger: Token,
    tail: tuple[str, ...],
    others: Sequence[str],
    rule_keys: Mapping[str, str] | None,
    typed: bool = True,
    dense: DenseReader | None = None,
) -> _Make:
    """What makes the trigger's candidates; ``tail`` ends every type vector (the
    sentence's bag, then the trigger's nesting)."""
    doc = sentence.doc
    parts = TriggerParts.of(trigger, sentence)  # one walk of the parse for all its pairs

    def types_of(event: Event) -> tuple[str, ...]:
        return (*type_features(event, trigger, others, rule_keys, sentence, parts), *tail)

    def make(
        event: Event,
        source: Mentioned | None,
        target: Mentioned | None,
        lexicon: bool,
        own_tag: str,
        held: bool,
        group: int | None,
    ) -> Candidate:
        source_token = doc[source.head] if source is not None else None
        paired = (*pair_features(event, trigger, source, target, lexicon_pair=lexicon), own_tag)
        own = _own_doer(trigger, source_token)
        pending = None if typed else functools.partial(types_of, event)
        return Candidate(
            event,
            types_of(event) if typed else (),
            paired,
            lexicon,
            own_doer=own,
            nested_doer=held,
            dense=NO_DENSE if dense is None else dense.block(event),
            doer_group=group,
            pending=pending,
        )

    return make


def _own_doer(trigger: Token, source: Token | None) -> bool:
    """Whether the source modifies the event noun ("the U.S. drone strike").

    The actor list resolves a modifier at its phrase's head, which for "US drone
    strikes" climbs through the compounds to the noun itself: a source whose head
    is the trigger is the noun's modifier too.
    """
    if trigger.pos_ != "NOUN" or source is None:
        return False
    return source.i == trigger.i or (source.head.i == trigger.i and source.dep_ in _NP_LINKS)


def _alternatives(
    template: Event,
    trigger: Token,
    view: SentenceView,
    taken: set[tuple[str | None, str | None]],
    own: Sequence[tuple[Mentioned, Actor]],
    drafted: _Drafted,
    placed: frozenset[int],
) -> list[_Pair]:
    """The trigger's event on every other pair of the sentence's actors and its own phrases.

    The drafted events' own arguments take part too, each in its drafted role
    only (the lexicon may resolve a phrase the actor list lacks: "two men" as
    CVL; swapped, "police killed two men" became CVL->COP on news), and a pair
    on the very words of a drafted pair is not proposed again.
    An event noun whose doer modifies it (``own``: "the U.S. drone strike")
    keeps that doer and only its target is open: the verb that governs the
    noun ("Pakistan condemned ...") is another event with its own subject.
    """
    spans = [m.span for m, _ in (*drafted.sources, *drafted.targets)]
    subjects, objects = argument_phrases(trigger, view, spans)
    roles = _Roles.of(trigger, drafted, view.sentence)
    found: list[_Pair] = []
    sources = own or _open_sources(trigger, view, drafted, subjects, placed)
    for source, source_actor in sources:
        if roles.not_source(source):
            continue
        targets: list[tuple[Mentioned, Actor] | None] = [
            None,
            *view.actors,
            *drafted.targets,
            *objects,
        ]
        for pair in targets:
            key = (_key(source, None), _key(pair[0], None) if pair is not None else None)
            if key[0] == key[1] or key in taken or _redrafts(source, pair, drafted.evidence):
                continue
            if pair is not None and roles.not_target(pair[0]):
                continue
            taken.add(key)
            event = _moved(template, source, source_actor, pair)
            found.append((event, source, pair[0] if pair else None, False))
    return found


def _open_sources(
    trigger: Token,
    view: SentenceView,
    drafted: _Drafted,
    subjects: Sequence[tuple[Mentioned, Actor]],
    placed: frozenset[int],
) -> list[tuple[Mentioned, Actor]]:
    """Who may do the act of a trigger with no own doer: the sentence's actors and the
    trigger's subject phrases, but no place and not the speaker who reports the act
    (``bystanders``), and the drafted sources."""
    aside = placed | speakers(trigger, view.communication)
    return [*(a for a in view.actors if a[0].head not in aside), *drafted.sources,
            *(s for s in subjects if s[0].head not in aside)]  # fmt: skip


def _moved(
    template: Event,
    source: Mentioned,
    source_actor: Actor,
    target: tuple[Mentioned, Actor] | None,
) -> Event:
    evidence = Evidence(template.evidence.trigger, source.span, target[0].span if target else None)
    rule = template.rule or ""
    return evolve(
        template,
        source=source_actor,
        target=target[1] if target else None,
        evidence=evidence,
        rule=rule if rule.startswith(PAIR_RULE) else f"{PAIR_RULE}{rule}",
    )


def _mentioned_of(
    span: tuple[int, int] | None, actor: Actor | None, view: SentenceView, sentence: Span
) -> Mentioned | None:
    """The event's own argument as a mention (the actor list's, when it is there)."""
    if span is None or actor is None:
        return None
    for mentioned, _ in view.actors:
        if mentioned.code == actor.code and _overlaps(mentioned.span, span):
            return mentioned
    token = token_at(sentence, span)
    if token is None:
        return None
    return Mentioned(actor.code, token.i, span, actor.text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def event_id(event: Event, cameo: str | None = None) -> str:
    """The event's id from what identifies it (as the coder derives ids); ``cameo``
    is the code it takes, when not yet its own."""
    target = event.target.code if event.target else ""
    parts = (event.doc_id, event.sentence_index, event.evidence.trigger[0], event.source.code,
             target, event.cameo if cameo is None else cameo)  # fmt: skip
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def fallback(view: SentenceView, *, pairs: bool = True) -> Candidate | None:
    """A sentence-level candidate for a sentence the lexicon drafts nothing for.

    The main predicate stands in for the trigger; its subject (a named actor
    inside it, else its own words as ``---``) is the source, and its object or
    prepositional object the target; without them, the sentence's first named
    actors. The models decide the type and whether there is an event at all.
    Without ``pairs`` its pair features are left empty: the event model, which
    decides first, reads only the type features.
    """
    draft = fallback_draft(view)
    return draft.candidate(pairs=pairs) if draft is not None else None


@dataclass(frozen=True, slots=True)
class FallbackDraft:
    """A sentence's fallback candidate before the event model has decided.

    The event model reads only ``type_features``, and most sentences stop
    there: the event (with the sentence's text) and the pair features are
    built by :meth:`candidate`, once, when it fires.
    """

    view: SentenceView
    predicate: Token
    source: tuple[Mentioned, Actor] | None
    target: tuple[Mentioned, Actor] | None
    negated: bool
    type_features: tuple[str, ...]

    def candidate(self, *, pairs: bool = True) -> Candidate:
        """The candidate, with its pair features unless ``pairs`` is False."""
        sentence, root = self.view.sentence, self.predicate
        source, target = self.source, self.target
        trigger = (root.idx - sentence.start_char, root.idx + len(root.text) - sentence.start_char)
        event = Event(
            id="",
            doc_id=self.view.doc_id,
            sentence_index=self.view.index,
            sentence=sentence.text.rstrip(),
            source=source[1] if source else Actor("", UNKNOWN),
            target=target[1] if target else None,
            cameo=UNKNOWN,
            goldstein=None,
            quad=None,
            plover=None,
            evidence=Evidence(trigger, source[0].span if source else None,
                              target[0].span if target else None),
            modality=Modality(negated=self.negated),
            rule=FALLBACK_RULE,
        )  # fmt: skip
        paired: tuple[str, ...] = ()
        if pairs:
            paired = (*pair_features(event, root, source[0] if source else None,
                                     target[0] if target else None, lexicon_pair=False),
                      "pair_fallback=1")  # fmt: skip
        return Candidate(event, self.type_features, paired, False, fallback=True)


def fallback_draft(view: SentenceView, *, need_source: bool = False) -> FallbackDraft | None:
    """The parts of :func:`fallback`'s candidate that the event model reads first
    (its predicate, parties and type features), or None for a sentence whose
    root is no predicate or which has no word.

    With ``need_source``, also None when no source is found: the sentence
    names no actor and its predicate has no noun subject (a pronoun is none),
    so the event would have no doer. The scorer skips those at coding time (the event model fired
    on none of them in the dev sets, docs/MODEL.md "Speed"); training still
    sees them, as the event model's examples.
    """
    sentence = view.sentence
    root = sentence.root
    if root.pos_ not in _PREDICATES or not any(t.is_alpha for t in sentence):
        return None
    subjects, objects = _roles(root)
    source = _party(subjects, view)
    named = [a for a in view.actors if source is None or a[0].head != source[0].head]
    if source is None and not named and need_source:
        return None  # before the target's search: nothing else reads it
    target = _party(objects, view, exclude=source)
    if source is None and named:
        source, named = named[0], named[1:]
    if target is None:
        target = next((a for a in named if source is None or a[1].code != source[1].code), None)
    negated = any(c.dep_ == "neg" for c in root.children)
    doc = sentence.doc
    source_token = doc[source[0].head] if source else None
    target_token = doc[target[0].head] if target else None
    typed = fallback_features(root, source_token, target_token, negated, sentence)
    bag = sentence_features(sentence)
    return FallbackDraft(view, root, source, target, negated, (*typed, *bag))


def _roles(predicate: Token) -> tuple[list[Token], list[Token]]:
    """The predicate's subject heads and object heads (through one open clause)."""
    subjects: list[Token] = []
    objects: list[Token] = []
    for child in predicate.children:
        if child.dep_ in _SUBJECTS:
            subjects.append(child)
        elif child.dep_ == "agent":
            subjects.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in _OBJECTS:
            objects.append(child)
        elif child.dep_ == "prep":
            objects.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in ("xcomp", "ccomp") and not objects:
            objects.extend(g for g in child.children if g.dep_ in _OBJECTS)
    return subjects, objects


def _party(
    heads: Sequence[Token], view: SentenceView, exclude: tuple[Mentioned, Actor] | None = None
) -> tuple[Mentioned, Actor] | None:
    """A named actor inside one of the phrases, else the first phrase's own words."""
    for head in heads:
        inside = range(head.left_edge.i, head.right_edge.i + 1)
        for found in view.actors:
            if found[0].head in inside and (exclude is None or found[0].head != exclude[0].head):
                return found
    for head in heads:
        phrases = _phrase(head, view.sentence, [m.span for m, _ in view.actors])
        if phrases and (exclude is None or phrases[0][0].head != exclude[0].head):
            return phrases[0]
    return None
