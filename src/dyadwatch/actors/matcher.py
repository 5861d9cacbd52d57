"""Find actor, agent and discard phrases in parsed sentences.

Phrases are tokenized with the pipeline's own tokenizer so that "Pakistan's"
or "al-Qaeda" split the same way in the dictionary as in the text. Matching
is longest-first over lower-cased forms and lemmas, with TABARI-style stems
(a last word that may be a prefix of the text's word).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from spacy.tokens import Doc, Span, Token

from dyadwatch.actors.dictionary import ActorDictionary, ActorEntry, AgentEntry, DiscardEntry
from dyadwatch.nlp.words import DocWords, word_ids

__all__ = ["ActorMatcher", "Mention", "MentionKind"]

MentionKind = Literal["actor", "agent"]
E = TypeVar("E", ActorEntry, AgentEntry, DiscardEntry)
Tokenize = Callable[[str], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Mention:
    """A dictionary phrase found at tokens ``[start, end)`` of a Doc."""

    start: int
    end: int
    kind: MentionKind
    entry: ActorEntry | AgentEntry

    def covers(self, i: int) -> bool:
        return self.start <= i < self.end


class _Node(Generic[E]):
    # A plain mutable class: a node gains children while the trie is built.
    def __init__(self) -> None:
        self.children: dict[str, _Node[E]] = {}
        self.entries: list[E] = []
        self.stems: list[tuple[str, E]] = []


class _Trie(Generic[E]):
    """A word trie; each entry ends at the node of its last word (or as a stem)."""

    def __init__(self, entries: Iterable[E], tokenize: Tokenize) -> None:
        self._root: _Node[E] = _Node()
        self._cased: dict[int, tuple[str, ...]] = {}
        for entry in entries:
            words = tuple(tokenize(entry.phrase))
            if getattr(entry, "cased", False):
                self._cased[id(entry)] = words
            self._add(entry, words)

    def _add(self, entry: E, words: Sequence[str]) -> None:
        if not words:
            return
        node = self._root
        path = words[:-1] if entry.stem else words
        for word in path:
            node = node.children.setdefault(word.lower(), _Node())
        if entry.stem:
            node.stems.append((words[-1].lower(), entry))
        else:
            node.entries.append(entry)

    def first_words(self) -> frozenset[str] | None:
        """The words an entry can begin with; None when a stem may begin one (any word)."""
        return None if self._root.stems else frozenset(self._root.children)

    def longest(
        self, tokens: Sequence[Token], start: int, exact: frozenset[str]
    ) -> tuple[int, E] | None:
        """The longest entry starting at ``tokens[start]``: (end, entry)."""
        best: tuple[int, E] | None = None
        node = self._root
        i = start
        while i < len(tokens):
            token = tokens[i]
            for stem, entry in node.stems:
                if token.lower_.startswith(stem):
                    best = (i + 1, entry)
            child = _step(node, token)
            if child is None:
                break
            node = child
            i += 1
            if node.entries:
                written = tuple(t.text for t in tokens[start:i])
                fitting = [e for e in node.entries if self._cased.get(id(e), written) == written]
                if fitting:
                    best = (i, fitting[-1])
        if best and best[0] == start + 1 and _needs_capitals(tokens[start], exact):
            return None
        return best


def _needs_capitals(token: Token, exact: frozenset[str]) -> bool:
    """A one-word match on a stop word ("us", "it") counts only in capitals ("US")."""
    return token.lower_ in exact and not token.text.isupper()


def _step(node: _Node[E], token: Token) -> _Node[E] | None:
    lower = token.lower_
    child = node.children.get(lower)
    if child is None:
        child = node.children.get(token.lemma_.lower())
    return child


class ActorMatcher:
    """Compiled phrase index over one ``ActorDictionary``.

    Single-word phrases that are English stop words ("US", "IT") only match
    when written in capitals, so the pronoun "us" never becomes the USA.
    """

    def __init__(
        self, dictionary: ActorDictionary, tokenize: Tokenize, stop_words: Iterable[str] = ()
    ) -> None:
        self._actors: _Trie[ActorEntry] = _Trie(dictionary.actors, tokenize)
        self._agents: _Trie[AgentEntry] = _Trie(dictionary.agents, tokenize)
        self._discards: _Trie[DiscardEntry] = _Trie(dictionary.discards, tokenize)
        self._has_discards = bool(dictionary.discards)
        self._stop = frozenset(w.lower() for w in stop_words)
        actors, agents = self._actors.first_words(), self._agents.first_words()
        self._first_ids = None if actors is None or agents is None else word_ids(actors | agents)

    def may_start(self, words: DocWords) -> list[bool] | None:
        """For each token of a document: whether a mention can begin there (its
        word or lemma begins a phrase). None when one could begin anywhere."""
        ids = self._first_ids
        if ids is None:
            return None
        pairs = zip(words.lower, words.lemma, strict=True)
        return [lower in ids or lemma in ids for lower, lemma in pairs]

    def mentions(
        self, tokens: Doc | Span, may_start: Sequence[bool] | None = None
    ) -> list[Mention]:
        """Non-overlapping mentions, left to right; actors win ties with agents.

        ``may_start`` (from :meth:`may_start`, for the whole document) skips
        the tokens where no phrase begins.
        """
        seq = list(tokens)
        offset = seq[0].i if seq else 0
        found: list[Mention] = []
        end = 0
        for i in range(len(seq)):
            if i < end or (may_start is not None and not may_start[i + offset]):
                continue
            mention = self._at(seq, i, offset)
            if mention is not None:
                found.append(mention)
                end = mention.end - offset
        return found

    def _at(self, seq: Sequence[Token], i: int, offset: int) -> Mention | None:
        actor = self._actors.longest(seq, i, self._stop)
        agent = self._agents.longest(seq, i, self._stop)
        if actor and (not agent or actor[0] >= agent[0]):
            return Mention(i + offset, actor[0] + offset, "actor", actor[1])
        if agent:
            return Mention(i + offset, agent[0] + offset, "agent", agent[1])
        return None

    def discard(self, tokens: Doc | Span) -> DiscardEntry | None:
        """The first discard phrase in ``tokens``, if any."""
        return next(self.discards(tokens), None)

    def discards(self, tokens: Doc | Span) -> Iterator[DiscardEntry]:
        """Every discard phrase in ``tokens``, in text order (longest at each word)."""
        if not self._has_discards:
            return
        seq = list(tokens)
        for i in range(len(seq)):
            hit = self._discards.longest(seq, i, self._stop)
            if hit:
                yield hit[1]
