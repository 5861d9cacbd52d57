"""Tests for the PETRARCH/TABARI actor, agent and discard readers."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from dyadwatch.actors.dictionary import DatedCode
from dyadwatch.dictionaries.petrarch import (
    load_petrarch_dictionary,
    plural_of,
    read_actors,
    read_agents,
    read_discards,
)
from dyadwatch.errors import DictionaryError

SUITE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "petrarch"


@pytest.fixture
def suite() -> Path:
    if not (SUITE / "PETR_Validate_actors_2_02.txt").is_file():
        pytest.skip("the shared PETRARCH validation suite is not available")
    return SUITE


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ACTORS = """\
<!-- a header comment
# spanning lines -->
<! -- a sloppy one-line comment -->
GONDOR [GON]  # trailing comment
+MINAS_TIRITH
+ANORIEN_

ARNOR_  [arn]
HAMAS WING [PSEHMSBRD]

GOLLUM  # no code on this line
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
#\t[950601-990815]  commented out
\t[HOBREB > 990816]

NASGUL  [###]
LORIEN  [ELR/GAL]
ENT
\t[ENT]
ZIMBABWE
\t[RHO <790606]
\t[ZBW]#jw 9/30/91
"""


def test_petrarch_actors_blocks_synonyms_and_codes(tmp_path: Path) -> None:
    entries = read_actors(write(tmp_path, "a.txt", ACTORS))
    by_phrase = {e.phrase: e for e in entries}
    assert [e.phrase for e in entries][:3] == ["GONDOR", "MINAS TIRITH", "ANORIEN"]
    assert by_phrase["MINAS TIRITH"].name == "GONDOR"
    assert by_phrase["MINAS TIRITH"].codes == (DatedCode("GON"),)
    assert by_phrase["ARNOR"].codes == (DatedCode("ARN"),)  # codes are upper-cased
    assert by_phrase["HAMAS WING"].codes == (DatedCode("PSEHMSBRD"),)
    assert by_phrase["NASGUL"].codes == (DatedCode("###"),)  # '#' inside [] is no comment
    assert by_phrase["LORIEN"].codes == (DatedCode("ELR/GAL"),)
    assert by_phrase["ENT"].codes == (DatedCode("ENT"),)
    assert not any(e.stem for e in entries)  # PETRARCH does no stemming


def test_petrarch_actors_date_restrictions(tmp_path: Path) -> None:
    by_phrase = {e.phrase: e for e in read_actors(write(tmp_path, "a.txt", ACTORS))}
    smeagol = by_phrase["SMEAGOL"]
    assert smeagol.name == "GOLLUM"
    assert smeagol.codes == (
        DatedCode("HOB", end=dt.date(1995, 5, 31)),
        DatedCode("HOBGOV", dt.date(1995, 6, 1), dt.date(1999, 8, 15)),
        DatedCode("HOBREB", start=dt.date(1999, 8, 17)),
    )
    assert smeagol.code_on(dt.date(1995, 1, 1)) == "HOB"
    assert smeagol.code_on(dt.date(1995, 11, 1)) == "HOBGOV"
    assert smeagol.code_on(dt.date(2001, 1, 1)) == "HOBREB"
    zimbabwe = by_phrase["ZIMBABWE"]
    assert zimbabwe.code_on(dt.date(1978, 12, 23)) == "RHO"
    assert zimbabwe.code_on(dt.date(2001, 1, 1)) == "ZBW"


def test_petrarch_actors_tabari_stems_option(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "ARGENTIN [ARG]\nARNOR_ [ARN]\n")
    stems = {e.phrase: e.stem for e in read_actors(path, tabari_stems=True)}
    assert stems == {"ARGENTIN": True, "ARNOR": False}


def test_petrarch_actors_braces_add_phrases(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "ROHAN {ROHIRRIM RIDERS_OF_ROHAN} [ROH]\n")
    assert [e.phrase for e in read_actors(path)] == ["ROHAN", "ROHIRRIM", "RIDERS OF ROHAN"]


BAD_ACTORS = """\
+ORPHAN
GONDOR [GON] junk
ROHAN [ROH]
\t[ROHGOV 19950101-19940101]
\t[950601-990815]
MORDOR [MOR 19951301-19961231]
ERIADOR
ARNOR [ARN]
+ARTHEDAIN [ARN]
<!-- never closed
"""


def test_petrarch_actors_malformed_lines_are_numbered(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", BAD_ACTORS)
    errors: list[DictionaryError] = []
    entries = read_actors(path, on_error=errors.append)
    assert [(e.code, e.line) for e in errors] == [
        ("DW201", 1),  # synonym before any actor
        ("DW201", 2),  # text after the code
        ("DW201", 4),  # range ends before it starts
        ("DW201", 5),  # a date block without a code
        ("DW201", 6),  # month 13
        ("DW201", 7),  # ERIADOR has no code
        ("DW201", 9),  # a synonym with its own code
        ("DW201", 10),  # unclosed comment
    ]
    assert all(e.path == str(path) for e in errors)
    assert [e.phrase for e in entries] == ["ROHAN", "ARNOR"]


def test_petrarch_actors_raise_by_default(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "GONDOR [GON\n")
    with pytest.raises(DictionaryError, match=r"bad\.txt:1: \[DW201\]") as info:
        read_actors(path)
    assert info.value.line == 1


def test_petrarch_actors_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"DW201.*cannot read"):
        read_actors(tmp_path / "absent.txt")


def test_petrarch_actors_latin1_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("CURAÇAO [CUW]\n".encode("latin-1"))
    assert read_actors(path)[0].phrase == "CURAÇAO"


AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
!MINST! = MINISTER, MINISTRY
POLICE {} [ ~COP] # no plural
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
AUTHORITY [~GOV]
CONGRESS [~LEG]
CONGRESS!PERSON! [~LEG]
!MINST!_OF_SILLY_WALKS [~GOV]
HUMAN_RIGHTS_BODY  [  NGO~]
"""


def test_petrarch_agents_codes_plurals_and_macros(tmp_path: Path) -> None:
    entries = read_agents(write(tmp_path, "agents.txt", AGENTS))
    phrases = {e.phrase: (e.code, e.prefix) for e in entries}
    assert phrases["POLICE"] == ("COP", False)
    assert "POLICES" not in phrases
    assert "ATTORNEYS GENERAL" in phrases
    assert "ATTORNEY GENERALS" not in phrases
    assert "AUTHORITIES" in phrases
    assert "CONGRESSES" in phrases
    assert {"CONGRESSMAN", "CONGRESSMEN", "CONGRESSWOMAN", "CONGRESSWOMEN"} <= set(phrases)
    assert {"MINISTER OF SILLY WALKS", "MINISTRY OF SILLY WALKS"} <= set(phrases)
    assert phrases["HUMAN RIGHTS BODY"] == ("NGO", True)
    assert phrases["HUMAN RIGHTS BODIES"] == ("NGO", True)


def test_petrarch_agents_malformed_lines_are_numbered(tmp_path: Path) -> None:
    text = (
        "!EMPTY! = A, , B\nSOLDIER\nSAILOR [MIL]\nSPY [~SPY~]\n!NOPE!_CHIEF [~GOV]\nJUDGE [~JUD]\n"
    )
    errors: list[DictionaryError] = []
    entries = read_agents(write(tmp_path, "agents.txt", text), on_error=errors.append)
    assert [(e.code, e.line) for e in errors] == [
        ("DW202", 1),
        ("DW202", 2),
        ("DW202", 3),
        ("DW202", 4),
        ("DW202", 5),
    ]
    assert "unknown macro !NOPE!" in errors[-1].message
    assert [e.phrase for e in entries] == ["JUDGE", "JUDGES"]


def test_petrarch_discards_story_and_sentence(tmp_path: Path) -> None:
    text = "# header\nMONTHS LATER\n+World Golf Championships   # pas\nBASEBALL_\n"
    entries = read_discards(write(tmp_path, "discards.txt", text))
    assert [(e.phrase, e.story) for e in entries] == [
        ("MONTHS LATER", False),
        ("World Golf Championships", True),
        ("BASEBALL", False),
    ]


def test_petrarch_discards_malformed_lines_are_numbered(tmp_path: Path) -> None:
    errors: list[DictionaryError] = []
    path = write(tmp_path, "discards.txt", "OK PHRASE\n+\nSPORTS [###]\n")
    entries = read_discards(path, on_error=errors.append)
    assert [(e.code, e.line) for e in errors] == [("DW204", 2), ("DW204", 3)]
    assert len(entries) == 1


def test_petrarch_load_dictionary_bundles_files(tmp_path: Path) -> None:
    bundle = load_petrarch_dictionary(
        actors=write(tmp_path, "a.txt", "GONDOR [GON]\n"),
        discards=write(tmp_path, "d.txt", "+TYPHOON\n"),
    )
    assert [a.phrase for a in bundle.actors] == ["GONDOR"]
    assert bundle.agents == ()
    assert bundle.discards[0].story


def test_petrarch_plural_of_keeps_case() -> None:
    assert plural_of("PARTY") == "PARTIES"
    assert plural_of("day") == "days"
    assert plural_of("CHURCH") == "CHURCHES"
    assert plural_of("army") == "armies"


def test_petrarch_suite_dictionaries_load_cleanly(suite: Path) -> None:
    errors: list[DictionaryError] = []
    started = time.perf_counter()
    bundle = load_petrarch_dictionary(
        suite / "PETR_Validate_actors_2_02.txt",
        suite / "PETR_Validate_agents_2_02.txt",
        suite / "PETR_Validate_discards_2_02.txt",
        on_error=errors.append,
    )
    assert time.perf_counter() - started < 2.0
    assert errors == []
    assert 150 <= len(bundle.actors) <= 200
    assert 120 <= len(bundle.agents) <= 200
    assert len(bundle.discards) == 9
    by_phrase = {a.phrase: a for a in bundle.actors}
    assert by_phrase["SAM GAMGEE"].code_on(dt.date(1995, 1, 4)) == "HOBCIV"
    assert by_phrase["SAM GAMGEE"].code_on(dt.date(2010, 1, 9)) == "ORCHOB"
    assert by_phrase["HAMFAST GAMGEE"].code_on(dt.date(2012, 11, 9)) == "HOBGOV"
    assert by_phrase["HAMFAST GAMGEE"].code_on(dt.date(1995, 1, 4)) == "HOB"
    assert by_phrase["STINKER"].code_on(dt.date(1995, 1, 1)) == "HOB"
    assert by_phrase["SLINKER"].code_on(dt.date(2001, 1, 1)) == "HOBREB"
    assert by_phrase["THE SHIRE"].code_on(None) == "FRO/BIL/SAM"
    assert by_phrase["NASGUL"].code_on(None) == "+++"
    assert {"CONGRESSMEN", "MINISTRY OF SILLY WALKS", "GOLDEN GEESE"} <= {
        a.phrase for a in bundle.agents
    }
