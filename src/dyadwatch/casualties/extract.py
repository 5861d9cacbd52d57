"""Casualty figures from a parsed sentence: how many killed, injured, arrested.

A figure is only taken where syntax ties it to a casualty word: the object of
an active "kill", the subject of a passive "were arrested" or of "died", the
noun a participle modifies ("8 others injured") or follows as the object's
predicate ("left 8 others injured"), the count of "deaths", or
what a "death toll" rose to. Other numbers (money, dates, ages, durations,
weapons, places) are never read, because they are never in those positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dyadwatch.casualties.numbers import parse_number
from dyadwatch.casualties.vocabulary import (
    CasualtyVocabulary,
    Field,
    FieldWords,
    load_vocabulary,
)
from dyadwatch.model import Range, Size
from dyadwatch.nlp.kept import kept
from dyadwatch.nlp.text import tokens_text

__all__ = ["extract_size", "widen"]

_PASSIVE_MARKS = frozenset({"auxpass", "nsubjpass"})
_MODALS = frozenset({"could", "would", "might", "may", "can", "should", "must", "shall"})
_INHERIT_FROM_HEAD = frozenset({"conj", "xcomp", "oprd"})
_STATE_OF_OBJECT = frozenset({"oprd", "ccomp", "xcomp"})
_STATE_OF_SUBJECT = frozenset({"acomp", "attr"})
_OBJECT_PREDICATE = frozenset({"oprd", "advcl", "xcomp"})
_OWN_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "aux", "auxpass"})
"""What a participle describing another verb's object never has of its own."""
_NUMBER_DEPS = frozenset({"nummod", "quantmod"})
_BARE_NUMBER_DEPS = frozenset({"npadvmod", "attr", "meta", "pobj"})
_SUBJECT = frozenset({"nsubj", "npadvmod", "meta"})
_COMPANIONS = frozenset({"with"})
_INCLUDING = frozenset({"including", "among"})
_ONE_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "himself", "herself"})
_ZERO_WORDS = frozenset({"nobody", "none", "noone"})
_CURRENCY = frozenset({"$", "£", "€", "¥", "₹", "rs", "rs."})
_AFTER_MEASURE = frozenset({"%", "percent", "per", ":", "am", "pm", "a.m.", "p.m.", "th", "st"})
_PHRASE_REACH = 6
"""How many words a number phrase may extend on either side of its number."""


def extract_size(
    sentence: Span, trigger: Token | None = None, *, vocabulary: CasualtyVocabulary | None = None
) -> Size | None:
    """The casualty figures stated in ``sentence``, or ``None`` when it states none.

    Each field takes the figure whose casualty word is nearest ``trigger`` in the
    dependency tree (the sentence root when no trigger is given). ``civilians``
    and ``children`` count the killed, as the killed figure describes them.
    """
    words = vocabulary or load_vocabulary()
    reader = _Reader(sentence, words)
    doc, anchors = sentence.doc, _anchors(sentence.doc, words)
    figures = [
        figure
        for i in range(sentence.start, sentence.end)
        if anchors[i]
        for figure in reader.figures_at(doc[i])
    ]
    if not figures:
        return None
    reference = sentence.root
    if trigger is not None and trigger.doc is sentence.doc:
        reference = trigger if sentence.start <= trigger.i < sentence.end else reference
    best: dict[Field, _Figure] = {}
    for figure in sorted(figures, key=lambda f: (_distance(f.anchor, reference), f.anchor.i)):
        best.setdefault(figure.field, figure)
    return _size(best)


_ANCHORS_KEY = "dyadwatch.casualties.anchors"


def _anchors(doc: Doc, words: CasualtyVocabulary) -> list[bool]:
    """Per word of ``doc``: whether it can be a casualty word of ``words``.

    A sentence holding several events is read once for each; most of its
    words are no casualty word, and that test is made once per document.
    """
    anchors = words.anchors
    # Keyed by the words themselves (a frozenset keeps its hash): another
    # vocabulary's flags are kept apart.
    key = f"{_ANCHORS_KEY}.{hash(anchors)}"
    return kept(doc, key, lambda d: [_is_anchor(token, anchors) for token in d])


def _is_anchor(token: Token, anchors: frozenset[str]) -> bool:
    return token.lower_ in anchors or token.lemma_.lower() in anchors


def widen(sizes: Iterable[Size | None]) -> Size | None:
    """One size covering every report: per field, the least min and the greatest max.

    Fields no report states stay ``None``; ``None`` when no size is given.
    """
    given = [size for size in sizes if size is not None]
    if not given:
        return None
    return Size(
        killed=_widest(size.killed for size in given),
        injured=_widest(size.injured for size in given),
        arrested=_widest(size.arrested for size in given),
        civilians=_widest(size.civilians for size in given),
        children=_widest(size.children for size in given),
    )


def _widest(ranges: Iterable[Range | None]) -> Range | None:
    known = [r for r in ranges if r is not None]
    if not known:
        return None
    return Range(min(r.min for r in known), max(r.max for r in known))


def _size(best: dict[Field, _Figure]) -> Size:
    killed = best.get("killed")
    injured = best.get("injured")
    arrested = best.get("arrested")
    return Size(
        killed=killed.count.total if killed else None,
        injured=injured.count.total if injured else None,
        arrested=arrested.count.total if arrested else None,
        civilians=killed.count.civilians if killed else None,
        children=killed.count.children if killed else None,
    )


def _distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one tree, through their lowest common ancestor."""
    up_a = [a, *a.ancestors]
    depth_b = {t.i: depth for depth, t in enumerate([b, *b.ancestors])}
    for depth_a, token in enumerate(up_a):
        if token.i in depth_b:
            return depth_a + depth_b[token.i]
    return len(up_a) + len(depth_b)


@dataclass(frozen=True, slots=True)
class _Count:
    """How many people a phrase names, and how many of them it calls civilians or children."""

    total: Range
    civilians: Range | None = None
    children: Range | None = None


@dataclass(frozen=True, slots=True)
class _Figure:
    field: Field
    count: _Count
    anchor: Token
    """The casualty word the figure hangs on: what the trigger is measured from."""


def _add(a: Range | None, b: Range | None) -> Range | None:
    if a is None or b is None:
        return a or b
    return Range(a.min + b.min, a.max + b.max)


@dataclass(frozen=True, slots=True)
class _Reader:
    """Reads the figures of one sentence with one vocabulary."""

    sentence: Span
    words: CasualtyVocabulary

    # -- casualty words ---------------------------------------------------------

    def figures_at(self, token: Token) -> Iterator[_Figure]:
        """Every figure ``token`` anchors, one per field it reports."""
        if not _is_anchor(token, self.words.anchors):
            return  # most words: no casualty word, nothing of the parse to read
        if self._blocked(token):
            return
        for field, field_words in self.words.field_words():
            victims = self._victims(token, field_words, field)
            if victims is None:
                count = self._count_toll(token, field_words, field)
            else:
                count = self._count(token, victims) if victims else None
            if count is not None:
                yield _Figure(field, count, token)

    def _victims(self, token: Token, words: FieldWords, field: Field) -> list[Token] | None:
        """Who ``token`` says it happened to; ``None`` when it is no casualty word."""
        lemma = token.lemma_.lower()
        if _acts_as_verb(token) and self._verb_matches(token, lemma, words):
            return self._verb_victims(token, lemma, words)
        if token.lower_ in words.states and token.pos_ in ("ADJ", "VERB"):
            return self._state_victims(token)
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
            return self._noun_victims(token, lemma, words, field)
        return None

    def _blocked(self, token: Token) -> bool:
        """Negated or hypothetical: "were not killed", "could kill thousands"."""
        return any(
            c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) for c in token.children
        )

    def _verb_matches(self, verb: Token, lemma: str, words: FieldWords) -> bool:
        if lemma in words.intransitive:
            return True
        if lemma in words.passive_only:
            return _is_passive(verb)
        needs = words.verbs.get(lemma)
        if needs is None:
            return False
        near = {w for c in verb.children for t in (c, *c.children) for w in (t.lower_, t.lemma_)}
        return any(
            all(word in near for word in extra) or self._followed_by(verb, extra) for extra in needs
        )

    def _followed_by(self, verb: Token, extra: tuple[str, ...]) -> bool:
        """ "shot dead seventeen soldiers": the parser may hang "dead" elsewhere."""
        after = self.sentence.doc[verb.i + 1 : min(verb.i + 1 + len(extra), self.sentence.end)]
        return tuple(t.lower_ for t in after) == extra

    def _verb_victims(self, verb: Token, lemma: str, words: FieldWords) -> list[Token]:
        if self._is_reduced_passive(verb):
            head = verb.head.head if verb.head.dep_ == "appos" else verb.head
            return [head, *self._companions(verb)]
        described = _described_object(verb)
        if described:
            return [*described, *self._companions(verb)]
        numbers = self._bare_numbers(verb, _BARE_NUMBER_DEPS)
        objects = _children(verb, ("dobj",))
        headline = not (objects or numbers or _children(verb, ("aux",)))
        if lemma in words.intransitive or _is_passive(verb) or headline:
            # Headlines drop the auxiliary: "5-7 killed", "commander killed with 13 others".
            own = _children(verb, ("nsubjpass", "nsubj")) or self._bare_numbers(verb, _SUBJECT)
            return [*(own or self._inherited(verb)), *self._companions(verb)]
        return [*objects, *numbers]

    def _bare_numbers(self, verb: Token, deps: frozenset[str]) -> list[Token]:
        """Numbers standing alone for people: "killed 3-6 in a car", "killing up to 10"."""
        ups = [c for c in verb.children if c.dep_ in ("prt", "prep") and c.lower_ == "up"]
        candidates = [*verb.children, *(o for up in ups for o in up.children if o.dep_ == "pobj")]
        return [c for c in candidates if c.dep_ in deps and self._is_number(c)]

    def _is_reduced_passive(self, verb: Token) -> bool:
        """A participle describing its noun: "8 others *injured*" (not "strike killed 4")."""
        if verb.dep_ not in ("acl", "amod") or verb.tag_ != "VBN":
            return False
        objects = _children(verb, ("dobj",))
        return all(o.lemma_.lower() in self.words.not_people for o in objects)

    def _inherited(self, verb: Token) -> list[Token]:
        """The subject a verb shares with the one it hangs on ("were reported killed")."""
        while verb.dep_ in _INHERIT_FROM_HEAD and verb.head.i != verb.i:
            verb = verb.head
            own = _children(verb, ("nsubjpass", "nsubj"))
            if own:
                return own
        return []

    def _companions(self, verb: Token) -> list[Token]:
        """People it happened to alongside: "was killed with 13 others"."""
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in _COMPANIONS]
        return [o for p in preps for o in p.children if o.dep_ == "pobj"]

    def _state_victims(self, state: Token) -> list[Token]:
        """Who is "dead" or "injured": the noun it describes, or the clause's object/subject."""
        if _number_child(state) is not None:
            return [state]  # "4-6 dead": the state heads its own count
        if state.dep_ in ("amod", "acl", "appos") and state.head.i != state.i:
            return [state.head]
        if state.dep_ in _STATE_OF_OBJECT:
            return _children(state.head, ("dobj",)) or _children(state.head, ("nsubj",))
        if state.dep_ in _STATE_OF_SUBJECT:
            return _children(state.head, ("nsubj", "nsubjpass"))
        return []

    def _noun_victims(
        self, noun: Token, lemma: str, words: FieldWords, field: Field
    ) -> list[Token] | None:
        """ "30 deaths", "no injuries", "the arrest of 12 activists", "claimed 30 lives"."""
        lives = field == "killed" and lemma == "life" and noun.head.lemma_ in self.words.lives
        if lemma not in words.nouns and noun.lower_ not in words.nouns and not lives:
            return None
        counted = _number_child(noun, self.words.numbers.words) is not None
        if counted or any(c.lower_ == "no" for c in noun.children):
            return [noun]
        return _of_objects(noun)

    # -- tolls ------------------------------------------------------------------

    def _count_toll(self, token: Token, words: FieldWords, field: Field) -> _Count | None:
        """ "The death toll rose to 30", "a death toll of 30", "raising the toll to 30"."""
        if token.lemma_.lower() != "toll":
            return None
        kinds = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod")}
        if not (kinds & words.tolls or (field == "killed" and not kinds)):
            return None
        verb = next((a for a in token.ancestors if _is_verb(a)), None)
        for candidate in [*_of_objects(token), *self._toll_values(verb, token)]:
            found = self._toll_value(candidate, verb)
            if found is not None:
                return _Count(found)
        return None

    def _toll_values(self, verb: Token | None, toll: Token) -> list[Token]:
        if verb is None:
            return []
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "at", "from")]
        values = [o for p in preps for o in p.children if o.dep_ == "pobj"]
        return values + [c for c in verb.children if c.dep_ in ("attr", "dobj") and c != toll]

    def _toll_value(self, token: Token, verb: Token | None) -> Range | None:
        number = token if self._is_number(token) else _number_child(token)
        if number is None:
            return None
        found = self._phrase(number)
        if found is None:
            return None
        value, start, _ = found
        rising = verb is not None and verb.lemma_.lower() in self.words.toll_rises
        if rising and self.sentence.doc[start].lower_ == "from":
            return Range(value.max, value.max)
        return value

    # -- counting people ----------------------------------------------------------

    def _count(self, anchor: Token, victims: list[Token]) -> _Count | None:
        """The people ``victims`` name, summed over conjuncts ("two militants and a civilian")."""
        count = self._sum(victims, anchor)
        if count is None:
            return None
        extra = self._including(anchor, victims)
        if extra is None:
            return count
        return _Count(
            count.total,
            count.civilians or extra.civilians,
            count.children or extra.children,
        )

    def _sum(self, heads: list[Token], anchor: Token) -> _Count | None:
        total = civilians = children = None
        covered: set[int] = set()
        for person in self._members(heads, anchor):
            if person.i in covered:
                continue
            found = self._one(person)
            if found is None:
                continue
            value, start, end = found
            covered.update(range(start, end))
            total = _add(total, value)
            if self._is_kind(person, self.words.civilians):
                civilians = _add(civilians, value)
            if self._is_kind(person, self.words.children):
                children = _add(children, value)
        return _Count(total, civilians, children) if total is not None else None

    def _members(self, heads: list[Token], anchor: Token) -> list[Token]:
        """Heads and their conjuncts, except conjuncts that carry a casualty word of
        their own ("6 killed and 8 others injured": the 8 are not killed)."""
        members: list[Token] = []
        for head in heads:
            members.append(head)
            members.extend(c for c in head.conjuncts if not self._has_own_anchor(c, anchor))
        return sorted(set(members), key=lambda t: t.i)

    def _has_own_anchor(self, token: Token, anchor: Token) -> bool:
        return any(
            c != anchor and self._victims(c, fw, field)
            for c in token.children
            for field, fw in self.words.field_words()
        )

    def _including(self, anchor: Token, victims: list[Token]) -> _Count | None:
        """Who the figure includes: "killed 8 people, including 3 children"."""
        owners = {anchor.i, *(v.i for v in victims)}
        for token in self.sentence:
            if token.lower_ in _INCLUDING and self._hangs_on(token, owners):
                objects = [c for c in token.children if c.dep_ == "pobj"]
                return self._sum(objects, anchor) if objects else None
        return None

    def _hangs_on(self, token: Token, owners: set[int]) -> bool:
        """Whether ``token`` attaches to one of ``owners`` without passing another verb."""
        for ancestor in token.ancestors:
            if ancestor.i in owners:
                return True
            if _is_verb(ancestor):
                return False
        return False

    def _is_kind(self, person: Token, kind: frozenset[str]) -> bool:
        if person.lemma_.lower() in kind or person.lower_ in kind:
            return True
        return any(
            c.dep_ in ("amod", "compound") and c.lemma_.lower() in kind for c in person.children
        )

    def _one(self, person: Token) -> tuple[Range, int, int] | None:
        """How many people one word names, with the number phrase's token span."""
        lemma = person.lemma_.lower()
        if person.lower_ in _ZERO_WORDS or any(c.lower_ == "no" for c in person.children):
            return Range(0, 0), person.i, person.i + 1
        if self._is_number(person):
            return self._phrase(person)
        if lemma in self.words.not_people:
            return None
        number = _number_child(person, self.words.numbers.words)
        if number is not None and self._is_number(number):
            return self._phrase(number)
        if lemma in self.words.partitives:
            return self._partitive(person)
        return self._single(person)

    def _partitive(self, head: Token) -> tuple[Range, int, int] | None:
        """ "a family of six", "a total of 15 people", "a couple"."""
        for inner in _of_objects(head):
            found = self._one(inner)
            if found is not None:
                return found
        return self._phrase(head)

    def _single(self, person: Token) -> tuple[Range, int, int] | None:
        """One named or singular person: "a civilian", "Baitullah Mehsud", "him"."""
        lemma = person.lemma_.lower()
        singular = person.tag_ in ("NN", "NNP") and (
            lemma in self.words.people or person.pos_ == "PROPN"
        )
        if singular or person.lower_ in _ONE_PERSON_PRONOUNS:
            return Range(1, 1), person.i, person.i + 1
        return None

    # -- number phrases -----------------------------------------------------------

    def _is_number(self, token: Token) -> bool:
        """A word that can head a number phrase, and is not a measure or a date."""
        numbers = self.words.numbers
        wordy = token.lower_ in numbers.units or token.lower_ in numbers.tens
        plural = token.lower_.removesuffix("s")
        vague = (token.lower_,) in numbers.vague or plural in numbers.multipliers
        numeric = token.pos_ == "NUM" or token.like_num or wordy or vague
        return numeric and not self._is_measure(token)

    def _is_measure(self, token: Token) -> bool:
        """ "$60", "25-year-old", "30 percent", "5:30", "26 February": not head counts."""
        doc = self.sentence.doc
        before = doc[token.i - 1].lower_ if token.i > 0 else ""
        after = [t for t in doc[token.i + 1 : token.i + 3] if t.text != "-"]
        following = after[0] if after else None
        if before in _CURRENCY or (following is not None and following.lower_ in _AFTER_MEASURE):
            return True
        if following is not None and following.lemma_.lower() in self.words.not_people:
            return following.i == token.i + 2 or token.head == following
        return token.head.lemma_.lower() in self.words.not_people and token.dep_ in _NUMBER_DEPS

    def _phrase(self, number: Token) -> tuple[Range, int, int] | None:
        """The longest number phrase around ``number`` ("at least 5", "between 4 and 6")."""
        doc = self.sentence.doc
        first = self._reach(number.i, -1)
        last = self._reach(number.i, +1)
        for start in range(first, number.i + 1):
            for end in range(last, number.i, -1):
                found = parse_number(tokens_text(doc, start, end), self.words.numbers)
                if found is not None:
                    return found, start, end
        return None

    def _reach(self, at: int, step: int) -> int:
        """How far phrase words run from ``at`` (exclusive end when going right)."""
        words = self.words.numbers.words
        edge = self.sentence.start if step < 0 else self.sentence.end - 1
        i = at
        for _ in range(_PHRASE_REACH):
            nxt = i + step
            if (step < 0 and nxt < edge) or (step > 0 and nxt > edge):
                break
            token = self.sentence.doc[nxt]
            if not (token.lower_ in words or token.like_num) or self._is_measure(token):
                break
            i = nxt
        return i if step < 0 else i + 1


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def _acts_as_verb(token: Token) -> bool:
    """A verb, or a word mis-tagged as a noun that takes a verb's arguments ("strike kills six")."""
    return _is_verb(token) or any(c.dep_ in ("nsubj", "dobj") for c in token.children)


def _described_object(verb: Token) -> list[Token]:
    """The object a participle right after it describes: "left eight others *injured*".

    The parser hangs such a participle on the verb (oprd, advcl or xcomp), so
    without this it would look for a subject of its own and find the attacker.
    """
    if verb.tag_ != "VBN" or verb.dep_ not in _OBJECT_PREDICATE or verb.head.i == verb.i:
        return []
    if any(c.dep_ in _OWN_ARGUMENTS for c in verb.children):
        return []
    objects = _children(verb.head, ("dobj",))
    return [o for o in objects if o.right_edge.i + 1 == verb.i]


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in _PASSIVE_MARKS for c in verb.children)


def _children(token: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _of_objects(token: Token) -> list[Token]:
    preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"]
    return [o for p in preps for o in p.children if o.dep_ == "pobj"]


def _number_child(token: Token, words: frozenset[str] = frozenset()) -> Token | None:
    """The number modifying a noun: a ``nummod`` or a vague amount ("several others")."""
    for child in token.children:
        # The small parser sometimes calls a leading number a compound ("Thirty civilians").
        loose = child.dep_ in ("amod", "compound") and (
            child.pos_ == "NUM" or child.lower_ in words
        )
        if child.dep_ in _NUMBER_DEPS or loose:
            return child
    return None
