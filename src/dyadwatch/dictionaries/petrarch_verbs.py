"""Reader for users' PETRARCH-2 verb dictionaries, compiled to ``TriggerRule``.

A verb dictionary has synonym sets and verb blocks::

    &TREATY
    +TREATY
    +PEACE_ACCORD
    --- AGREE [050] ---
    AGREE
    CONCUR {CONCURRED CONCURRING}
    +GO_ALONG
    - * (TO PEACE &TREATY)   [057:057]

Every verb of a block gets a default rule (the block's code, or the verb's
own ``[code]``) and one rule per pattern. A pattern's tokens left of ``*``
become ``before`` slots and those right of it ``after`` slots; ``$`` is the
source, ``+`` the target, ``^`` a skip, ``%`` a compound (source and target
side by side, coded both ways). ``docs/DICTIONARIES.md`` gives the details.

Malformed lines raise ``DictionaryError`` (DW203; DW206 for an unknown
synonym set) naming file and line, unless ``on_error`` collects them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from dyadwatch.coder.rules import NULL_CODE, Slot, SlotKind, TriggerRule
from dyadwatch.dictionaries.petrarch import (
    DictionaryLine,
    ErrorSink,
    OnError,
    dictionary_lines,
    plural_of,
    split_words,
)
from dyadwatch.errors import DictionaryError, Errors

__all__ = ["CompiledPattern", "PatternError", "Phrase", "compile_pattern", "read_verbs"]

_HEADER = re.compile(r"^-{3}\s*(?P<name>[^\s\[\]]+)\s*\[(?P<code>[^\[\]]*)\]\s*-{3}$")
_SYNSET_NAME = re.compile(r"^&(?P<name>[A-Za-z0-9][A-Za-z0-9_\-]*)$")
_VERB_LINE = re.compile(
    r"^(?P<verb>[^\s\[\]{}]+)\s*(?P<forms>\{[^{}\[\]]*\})?\s*(?P<code>\[[^\[\]]*\])?$"
)
_PATTERN_LINE = re.compile(r"^(?P<body>.*?)\s*\[(?P<code>[^\[\]]*)\]$")
_TOKEN = re.compile(r"[(){}]|[^\s(){}]+")
_CODE = re.compile(r"^[^\s:\[\]]+$")
_ROLE_SLOTS: Mapping[str, tuple[SlotKind, ...]] = MappingProxyType(
    {"$": ("source",), "+": ("target",), "^": ("skip",), "%": ("source", "target")}
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One alternative a slot accepts: words, optionally after a preposition."""

    words: tuple[str, ...]
    prep: str | None = None

    def folded(self) -> tuple[str, ...]:
        return (self.prep, *self.words) if self.prep else self.words


Synsets = Mapping[str, tuple[Phrase, ...]]


class PatternError(ValueError):
    """A pattern cannot be compiled; ``name`` is set for an unknown synonym set."""

    def __init__(self, detail: str, name: str | None = None) -> None:
        super().__init__(detail)
        self.name = name


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """The slots of a pattern around its ``*`` and whether it had a ``%``."""

    before: tuple[Slot, ...]
    after: tuple[Slot, ...]
    compound: bool = False


# ------------------------------------------------------------------ raw reading


@dataclass(slots=True)
class _RawSynset:
    name: str
    line: int
    plurals: bool
    members: list[DictionaryLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Verb:
    lemma: str
    line: int
    particle: str | None = None
    before: tuple[Slot, ...] = ()
    extra_after: tuple[Slot, ...] = ()
    forms: tuple[str, ...] = ()
    code: tuple[str, str | None] | None = None


@dataclass(slots=True)
class _Block:
    name: str
    line: int
    code: tuple[str, str | None]
    verbs: list[_Verb] = field(default_factory=list)
    patterns: list[DictionaryLine] = field(default_factory=list)


@dataclass(slots=True)
class _Reading:
    """What one pass over the file collects before synonym sets are resolved."""

    synsets: dict[str, _RawSynset] = field(default_factory=dict)
    blocks: list[_Block] = field(default_factory=list)
    section: _RawSynset | _Block | None = None
    skipping: bool = False
    """True after a bad header: the lines of that section are dropped."""


def read_verbs(path: str | Path, *, on_error: OnError | None = None) -> tuple[TriggerRule, ...]:
    """Read a PETRARCH verb dictionary into trigger rules, in file order.

    Raises ``DictionaryError`` (DW203, or DW206 for an unknown ``&SYNSET``)
    for the first malformed line unless ``on_error`` is given; then each
    error goes to ``on_error`` and the line (or pattern) is skipped.
    """
    sink = ErrorSink(Errors.DW203, Path(path), on_error)
    reading = _Reading()
    for line in dictionary_lines(sink):
        try:
            _read_line(line, reading, sink)
        except DictionaryError as error:
            sink.report(error)
    synsets = _resolve_synsets(reading.synsets, sink)
    rules: list[TriggerRule] = []
    for block in reading.blocks:
        rules.extend(_compile_block(block, synsets, sink))
    return tuple(rules)


def _read_line(line: DictionaryLine, reading: _Reading, sink: ErrorSink) -> None:
    text = line.text
    if text.startswith(("---", "&")):
        # Until the new header reads cleanly, the lines under it are dropped.
        reading.section, reading.skipping = None, True
        if text.startswith("---"):
            reading.section = _read_header(line, sink)
            reading.blocks.append(reading.section)
        else:
            reading.section = _open_synset(line, reading.synsets, sink)
        reading.skipping = False
    elif reading.skipping:
        return
    elif isinstance(reading.section, _RawSynset):
        if not text.startswith("+"):
            raise sink.error_at(line.number, f"synonym set member {text!r} must start with '+'")
        reading.section.members.append(line)
    elif isinstance(reading.section, _Block):
        _read_block_line(line, reading.section, sink)
    else:
        raise sink.error_at(line.number, f"{text!r} comes before any '&SET' or '--- VERB ---'")


def _read_header(line: DictionaryLine, sink: ErrorSink) -> _Block:
    match = _HEADER.match(line.text)
    if match is None:
        raise sink.error_at(
            line.number, f"bad verb block header {line.text!r}: use '--- VERB [code] ---'"
        )
    return _Block(match["name"], line.number, _parse_code(match["code"], sink, line.number))


def _open_synset(
    line: DictionaryLine, synsets: dict[str, _RawSynset], sink: ErrorSink
) -> _RawSynset:
    match = _SYNSET_NAME.match(line.text)
    if match is None:
        raise sink.error_at(line.number, f"bad synonym set name {line.text!r}")
    # A trailing '_' on the name means: no automatic plurals for the members.
    name = match["name"].rstrip("_").upper()
    if name not in synsets:
        # A set defined twice keeps all members of both definitions.
        synsets[name] = _RawSynset(name, line.number, plurals=not match["name"].endswith("_"))
    return synsets[name]


def _read_block_line(line: DictionaryLine, block: _Block, sink: ErrorSink) -> None:
    text = line.text
    if text.startswith(("-", "* ")):
        # '* ...' is a pattern that lost its '- ' (the validation suite has one):
        # no verb starts with '*', so reading it as a pattern is safe.
        block.patterns.append(line)
        return
    match = _VERB_LINE.match(text)
    if match is None:
        raise sink.error_at(line.number, f"cannot read {text!r} as a verb or a '- pattern [code]'")
    verb = _parse_verb(match["verb"], line.number, sink)
    forms = tuple(
        _parse_verb(f, line.number, sink).lemma for f in (match["forms"] or "{}")[1:-1].split()
    )
    code = _parse_code(match["code"][1:-1], sink, line.number) if match["code"] else None
    block.verbs.append(
        _Verb(verb.lemma, line.number, verb.particle, verb.before, verb.extra_after, forms, code)
    )


def _parse_verb(spec: str, line: int, sink: ErrorSink) -> _Verb:
    """``GO``, ``+GO_BY`` (verb GO, particle BY) or ``WIRE_+TAP`` (verb TAP after WIRE)."""
    words = [w for w in spec.split("_") if w]
    heads = [i for i, w in enumerate(words) if w.startswith("+")]
    if len(heads) > 1 or not words or any(w.strip("+") == "" for w in words):
        raise sink.error_at(
            line, f"bad verb {spec!r}: mark at most one word of a multiword verb with '+'"
        )
    head = heads[0] if heads else 0
    lower = [w.lstrip("+").lower() for w in words]
    before = (Slot("words", (tuple(lower[:head]),)),) if head else ()
    following = lower[head + 1 :]
    extra = (Slot("words", (tuple(following[1:]),)),) if len(following) > 1 else ()
    return _Verb(lower[head], line, following[0] if following else None, before, extra)


def _parse_code(text: str, sink: ErrorSink, line: int) -> tuple[str, str | None]:
    """``037`` → ("037", None); ``042:043`` → ("042", "043"); kept as written."""
    parts = [part.strip() for part in text.split(":")]
    if len(parts) > 2 or not all(_CODE.match(part) for part in parts):
        raise sink.error_at(line, f"bad event code [{text}]: use [CODE] or [CODE:CODE]")
    return parts[0], parts[1] if len(parts) == 2 else None


# ------------------------------------------------------------------ synonym sets


def _resolve_synsets(
    raw: Mapping[str, _RawSynset], sink: ErrorSink
) -> dict[str, tuple[Phrase, ...]]:
    resolved: dict[str, tuple[Phrase, ...]] = {}
    for name in raw:
        _resolve_synset(name, raw, resolved, (), sink)
    return resolved


def _resolve_synset(
    name: str,
    raw: Mapping[str, _RawSynset],
    resolved: dict[str, tuple[Phrase, ...]],
    chain: tuple[str, ...],
    sink: ErrorSink,
) -> tuple[Phrase, ...]:
    if name in resolved:
        return resolved[name]
    synset = raw[name]
    phrases: list[Phrase] = []
    for member in synset.members:
        try:
            phrases.extend(_member_phrases(member, synset, raw, resolved, (*chain, name), sink))
        except DictionaryError as error:
            sink.report(error)
    resolved[name] = tuple(dict.fromkeys(phrases))
    return resolved[name]


def _member_phrases(
    member: DictionaryLine,
    synset: _RawSynset,
    raw: Mapping[str, _RawSynset],
    resolved: dict[str, tuple[Phrase, ...]],
    chain: tuple[str, ...],
    sink: ErrorSink,
) -> list[Phrase]:
    text = member.text[1:].strip()
    if text.startswith("&"):
        nested = text[1:].rstrip("_").upper()
        if nested in chain:
            raise sink.error_at(member.number, f"synonym set &{nested} contains itself")
        if nested not in raw:
            raise DictionaryError(
                Errors.DW206, path=sink.path, line=member.number, name=f"&{nested}"
            )
        return list(_resolve_synset(nested, raw, resolved, chain, sink))
    try:
        if text.startswith("("):
            return list(_pattern_phrases(text, _resolved_view(raw, resolved)))
    except PatternError as exc:
        if exc.name is not None:
            raise DictionaryError(
                Errors.DW206, path=sink.path, line=member.number, name=exc.name
            ) from exc
        raise sink.error_at(member.number, str(exc)) from exc
    words = tuple(w.lower() for w in split_words(text))
    if not words or any(c in text for c in "(){}[]"):
        raise sink.error_at(member.number, f"bad synonym set member {member.text!r}")
    phrases = [Phrase(words)]
    if synset.plurals and not text.endswith("_"):
        phrases.append(Phrase((*words[:-1], plural_of(words[-1]))))
    return phrases


def _resolved_view(
    raw: Mapping[str, _RawSynset], resolved: Mapping[str, tuple[Phrase, ...]]
) -> Synsets:
    """The sets resolved so far (a member PP may only use those)."""
    return {name: resolved[name] for name in raw if name in resolved}


def _pattern_phrases(text: str, synsets: Synsets) -> tuple[Phrase, ...]:
    """The phrases of a parenthesised synonym set member such as ``(TO THE END)``."""
    elements = _parse_elements(_TOKEN.findall(text))
    if len(elements) != 1 or not isinstance(elements[0], _Group):
        raise PatternError(f"bad synonym set member {text!r}")
    slot = _paren_slots(elements[0], synsets)
    if len(slot) != 1:
        raise PatternError(f"a synonym set member cannot hold $, +, ^ or %: {text!r}")
    return tuple(Phrase(option, slot[0].prep) for option in slot[0].options)


# ---------------------------------------------------------------------- patterns


@dataclass(frozen=True, slots=True)
class _Group:
    kind: str
    """'(' for a prepositional phrase, '{' for a noun phrase."""
    items: tuple[str | _Group, ...]


def compile_pattern(pattern: str, synsets: Synsets) -> CompiledPattern:
    """Compile a PETRARCH pattern body such as ``$ * (TO PEACE &TREATY) +``.

    ``synsets`` maps upper-case set names (without ``&``) to their phrases.
    Raises ``PatternError`` for a malformed pattern or an unknown set.
    """
    elements = _parse_elements(_TOKEN.findall(pattern))
    stars = [i for i, e in enumerate(elements) if e == "*"]
    if len(stars) != 1:
        raise PatternError(f"a pattern needs exactly one '*' (the verb), found {len(stars)}")
    before = _slots(elements[: stars[0]], synsets)
    after = _slots(elements[stars[0] + 1 :], synsets)
    kinds = [s.kind for s in (*before, *after)]
    if kinds.count("source") > 1 or kinds.count("target") > 1:
        raise PatternError("a pattern has at most one source ($ or %) and one target (+ or %)")
    return CompiledPattern(before, after, compound="%" in _flatten(elements))


def _parse_elements(tokens: Sequence[str]) -> tuple[str | _Group, ...]:
    stack: list[tuple[str, list[str | _Group]]] = [("", [])]
    for token in tokens:
        if token in "({":
            if any(kind == "{" for kind, _ in stack) or (token == "(" and len(stack) > 1):
                raise PatternError(f"'{token}' cannot be nested here")
            stack.append((token, []))
        elif token in ")}":
            kind, items = stack.pop() if len(stack) > 1 else ("", [])
            if {"(": ")", "{": "}"}.get(kind) != token:
                raise PatternError(f"unbalanced '{token}'")
            stack[-1][1].append(_Group(kind, tuple(items)))
        else:
            stack[-1][1].append(token)
    if len(stack) > 1:
        raise PatternError(f"'{stack[-1][0]}' is never closed")
    return tuple(stack[0][1])


def _flatten(elements: Iterable[str | _Group]) -> list[str]:
    flat: list[str] = []
    for element in elements:
        flat.extend(_flatten(element.items) if isinstance(element, _Group) else [element])
    return flat


def _slots(elements: Sequence[str | _Group], synsets: Synsets) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    for element in elements:
        if isinstance(element, _Group):
            slots.extend(
                _paren_slots(element, synsets)
                if element.kind == "("
                else [_noun_slot(element, synsets)]
            )
        elif element in _ROLE_SLOTS:
            slots.extend(Slot(kind) for kind in _ROLE_SLOTS[element])
        elif element == "*":
            raise PatternError("'*' cannot stand inside a phrase")
        else:
            slots.append(_phrase_slot(_alternatives(element, synsets)))
    return tuple(slots)


def _paren_slots(group: _Group, synsets: Synsets) -> list[Slot]:
    """``(TO PEACE)`` → one slot with prep "to"; with ``$ + ^ %`` inside, a slot each."""
    if not group.items:
        raise PatternError("empty '()'")
    if any(item in _ROLE_SLOTS for item in group.items):
        return list(_slots(group.items, synsets))
    first, rest = group.items[0], group.items[1:]
    if isinstance(first, str) and not first.startswith("&") and "_" not in first and rest:
        options = _product([_alternatives(item, synsets) for item in rest])
        return [_phrase_slot(tuple(Phrase(o.folded()) for o in options), prep=first.lower())]
    return [_phrase_slot(_product([_alternatives(item, synsets) for item in group.items]))]


def _noun_slot(group: _Group, synsets: Synsets) -> Slot:
    if not group.items or any(item in _ROLE_SLOTS or item == "*" for item in group.items):
        raise PatternError("'{...}' holds words and &SETS only")
    return _phrase_slot(_product([_alternatives(item, synsets) for item in group.items]))


def _alternatives(item: str | _Group, synsets: Synsets) -> tuple[Phrase, ...]:
    if isinstance(item, _Group):
        if item.kind == "{":
            return tuple(Phrase(option) for option in _noun_slot(item, synsets).options)
        raise PatternError("'(...)' cannot stand inside another phrase")
    if item in _ROLE_SLOTS:
        raise PatternError(f"'{item}' cannot stand inside a phrase")
    if item.startswith("&"):
        name = item[1:].rstrip("_").upper()
        if name not in synsets:
            raise PatternError(f"unknown synonym set {item}", name=item)
        return synsets[name]
    words = tuple(w.lower() for w in split_words(item))
    if not words:
        raise PatternError(f"bad pattern word {item!r}")
    return (Phrase(words),)


def _product(parts: Sequence[tuple[Phrase, ...]]) -> tuple[Phrase, ...]:
    combined = (
        Phrase(tuple(word for phrase in combo for word in phrase.folded()))
        for combo in itertools.product(*parts)
    )
    return tuple(dict.fromkeys(combined))


def _phrase_slot(phrases: tuple[Phrase, ...], prep: str | None = None) -> Slot:
    """One words slot; a shared preposition stays ``prep``, mixed ones fold into the words."""
    preps = {phrase.prep for phrase in phrases}
    if prep is None and len(preps) == 1:
        prep = preps.pop()
        options = tuple(phrase.words for phrase in phrases)
    else:
        options = tuple(phrase.folded() for phrase in phrases)
    return Slot("words", tuple(dict.fromkeys(options)), prep)


# ------------------------------------------------------------------------ rules


def _compile_block(block: _Block, synsets: Synsets, sink: ErrorSink) -> list[TriggerRule]:
    verbs = block.verbs or _fallback_verbs(block, sink)
    rules = [_default_rule(verb, block, sink) for verb in verbs]
    for line in block.patterns:
        try:
            rules.extend(_pattern_rules(line, verbs, synsets, sink))
        except DictionaryError as error:
            sink.report(error)
    return rules


def _fallback_verbs(block: _Block, sink: ErrorSink) -> list[_Verb]:
    """A block that lists no verb codes the verb its header names."""
    try:
        return [_parse_verb(block.name, block.line, sink)]
    except DictionaryError as error:
        sink.report(error)
        return []


def _default_rule(verb: _Verb, block: _Block, sink: ErrorSink) -> TriggerRule:
    code, reverse = verb.code or block.code
    return _rule(verb, code, reverse, (), (), f"{sink.path}:{verb.line}")


def _pattern_rules(
    line: DictionaryLine, verbs: Sequence[_Verb], synsets: Synsets, sink: ErrorSink
) -> list[TriggerRule]:
    match = _PATTERN_LINE.match(line.text)
    if match is None:
        raise sink.error_at(line.number, f"pattern {line.text!r} does not end with a [code]")
    code, reverse = _parse_code(match["code"], sink, line.number)
    body = match["body"][1:] if match["body"].startswith("-") else match["body"]
    try:
        compiled = compile_pattern(body, synsets)
    except PatternError as exc:
        if exc.name is not None:
            raise DictionaryError(
                Errors.DW206, path=sink.path, line=line.number, name=exc.name
            ) from exc
        raise sink.error_at(line.number, f"{exc} in {line.text!r}") from exc
    if compiled.compound and reverse is None and code != NULL_CODE:
        reverse = code  # a compound ("X and Y agreed") codes both directions
    origin = f"{sink.path}:{line.number}"
    return [_rule(verb, code, reverse, compiled.before, compiled.after, origin) for verb in verbs]


def _rule(
    verb: _Verb,
    code: str,
    reverse: str | None,
    before: tuple[Slot, ...],
    after: tuple[Slot, ...],
    origin: str,
) -> TriggerRule:
    return TriggerRule(
        lemma=verb.lemma,
        code=code,
        particle=verb.particle,
        before=before + verb.before,
        after=verb.extra_after + after,
        forms=verb.forms,
        reverse_code=reverse,
        origin=origin,
    )
