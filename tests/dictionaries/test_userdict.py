"""Tests for dyadwatch's own YAML/CSV user dictionaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.actors.dictionary import DatedCode
from dyadwatch.coder.rules import Slot
from dyadwatch.dictionaries.userdict import read_user_dictionary, read_user_rules
from dyadwatch.errors import DictionaryError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


YAML = """\
actors:
  - {phrase: Gondor, code: GON, kind: country}
  - name: Sam Gamgee
    phrases: [Sam Gamgee, Samwise]
    codes:
      - {code: HOBCIV, end: 2008-01-19}
      - {code: hobmil, start: 2008-01-20, end: "20121109"}
      - HOB
  - {phrase: Argentin*, code: ARG}
  - {phrase: Stewards of Gondor, code: GONGOV, start: 1995-01-01}
agents:
  - {phrase: army, sector: MIL}
  - {phrase: human rights body, sector: ngo, prefix: true}
discards:
  - months later
  - {phrase: World Golf Championships, story: true}
synsets:
  treaty: [treaty, pact, peace accord]
rules:
  - {lemma: agree, code: "057", pattern: "$ * (to peace &treaty) +", reverse_code: "057"}
  - lemma: ceasefire
    pos: NOUN
    code: "0356"
  - {lemma: go, particle: by, forms: [went, gone], code: "080"}
"""


def test_userdict_yaml_actors(tmp_path: Path) -> None:
    bundle = read_user_dictionary(write(tmp_path, "user.yaml", YAML))
    gondor, sam, samwise, argentina, stewards = bundle.actors
    assert (gondor.phrase, gondor.kind, gondor.codes) == ("Gondor", "country", (DatedCode("GON"),))
    assert samwise.name == "Sam Gamgee"
    assert sam.codes == samwise.codes
    assert sam.codes == (
        DatedCode("HOBCIV", end=dt.date(2008, 1, 19)),
        DatedCode("HOBMIL", dt.date(2008, 1, 20), dt.date(2012, 11, 9)),
        DatedCode("HOB"),
    )
    assert sam.code_on(dt.date(2010, 5, 1)) == "HOBMIL"
    assert (argentina.phrase, argentina.stem) == ("Argentin", True)
    assert stewards.codes == (DatedCode("GONGOV", start=dt.date(1995, 1, 1)),)


def test_userdict_yaml_agents_and_discards(tmp_path: Path) -> None:
    bundle = read_user_dictionary(write(tmp_path, "user.yml", YAML))
    assert [(a.phrase, a.code, a.prefix) for a in bundle.agents] == [
        ("army", "MIL", False),
        ("human rights body", "NGO", True),
    ]
    assert [(d.phrase, d.story) for d in bundle.discards] == [
        ("months later", False),
        ("World Golf Championships", True),
    ]


def test_userdict_yaml_rules(tmp_path: Path) -> None:
    agree, ceasefire, go = read_user_rules(write(tmp_path, "user.yaml", YAML))
    assert (agree.code, agree.reverse_code) == ("057", "057")
    assert [s.kind for s in agree.before] == ["source"]
    assert agree.after == (
        Slot("words", (("peace", "treaty"), ("peace", "pact"), ("peace", "peace", "accord")), "to"),
        Slot("target"),
    )
    assert agree.origin.endswith("user.yaml:20")
    assert (ceasefire.pos, ceasefire.before, ceasefire.after) == ("NOUN", (), ())
    assert (go.particle, go.forms) == ("by", ("went", "gone"))


def test_userdict_empty_yaml_is_empty(tmp_path: Path) -> None:
    bundle = read_user_dictionary(write(tmp_path, "empty.yaml", "# nothing yet\n"))
    assert (bundle.actors, bundle.agents, bundle.discards) == ((), (), ())


BAD_YAML = """\
actors:
  - {phrase: Mordor}
  - {phrase: Rohan, code: ROH, kind: planet}
  - {phrase: Bree, code: BRE, start: 1995-13-01}
  - {code: ARN}
  - {phrase: Eriador, code: ERI, colour: green}
  - {phrase: Lorien, code: "EL F"}
  - just a string
  - {phrase: Isengard, codes: [{code: ISE, start: 2001-01-01, end: 2000-01-01}]}
  - {phrase: Gondor, code: GON}
agents:
  - {phrase: army}
  - {phrase: navy, sector: MIL, prefix: maybe}
discards:
  - {phrase: "[###]"}
rules:
  - {lemma: agree, code: 057}
  - {lemma: agree, code: "050", pattern: "* * (to)"}
  - {lemma: sign, code: "057", pattern: "* &nope"}
  - {lemma: two words, code: "057"}
  - {lemma: sign, code: "057"}
"""


def test_userdict_bad_entries_are_numbered(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", BAD_YAML)
    errors: list[DictionaryError] = []
    bundle = read_user_dictionary(path, on_error=errors.append)
    assert [(e.code, e.line) for e in errors] == [
        ("DW205", 2),
        ("DW205", 3),
        ("DW205", 4),
        ("DW205", 5),
        ("DW205", 6),
        ("DW205", 7),
        ("DW205", 8),
        ("DW205", 9),
        ("DW205", 12),
        ("DW205", 13),
        ("DW205", 15),
    ]
    assert "unknown actor field(s) colour" in errors[4].message
    assert [a.phrase for a in bundle.actors] == ["Gondor"]
    assert (bundle.agents, bundle.discards) == ((), ())


def test_userdict_bad_rules_are_numbered(tmp_path: Path) -> None:
    errors: list[DictionaryError] = []
    rules = read_user_rules(write(tmp_path, "bad.yaml", BAD_YAML), on_error=errors.append)
    assert [e.line for e in errors] == [17, 18, 19, 20]
    assert 'write "057"' in errors[0].message
    assert "unknown synonym set &nope" in errors[2].message
    assert [r.lemma for r in rules] == ["sign"]


def test_userdict_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "actors:\n  - {phrase: Gondor, code: GON\n")
    with pytest.raises(DictionaryError, match=r"broken\.yaml:3: \[DW205\].*not valid YAML"):
        read_user_dictionary(path)


def test_userdict_yaml_structure_errors(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r":1: .*unknown section 'actor'"):
        read_user_dictionary(write(tmp_path, "a.yaml", "actor: []\n"))
    with pytest.raises(DictionaryError, match="must be a list"):
        read_user_dictionary(write(tmp_path, "b.yaml", "actors: Gondor\n"))
    with pytest.raises(DictionaryError, match="top level must be a mapping"):
        read_user_dictionary(write(tmp_path, "c.yaml", "- Gondor\n"))


def test_userdict_raises_by_default(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"bad\.yaml:2: \[DW205\].*'code' or 'codes'"):
        read_user_dictionary(write(tmp_path, "bad.yaml", BAD_YAML))


def test_userdict_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"unsupported suffix '\.json'"):
        read_user_dictionary(write(tmp_path, "user.json", "{}"))
    with pytest.raises(DictionaryError, match="only be given in a YAML"):
        read_user_rules(write(tmp_path, "user.csv", "type,phrase\n"))


CSV = """\
type,phrase,code,start,end,name,kind,prefix,story
# dated codes of one phrase take one row each
actor,Sam Gamgee,HOBCIV,,2008-01-19,,person,,
actor,Sam Gamgee,HOBMIL,2008-01-20,2012-11-09,,person,,
actor,Samwise,HOBCIV,,2008-01-19,Sam Gamgee,person,,
actor,Gondor,GON,,,,country,,
agent,army,MIL,,,,,,
agent,human rights body,NGO,,,,,yes,
discard,World Golf Championships,,,,,,,yes
discard,months later,,,,,,,
"""


def test_userdict_csv(tmp_path: Path) -> None:
    bundle = read_user_dictionary(write(tmp_path, "user.csv", CSV))
    sam, samwise, gondor = bundle.actors
    assert sam.codes == (
        DatedCode("HOBCIV", end=dt.date(2008, 1, 19)),
        DatedCode("HOBMIL", dt.date(2008, 1, 20), dt.date(2012, 11, 9)),
    )
    assert (samwise.name, samwise.kind) == ("Sam Gamgee", "person")
    assert gondor.codes == (DatedCode("GON"),)
    assert [(a.phrase, a.code, a.prefix) for a in bundle.agents] == [
        ("army", "MIL", False),
        ("human rights body", "NGO", True),
    ]
    assert [(d.phrase, d.story) for d in bundle.discards] == [
        ("World Golf Championships", True),
        ("months later", False),
    ]


def test_userdict_csv_bad_rows_are_numbered(tmp_path: Path) -> None:
    text = (
        "type,phrase,code,start\n"
        "actor,Gondor,GON,\n"
        "thing,x,,\n"
        "actor,Rohan,,\n"
        "agent,army,MIL,1995-01-01\n"
        "actor,Bree,BRE,01/02/1995\n"
        "actor,Arnor,ARN,,extra\n"
    )
    errors: list[DictionaryError] = []
    bundle = read_user_dictionary(write(tmp_path, "bad.csv", text), on_error=errors.append)
    assert sorted((e.code, e.line) for e in errors) == [
        ("DW205", 3),
        ("DW205", 4),
        ("DW205", 5),
        ("DW205", 6),
        ("DW205", 7),
    ]
    assert [a.phrase for a in bundle.actors] == ["Gondor"]


def test_userdict_csv_needs_header(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r":1: .*CSV header needs 'type' and 'phrase'"):
        read_user_dictionary(write(tmp_path, "bad.csv", "kind,phrase\nactor,Gondor\n"))
