"""Finding event triggers: which words, under which rule, code an event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.strings import get_string_id
from spacy.symbols import ADJ, ADV, DET, NOUN, NUM, PROPN, VERB
from spacy.tokens import Doc, Token

from dyadwatch._memo import BoundedMemo
from dyadwatch.coder.rules import RuleMatch, TriggerRule, Word, match_outwards
from dyadwatch.nlp.syntax import after_indices, before_indices
from dyadwatch.nlp.words import DocWords, word_ids

__all__ = ["RuleIndex", "RuleWords", "TriggerHit"]

_VERB_TAGS = frozenset({"VERB"})
_NOUN_TAGS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class TriggerHit:
    """A trigger word, the rule it matched, and the words its role slots bound."""

    token: Token
    rule: TriggerRule
    source: Token | None = None
    target: Token | None = None


class RuleIndex:
    """Rules indexed by (part of speech, head word) for constant-time lookup."""

    def __init__(self, rules: Iterable[TriggerRule]) -> None:
        index: dict[tuple[str, str], list[TriggerRule]] = defaultdict(list)
        for rule in rules:
            index[(rule.pos, rule.lemma)].append(rule)
            for form in rule.forms:
                index[(rule.pos, form.lower())].append(rule)
        self._index = {key: tuple(value) for key, value in index.items()}
        self.lemmas = frozenset(lemma for _, lemma in self._index)
        self._needs = {id(rule): _needed_words(rule) for rule in _rules_of(self._index)}
        self._word_ids = {
            pos: word_ids({word for tag, word in self._index if tag == pos})
            for pos in ("VERB", "NOUN")
        }
        self._word_memo: BoundedMemo[_WordKey, Word] = BoundedMemo(_WORD_LIMIT)

    def __len__(self) -> int:
        return sum(len(v) for v in self._index.values())

    def candidates(self, token: Token) -> tuple[TriggerRule, ...]:
        pos = "VERB" if token.pos_ in _VERB_TAGS else "NOUN" if token.pos_ in _NOUN_TAGS else None
        if pos is None:
            return ()
        found = self._index.get((pos, token.lemma_.lower()), ())
        if not found:
            found = self._index.get((pos, token.lower_), ())
        return found

    def may_trigger(self, words: DocWords) -> list[bool]:
        """For each token of a document: whether :meth:`candidates` can find it a rule.

        The same test as ``candidates``, on the document's word ids, so that
        only those tokens are looked at one by one.
        """
        verbs, nouns = self._word_ids["VERB"], self._word_ids["NOUN"]
        found: list[bool] = []
        for pos, lower, lemma in zip(words.pos, words.lower, words.lemma, strict=True):
            ids = verbs if pos == VERB else nouns if pos in (NOUN, PROPN) else None
            found.append(ids is not None and (lower in ids or lemma in ids))
        return found

    def words(self, doc: Doc, words: DocWords, is_actor: Sequence[bool]) -> RuleWords:
        """The words of ``doc`` as :meth:`best` reads them, for one sentence.

        ``is_actor[i]`` tells whether an actor mention starts at doc token i.
        """
        return RuleWords(doc, words, is_actor, self._word_memo)

    def best(self, token: Token, words: RuleWords) -> TriggerHit | None:
        """The most specific rule matching ``token`` in its clause, if any."""
        rules = self.candidates(token)
        if not rules:
            return None
        before_at, after_at = before_indices(token), after_indices(token)
        after_at = [*_passive_subject(token), *after_at]
        before, after = words.window(before_at), words.window(after_at)
        seen = {w.lower for w in (*before, *after)} | {w.lemma for w in (*before, *after)}
        outwards = before[::-1]
        particles: set[str] | None = None
        best: RuleMatch | None = None
        for rule in rules:
            if rule.particle is not None:
                particles = _particles(token) if particles is None else particles
                if rule.particle not in particles:
                    continue
            if rule.clause and not _governs_clause(token):
                continue
            if any(seen.isdisjoint(needed) for needed in self._needs[id(rule)]):
                continue  # a slot's words are all absent: no need to match it
            found = match_outwards(rule, outwards, after)
            if found and (best is None or _rank(rule) > _rank(best.rule)):
                best = found
        if best is None or self._reversed(token, best.rule, words):
            return None
        doc = token.doc
        source = _bound(best.source_index, before_at, after_at)
        target = _bound(best.target_index, before_at, after_at)
        return TriggerHit(
            token,
            best.rule,
            doc[source] if source is not None else None,
            doc[target] if target is not None else None,
        )

    def _reversed(self, token: Token, rule: TriggerRule, words: RuleWords) -> bool:
        """Whether a cooperation noun is what a reversal word reduces.

        "suspended all aid", "as U.S. military aid dried up", "threats to cut
        military aid", "halted talks": the reversal codes the reduction (CAMEO
        16x), and the aid, talks or ties it reduces are no event of their own.
        """
        if token.pos_ not in _NOUN_TAGS or rule.code[:2] not in _COOPERATIVE_ROOTS:
            return False
        for governor in _governors(token):
            hit = self.best(governor, words)
            if hit is not None and _reduces(hit.rule.code):
                return True
            if governor.pos_ in _VERB_TAGS:
                return False  # the clause's verb is no reversal
        return False


class RuleWords:
    """The words of one sentence as rules see them (:class:`Word`), each made once.

    A word sits in the window of every trigger near it. Words are made from
    the document's word ids: a :class:`Word` is fixed by its two strings and
    two flags, so one made for an earlier document is reused (``memo``),
    and no spaCy Token is made for a word met before.
    """

    __slots__ = ("_doc", "_ids", "_is_actor", "_made", "_memo")

    def __init__(
        self, doc: Doc, ids: DocWords, is_actor: Sequence[bool], memo: BoundedMemo[_WordKey, Word]
    ) -> None:
        self._doc = doc
        self._ids = ids
        self._is_actor = is_actor
        self._memo = memo
        self._made: dict[int, Word] = {}

    def window(self, indexes: Sequence[int]) -> list[Word]:
        """The words at document ``indexes``, in that order."""
        made = self._made
        return [made.get(i) or self._make(i) for i in indexes]

    def _make(self, i: int) -> Word:
        ids = self._ids
        light = ids.pos[i] in _LIGHT_POS or ids.dep[i] == _POSS
        key = (ids.lower[i], ids.lemma[i], self._is_actor[i], light)
        word = self._memo.get(key)
        if word is None:
            token = self._doc[i]
            word = Word(token.lower_, token.lemma_.lower(), key[2], light)
            self._memo.remember(key, word)
        self._made[i] = word
        return word


_WordKey = tuple[int, int, bool, bool]
_WORD_LIMIT = 200_000
"""Distinct words (with their two flags) remembered before the memo starts afresh."""
_LIGHT_POS = frozenset({DET, ADJ, NUM, ADV})
_POSS = get_string_id("poss")


_COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07"})
"""Intent to cooperate, consult, support, cooperate and aid: what a reversal undoes."""
_REDUCTIONS = frozenset({"1311", "1312", "1313", "134", "135", "136"})
"""Threats to reduce relations, besides CAMEO 16 itself."""
_TOPIC_LINKS = frozenset(
    {"dobj", "nsubj", "nsubjpass", "pobj", "conj", "appos", "compound", "nmod"}
)
"""How a reduced thing hangs under its reversal: "cut *aid*", "*aid* dried up", "*aid* cuts"."""
_TOPIC_PREPS = frozenset({"of", "in", "on", "to", "for", "including", "with", "from", "toward"})
"""Prepositions between a reversal and what it reduces: "a freeze *on* aid",
"suspended aid, *including* military assistance"; not "after", "despite"."""
_GOVERNOR_STEPS = 6


def _reduces(code: str) -> bool:
    return code.startswith("16") or code in _REDUCTIONS


def _governors(token: Token) -> list[Token]:
    """The verbs and nouns above a noun, nearest first, through argument and
    topic-preposition links, up to its clause's verb."""
    found: list[Token] = []
    current = token
    for _ in range(_GOVERNOR_STEPS):
        head = current.head
        if head.i == current.i:
            break
        if current.dep_ == "prep":
            if current.lower_ not in _TOPIC_PREPS:
                break
        elif current.dep_ not in _TOPIC_LINKS:
            break
        if head.dep_ != "prep":  # a preposition is climbed through, not asked
            found.append(head)
            if head.pos_ in _VERB_TAGS:
                break
        current = head
    return found


def _passive_subject(token: Token) -> list[int]:
    """A passive verb's subject phrase, read as its object: "talks *were halted*".

    The ``after`` slots describe what a verb acts on; in the passive that is the
    subject, left of the verb, so "aid was suspended" selects the same sense
    (162) as "suspended aid". Empty for any other word.
    """
    if token.pos_ not in _VERB_TAGS or not any(c.dep_ == "auxpass" for c in token.children):
        return []
    subject = next((c for c in token.children if c.dep_ == "nsubjpass" and c.i < token.i), None)
    if subject is None:
        return []
    return list(range(subject.left_edge.i, subject.right_edge.i + 1))


def _particles(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ == "prt"}


def _governs_clause(token: Token) -> bool:
    """A clausal complement: "charged *that* the party lied", or a gerund clause
    after a preposition, "charged the party *with ignoring* the victims".

    The passive "was charged with rioting" names the charge, not a clause.
    """
    children = list(token.children)
    if any(c.dep_ == "ccomp" for c in children):
        return True
    if any(c.dep_ == "nsubj" and c.i > token.i for c in children):
        return True  # a quotation's inverted verb: "'...,' charged the leader"
    if any(c.dep_ == "auxpass" for c in children):
        return False
    # The gerund's preposition may hang on the verb or on its object.
    objects = [c for c in children if c.dep_ == "dobj"]
    return any(_gerund_phrase(c) for head in (token, *objects) for c in head.children)


def _gerund_phrase(token: Token) -> bool:
    return token.dep_ == "prep" and any(g.dep_ == "pcomp" for g in token.children)


def _rules_of(index: dict[tuple[str, str], tuple[TriggerRule, ...]]) -> list[TriggerRule]:
    return [rule for rules in index.values() for rule in rules]


def _needed_words(rule: TriggerRule) -> tuple[frozenset[str], ...]:
    """For each words slot, the words one of which any match must contain.

    A cheap pre-check before slot matching: a slot's preposition, or the first
    words of its alternatives. Slots with prefix alternatives ("attack*") are
    left to the full match.
    """
    needed: list[frozenset[str]] = []
    for slot in (*rule.before, *rule.after):
        if slot.kind != "words":
            continue
        if slot.prep:
            needed.append(frozenset({slot.prep}))
            continue
        firsts = {option[0] for option in slot.options if option}
        if firsts and not any(word.endswith("*") for word in firsts):
            needed.append(frozenset(firsts))
    return tuple(needed)


def _rank(rule: TriggerRule) -> tuple[int, int]:
    """Specificity first; on a tie the finer CAMEO code wins ("195" over "190")."""
    code = rule.code
    detail = 0 if rule.is_null else len(code) + (0 if code.endswith("0") else 1)
    return (rule.specificity, detail)


def _bound(index: int | None, before: Sequence[int], after: Sequence[int]) -> int | None:
    if index is None:
        return None
    return after[index] if index >= 0 else before[index]
