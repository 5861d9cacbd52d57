"""dyadwatch's own trigger lexicon: YAML data compiled to :class:`TriggerRule` objects.

The built-in lexicon is ``data/triggers.yaml``; its format is documented in
``docs/LEXICON.md``. In short, a file holds three sections:

* ``topics``: named word patterns for *what* an appeal, promise, demand or
  refusal is about ("talks", "release of prisoners", "ceasefire" …);
* ``frames``: for each family of heads (appeal, intent, demand, refusal, aid),
  the CAMEO code each topic takes, mirroring CAMEO's parallel sub-codes
  (026 appeal to meet, 036 intent to meet, 106 demand meeting, 125 reject meeting);
* ``triggers``: head words (verbs or nouns) with a default code, optional
  particle, irregular forms, a frame, and more specific context ``rules``.

Every code is checked against the CAMEO ontology. A malformed entry raises
``DictionaryError`` (DW207) naming the file and the line of the bad node.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import yaml

from dyadwatch.coder.rules import NULL_CODE, Slot, TriggerRule
from dyadwatch.errors import DictionaryError, Errors
from dyadwatch.ontology.cameo import CameoOntology, load_cameo
from dyadwatch.yaml_nodes import compose_knowledge, knowledge_error, mapping_fields

__all__ = ["BUILTIN_LEXICON", "load_builtin_rules", "parse_lexicon"]

BUILTIN_LEXICON = "triggers.yaml"
"""The built-in lexicon's file name inside ``dyadwatch.coder.data``."""

# spaCy splits a hyphen between letters or digits into its own token.
_INFIX_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_ROLE_WORDS = frozenset({"source", "target", "skip"})
_ENTRY_KEYS = frozenset(
    {"verb", "noun", "particle", "forms", "code", "reverse", "frame", "lead", "rules"}
)
_RULE_KEYS = frozenset({"before", "after", "clause", "code", "reverse"})
_TOP_KEYS = frozenset({"topics", "frames", "triggers"})

Pos = Literal["VERB", "NOUN"]
Pattern = tuple[Slot, ...]


@functools.cache
def load_builtin_rules() -> tuple[TriggerRule, ...]:
    """The built-in trigger rules, compiled and validated once per process."""
    resource = importlib.resources.files("dyadwatch.coder.data").joinpath(BUILTIN_LEXICON)
    return parse_lexicon(resource.read_text(encoding="utf-8"), path=BUILTIN_LEXICON)


def parse_lexicon(
    text: str, *, path: str, cameo: CameoOntology | None = None
) -> tuple[TriggerRule, ...]:
    """Compile lexicon YAML ``text``; ``path`` names it in errors and rule origins.

    Raises ``DictionaryError`` (DW207) for YAML syntax errors, malformed entries,
    codes unknown to ``cameo`` (default: the built-in table) and duplicate patterns.
    """
    root = compose_knowledge(text, path, what="lexicon")
    compiler = _Compiler(path, cameo or load_cameo())
    sections = compiler.mapping(root, _TOP_KEYS, required=("triggers",))
    topics = compiler.topics(sections.get("topics"))
    frames = compiler.frames(sections.get("frames"), topics)
    rules = [
        rule
        for entry in compiler.sequence(sections["triggers"])
        for rule in compiler.entry(entry, topics, frames)
    ]
    compiler.reject_duplicates(rules)
    return tuple(rules)


@dataclass(frozen=True, slots=True)
class _Frame:
    """Topic name → CAMEO code for one family of heads."""

    codes: Mapping[str, str]
    line: int


@dataclass(frozen=True, slots=True)
class _Compiler:
    """Turns YAML nodes into rules; knows the file for error messages."""

    path: str
    cameo: CameoOntology

    # -- generic node helpers -------------------------------------------------

    def error(self, node: yaml.Node, detail: str) -> DictionaryError:
        return knowledge_error(self.path, node, detail)

    def mapping(
        self, node: yaml.Node, allowed: frozenset[str], required: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node]:
        return mapping_fields(
            node, path=self.path, key=self.scalar, allowed=allowed, required=required
        )

    def flag(self, node: yaml.Node) -> bool:
        value = self.scalar(node).lower()
        if value not in ("true", "false"):
            raise self.error(node, f"expected true or false, not {value!r}")
        return value == "true"

    def sequence(self, node: yaml.Node) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, "expected a list")
        return list(node.value)

    def scalar(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.error(node, "expected a non-empty word or code")
        return str(node.value).strip()

    def words(self, node: yaml.Node) -> list[str]:
        """A scalar or a list of scalars."""
        if isinstance(node, yaml.SequenceNode):
            return [self.scalar(item) for item in node.value]
        return [self.scalar(node)]

    def code(self, node: yaml.Node, *, allow_null: bool = True) -> str:
        code = self.scalar(node)
        if code == NULL_CODE and allow_null:
            return code
        if not self.cameo.is_known(code):
            raise self.error(node, f"unknown CAMEO event code {code!r}")
        return code

    # -- slots and patterns ---------------------------------------------------

    def slot(self, node: yaml.Node) -> Slot:
        """``source`` / ``target`` / ``skip``, or ``"a|b c|d*"`` (alternative word sequences).

        A leading ``^`` makes the slot adjacent: it must match where the previous
        slot (or the head word) ends, determiners and adjectives aside.
        """
        text = self.scalar(node).lower()
        if text in _ROLE_WORDS:
            return Slot(text)  # type: ignore[arg-type]  # narrowed by _ROLE_WORDS
        adjacent = text.startswith("^")
        text = text.removeprefix("^")
        options = tuple(_tokens(option) for option in text.split("|"))
        if any(not option for option in options):
            raise self.error(node, f"empty alternative in slot {text!r}")
        return Slot("words", options, adjacent=adjacent)

    def pattern(self, node: yaml.Node) -> Pattern:
        """One slot (a string) or an ordered list of slots."""
        if isinstance(node, yaml.SequenceNode):
            if not node.value:
                raise self.error(node, "empty pattern")
            return tuple(self.slot(item) for item in node.value)
        return (self.slot(node),)

    # -- sections -------------------------------------------------------------

    def topics(self, node: yaml.Node | None) -> dict[str, tuple[Pattern, ...]]:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, "topics must map names to lists of patterns")
        return {
            self.scalar(key): tuple(self.pattern(p) for p in self.sequence(value))
            for key, value in node.value
        }

    def frames(
        self, node: yaml.Node | None, topics: Mapping[str, tuple[Pattern, ...]]
    ) -> dict[str, _Frame]:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, "frames must map names to topic → code mappings")
        frames: dict[str, _Frame] = {}
        for key, value in node.value:
            codes = self.mapping(value, frozenset(topics))
            frames[self.scalar(key)] = _Frame(
                {topic: self.code(code, allow_null=False) for topic, code in codes.items()},
                value.start_mark.line + 1,
            )
        return frames

    # -- trigger entries ------------------------------------------------------

    def entry(
        self,
        node: yaml.Node,
        topics: Mapping[str, tuple[Pattern, ...]],
        frames: Mapping[str, _Frame],
    ) -> Iterator[TriggerRule]:
        fields = self.mapping(node, _ENTRY_KEYS, required=("code",))
        pos, heads = self.heads(node, fields)
        defaults = _EntryDefaults(
            pos=pos,
            particle=self.scalar(fields["particle"]).lower() if "particle" in fields else None,
            forms=tuple(w.lower() for w in self.words(fields["forms"]))
            if "forms" in fields
            else (),
            reverse=self.code(fields["reverse"], allow_null=False) if "reverse" in fields else None,
        )
        code = self.code(fields["code"])
        variants: list[_Variant] = [(None, (), (), False, code, defaults.reverse, node)]
        # On equal specificity the first rule wins: explicit rules before frame topics.
        variants.extend(self.rule_variants(fields.get("rules"), code, defaults.reverse))
        variants.extend(self.frame_variants(fields, topics, frames))
        for head in heads:
            lemma, implicit = _split_head(head)
            for _, before, after, clause, code, reverse, where in variants:
                yield TriggerRule(
                    lemma=lemma,
                    code=code,
                    pos=defaults.pos,
                    particle=defaults.particle,
                    before=(*before, *implicit),
                    after=after,
                    forms=defaults.forms,
                    reverse_code=reverse,
                    origin=f"{self.path}:{where.start_mark.line + 1}",
                    clause=clause,
                )

    def heads(self, node: yaml.Node, fields: Mapping[str, yaml.Node]) -> tuple[Pos, list[str]]:
        if ("verb" in fields) == ("noun" in fields):
            raise self.error(node, "an entry needs exactly one of 'verb' or 'noun'")
        pos: Pos = "VERB" if "verb" in fields else "NOUN"
        heads = [h.lower() for h in self.words(fields["verb" if pos == "VERB" else "noun"])]
        if pos == "VERB" and any(" " in h for h in heads):
            raise self.error(node, "a verb head is one word; use 'particle' or 'rules'")
        return pos, heads

    def frame_variants(
        self,
        fields: Mapping[str, yaml.Node],
        topics: Mapping[str, tuple[Pattern, ...]],
        frames: Mapping[str, _Frame],
    ) -> Iterator[_Variant]:
        if "frame" not in fields:
            if "lead" in fields:
                raise self.error(fields["lead"], "'lead' needs a 'frame'")
            return
        name = self.scalar(fields["frame"])
        if name not in frames:
            raise self.error(fields["frame"], f"unknown frame {name!r}")
        lead = self.pattern(fields["lead"]) if "lead" in fields else ()
        for topic, code in frames[name].codes.items():
            for pattern in topics[topic]:
                yield (topic, (), (*lead, *pattern), False, code, None, fields["frame"])

    def rule_variants(
        self, node: yaml.Node | None, default_code: str, default_reverse: str | None
    ) -> Iterator[_Variant]:
        if node is None:
            return
        for item in self.sequence(node):
            rule = self.mapping(item, _RULE_KEYS, required=("code",))
            clause = self.flag(rule["clause"]) if "clause" in rule else False
            if "before" not in rule and "after" not in rule and not clause:
                raise self.error(item, "a rule needs 'before' or 'after' slots, or 'clause'")
            before = self.pattern(rule["before"]) if "before" in rule else ()
            after = self.pattern(rule["after"]) if "after" in rule else ()
            code = self.code(rule["code"])
            # The entry's reverse code holds only while a rule codes the entry's event.
            reverse = default_reverse if code == default_code else None
            if "reverse" in rule:
                reverse = self.code(rule["reverse"], allow_null=False)
            yield (None, before, after, clause, code, reverse, item)

    def reject_duplicates(self, rules: list[TriggerRule]) -> None:
        """Two rules with the same head and slots would tie: the file is ambiguous."""
        seen: dict[tuple[object, ...], TriggerRule] = {}
        for rule in rules:
            key = (rule.lemma, rule.pos, rule.particle, rule.before, rule.after, rule.clause)
            if key in seen:
                first = seen[key]
                line = int(rule.origin.rsplit(":", 1)[1])
                raise DictionaryError(
                    Errors.DW207,
                    path=self.path,
                    line=line,
                    detail=f"{rule.pos.lower()} {rule.lemma!r} repeats the pattern of line "
                    f"{first.origin.rsplit(':', 1)[1]}",
                )
            seen[key] = rule


_Variant = tuple[str | None, Pattern, Pattern, bool, str, str | None, yaml.Node]
"""(topic, before slots, after slots, clause, code, reverse code, node giving the line)."""


@dataclass(frozen=True, slots=True)
class _EntryDefaults:
    pos: Pos
    particle: str | None
    forms: tuple[str, ...]
    reverse: str | None


def _tokens(text: str) -> tuple[str, ...]:
    """Words as spaCy's English tokenizer splits them: "sit-in" → ("sit", "-", "in")."""
    return tuple(_INFIX_HYPHEN.sub(" - ", text).split())


def _split_head(head: str) -> tuple[str, Pattern]:
    """A multi-word or hyphenated head: its last word, after a slot for the rest.

    "drone strike" → lemma "strike" with a before slot "drone"; "cease-fire" → "fire"
    after "cease -".
    """
    *modifiers, lemma = _tokens(head)
    if not modifiers:
        return lemma, ()
    return lemma, (Slot("words", (tuple(modifiers),)),)
