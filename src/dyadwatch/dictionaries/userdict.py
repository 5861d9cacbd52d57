"""Readers for dyadwatch's own user dictionaries (YAML and CSV).

A user dictionary adds actors, agents (sector words), discards and, in YAML,
trigger rules to the built-in knowledge. The formats are documented with
examples in ``docs/DICTIONARIES.md``. In short, YAML::

    actors:
      - {phrase: Gondor, code: GON}
      - name: Sam Gamgee
        phrases: [Sam Gamgee, Samwise]
        codes:
          - {code: HOBCIV, end: 2008-01-19}
          - {code: HOBMIL, start: 2008-01-20}
    agents:
      - {phrase: army, sector: MIL}
    discards:
      - months later
      - {phrase: World Golf Championships, story: true}
    synsets:
      treaty: [treaty, pact, peace accord]
    rules:
      - {lemma: agree, code: "057", pattern: "* (to peace &treaty)"}

and CSV, one phrase a row: ``type,phrase,code,start,end,name,kind,prefix,story``.

A phrase ending in ``*`` matches its last word as a prefix. Every bad entry
raises ``DictionaryError`` (DW205) naming file and line, unless ``on_error``
collects the errors and the bad entries are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast, get_args

import yaml

from dyadwatch.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    ActorKind,
    AgentEntry,
    DatedCode,
    DiscardEntry,
)
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.dictionaries.petrarch import ErrorSink, OnError, split_words
from dyadwatch.dictionaries.petrarch_verbs import PatternError, Phrase, compile_pattern
from dyadwatch.errors import DictionaryError, Errors

__all__ = ["read_user_dictionary", "read_user_rules"]

_SECTIONS = frozenset({"actors", "agents", "discards", "synsets", "rules"})
_ACTOR_KEYS = frozenset({"name", "phrase", "phrases", "code", "codes", "start", "end", "kind"})
_AGENT_KEYS = frozenset({"phrase", "sector", "prefix"})
_DISCARD_KEYS = frozenset({"phrase", "story"})
_RULE_KEYS = frozenset({"lemma", "code", "reverse_code", "pattern", "particle", "forms", "pos"})
_CSV_COLUMNS = ("type", "phrase", "code", "start", "end", "name", "kind", "prefix", "story")
_CSV_TYPES = frozenset({"actor", "agent", "discard"})
_ACTOR_CODE = re.compile(r"^(?:[A-Z0-9]+(?:/[A-Z0-9]+)*|---)$")
_SECTOR_CODE = re.compile(r"^[A-Z0-9]+$")
_EVENT_CODE = re.compile(r"^[^\s:\[\]]+$")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0", ""})
_KINDS = frozenset(get_args(ActorKind))

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Node:
    """A YAML or CSV value with the line it starts on."""

    value: object
    line: int


@dataclass(frozen=True, slots=True)
class _Entry:
    """One actor, agent, discard or rule, with typed access to its fields."""

    fields: Mapping[str, _Node]
    line: int
    sink: ErrorSink

    def fail(self, detail: str, key: str | None = None) -> DictionaryError:
        line = self.fields[key].line if key is not None and key in self.fields else self.line
        return self.sink.error_at(line, detail)

    def check_keys(self, allowed: frozenset[str], what: str) -> None:
        unknown = sorted(set(self.fields) - allowed)
        if unknown:
            raise self.fail(f"unknown {what} field(s) {', '.join(unknown)}; use {sorted(allowed)}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        node = self.fields.get(key)
        if node is None or node.value is None or node.value == "":
            if required:
                raise self.fail(f"missing {key!r}")
            return None
        if not isinstance(node.value, str):
            raise self.fail(f"{key!r} must be text; quote it (got {node.value!r})", key)
        return node.value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        node = self.fields.get(key)
        if node is None:
            return ()
        items = node.value if isinstance(node.value, list) else [node]
        values = tuple(item.value for item in items)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(f"{key!r} must be a list of non-empty texts", key)
        return tuple(str(v).strip() for v in values)

    def date(self, key: str) -> dt.date | None:
        node = self.fields.get(key)
        if node is None or node.value in (None, ""):
            return None
        if isinstance(node.value, dt.date) and not isinstance(node.value, dt.datetime):
            return node.value
        try:
            return dt.date.fromisoformat(str(node.value).strip())
        except ValueError as exc:
            raise self.fail(f"{key!r}: invalid date {node.value!r}, use YYYY-MM-DD", key) from exc

    def flag(self, key: str) -> bool:
        node = self.fields.get(key)
        value = node.value if node is not None else None
        if isinstance(value, bool) or value is None:
            return bool(value)
        if str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise self.fail(f"{key!r} must be true or false, not {value!r}", key)


# ---------------------------------------------------------------- public API


def read_user_dictionary(path: str | Path, *, on_error: OnError | None = None) -> ActorDictionary:
    """Read a user dictionary (``.yaml``/``.yml`` or ``.csv``) into an ``ActorDictionary``.

    Raises ``DictionaryError`` (DW205) for an unreadable file or, unless
    ``on_error`` is given, for the first bad entry.
    """
    sink = ErrorSink(Errors.DW205, Path(path), on_error)
    is_csv = sink.path.suffix.lower() == ".csv"
    sections = _csv_sections(sink) if is_csv else _yaml_sections(sink)
    actors = _collect(sections.get("actors", []), sink, _ACTOR_KEYS, "actor", _actor_entries)
    agents = _collect(sections.get("agents", []), sink, _AGENT_KEYS, "agent", _agent_entry)
    discards = _collect(
        sections.get("discards", []), sink, _DISCARD_KEYS, "discard", _discard_entry
    )
    return ActorDictionary(_merge_actors(actors), tuple(agents), tuple(discards))


def read_user_rules(
    path: str | Path, *, on_error: OnError | None = None
) -> tuple[TriggerRule, ...]:
    """Read the ``synsets`` and ``rules`` sections of a YAML user dictionary.

    Each rule's ``pattern`` uses PETRARCH pattern syntax (``$ * (to peace) +``)
    and may name the file's ``synsets`` as ``&name``. Raises
    ``DictionaryError`` (DW205) unless ``on_error`` is given.
    """
    sink = ErrorSink(Errors.DW205, Path(path), on_error)
    if sink.path.suffix.lower() == ".csv":
        raise sink.error_at(None, "trigger rules can only be given in a YAML user dictionary")
    sections = _yaml_sections(sink)
    synsets = _read_synsets(sections.get("synsets"), sink)
    return tuple(
        _collect(
            sections.get("rules", []),
            sink,
            _RULE_KEYS,
            "rule",
            lambda entry: _rule(entry, synsets),
        )
    )


# ---------------------------------------------------------------- file reading


def _read_text(sink: ErrorSink) -> str:
    try:
        return sink.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise sink.error_at(None, f"cannot read the file: {exc}") from exc


def _yaml_sections(sink: ErrorSink) -> dict[str, list[_Node]]:
    if sink.path.suffix.lower() not in (".yaml", ".yml"):
        raise sink.error_at(
            None, f"unsupported suffix {sink.path.suffix!r}: use .yaml, .yml or .csv"
        )
    root = _load_yaml(_read_text(sink), sink)
    if root is None:
        return {}
    if not isinstance(root.value, dict):
        raise sink.error_at(root.line, "the top level must be a mapping of sections")
    sections: dict[str, list[_Node]] = {}
    for name, node in root.value.items():
        if name not in _SECTIONS:
            raise sink.error_at(node.line, f"unknown section {name!r}; use {sorted(_SECTIONS)}")
        if name == "synsets":
            sections[name] = [node]
        elif isinstance(node.value, list):
            sections[name] = node.value
        elif node.value is not None:
            raise sink.error_at(node.line, f"section {name!r} must be a list")
    return sections


_MAX_NODES = 1_000_000
"""YAML nodes one user dictionary may expand to, aliases included."""


def _load_yaml(text: str, sink: ErrorSink) -> _Node | None:
    try:
        # The constructor already scans the text (a control character raises here).
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise sink.error_at(None, f"not valid YAML: {exc}") from exc
    try:
        node = loader.get_single_node()
        return None if node is None else _convert(node, loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise sink.error_at(
            line, f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        ) from exc
    finally:
        loader.dispose()


def _convert(node: yaml.Node, loader: yaml.SafeLoader) -> _Node:
    """Build plain values from YAML nodes, keeping each node's line.

    Aliases may share nodes but not loop (``&a [*a]``) nor expand past
    ``_MAX_NODES`` (a "billion laughs" file): both raise a YAMLError.
    """
    budget = [_MAX_NODES]

    def convert(node: yaml.Node, ancestors: frozenset[int]) -> _Node:
        budget[0] -= 1
        if id(node) in ancestors or budget[0] < 0:
            why = "an alias refers to itself" if id(node) in ancestors else "too many nodes"
            raise yaml.constructor.ConstructorError(None, None, why, node.start_mark)
        inside = ancestors | {id(node)}
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return _Node(
                {
                    str(loader.construct_object(key)): convert(value, inside)
                    for key, value in node.value
                },
                line,
            )
        if isinstance(node, yaml.SequenceNode):
            return _Node([convert(item, inside) for item in node.value], line)
        try:
            return _Node(loader.construct_object(node), line)
        except ValueError:
            # An impossible date such as 1995-13-01: keep the text so that the
            # entry, not the whole file, is rejected.
            return _Node(str(node.value), line)

    return convert(node, frozenset())


def _csv_sections(sink: ErrorSink) -> dict[str, list[_Node]]:
    sections: dict[str, list[_Node]] = {"actors": [], "agents": [], "discards": []}
    for fields, line in _csv_rows(sink):
        try:
            kind = str(fields.pop("type", _Node("", line)).value).strip().lower()
            if kind not in _CSV_TYPES:
                raise sink.error_at(line, f"type {kind!r} must be one of {sorted(_CSV_TYPES)}")
            if kind == "agent" and "code" in fields:
                fields["sector"] = fields.pop("code")  # an agent's code is its sector
            sections[kind + "s"].append(_Node(fields, line))
        except DictionaryError as error:
            sink.report(error)
    return sections


def _csv_rows(sink: ErrorSink) -> Iterator[tuple[dict[str, _Node], int]]:
    """The non-empty cells of each data row by column, with the row's line."""
    reader = csv.reader(io.StringIO(_read_text(sink)))
    header: list[str] | None = None
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            _check_header(header, sink, line)
        elif len(cells) > len(header):
            sink.report(sink.error_at(line, f"{len(cells)} cells for {len(header)} columns"))
        else:
            cells_by_column = zip(header, cells, strict=False)
            yield {col: _Node(cell, line) for col, cell in cells_by_column if cell.strip()}, line


def _check_header(header: Sequence[str], sink: ErrorSink, line: int) -> None:
    unknown = sorted(set(header) - set(_CSV_COLUMNS))
    if unknown or "type" not in header or "phrase" not in header:
        raise sink.error_at(
            line,
            f"CSV header needs 'type' and 'phrase' and may have {list(_CSV_COLUMNS)}"
            + (f"; unknown {unknown}" if unknown else ""),
        )


# ------------------------------------------------------------------- entries


def _collect(
    nodes: Sequence[_Node],
    sink: ErrorSink,
    allowed: frozenset[str],
    what: str,
    build: Callable[[_Entry], list[_T]],
) -> list[_T]:
    """Build every entry of a section; a bad one is reported and skipped."""
    built: list[_T] = []
    for node in nodes:
        try:
            entry = _entry(node, sink, what)
            entry.check_keys(allowed, what)
            built.extend(build(entry))
        except DictionaryError as error:
            sink.report(error)
    return built


def _entry(node: _Node, sink: ErrorSink, what: str) -> _Entry:
    if isinstance(node.value, str) and what == "discard":
        return _Entry({"phrase": node}, node.line, sink)
    if not isinstance(node.value, dict):
        raise sink.error_at(node.line, f"each {what} must be a mapping of fields")
    return _Entry(node.value, node.line, sink)


def _phrase(entry: _Entry, raw: str, key: str) -> tuple[str, bool]:
    """A phrase as written, and whether a trailing ``*`` makes its last word a prefix."""
    stem = raw.endswith("*")
    words = split_words(raw.rstrip("*").replace("_", " "))
    if not words or any(c in raw for c in "[]{}"):
        raise entry.fail(f"bad phrase {raw!r}", key)
    return " ".join(words), stem


def _actor_entries(entry: _Entry) -> list[ActorEntry]:
    raws = (*entry.texts("phrase"), *entry.texts("phrases"))
    if not raws:
        raise entry.fail("an actor needs a 'phrase' or 'phrases'")
    phrases = [
        _phrase(entry, raw, "phrases" if "phrases" in entry.fields else "phrase") for raw in raws
    ]
    kind = entry.text("kind") or "actor"
    if kind not in _KINDS:
        raise entry.fail(f"kind {kind!r} must be one of {sorted(_KINDS)}", "kind")
    codes = _actor_codes(entry)
    name = entry.text("name") or phrases[0][0]
    return [
        ActorEntry(phrase, codes, name, cast(ActorKind, kind), stem) for phrase, stem in phrases
    ]


def _actor_codes(entry: _Entry) -> tuple[DatedCode, ...]:
    codes: list[DatedCode] = []
    if "code" in entry.fields:
        codes.append(_dated_code(entry, entry))
    elif "start" in entry.fields or "end" in entry.fields:
        raise entry.fail("'start'/'end' date the 'code' field, which is missing")
    node = entry.fields.get("codes")
    if node is not None:
        items = node.value if isinstance(node.value, list) else [node]
        codes.extend(_dated_code(entry, _code_item(entry, item)) for item in items)
    if not codes:
        raise entry.fail("an actor needs a 'code' or 'codes'")
    return tuple(codes)


def _code_item(entry: _Entry, node: _Node) -> _Entry:
    """A ``codes`` item: a bare code or a ``{code, start, end}`` mapping."""
    if isinstance(node.value, dict):
        item = _Entry(node.value, node.line, entry.sink)
        item.check_keys(frozenset({"code", "start", "end"}), "code")
        return item
    return _Entry({"code": node}, node.line, entry.sink)


def _dated_code(entry: _Entry, item: _Entry) -> DatedCode:
    code = (item.text("code", required=True) or "").upper()
    if not _ACTOR_CODE.match(code):
        raise item.fail(f"bad actor code {code!r}: use letters and digits (or ---)", "code")
    start, end = item.date("start"), item.date("end")
    if start and end and end < start:
        raise item.fail(f"code {code} ends ({end}) before it starts ({start})", "end")
    return DatedCode(code, start, end)


def _merge_actors(entries: list[ActorEntry]) -> tuple[ActorEntry, ...]:
    """One entry per (phrase, name): CSV gives each dated code of a phrase its own row."""
    merged: dict[tuple[str, str], ActorEntry] = {}
    for entry in entries:
        key = (entry.phrase.lower(), entry.name)
        if key in merged:
            first = merged[key]
            entry = ActorEntry(
                first.phrase, first.codes + entry.codes, first.name, first.kind, first.stem
            )
        merged[key] = entry
    return tuple(merged.values())


def _agent_entry(entry: _Entry) -> list[AgentEntry]:
    phrase, stem = _phrase(entry, entry.text("phrase", required=True) or "", "phrase")
    sector = (entry.text("sector", required=True) or "").upper()
    if not _SECTOR_CODE.match(sector):
        raise entry.fail(f"bad sector code {sector!r}: use letters and digits", "sector")
    return [AgentEntry(phrase, sector, entry.flag("prefix"), stem)]


def _discard_entry(entry: _Entry) -> list[DiscardEntry]:
    phrase, stem = _phrase(entry, entry.text("phrase", required=True) or "", "phrase")
    return [DiscardEntry(phrase, entry.flag("story"), stem)]


# --------------------------------------------------------------------- rules


def _read_synsets(sections: list[_Node] | None, sink: ErrorSink) -> dict[str, tuple[Phrase, ...]]:
    if not sections or sections[0].value is None:
        return {}
    node = sections[0]
    if not isinstance(node.value, dict):
        raise sink.error_at(node.line, "'synsets' must map names to lists of phrases")
    synsets: dict[str, tuple[Phrase, ...]] = {}
    for name, members in node.value.items():
        entry = _Entry({"members": members}, members.line, sink)
        try:
            words = [split_words(m.lower()) for m in entry.texts("members")]
            if not words or not all(words):
                raise entry.fail(f"synset {name!r} needs a list of phrases")
            synsets[name.lstrip("&").upper()] = tuple(Phrase(w) for w in words)
        except DictionaryError as error:
            sink.report(error)
    return synsets


def _rule(entry: _Entry, synsets: Mapping[str, tuple[Phrase, ...]]) -> list[TriggerRule]:
    lemma = (entry.text("lemma", required=True) or "").lower()
    pos = (entry.text("pos") or "VERB").upper()
    if pos not in ("VERB", "NOUN") or not lemma or " " in lemma:
        raise entry.fail("a rule needs a one-word 'lemma' and 'pos' VERB or NOUN")
    code = _event_code(entry, "code", required=True) or ""
    pattern = entry.text("pattern") or "*"
    try:
        compiled = compile_pattern(pattern, synsets)
    except PatternError as exc:
        raise entry.fail(f"bad pattern {pattern!r}: {exc}", "pattern") from exc
    return [
        TriggerRule(
            lemma=lemma,
            code=code,
            pos="NOUN" if pos == "NOUN" else "VERB",
            particle=(entry.text("particle") or "").lower() or None,
            before=compiled.before,
            after=compiled.after,
            forms=tuple(f.lower() for f in entry.texts("forms")),
            reverse_code=_event_code(entry, "reverse_code"),
            origin=f"{entry.sink.path}:{entry.line}",
        )
    ]


def _event_code(entry: _Entry, key: str, *, required: bool = False) -> str | None:
    node = entry.fields.get(key)
    if node is not None and isinstance(node.value, int) and not isinstance(node.value, bool):
        # YAML reads 057 as the number 47: insist on quotes rather than guess.
        raise entry.fail(f'quote the event code in {key!r} (write "057", not 057)', key)
    code = entry.text(key, required=required)
    if code is not None and not _EVENT_CODE.match(code):
        raise entry.fail(f"bad event code {code!r}", key)
    return code
