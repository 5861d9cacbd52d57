"""Tests for the PETRARCH verb dictionary reader."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dyadwatch.coder.rules import Slot, TriggerRule, Word, match_rule
from dyadwatch.dictionaries.petrarch_verbs import PatternError, Phrase, compile_pattern, read_verbs
from dyadwatch.errors import DictionaryError

SUITE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "petrarch"


@pytest.fixture
def suite() -> Path:
    if not (SUITE / "PETR_Validate_verbs_2_02.txt").is_file():
        pytest.skip("the shared PETRARCH validation suite is not available")
    return SUITE


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "verbs.txt"
    path.write_text(text, encoding="utf-8")
    return path


def words(text: str, actors: tuple[str, ...] = ()) -> list[Word]:
    return [Word(w.lower(), w.lower(), w in actors) for w in text.split()]


VERBS = """\
# header comment -->
&TREATY
+TREATY
+PEACE_ACCORD
+CEASE_FIRE_

&TIETYPES_
+MILITARY
+ECONOMIC

&ACCORDSYN  # nested sets
+&TIETYPES
+CLOSER

&TESTSYN3
+(TO THE END)
+(UNTIL HELL FREEZES OVER)

--- AGREE [050] ---
AGREE
CONCUR {CONCURRED CONCURRING}
- % *  [050]
- * (TO PEACE &TREATY)  [037:037]   # paired
- * (WITH)  [030]
- * {NEW &TIETYPES RELATIONS} [1951]
- $ BACK + IN * [042]
- * EID (AT ^) (WITH +) [017]
- * (ON RESOLUTION) [075A]
- * BUDGET [---]

--- ALLOW [080] ---
+GO_BY {+WENT_BY +GOES_BY}
WIRE_+TAP {WIRE_+TAPPED}
REPORT [---]
* (TO LEAVE) [066]

--- VOW [170] ---
VOW
- * &TESTSYN3 [113]
- * &ACCORDSYN [115]
"""


@pytest.fixture
def rules(tmp_path: Path) -> tuple[TriggerRule, ...]:
    return read_verbs(write(tmp_path, VERBS))


def find(rules: tuple[TriggerRule, ...], lemma: str, code: str) -> TriggerRule:
    return next(r for r in rules if r.lemma == lemma and r.code == code)


def test_petrarch_verbs_default_rules_and_forms(rules: tuple[TriggerRule, ...]) -> None:
    concur = [r for r in rules if r.lemma == "concur"]
    assert len(concur) == 9  # the default plus one per pattern
    default = concur[0]
    assert (default.code, default.before, default.after) == ("050", (), ())
    assert default.forms == ("concurred", "concurring")
    assert default.origin.endswith("verbs.txt:21")


def test_petrarch_verbs_prep_phrase_with_synset_and_pair(rules: tuple[TriggerRule, ...]) -> None:
    rule = find(rules, "agree", "037")
    assert rule.reverse_code == "037"
    (slot,) = rule.after
    assert slot.prep == "to"
    assert ("peace", "treaty") in slot.options
    assert ("peace", "treaties") in slot.options  # synset members get plurals
    assert ("peace", "peace", "accord") in slot.options
    assert ("peace", "cease", "fire") in slot.options
    assert ("peace", "cease", "fires") not in slot.options  # trailing '_': no plural
    after = words("to peace treaties")
    assert match_rule(rule, [], after) is not None


def test_petrarch_verbs_lone_preposition_and_braces(rules: tuple[TriggerRule, ...]) -> None:
    assert find(rules, "agree", "030").after == (Slot("words", (("with",),)),)
    (slot,) = find(rules, "agree", "1951").after
    # '&TIETYPES_' defines a set without plurals; '{...}' is one consecutive phrase.
    assert slot.options == (("new", "military", "relations"), ("new", "economic", "relations"))


def test_petrarch_verbs_roles_skips_and_compounds(rules: tuple[TriggerRule, ...]) -> None:
    compound = find(rules, "agree", "050")
    assert compound.before == ()  # the default rule comes first
    compound = [r for r in rules if r.lemma == "agree" and r.code == "050"][1]
    assert [s.kind for s in compound.before] == ["source", "target"]
    assert compound.reverse_code == "050"  # '%' codes both directions
    back = find(rules, "agree", "042")
    assert [s.kind for s in back.before] == ["source", "words", "target", "words"]
    eid = find(rules, "agree", "017")
    assert [s.kind for s in eid.after] == ["words", "words", "skip", "words", "target"]
    match = match_rule(eid, [], words("eid at Bree with Gondor", actors=("Gondor",)))
    assert match is not None and match.target_index == 4


def test_petrarch_verbs_codes_kept_as_written(rules: tuple[TriggerRule, ...]) -> None:
    assert find(rules, "agree", "075A").after[0].prep == "on"
    assert find(rules, "agree", "---").is_null


def test_petrarch_verbs_multiword_verbs(rules: tuple[TriggerRule, ...]) -> None:
    go = find(rules, "go", "080")
    assert (go.particle, go.forms) == ("by", ("went", "goes"))
    tap = find(rules, "tap", "080")
    assert tap.before == (Slot("words", (("wire",),)),)
    assert tap.forms == ("tapped",)
    # A verb's own [code] replaces the block code for its default rule only.
    assert find(rules, "report", "---").after == ()
    leave = find(rules, "report", "066")  # '* ...' without '- ' still reads as a pattern
    assert leave.after == (Slot("words", (("leave",),), "to"),)


def test_petrarch_verbs_synset_preps(rules: tuple[TriggerRule, ...]) -> None:
    (mixed,) = find(rules, "vow", "113").after
    # Different prepositions cannot share Slot.prep, so they fold into the words.
    assert mixed.prep is None
    assert mixed.options == (("to", "the", "end"), ("until", "hell", "freezes", "over"))
    (nested,) = find(rules, "vow", "115").after
    assert nested.options == (("military",), ("economic",), ("closer",), ("closers",))


def test_petrarch_verbs_malformed_lines_are_numbered(tmp_path: Path) -> None:
    text = """\
+ORPHAN
&GOOD
+GOOD
BAD MEMBER
--- AGREE 050 ---
AGREE
--- SIGN [057] ---
SIGN
- * &MISSING [050]
- * TREATY
- * (TO PEACE [051]
- TREATY [052]
- * * [053]
- $ $ * [054]
- * {A (B)} [055]
TWO WORDS
+GO_+BY
- * [01:02:03]
- * GOOD [057]
"""
    errors: list[DictionaryError] = []
    rules = read_verbs(write(tmp_path, text), on_error=errors.append)
    assert [(e.code, e.line) for e in errors] == [
        ("DW203", 1),
        ("DW203", 4),
        ("DW203", 5),
        ("DW203", 16),
        ("DW203", 17),
        ("DW206", 9),
        ("DW203", 10),
        ("DW203", 11),
        ("DW203", 12),
        ("DW203", 13),
        ("DW203", 14),
        ("DW203", 15),
        ("DW203", 18),
    ]
    assert "'&MISSING'" in errors[5].message
    # The AGREE block was dropped with its bad header; SIGN kept its good lines.
    assert {(r.lemma, r.code) for r in rules} == {("sign", "057")}
    assert len(rules) == 2


def test_petrarch_verbs_raise_by_default(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"verbs\.txt:3: \[DW206\]"):
        read_verbs(write(tmp_path, "--- SIGN [057] ---\nSIGN\n- * &NOPE [050]\n"))


def test_petrarch_verbs_synset_cycle_is_an_error(tmp_path: Path) -> None:
    text = "&A\n+&B\n&B\n+&A\n--- SIGN [057] ---\nSIGN\n- * &A [050]\n"
    errors: list[DictionaryError] = []
    read_verbs(write(tmp_path, text), on_error=errors.append)
    assert errors and "contains itself" in errors[0].message


def test_petrarch_verbs_compile_pattern() -> None:
    synsets = {"TREATY": (Phrase(("treaty",)), Phrase(("pact",)))}
    compiled = compile_pattern("$ * (to peace &treaty) +", synsets)
    assert [s.kind for s in compiled.before] == ["source"]
    assert compiled.after[0] == Slot("words", (("peace", "treaty"), ("peace", "pact")), "to")
    assert not compiled.compound
    with pytest.raises(PatternError) as info:
        compile_pattern("* &nope", synsets)
    assert info.value.name == "&nope"


def test_petrarch_verbs_suite_file_loads(suite: Path) -> None:
    errors: list[DictionaryError] = []
    started = time.perf_counter()
    rules = read_verbs(suite / "PETR_Validate_verbs_2_02.txt", on_error=errors.append)
    assert time.perf_counter() - started < 2.0
    # The suite's only faults: patterns naming sets it never defines.
    assert {e.code for e in errors} == {"DW206"}
    assert {e.message.split("'")[1] for e in errors} == {
        "&DEFENSE",
        "&PKO",
        "&REFUGEE",
        "&SECURITY",
    }
    assert 1500 <= len(rules) <= 2500
    lemmas = {r.lemma for r in rules}
    assert {"agree", "abandon", "say", "welcome", "go", "tap"} <= lemmas
    restore = [r for r in rules if r.lemma == "restore"]
    assert {r.code for r in restore} >= {"050", "+++", "###", "xxy"}
    arrive = next(r for r in rules if r.lemma == "arrive")
    assert (arrive.code, arrive.reverse_code) == ("042", "043")
