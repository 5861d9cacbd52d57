"""The rule feature names a lexicon rule by its content, so edits elsewhere leave it alone."""

from __future__ import annotations

import importlib.resources

from dyadwatch.coder.lexicon import BUILTIN_LEXICON, load_builtin_rules, parse_lexicon
from dyadwatch.coder.rules import TriggerRule
from dyadwatch.coder.scoring.features import builtin_rule_keys, rule_feature, rule_keys

# An entry of our own, inserted above every built-in entry.
UNRELATED = '  - verb: frobnicate\n    code: "010"\n'
COMMENT = "  # a comment and a blank line move every line below them\n\n"


def _builtin_text() -> str:
    resource = importlib.resources.files("dyadwatch.coder.data").joinpath(BUILTIN_LEXICON)
    return resource.read_text(encoding="utf-8")


def _by_content(rules: tuple[TriggerRule, ...]) -> dict[tuple[object, ...], TriggerRule]:
    return {(r.lemma, r.pos, r.particle, r.before, r.after, r.clause): r for r in rules}


def _edited(insert: str) -> tuple[TriggerRule, ...]:
    text = _builtin_text()
    assert "\ntriggers:\n" in text
    return parse_lexicon(text.replace("\ntriggers:\n", "\ntriggers:\n" + insert, 1),
                         path=BUILTIN_LEXICON)  # fmt: skip


def test_rule_keys_survive_lines_and_entries_added_above() -> None:
    before = load_builtin_rules()
    keys_before = rule_keys(before)
    for insert in (COMMENT, UNRELATED, COMMENT + UNRELATED):
        after = _edited(insert)
        keys_after = rule_keys(after)
        moved = _by_content(after)
        shifted = 0
        for content, rule in _by_content(before).items():
            twin = moved[content]
            shifted += twin.origin != rule.origin
            assert keys_after[twin.origin] == keys_before[rule.origin], rule.origin
            assert rule_feature(twin.origin, keys_after) == rule_feature(rule.origin)
        assert shifted == len(before), "every line moved, yet no key did"


def test_rule_keys_change_with_the_entry_itself() -> None:
    text = _builtin_text()
    entry = "  - verb: [say, note, explain, stress, emphasise, emphasize, mention]\n"
    assert entry in text
    edited = parse_lexicon(text.replace(entry, entry.replace("mention]", "mention, frobnicate]")),
                           path=BUILTIN_LEXICON)  # fmt: skip
    say = next(r for r in load_builtin_rules() if r.lemma == "say" and not r.before)
    twin = next(r for r in edited if r.lemma == "say" and not r.before)
    assert twin.origin == say.origin
    assert rule_keys(edited)[twin.origin] != builtin_rule_keys()[say.origin]


def test_rule_keys_are_distinct_and_name_their_file() -> None:
    keys = builtin_rule_keys()
    assert len(set(keys.values())) == len(keys) > 100
    assert all(k.startswith(f"{BUILTIN_LEXICON}#") for k in keys.values())


def test_rule_feature_strips_pair_prefix_and_keeps_unknown_rules() -> None:
    origin = next(iter(builtin_rule_keys()))
    assert rule_feature(f"pair:{origin}") == rule_feature(origin) == builtin_rule_keys()[origin]
    assert rule_feature("obligation") == "obligation"
    assert rule_feature(None) == "none"
    assert rule_feature("mine.yaml:3", {"mine.yaml:3": "mine.yaml#abc"}) == "mine.yaml#abc"
