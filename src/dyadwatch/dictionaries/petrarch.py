"""Readers for users' PETRARCH/TABARI actor, agent and discard dictionaries.

The files are read *as they are* and compiled to the entries of
``dyadwatch.actors.dictionary``. What of the format is supported is written
down in ``docs/DICTIONARIES.md``; in short:

* actors: ``NAME [CODE]`` lines, ``+SYNONYM`` lines and indented ``[CODE …]``
  lines that belong to the actor above, date-ranged codes
  (``[GONGOV >19950101]``, ``[GONELI <941231]``, ``[X 19950101-19961231]``);
* agents: ``NOUN {PLURALS} [~CODE]`` or ``[CODE~]`` and ``!MACRO! = A, B``;
* discards: one phrase a line, a leading ``+`` marks a story-level discard.

``_`` and spaces both separate words. PETRARCH does no stemming, so by
default neither do we; ``tabari_stems=True`` restores TABARI's reading, in
which a last word without a trailing ``_`` is a stem.

Every malformed line raises ``DictionaryError`` naming file and line. Pass
``on_error`` to collect those errors instead and skip the bad lines.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    AgentEntry,
    DatedCode,
    DiscardEntry,
)
from dyadwatch.errors import DictionaryError, ErrorCode, Errors

__all__ = [
    "DictionaryLine",
    "ErrorSink",
    "OnError",
    "dictionary_lines",
    "load_petrarch_dictionary",
    "plural_of",
    "read_actors",
    "read_agents",
    "read_discards",
    "split_words",
]

OnError = Callable[[DictionaryError], None]
"""Receives each malformed line's error; the reader then skips the line."""

_WORD_SPLIT = re.compile(r"[\s_]+")
_ACTOR_LINE = re.compile(
    r"^(?P<phrase>[^\[\]{}]*?)\s*(?P<plurals>\{[^{}\[\]]*\})?\s*(?P<codes>(?:\[[^\[\]]*\]\s*)*)$"
)
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_ACTOR_CODE = r"[A-Za-z][A-Za-z0-9]*(?:/[A-Za-z][A-Za-z0-9]*)*|---|\+\+\+|###"
_DATE = r"\d{8}|\d{6}"
_CODE_BLOCK = re.compile(
    rf"^\s*(?P<code>{_ACTOR_CODE})\s*"
    rf"(?:(?P<op>[<>])\s*(?P<day>{_DATE})|(?P<start>{_DATE})\s*-\s*(?P<end>{_DATE}))?\s*$"
)
_AGENT_LINE = re.compile(
    r"^(?P<phrase>[^\[\]{}]*?)\s*(?P<plurals>\{[^{}\[\]]*\})?\s*\[(?P<code>[^\[\]]*)\]$"
)
_AGENT_CODE = re.compile(r"^(?:~(?P<suffix>[A-Za-z0-9]+)|(?P<prefix>[A-Za-z0-9]+)~)$")
_MACRO_DEF = re.compile(r"^!(?P<name>[A-Za-z0-9_]+)!\s*=\s*(?P<members>.*)$")
_MACRO_REF = re.compile(r"!([A-Za-z0-9_]+)!")
_SIBILANT_ENDS = ("S", "X", "Z", "CH", "SH")


# ---------------------------------------------------------------- shared lines


@dataclass(frozen=True, slots=True)
class DictionaryLine:
    """A dictionary line with comments removed and whitespace stripped."""

    number: int
    text: str
    indented: bool


@dataclass(frozen=True, slots=True)
class ErrorSink:
    """Raises a reader's errors, or hands them to ``on_error`` and goes on."""

    error: ErrorCode
    path: Path
    on_error: OnError | None = None

    def error_at(self, line: int | None, detail: str) -> DictionaryError:
        return DictionaryError(self.error, path=self.path, line=line, detail=detail)

    def report(self, error: DictionaryError) -> None:
        if self.on_error is None:
            raise error
        self.on_error(error)


def dictionary_lines(sink: ErrorSink) -> Iterator[DictionaryLine]:
    """The non-blank lines of ``sink.path`` without ``#`` and ``<!-- -->`` comments.

    A ``#`` inside ``[...]`` is part of a code (TABARI's ``[###]``), not a
    comment. A line starting with ``<!`` opens a comment that ends at the
    next ``-->``. Raises ``DictionaryError`` when the file cannot be read.
    """
    comment_start: int | None = None
    for number, raw in enumerate(_read_text(sink).splitlines(), start=1):
        if comment_start is not None:
            if "-->" in raw:
                comment_start = None
            continue
        if raw.lstrip().startswith("<!"):
            if "-->" not in raw:
                comment_start = number
            continue
        text = _strip_hash_comment(raw)
        if text.strip():
            yield DictionaryLine(number, text.strip(), indented=text[:1].isspace())
    if comment_start is not None:
        sink.report(sink.error_at(comment_start, "'<!--' comment is never closed by '-->'"))


def _read_text(sink: ErrorSink) -> str:
    try:
        data = sink.path.read_bytes()
    except OSError as exc:
        raise sink.error_at(None, f"cannot read the file: {exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Old TABARI/PETRARCH dictionaries are often Latin-1.
        return data.decode("latin-1")


def _strip_hash_comment(text: str) -> str:
    depth = 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "#" and depth == 0:
            return text[:index]
    return text


def split_words(phrase: str) -> tuple[str, ...]:
    """The words of a dictionary phrase: ``_`` and whitespace both separate words."""
    return tuple(word for word in _WORD_SPLIT.split(phrase.strip()) if word)


def plural_of(phrase: str) -> str:
    """The regular English plural of a phrase's last word, in the word's case."""
    upper = phrase.upper()
    lower_case = phrase[-1:].islower()
    if upper.endswith("Y") and len(upper) > 1 and upper[-2] not in "AEIOU":
        suffix, cut = "IES", 1
    elif upper.endswith(_SIBILANT_ENDS):
        suffix, cut = "ES", 0
    else:
        suffix, cut = "S", 0
    stem = phrase[: len(phrase) - cut]
    return stem + (suffix.lower() if lower_case else suffix)


def _entry_phrase(raw: str, sink: ErrorSink, line: int) -> tuple[str, bool]:
    """A phrase as text plus whether its last word lacks a trailing ``_``."""
    words = split_words(raw)
    if not words:
        raise sink.error_at(line, f"empty phrase in {raw.strip()!r}")
    return " ".join(words), not raw.rstrip().endswith("_")


def _brace_items(braces: str | None) -> tuple[str, ...] | None:
    """The whitespace-separated items of a ``{...}`` group, or None without one."""
    if braces is None:
        return None
    return tuple(braces[1:-1].split())


# ---------------------------------------------------------------------- actors


@dataclass(slots=True)
class _ActorBlock:
    """An actor being read: its phrases and codes, until the next actor line."""

    line: int
    phrases: list[tuple[str, bool]]
    codes: list[DatedCode] = field(default_factory=list)
    broken: bool = False
    """A block whose actor line was bad: it swallows its synonyms and codes."""


def read_actors(
    path: str | Path, *, on_error: OnError | None = None, tabari_stems: bool = False
) -> tuple[ActorEntry, ...]:
    """Read a PETRARCH/TABARI actor dictionary; one entry per phrase and synonym.

    Raises ``DictionaryError`` (DW201) for a malformed line unless ``on_error``
    is given, which then receives the error while reading goes on.
    """
    sink = ErrorSink(Errors.DW201, Path(path), on_error)
    entries: list[ActorEntry] = []
    block: _ActorBlock | None = None
    for line in dictionary_lines(sink):
        try:
            if line.text.startswith(("+", "[")):
                _extend_actor_block(line, block, sink)
                continue
            _close_actor_block(block, sink, entries)
            block = _ActorBlock(line.number, [], broken=True)
            block = _open_actor_block(line, sink)
        except DictionaryError as error:
            sink.report(error)
    _close_actor_block(block, sink, entries)
    return _with_stems(entries, tabari_stems)


def _extend_actor_block(line: DictionaryLine, block: _ActorBlock | None, sink: ErrorSink) -> None:
    """Add a ``+SYNONYM`` or ``[CODE …]`` line to the actor above it."""
    text = line.text
    if block is None:
        raise sink.error_at(line.number, f"{text!r} comes before any actor")
    if block.broken:
        return
    if text.startswith("+"):
        if "[" in text:
            raise sink.error_at(line.number, "a synonym takes its actor's codes")
        block.phrases.append(_entry_phrase(text[1:], sink, line.number))
    else:
        block.codes.extend(_parse_code_blocks(text, sink, line.number))


def _open_actor_block(line: DictionaryLine, sink: ErrorSink) -> _ActorBlock:
    match = _ACTOR_LINE.match(line.text)
    if match is None:
        raise sink.error_at(line.number, f"cannot read {line.text!r} as 'NAME [CODE]'")
    phrases = [_entry_phrase(match["phrase"], sink, line.number)]
    phrases.extend(
        _entry_phrase(item, sink, line.number) for item in _brace_items(match["plurals"]) or ()
    )
    block = _ActorBlock(line.number, phrases)
    block.codes.extend(_parse_code_blocks(match["codes"], sink, line.number))
    return block


def _close_actor_block(
    block: _ActorBlock | None, sink: ErrorSink, entries: list[ActorEntry]
) -> None:
    if block is None or block.broken:
        return
    name = block.phrases[0][0]
    if not block.codes:
        sink.report(sink.error_at(block.line, f"actor {name!r} has no [CODE]"))
        return
    codes = tuple(block.codes)
    entries.extend(ActorEntry(phrase, codes, name, stem=stem) for phrase, stem in block.phrases)


def _with_stems(entries: list[ActorEntry], tabari_stems: bool) -> tuple[ActorEntry, ...]:
    if tabari_stems:
        return tuple(entries)
    return tuple(ActorEntry(e.phrase, e.codes, e.name, e.kind) if e.stem else e for e in entries)


def _parse_code_blocks(text: str, sink: ErrorSink, line: int) -> list[DatedCode]:
    """The ``[CODE …]`` groups of ``text``; anything else on the line is an error."""
    leftover = _BRACKETS.sub("", text).strip()
    if leftover:
        raise sink.error_at(line, f"unexpected text {leftover!r} outside [CODE] brackets")
    return [_parse_dated_code(inner, sink, line) for inner in _BRACKETS.findall(text)]


def _parse_dated_code(inner: str, sink: ErrorSink, line: int) -> DatedCode:
    match = _CODE_BLOCK.match(inner)
    if match is None:
        raise sink.error_at(
            line,
            f"bad code block [{inner}]: expected CODE, CODE <DATE, CODE >DATE or CODE DATE-DATE",
        )
    code = match["code"].upper()
    if match["op"] == "<":
        # '<D' and '>D' exclude D itself; an explicit interval includes its ends.
        return DatedCode(code, end=_parse_day(match["day"], sink, line) - dt.timedelta(days=1))
    if match["op"] == ">":
        return DatedCode(code, start=_parse_day(match["day"], sink, line) + dt.timedelta(days=1))
    if match["start"]:
        start = _parse_day(match["start"], sink, line)
        end = _parse_day(match["end"], sink, line)
        if end < start:
            raise sink.error_at(line, f"date range [{inner}] ends before it starts")
        return DatedCode(code, start, end)
    return DatedCode(code)


def _parse_day(digits: str, sink: ErrorSink, line: int) -> dt.date:
    """YYYYMMDD, or TABARI's YYMMDD (69-99 → 19xx, 00-68 → 20xx, as POSIX %y)."""
    try:
        if len(digits) == 6:
            return dt.datetime.strptime(digits, "%y%m%d").date()
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise sink.error_at(line, f"invalid date {digits!r}") from exc


# ---------------------------------------------------------------------- agents


def read_agents(
    path: str | Path, *, on_error: OnError | None = None, tabari_stems: bool = False
) -> tuple[AgentEntry, ...]:
    """Read a PETRARCH agent dictionary, expanding ``!MACRO!`` lists and plurals.

    Without ``{...}`` a regular plural of the last word is added; ``{}``
    means no plural and ``{A B}`` lists the plurals. Phrases built from a
    macro get no automatic plural (the macro list carries number forms).
    Raises ``DictionaryError`` (DW202) unless ``on_error`` is given.
    """
    sink = ErrorSink(Errors.DW202, Path(path), on_error)
    lines = list(dictionary_lines(sink))
    macros = _read_macros(lines, sink)
    entries: list[AgentEntry] = []
    for line in lines:
        if _MACRO_DEF.match(line.text):
            continue
        try:
            entries.extend(_read_agent_line(line, macros, sink, tabari_stems))
        except DictionaryError as error:
            sink.report(error)
    return tuple(entries)


def _read_macros(lines: Iterable[DictionaryLine], sink: ErrorSink) -> dict[str, tuple[str, ...]]:
    macros: dict[str, tuple[str, ...]] = {}
    for line in lines:
        match = _MACRO_DEF.match(line.text)
        if match is None:
            continue
        members = tuple(item.strip() for item in match["members"].split(","))
        if not all(members):
            sink.report(sink.error_at(line.number, f"macro !{match['name']}! has an empty item"))
            continue
        macros[match["name"].upper()] = members
    return macros


def _read_agent_line(
    line: DictionaryLine, macros: dict[str, tuple[str, ...]], sink: ErrorSink, tabari_stems: bool
) -> list[AgentEntry]:
    match = _AGENT_LINE.match(line.text)
    if match is None:
        raise sink.error_at(line.number, f"cannot read {line.text!r} as 'NOUN [~CODE]'")
    code_match = _AGENT_CODE.match(match["code"].replace(" ", ""))
    if code_match is None:
        raise sink.error_at(
            line.number, f"bad agent code [{match['code']}]: use [~CODE] or [CODE~]"
        )
    prefix = code_match["prefix"] is not None
    code = (code_match["prefix"] or code_match["suffix"]).upper()
    raw_phrases = _expand_macros(match["phrase"], macros, sink, line.number)
    plurals = _brace_items(match["plurals"])
    if plurals is None and not _MACRO_REF.search(match["phrase"]):
        plurals = (plural_of(raw_phrases[0].rstrip("_ ")),)
    entries = []
    for raw in (*raw_phrases, *(plurals or ())):
        phrase, stem = _entry_phrase(raw, sink, line.number)
        entries.append(AgentEntry(phrase, code, prefix, stem=stem and tabari_stems))
    return entries


def _expand_macros(
    raw: str, macros: dict[str, tuple[str, ...]], sink: ErrorSink, line: int
) -> tuple[str, ...]:
    pieces = _MACRO_REF.split(raw)
    # split() alternates literal text and macro names.
    choices: list[tuple[str, ...]] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            choices.append((piece,))
        elif piece.upper() in macros:
            choices.append(macros[piece.upper()])
        else:
            raise sink.error_at(line, f"unknown macro !{piece}!")
    return tuple("".join(parts) for parts in itertools.product(*choices))


# -------------------------------------------------------------------- discards


def read_discards(
    path: str | Path, *, on_error: OnError | None = None, tabari_stems: bool = False
) -> tuple[DiscardEntry, ...]:
    """Read a PETRARCH discard list: one phrase a line, ``+`` = story-level.

    Raises ``DictionaryError`` (DW204) unless ``on_error`` is given.
    """
    sink = ErrorSink(Errors.DW204, Path(path), on_error)
    entries: list[DiscardEntry] = []
    for line in dictionary_lines(sink):
        try:
            entries.append(_read_discard_line(line, sink, tabari_stems))
        except DictionaryError as error:
            sink.report(error)
    return tuple(entries)


def _read_discard_line(line: DictionaryLine, sink: ErrorSink, tabari_stems: bool) -> DiscardEntry:
    story = line.text.startswith("+")
    raw = line.text[1:] if story else line.text
    if any(char in raw for char in "[]{}"):
        raise sink.error_at(line.number, f"a discard is a bare phrase, not {line.text!r}")
    phrase, stem = _entry_phrase(raw, sink, line.number)
    return DiscardEntry(phrase, story=story, stem=stem and tabari_stems)


# ------------------------------------------------------------------ dictionary


def load_petrarch_dictionary(
    actors: str | Path | None = None,
    agents: str | Path | None = None,
    discards: str | Path | None = None,
    *,
    on_error: OnError | None = None,
    tabari_stems: bool = False,
) -> ActorDictionary:
    """Bundle whichever PETRARCH actor, agent and discard files are given."""
    stems = tabari_stems
    return ActorDictionary(
        read_actors(actors, on_error=on_error, tabari_stems=stems) if actors else (),
        read_agents(agents, on_error=on_error, tabari_stems=stems) if agents else (),
        read_discards(discards, on_error=on_error, tabari_stems=stems) if discards else (),
    )
