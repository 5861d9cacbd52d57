"""Coding one parsed sentence: triggers × arguments × clause reading → events."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from spacy.tokens import Doc, Span, Token

from dyadwatch.coder.arguments import UNKNOWN_SOURCE, ArgumentResolver, ResolvedActor
from dyadwatch.coder.coreference import AttackKnowledge
from dyadwatch.coder.knowledge import Knowledge
from dyadwatch.coder.modality import ClauseReading, read_clause
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.coder.triggers import TriggerHit
from dyadwatch.errors import OntologyError
from dyadwatch.model import Actor, Event, Evidence, Modality
from dyadwatch.nlp.syntax import (
    CLAUSE_BREAKS,
    after_window,
    direct_objects,
    is_infinitive,
    is_passive,
    passive_agents,
    passive_subjects,
    prep_objects,
    subjects,
)
from dyadwatch.nlp.text import span_text, tokens_text
from dyadwatch.yaml_nodes import compose_knowledge, knowledge_error, mapping_fields

__all__ = ["SentenceContext", "code_sentence", "load_sentence_words"]

_WORDS = "sentence.yaml"
"""English words the coder reads structure by, in ``coder/data`` beside the lexicon."""


def load_sentence_words(path: Path | None = None) -> dict[str, frozenset[str]]:
    """The word lists of ``data/sentence.yaml`` (or ``path``), by key; DW207 naming
    the file and the line when one is missing or is not a list of lower-case words."""
    if path is None:
        source = resources.files("dyadwatch.coder") / "data" / _WORDS
        text, origin = source.read_text(encoding="utf-8"), f"dyadwatch/coder/data/{_WORDS}"
    else:
        text, origin = path.read_text(encoding="utf-8"), str(path)
    root = compose_knowledge(text, origin, what="word list file")
    fields = mapping_fields(
        root, path=origin, key=lambda node: _word(node, origin, "key"), required=_WORD_LISTS
    )
    return {key: _word_list(fields[key], key, origin) for key in _WORD_LISTS}


def _word(node: yaml.Node, origin: str, what: str) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, str) or not value.strip() or value != value.lower():
        raise knowledge_error(origin, node, f"expected a lower-case word as {what}, not {value!r}")
    return value


def _word_list(node: yaml.Node, key: str, origin: str) -> frozenset[str]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise knowledge_error(origin, node, f"{key!r} must be a non-empty list")
    return frozenset(_word(item, origin, f"an entry of {key!r}") for item in node.value)


_WORD_LISTS = (
    "target_preps",
    "agent_preps",
    "instrument_preps",
    "ground_only",
    "cause_preps",
    "strike_preps",
    "firing",
    "locative_preps",
    "receiving",
    "receiving_from",
)
# Read once, at import: the lists are constants of the coder, as the code's own were.
_LISTS = load_sentence_words()
_TARGET_PREPS = _LISTS["target_preps"]
_AGENT_PREPS = _LISTS["agent_preps"]
_INSTRUMENT_PREPS = _LISTS["instrument_preps"]
_GROUND_ONLY = _LISTS["ground_only"]
_CAUSE_PREPS = _LISTS["cause_preps"]
"""Prepositions whose object can be the attack that caused a killing."""
_STRIKE_PREPS = _LISTS["strike_preps"]
_FIRING = _LISTS["firing"]
_LOCATIVE_PREPS = _LISTS["locative_preps"]
_RECEIVING = _LISTS["receiving"]
_RECEIVING_FROM = _LISTS["receiving_from"]
_GIVER_PREP = "from"
_LIGHT_VERB_DEPS = frozenset({"dobj", "pobj", "attr", "nsubjpass"})
_RECODING = frozenset({"intent", "threat", "refusal"})
_ASKING_ROOTS = frozenset({"02", "10"})
_SAYING_ROOTS = frozenset({"01"})
"""A statement is about the subject of what it reports ("said *Norway* was to blame")."""
_PURPOSE = frozenset({"advcl", "xcomp"})
"""Purpose clauses, where aid names whom it is for ("sent aid *to help Yemen*")."""
_VIOLENT_ROOTS = frozenset({"18", "19", "20"})
_PLAIN_FORCE = frozenset({"190", "193", "180", "1823"})
"""Codes an air weapon in the clause makes more precise (195)."""
_STRIKE_DOER_DEPS = frozenset({"nsubj", "agent"})
_AERIAL = "195"
_TAIL_DEPS = frozenset({"advcl", "acl", "conj", "xcomp"})
_NOT_WIELDED = frozenset({"pobj", "dobj", "nsubjpass", "attr"})
_RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06", "19"})
"""Events that coordinated subjects do to each other ("India and Pakistan held talks")."""
_PLACE_TARGET_ROOTS = frozenset({"17", "18", "19", "20"})
"""Coercion and violence *in* a country are done to it ("a strike in Pakistan")."""
_PLACE_RECIPIENT = ("07", "08", "033", "035")
"""Aid, peacekeeping and de-escalation *in* a country are for it ("aid in Yemen",
"a ceasefire in eastern Ukraine"), as its intent is (033x, 035x)."""
_PARTNER_PREPS = frozenset({"with"})
_PARTNER_ROOTS = frozenset({"04"})
"""Consulting *with* X names the partner, the object only the topic ("discussed
Libya with Turkey")."""
_UNKNOWN_CODE = "---"
_TOPIC_PREPS = frozenset({"on", "over", "about", "regarding", "concerning"})
"""Prepositions whose object is what a mutual event is about, not its other party."""
_COMMENT_ROOTS = frozenset({"01", "02", "09", "10", "11", "12", "14"})
"""Statements, appeals, inquiries, demands, disapproval, rejection and protest
speak of an act named as their object; they do not do it ("Iran *denied* the
attack", "Chile *protested* the arrest of ...")."""
_OBJECT_PREPS = _TARGET_PREPS | _AGENT_PREPS | {"of"}
"""Phrases of a verb's object that can hold its target ("the arrest *of* X")."""
_MAIN_PATH = frozenset(
    {"conj", "xcomp", "ccomp", "dobj", "nsubj", "nsubjpass", "attr", "parataxis", "acomp"}
)
"""Dependencies that keep a word on the sentence's main line of news."""
_NP_LINKS = frozenset({"compound", "poss", "amod", "nmod", "appos"})
_STRICT_BREAKS = CLAUSE_BREAKS - {"acl"}
"""The fallback target may sit in a reduced relative ("links leading into X")."""
_LOOSE_BREAKS = CLAUSE_BREAKS - {"acl", "ccomp"}
"""PETRARCH dictionaries take the first actor of the verb phrase, complements included."""


@dataclass(frozen=True, slots=True)
class SentenceContext:
    doc_id: str
    index: int
    sentence: Span
    attack_nearby: bool = False
    """A neighbouring sentence names an attack ("Third strike of the day."), which
    a counted toll here with no act of its own belongs to."""
    eventive: frozenset[int] = frozenset()
    """Document indexes of the sentence's words that can name an event (a
    lexicon word), which are never an unknown party ("held *meetings*")."""


@dataclass(frozen=True, slots=True)
class _Draft:
    """An event before it is finalised: which words, which code, which reading."""

    hit: TriggerHit
    code: str
    source: ResolvedActor
    target: ResolvedActor | None
    reading: ClauseReading


def code_sentence(
    context: SentenceContext,
    hits: Sequence[TriggerHit],
    resolver: ArgumentResolver,
    knowledge: Knowledge,
) -> list[Event]:
    """Events of one sentence, de-duplicated, in trigger order."""
    if knowledge.recode_intent:
        hits = [*hits, *_obligations(context.sentence, hits, knowledge)]
    readings = [(hit, read_clause(hit.token, knowledge.clauses)) for hit in hits]
    violent = {h.token.i for h in hits if h.rule.code[:2] in _VIOLENT_ROOTS}
    commenting = {h.token.i for h in hits if _comments(h.rule)}
    causes = _Causes(
        {h.token.i for h in hits},
        knowledge,
        frozenset(violent),
        context.attack_nearby,
        context.eventive,
        frozenset(commenting),
    )
    requests = _requested_codes(readings, knowledge) if knowledge.recode_intent else {}
    drafts: list[_Draft] = []
    for hit, clause in readings:
        coded = _code_for(hit, clause, knowledge)
        if coded is None:
            continue
        code, reading = coded
        code = requests.get(hit.token.i, code)
        if knowledge.recode_intent and reading.deontic and reading.reporter is not None:
            drafts.extend(_demands(hit, code, reading, resolver, knowledge))
        else:
            drafts.extend(_drafts(hit, code, reading, resolver, causes))
    silenced = _silenced(drafts) if knowledge.recode_intent else set()
    kept = [d for d in drafts if d.hit.token.i not in silenced]
    return _finalise(context, _dedupe(kept), knowledge)


def _obligations(
    sentence: Span, hits: Sequence[TriggerHit], knowledge: Knowledge
) -> list[TriggerHit]:
    """ "Britain said Libya must ...": a reported obligation is a demand, whatever the verb."""
    clauses = knowledge.clauses
    taken = {hit.token.i for hit in hits if not hit.rule.is_null}  # "must stop": no rule matched
    found: list[TriggerHit] = []
    for token in sentence:
        if token.i in taken or token.pos_ != "VERB" or token.dep_ != "ccomp":
            continue
        auxes = {c.lower_ for c in token.children if c.dep_ == "aux"}
        if auxes & clauses.deontic_aux and token.head.lemma_ in clauses.communication:
            found.append(TriggerHit(token, TriggerRule(token.lemma_, "100", origin="obligation")))
    return found


_DETENTION_ROOTS = frozenset({"17"})
"""Coercion told as a noun anywhere in the sentence happened: "after *the arrests*
of these men", "several preventive *arrests* had been made"."""


def _comments(rule: TriggerRule) -> bool:
    """A verb that speaks of an act ("condemned", "denied"), not one whose rule names
    the act as part of its phrase ("launched *a strike*": the verb carries it)."""
    words_after = any(slot.kind == "words" for slot in rule.after)
    return rule.code[:2] in _COMMENT_ROOTS and not words_after


def _reported_detention(token: Token, code: str) -> bool:
    """A coercion noun in a side position, but not one modifying another noun
    ("*arrest* warrants", "*arrest* orders": what is ordered, not done)."""
    modifier = token.dep_ == "compound" or (token.dep_ == "conj" and token.head.dep_ == "compound")
    return code[:2] in _DETENTION_ROOTS and not modifier


def _is_main(token: Token) -> bool:
    """Whether the trigger heads its sentence's news rather than a side mention."""
    current = token
    while current.head.i != current.i:
        if current.dep_ not in _MAIN_PATH:
            return False
        current = current.head
    return True


def _silenced(drafts: Sequence[_Draft]) -> set[int]:
    """Trigger words whose own event is carried by another event.

    A control verb ("agreed" to meet) is carried by its recoded complement, and
    a bare statement ("announced" that ...) by the event it reports.
    """
    silenced: set[int] = set()
    for draft in drafts:
        reading = draft.reading
        if reading.controller is not None and reading.control in _RECODING:
            silenced.add(reading.controller.i)
        if reading.reporter is not None:
            silenced.update(
                d.hit.token.i
                for d in drafts
                if d.hit.token.i == reading.reporter.i and d.code.startswith("01")
            )
    return silenced


def _requested_codes(
    readings: Sequence[tuple[TriggerHit, ClauseReading]], knowledge: Knowledge
) -> dict[int, str]:
    """Refine appeals and demands by what they ask for: "urged India to release" → 0253."""
    codes = {hit.token.i: hit.rule.code for hit, _ in readings}
    refined: dict[int, str] = {}
    for hit, reading in readings:
        controller = reading.controller
        if reading.control != "request" or controller is None or hit.rule.is_null:
            continue
        family = _request_family(codes.get(controller.i))
        if family is None:
            continue
        found = knowledge.clauses.recode(family, _normalised(hit.rule.code, knowledge) or "")
        if found:
            refined[controller.i] = found
    return refined


def _request_family(code: str | None) -> Literal["appeal", "demand"] | None:
    if code is None:
        return None
    return "appeal" if code.startswith("02") else "demand" if code.startswith("10") else None


def _normalised(code: str, knowledge: Knowledge) -> str | None:
    try:
        return knowledge.cameo.normalise(code)
    except OntologyError:
        return None


def _demands(
    hit: TriggerHit,
    code: str,
    reading: ClauseReading,
    resolver: ArgumentResolver,
    knowledge: Knowledge,
) -> Iterator[_Draft]:
    """ "Britain said Libya must hand over the suspects": GBR demands of LBY."""
    assert reading.reporter is not None
    demanded = knowledge.clauses.recode("demand", code) or "100"
    speakers = _resolve_role(None, _source_heads(reading.reporter), resolver)
    addressees = _resolve_role(None, _source_heads(hit.token), resolver)
    factual = replace(reading, hypothetical=False, reported=False, deontic=False)
    for speaker in speakers:
        for addressee in addressees:
            if addressee.actor.code != speaker.actor.code:
                yield _Draft(hit, demanded, speaker, addressee, factual)


def _code_for(
    hit: TriggerHit, reading: ClauseReading, knowledge: Knowledge
) -> tuple[str, ClauseReading] | None:
    """The event code of a hit in its clause, with the reading it is coded under."""
    if hit.rule.is_null:
        return None
    if reading.control == "request" and knowledge.recode_intent:
        if not _commanded_force(hit, reading, knowledge):
            return None
        reading = replace(reading, control=None, controller=None)
    if not knowledge.recode_intent:
        # A user's dictionary is its own coding scheme: keep its code verbatim.
        return hit.rule.code, reading
    code = _normalised(hit.rule.code, knowledge)
    if code is None:
        return None
    clauses = knowledge.clauses
    intended = reading.control in ("intent", "threat") or (
        reading.future and reading.control is None
    )
    # Saying what one will, would or threatens to do happens now: the recoded
    # event is factual unless a condition hangs on it.
    stated = replace(reading, hypothetical=reading.conditional)
    if intended and reading.ultimatum:
        return "139", stated
    if intended and reading.negated and reading.control != "threat":
        # "will not attend the talks" is a refusal that did happen.
        return clauses.recode("refusal", code) or code, replace(stated, negated=False)
    if intended:
        return clauses.recode("intent", code) or code, stated
    attacks = knowledge.attacks
    if code in _PLAIN_FORCE and _air_weapon_near(hit.token, clauses.air_weapons, attacks):
        return "195", reading
    if reading.control == "refusal":
        # "refused to meet" is a refusal (12x) that happened; an act with no
        # refusal code ("failed to arrest", "stopped firing") did not happen.
        refused = clauses.recode("refusal", code)
        return (refused, reading) if refused else (code, replace(reading, negated=True))
    return code, reading


def _commanded_force(hit: TriggerHit, reading: ClauseReading, knowledge: Knowledge) -> bool:
    """ "the SP ordered firing at the mob": force ordered (see ``commands`` in
    clauses.yaml) happened, unless the order itself is unreal ("would order").
    An order named as a noun ("under orders to shoot") tells no act."""
    controller = reading.controller
    return (
        controller is not None
        and controller.pos_ == "VERB"
        and controller.lemma_ in knowledge.clauses.commands
        and hit.rule.code[:2] in _VIOLENT_ROOTS
        and not reading.hypothetical
        and not reading.future
    )


@dataclass(frozen=True, slots=True)
class _Causes:
    """Event nouns of the sentence, which can name who caused another event."""

    triggers: set[int]
    knowledge: Knowledge
    violent: frozenset[int] = frozenset()
    """Trigger words of violence (CAMEO 18-20) in the sentence."""
    antecedent: bool = False
    """A neighbouring sentence names the attack this sentence's toll belongs to."""

    eventive: frozenset[int] = frozenset()
    """Words of the sentence that can name an event (the lexicon has them)."""
    commenting: frozenset[int] = frozenset()
    """Trigger words that say something about an event rather than do it
    ("condemned", "denied", "protested"): their subject is not its doer."""

    @property
    def events(self) -> frozenset[int]:
        """Words naming events: an event noun is no party ("ordered *an inquiry*")."""
        return self.eventive | self.triggers

    def patient_subject(self, token: Token) -> bool:
        """ "97 *died*": the subject suffered the event rather than doing it."""
        return token.pos_ == "VERB" and token.lemma_ in self.knowledge.clauses.unaccusative

    def sources(self, token: Token) -> list[Token]:
        """Doers of the event noun that caused ``token``: "killed in *police* firing",
        also when the cause is told of a counted part of the dead ("40 died,
        including 12 in *police* firing", "12 of them in *police* firing")."""
        found = self._cause_doers(token)
        for part in _counted_parts(token):
            found.extend(self._cause_doers(part))
        return found

    def forces(self, token: Token) -> list[Token]:
        """Modifiers of a cause noun the lexicon does not know ("killed in *police*
        action", "died in *police* custody", a misspelt "firing"): only an armed
        force among them is taken for the doer (see :func:`_force_doers`)."""
        preps = self.knowledge.clauses.cause_preps
        found: list[Token] = []
        for head in (token, *_counted_parts(token)):
            for prep, noun in prep_objects(head):
                if prep in preps and noun.i not in self.triggers:
                    found.extend(c for c in noun.children if c.dep_ == "compound")
        return found

    def _cause_doers(self, token: Token) -> list[Token]:
        preps = self.knowledge.clauses.cause_preps
        if _part_clause(token):
            preps = preps | _PART_CLAUSE_PREPS  # "of whom 12 were *to* police firing"
        found: list[Token] = []
        for prep, noun in prep_objects(token):
            if prep not in preps:
                continue
            if noun.i in self.triggers:
                found.extend(_nominal_sources(noun, self.commenting))
            elif any(c.dep_ == "acl" and c.i in self.triggers for c in noun.children):
                found.append(noun)  # "police firing" parsed as police <-acl- firing
            elif _names_next_event(noun, self.triggers):
                found.append(noun)  # ... or with "firing" hung on the verb
        return found


_PART_PREPS = frozenset({"including"})
_PART_DEPS = frozenset({"npadvmod", "appos"})
_PART_CLAUSES = frozenset({"advcl", "relcl"})
_PART_CLAUSE_PREPS = frozenset({"to"})


def _counted_parts(token: Token) -> list[Token]:
    """Counted parts of the dead hanging on ``token``, its subject or its phrases:
    "including *12*", "*12* of them" (where the parser hangs them varies)."""
    heads = [token, *(c for c in token.children if c.dep_ in ("nsubj", "nsubjpass"))]
    heads.extend(o for _, o in prep_objects(token))
    parts: list[Token] = []
    for head in heads:
        # "including" is tagged a verb, which prep_objects passes over.
        preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in _PART_PREPS]
        parts.extend(o for p in preps for o in p.children if o.dep_ == "pobj" and _counted(o))
        parts.extend(c for c in head.children if c.dep_ in _PART_DEPS and _counted(c))
    # "..., of whom 12 were in police firing", "out of which 100 were due to ...".
    parts.extend(c for c in token.children if _part_clause(c))
    return parts


def _part_clause(token: Token) -> bool:
    """A clause on the death verb whose subject is a counted part and whose verb is
    a bare "be": "(out of which) *100 were* to police firing"."""
    return (
        token.dep_ in _PART_CLAUSES
        and token.lemma_ == "be"
        and any(c.dep_ == "nsubj" and _counted(c) for c in token.children)
    )


def _counted(token: Token) -> bool:
    return token.tag_ == "CD" or any(c.dep_ == "nummod" for c in token.children)


_FORCE_SECTORS = frozenset({"COP", "MIL"})
"""Sectors whose name on a cause noun makes them the doer ("police action")."""


def _force_doers(found: Sequence[ResolvedActor]) -> list[ResolvedActor]:
    # An actor's sector is a part of its code (arguments.split_code), so the
    # code alone tells an armed force.
    return [r for r in found if _armed(r.actor.code)]


def _armed(code: str) -> bool:
    return any(code[i : i + 3] in _FORCE_SECTORS for i in range(0, len(code) - 2, 3))


def _names_next_event(noun: Token, triggers: set[int]) -> bool:
    """ "died in *police* firing" where the parser hangs "firing" elsewhere: a noun
    right before an event word ending its phrase modifies that event."""
    following = noun.i + 1
    if following >= len(noun.doc) or following not in triggers:
        return False
    event = noun.doc[following]
    return event.tag_ in ("VBG", "NN", "NNS") and not any(c.i > noun.i for c in noun.children)


def _drafts(
    hit: TriggerHit,
    code: str,
    reading: ClauseReading,
    resolver: ArgumentResolver,
    causes: _Causes,
) -> Iterator[_Draft]:
    """One draft per (source, target) pair the trigger's roles give."""
    attacks = causes.knowledge.attacks
    headline = _headline_passive(hit.token, attacks)
    patient = causes.patient_subject(hit.token) or headline
    sources = _sources(hit, code, resolver, causes, patient=patient, headline=headline)
    if sources is None:
        return
    targets = _targets(hit, code, resolver, causes, sources, patient=patient)
    symmetric = not causes.knowledge.recode_intent or code[:2] in _RECIPROCAL_ROOTS
    # "India and Pakistan agreed to a cease-fire", "... agreed to share information
    # *on* Korea": the members deal with each other, whatever unknown thing or
    # topic the clause also names.
    named = [t for t in targets if t.actor.code != _UNKNOWN_CODE]
    if causes.knowledge.recode_intent:
        named = [t for t in named if _partner_slot(hit.token, t)]
    # Only subjects of an active verb act on each other: the agents of a passive
    # or of its cause ("killed in firing by the police and the army") are co-doers.
    # Conjoined modifiers of an event noun ("Indian and Pakistani shelling") are
    # co-doers too; "India-Pakistan talks" names both sides.
    acting = not patient and not _passive(hit.token)
    if hit.token.pos_ in ("NOUN", "PROPN"):
        acting = acting and len(_apart(sources, sources, hit.token.doc)) == len(sources)
    reciprocal = not named and len(sources) > 1 and symmetric and acting
    if not reciprocal:
        # "killed by the police, army and paramilitary forces": conjoined doers act
        # together; none is the others' target.
        targets = _apart(targets, sources, hit.token.doc)
    for source in sources:
        pool = sources if reciprocal else targets
        # Two unknown parties ("---") are told apart by their words.
        matching = [t for t in pool if _party_key(t) != _party_key(source)]
        if not matching:
            yield _Draft(hit, code, source, None, reading)
        for target in matching:
            yield _Draft(hit, code, source, target, reading)
            reverse = hit.rule.reverse_code
            # An unknown thing met ("attended *the summit*") does nothing back.
            known = target.actor.code != _UNKNOWN_CODE
            if reverse and known and _as_written(hit, code, causes.knowledge):
                yield _Draft(hit, reverse, target, source, reading)


def _apart(
    targets: Sequence[ResolvedActor], sources: Sequence[ResolvedActor], doc: Doc
) -> list[ResolvedActor]:
    """The targets not coordinated with a source (co-doers are no pair): "by the
    police *and the army*", "by Indian *and Pakistani* shelling"."""
    together = {c.i for s in sources for w in _phrase_chain(s, doc) for c in w.conjuncts} | {
        w.i for s in sources for w in _phrase_chain(s, doc) if w.conjuncts
    }
    return [t for t in targets if not together.intersection(w.i for w in _phrase_chain(t, doc))]


def _phrase_chain(resolved: ResolvedActor, doc: Doc) -> list[Token]:
    """The words from the one that named ``resolved`` up to its noun phrase's head."""
    if resolved.start < 0 or resolved.via_memory:
        return []
    word = doc[resolved.end - 1]
    chain = [word]
    while word.dep_ in _NP_LINKS and word.head.i != word.i:
        word = word.head
        chain.append(word)
    return chain


def _partner_slot(token: Token, target: ResolvedActor) -> bool:
    """Whether a target is a party the trigger's own phrase reaches, not a topic
    ("share information *on* North Korea", "fought *over* Kashmir") nor an actor
    named outside it."""
    if target.via_memory:
        return True  # a pronoun stands where the syntax put it ("destroyed *them*")
    if target.start < 0:
        return False
    word = token.doc[target.end - 1]
    while word.i != token.i:
        if word.dep_ == "prep" and word.lower_ in _TOPIC_PREPS:
            return False
        if word.head.i == word.i:
            return False  # not under the trigger at all
        word = word.head
    return True


def _sources(
    hit: TriggerHit,
    code: str,
    resolver: ArgumentResolver,
    causes: _Causes,
    *,
    patient: bool,
    headline: bool,
) -> list[ResolvedActor] | None:
    """Who did it; None when the trigger is no event without a doer ("died").
    ``headline``: the trigger is a headline's passive (:func:`_headline_passive`)."""
    token = hit.token
    # "were reported killed *by X*": a suffering subject leaves only an agent to act.
    heads = passive_agents(token) if patient else _source_heads(token, causes.commenting)
    if token.pos_ in ("NOUN", "PROPN"):
        # "the Kabul attack": a city naming the event is where it happened; a city
        # in a phrase ("praise *from Washington*") speaks for its government.
        heads = [h for h in heads if h.dep_ == "pobj" or not resolver.is_city(h)]
    sources = _resolve_role(hit.source, heads, resolver)
    if not sources and (patient or _passive(token)):
        sources = _resolve_role(None, causes.sources(token), resolver)
    if not sources and (patient or is_passive(token)) and code[:2] in _VIOLENT_ROOTS:
        sources = _force_doers(_resolve_role(None, causes.forces(token), resolver))
    if sources:
        return sources
    if headline and code[:2] in causes.knowledge.sourceless_roots:
        return [UNKNOWN_SOURCE]  # "Three people killed in a car": done by someone unnamed
    if patient:
        # "Eight people died when missiles hit the house": a counted toll beside an
        # act of violence is that violence's toll; "died of cholera" is not.
        violence_nearby = bool(causes.violent - {token.i}) or causes.antecedent
        violence_nearby = violence_nearby or code == _AERIAL  # "died when missiles hit"
        return [UNKNOWN_SOURCE] if violence_nearby and _counted_deaths(token) else None
    if not causes.knowledge.recode_intent:
        return []  # a PETRARCH dictionary codes only the actors it knows
    named = _named_unknown(heads[0]) if heads else None
    if named is not None:
        return [named]
    unnamed_ok = token.pos_ == "VERB" or _is_main(token) or _reported_detention(token, code)
    if unnamed_ok and code[:2] in causes.knowledge.sourceless_roots:
        return [UNKNOWN_SOURCE]
    return []


def _targets(
    hit: TriggerHit,
    code: str,
    resolver: ArgumentResolver,
    causes: _Causes,
    sources: Sequence[ResolvedActor],
    *,
    patient: bool,
) -> list[ResolvedActor]:
    """Whom it was done to: syntax first, then the clause's later actors."""
    token = hit.token
    taken = frozenset(s.actor.country for s in sources if s.actor.country)
    loose = not causes.knowledge.recode_intent
    places_are_parties = (
        loose or code[:2] in _PLACE_TARGET_ROOTS or code.startswith(_PLACE_RECIPIENT)
    )
    heads = subjects(token) if patient else _target_heads(token, causes.commenting)
    if not loose and code[:2] in _PARTNER_ROOTS:
        heads = sorted(heads, key=lambda h: not _partner(h))
    if not places_are_parties:
        # "met in Islamabad", "signed in Tehran": a place, not a party.
        heads = [h for h in heads if not _locative(h, resolver)]
    # The victims of violence ("five soldiers died in a Taliban attack") are no
    # doer's own forces.
    victims = patient or (code[:2] in _VIOLENT_ROOTS and _passive(token))
    targets = _resolve_role(hit.target, heads, resolver, frozenset() if victims else taken)
    about = code[:2] in _ASKING_ROOTS or (not loose and code[:2] in _SAYING_ROOTS)
    asked: list[Token] = []
    if not targets and about:
        # "demanded that the Turkish government provide ...": asked of the clause's
        # subject; "said the Taliban were responsible": a statement about it.
        asked = [s for c in token.children if c.dep_ == "ccomp" for s in subjects(c)]
        targets = _resolve_role(None, asked, resolver, taken)
    if targets:
        return targets
    breaks = _LOOSE_BREAKS if loose else _STRICT_BREAKS
    if not loose and code.startswith(_PLACE_RECIPIENT):
        breaks = breaks - _PURPOSE  # "gave $5 million to help people in Yemen"
    later = _actor_heads_after(token, resolver, breaks)
    if not loose:
        # "a drone strike by the United States killed three": the agent did it.
        doers = {h.i for h in _source_heads(token, causes.commenting)}
        later = [h for h in later if h.i not in doers]
    if not places_are_parties:
        later = [h for h in later if not _locative(h, resolver)]
    guessed = _resolve_role(None, later, resolver, taken)
    if loose:
        return guessed
    # A guessed target from the sources' own country is usually their own people.
    guessed = [t for t in guessed if t.actor.country not in taken]
    if guessed or hit.target is not None:
        return guessed
    # "jailed a former banker", "demanded that Dbeibeh appear": the syntax names
    # whom, though no dictionary does.
    unnamed = (resolver.unnamed(h, causes.events) for h in [*heads, *asked])
    return next(([u] for u in unnamed if u is not None), [])


def _resolve_role(
    bound: Token | None,
    heads: Sequence[Token],
    resolver: ArgumentResolver,
    exclude: frozenset[str] = frozenset(),
) -> list[ResolvedActor]:
    if bound is not None:
        return resolver.resolve(bound, exclude)
    for head in heads:
        found = resolver.resolve(head, exclude)
        if found:
            return found
    return []


def _passive(verb: Token) -> bool:
    """Passive voice, also without an auxiliary when a "by" agent says who acted
    ("had his house *pounded by* missiles")."""
    if is_passive(verb):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children)


def _source_heads(token: Token, commenting: frozenset[int] = frozenset()) -> list[Token]:
    if token.pos_ in ("NOUN", "PROPN"):
        return _nominal_sources(token, commenting)
    if _passive(token):
        return passive_agents(token)
    return subjects(token)


def _nominal_sources(noun: Token, commenting: frozenset[int] = frozenset()) -> list[Token]:
    """ "China's investment", "a U.S. drone strike", "India launched strikes".

    The noun's own doer ("a strike *by* X", "*X's* strike") comes before its
    modifiers, which may only say how it was done ("a *drone* strike"); the
    subject of the verb that carries it comes last, and never from a verb
    that speaks of the act ("Iran *denied* the attack").
    """
    modifiers = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    by = [o for p, o in prep_objects(noun) if p in _AGENT_PREPS]
    own = [c for c in modifiers if c.dep_ == "poss"] + by
    own.extend(c for c in modifiers if c.dep_ != "poss")
    verb = noun.head
    if _received(noun):
        own.extend(_givers(noun))
    elif _carried_by(noun, commenting):
        own.extend(passive_agents(verb) if _passive(verb) else subjects(verb))
    return own


def _received(noun: Token) -> bool:
    """Whether the verb's subject receives the act the noun names ("*drew
    criticism* from X", "*received aid* from X"): then the "from" phrase did it.
    Some verbs receive only from a giver named ("*secured a loan from* X", not
    "secured a deal with X")."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ != "VERB" or _passive(verb):
        return False
    lemma = verb.lemma_.lower()
    return lemma in _RECEIVING or (lemma in _RECEIVING_FROM and bool(_givers(noun)))


def _givers(noun: Token) -> list[Token]:
    """The "from" phrase of a received act, on the noun or on its verb."""
    return [o for head in (noun, noun.head) for p, o in prep_objects(head) if p == _GIVER_PREP]


def _carried_by(noun: Token, commenting: frozenset[int]) -> bool:
    """Whether the noun is the act of the verb it hangs on ("launched *strikes*")."""
    verb = noun.head
    return noun.dep_ in _LIGHT_VERB_DEPS and verb.pos_ == "VERB" and verb.i not in commenting


def _target_heads(token: Token, commenting: frozenset[int] = frozenset()) -> list[Token]:
    if token.pos_ in ("NOUN", "PROPN"):
        if _received(token):
            # "Israel's raid drew condemnation from Egypt": the raid's doer receives it;
            # "from" names the giver, not a target.
            preps = _TARGET_PREPS - {_GIVER_PREP}
            return [o for p, o in prep_objects(token) if p in preps] + subjects(token.head)
        heads = [o for p, o in prep_objects(token) if p in _TARGET_PREPS]
        if token.dep_ == "dobj" and _carried_by(token, commenting):
            # "launched strikes *on X*": the parser hangs the noun's target on the
            # verb that carries it.
            heads.extend(o for p, o in prep_objects(token.head) if p in _TARGET_PREPS)
        return heads
    if _passive(token):
        # Without an auxiliary the parser calls the patient a plain subject.
        return passive_subjects(token) or [c for c in token.children if c.dep_ == "nsubj"]
    heads = list(direct_objects(token))
    if not heads:
        # "allowed *the Red Cross* to deliver food": the parser makes the object
        # the subject of the infinitive; it is still whom the verb acts on.
        heads.extend(_raised_objects(token))
    for obj in list(heads):
        # "condemned an attack by X": the object's agent is who is condemned;
        # "ordered the arrest *of X*", "seized control *of X*": what the object
        # is of is what the act reaches (tried after the object itself).
        heads.extend(o for p, o in prep_objects(obj) if p in _OBJECT_PREPS)
    heads.extend(o for p, o in prep_objects(token) if p in _TARGET_PREPS)
    return heads


def _raised_objects(verb: Token) -> list[Token]:
    """Subjects of the verb's infinitival complements ("allow *X* to land")."""
    return [
        s
        for c in verb.children
        if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i and is_infinitive(c)
        for s in c.children
        if s.dep_ == "nsubj" and verb.i < s.i < c.i
    ]


def _air_weapon_near(token: Token, weapons: frozenset[str], attacks: AttackKnowledge) -> bool:
    """ "A US drone fired missiles at a house, killing five": aerial force.

    The weapon must be the doer's: the clause's subject, its instrument
    ("with", "by", "from") or what it fired, never its target ("shot down
    two jets", "intercepted a missile"); or the cause of the event ("killed
    in a drone strike", "killed when two missiles hit a house"). A strike
    heading the doer or cause phrase is aerial by itself ("a failed strike
    destroyed the house and killed 8").
    """
    clause = token.head if token.dep_ in ("advcl", "conj", "xcomp") else token
    phrases = [
        found
        for head in {clause, token}
        for child in head.children
        for found in _doer_phrases(child, head, attacks)
    ]
    words = {t.lower_ for phrase, _ in phrases for t in phrase.subtree}
    # A strike is the attack itself only as doer or "in"/"by" cause: "killed
    # during a strike" may be a labour strike.
    strike = any(own and _phrase_head(p).lower_ in attacks.aerial_nouns for p, own in phrases)
    if strike or (words & weapons and not words & _GROUND_ONLY):
        return True
    return _tail_of_air_attack(token, weapons)


def _tail_of_air_attack(token: Token, weapons: frozenset[str]) -> bool:
    """ "A US drone fired missiles at a house, killing 5": the participle tail
    of an attack whose weapon the small parser hangs elsewhere in the clause.

    The weapon must stand as a doer or what was fired, not as a place or target.
    """
    if token.tag_ != "VBG" or token.dep_ not in _TAIL_DEPS:
        return False
    own = {t.i for t in token.subtree}
    for word in token.head.subtree:
        if word.i in own or word.lower_ not in weapons:
            continue
        fired = word.dep_ == "dobj" and word.head.lemma_ in _FIRING
        if fired or word.dep_ not in _NOT_WIELDED:
            return True
    return False


def _doer_phrases(
    child: Token, head: Token, attacks: AttackKnowledge
) -> Iterator[tuple[Token, bool]]:
    """What wields the force of ``head`` (doers, instruments, causes), each
    flagged when a strike heading it would be the attack itself."""
    if _wields(child, head):
        yield child, child.dep_ in _STRIKE_DOER_DEPS or child.lower_ in _STRIKE_PREPS
    elif child.dep_ == "prep" and child.lower_ in _CAUSE_PREPS:
        own = child.lower_ in _STRIKE_PREPS
        yield from ((c, own) for c in child.children if c.dep_ == "pobj")
    elif child.dep_ == "advcl" and _caused_by(child, attacks):
        yield from ((c, c.dep_ == "nsubj") for c in child.children if _wields(c, child))


def _caused_by(clause: Token, attacks: AttackKnowledge) -> bool:
    """ "killed *when* two missiles hit a house": the clause tells the cause."""
    return any(
        c.dep_ in ("mark", "advmod") and c.lower_ in attacks.cause_marks for c in clause.children
    )


def _phrase_head(phrase: Token) -> Token:
    """The noun a doer phrase names: a preposition's object ("by a strike")."""
    if phrase.dep_ in ("prep", "agent"):
        return next((c for c in phrase.children if c.dep_ == "pobj"), phrase)
    return phrase


def _wields(child: Token, head: Token) -> bool:
    if child.dep_ in ("nsubj", "nsubjpass", "agent", "compound", "amod"):
        return True
    if child.dep_ == "prep" and child.lower_ in _INSTRUMENT_PREPS:
        return True
    return child.dep_ == "dobj" and head.lemma_ in _FIRING


def _headline_passive(verb: Token, attacks: AttackKnowledge) -> bool:
    """ "Three people killed in a car", "a commander killed in a strike", "two men
    were reported killed": a casualty verb with no auxiliary and no object whose
    subject is a count, or that names the attack it died in, is passive; so is
    one raised by a passive verb. The subject suffered it."""
    if verb.pos_ != "VERB" or verb.lemma_ not in attacks.casualty_verbs:
        return False
    if _raised_passive(verb):
        return True
    if verb.tag_ not in ("VBD", "VBN") or _passive(verb):
        return False
    if any(c.dep_ in ("aux", "dobj", "agent") for c in verb.children):
        return False
    return _counted_deaths(verb) or _died_in_attack(verb, attacks)


def _raised_passive(verb: Token) -> bool:
    """ "were reported *killed*", "are feared *dead*": a participle completing a
    passive verb, with no auxiliary of its own, is said of that verb's subject."""
    if verb.dep_ != "xcomp" or verb.tag_ != "VBN" or not _passive(verb.head):
        return False
    return not any(c.dep_ in ("aux", "auxpass", "dobj", "nsubj") for c in verb.children)


def _died_in_attack(verb: Token, attacks: AttackKnowledge) -> bool:
    """ "killed *in a strike* on Issori": an attack named as the cause."""
    nouns = attacks.aerial_nouns | attacks.attack_nouns
    return any(
        noun.lemma_.lower() in nouns or noun.lower_ in nouns
        for prep, noun in prep_objects(verb)
        if prep in _CAUSE_PREPS
    )


def _counted_deaths(verb: Token) -> bool:
    if any(c.dep_ == "prep" and c.lower_ in ("of", "from") for c in verb.children):
        return False
    for subject in subjects(verb):
        if subject.pos_ == "NUM" or any(c.dep_ == "nummod" for c in subject.children):
            return True
    return False


def _as_written(hit: TriggerHit, code: str, knowledge: Knowledge) -> bool:
    """Whether the rule's own code stands (not recoded as an intent, threat or refusal).

    A paired event ("met" → 042/043) is mutual only as it happened: an offer
    to meet is one side's.
    """
    return not knowledge.recode_intent or code == _normalised(hit.rule.code, knowledge)


def _named_unknown(head: Token) -> ResolvedActor | None:
    """A named doer the dictionaries do not know ("Senator Stabenow", "the GAO").

    It is kept with the unknown code ``---`` and its words, so the event is not
    lost; analyses by country leave it out.
    """
    if head.pos_ != "PROPN" or head.dep_ not in ("nsubj", "nsubjpass", "pobj"):
        return None
    names = [t.i for t in head.children if t.i < head.i and t.dep_ in ("compound", "flat")]
    start, end = min([head.i, *names]), head.i + 1
    text = tokens_text(head.doc, start, end)
    return ResolvedActor(Actor(text, "---", None, None, None), start, end)


def _partner(head: Token) -> bool:
    """ "talked *with Turkey*": the object of a partner preposition."""
    return head.dep_ == "pobj" and head.head.lower_ in _PARTNER_PREPS


def _locative(head: Token, resolver: ArgumentResolver) -> bool:
    """ "in Islamabad": a place named by a locative preposition."""
    return head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE_PREPS and resolver.is_place(head)


def _actor_heads_after(
    token: Token, resolver: ArgumentResolver, breaks: frozenset[str]
) -> list[Token]:
    """Noun-phrase heads of actors named later in the trigger's clause.

    The fallback when syntax names no target: "appealed for peace in Ithilen",
    "welcomed the resumption of ties with Osgiliath".
    """
    heads: list[Token] = []
    for word in after_window(token, breaks):
        if resolver.has_actor(word):
            head = word
            while head.dep_ in _NP_LINKS and head.head.i != head.i:
                head = head.head
            if all(h.i != head.i for h in heads):
                heads.append(head)
    return heads


def _dedupe(drafts: Sequence[_Draft]) -> list[_Draft]:
    """One event per (source, target, code root) in a sentence: the most specific rule."""
    best: dict[tuple[str | None, str | None, str], _Draft] = {}
    for draft in drafts:
        key = (_party_key(draft.source), _party_key(draft.target), draft.code[:2])
        current = best.get(key)
        if current is None or draft.hit.rule.specificity > current.hit.rule.specificity:
            best[key] = draft
    # A source's event with a named target outranks the same kind of event with
    # none, or with an unknown one ("issued a declaration demanding that Turkey ...").
    with_target = {(k[0], k[2]) for k, d in best.items() if k[1] is not None}
    with_named = {(k[0], k[2]) for k, d in best.items() if _named_target(d)}
    return [
        d
        for k, d in best.items()
        if _named_target(d)
        or (
            (k[0], k[2]) not in with_named and (k[1] is not None or (k[0], k[2]) not in with_target)
        )
    ]


def _named_target(draft: _Draft) -> bool:
    return draft.target is not None and draft.target.actor.code != _UNKNOWN_CODE


def _party_key(party: ResolvedActor | None) -> str | None:
    """An actor's code; an unknown party (``---``) is told apart by its words."""
    if party is None:
        return None
    code = party.actor.code
    return f"{code}@{party.start}" if code == _UNKNOWN_CODE and party.start >= 0 else code


def _finalise(
    context: SentenceContext, drafts: Sequence[_Draft], knowledge: Knowledge
) -> list[Event]:
    text = span_text(context.sentence).rstrip() if drafts else ""
    events = [_event(context, text, d, knowledge) for d in drafts]
    return sorted(events, key=lambda e: (e.evidence.trigger, e.source.code))


def _event(context: SentenceContext, text: str, draft: _Draft, knowledge: Knowledge) -> Event:
    sentence = context.sentence
    base = sentence.start_char
    token = draft.hit.token
    trigger = (token.idx - base, token.idx + len(token.text) - base)
    target = draft.target
    reading = draft.reading
    modality = Modality(reading.negated, reading.hypothetical, reading.reported)
    return Event(
        id=_event_id(context, trigger, draft),
        doc_id=context.doc_id,
        sentence_index=context.index,
        sentence=text,
        source=draft.source.actor,
        target=target.actor if target else None,
        cameo=draft.code,
        **_scores(draft.code, knowledge),
        evidence=Evidence(
            trigger,
            _char_span(sentence, draft.source),
            _char_span(sentence, target) if target else None,
        ),
        modality=modality,
        confidence=_confidence(draft),
        rule=draft.hit.rule.origin or None,
    )


def _scores(code: str, knowledge: Knowledge) -> dict[str, Any]:
    """Goldstein, QuadClass and PLOVER of ``code``; None where it is not CAMEO."""
    try:
        known = knowledge.cameo.normalise(code)
    except OntologyError:
        return {"goldstein": None, "quad": None, "plover": None}
    return {
        "goldstein": knowledge.cameo.goldstein(known),
        "quad": knowledge.cameo.quad(known),
        "plover": knowledge.plover.map(known),
    }


def _char_span(sentence: Span, resolved: ResolvedActor) -> tuple[int, int] | None:
    if resolved.start < 0:
        return None
    doc = sentence.doc
    start = doc[resolved.start].idx - sentence.start_char
    last = doc[resolved.end - 1]
    return (start, last.idx + len(last.text) - sentence.start_char)


def _confidence(draft: _Draft) -> float:
    """A heuristic, not a calibrated probability (see docs/CODER.md)."""
    score = 0.5 + 0.05 * min(draft.hit.rule.specificity, 3)
    if _is_main(draft.hit.token):
        score += 0.1
    if draft.target is not None and not _said_about(draft):
        score += 0.15 if _named_target(draft) else 0.05
    if draft.source.via_memory or (draft.target is not None and draft.target.via_memory):
        score -= 0.15
    if draft.source is UNKNOWN_SOURCE:
        score -= 0.2
    if draft.reading.hypothetical or draft.reading.negated:
        score -= 0.1
    return round(max(0.05, min(score, 0.95)), 2)


def _said_about(draft: _Draft) -> bool:
    """A statement whose target is only what the reported clause is about
    ("said *Sweden* was to blame"): no surer for having it."""
    target = draft.target
    if target is None or draft.code[:2] not in _SAYING_ROOTS:
        return False
    reported = (c for c in draft.hit.token.children if c.dep_ == "ccomp")
    return any(c.left_edge.i <= target.start <= c.right_edge.i for c in reported)


def _event_id(context: SentenceContext, trigger: tuple[int, int], draft: _Draft) -> str:
    target = draft.target.actor.code if draft.target else ""
    parts = (context.doc_id, context.index, trigger[0], draft.source.actor.code, target, draft.code)
    key = "|".join(map(str, parts))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
