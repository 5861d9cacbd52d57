"""Tests for the dated leaders of the built-in knowledge base (people.yaml)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

from dyadwatch.actors.dictionary import ActorEntry
from dyadwatch.actors.people import Person, load_people, read_people
from dyadwatch.errors import DictionaryError

REQUIRED_COUNTRIES = frozenset(
    {
        "USA",
        "PAK",
        "AFG",
        "IND",
        "CHN",
        "IRN",
        "RUS",
        "ISR",
        "SAU",
        "GBR",
        "FRA",
        "DEU",
        "TUR",
        "JPN",
        "KOR",
        "PRK",
        "SYR",
        "IRQ",
        "EGY",
        "ARE",
        "QAT",
        "BGD",
        "LKA",
        "NPL",
        "UKR",
        "BRA",
        "MEX",
        "CAN",
        "AUS",
        "ZAF",
        "NGA",
        "ITA",
    }
)

GOOD_PERSON = """\
ambiguous_surnames: [Khan]
people:
  - name: Test Person
    aliases: [Testperson]
    country: PAK
    roles:
      - {role: head_of_state, sector: GOV, start: 2001-01-01, end: 2002-01-01}
"""


@pytest.fixture(scope="module")
def by_phrase() -> dict[str, ActorEntry]:
    return {entry.phrase: entry for entry in load_people()}


def code(entries: dict[str, ActorEntry], phrase: str, day: str) -> str | None:
    return entries[phrase].code_on(dt.date.fromisoformat(day))


@pytest.mark.parametrize(
    ("phrase", "day", "expected"),
    [
        ("Trump", "2018-01-01", "USAGOV"),
        ("Trump", "2010-01-01", "USAELI"),
        ("Trump", "2025-06-01", "USAGOV"),
        ("Nawaz Sharif", "2014-01-01", "PAKGOV"),
        ("Imran Khan", "2019-01-01", "PAKGOV"),
        ("Imran Khan", "2015-01-01", "PAKELI"),
        ("Narendra Modi", "2019-01-01", "INDGOV"),
        ("Ashraf Ghani", "2018-01-01", "AFGGOV"),
        ("Xi Jinping", "2018-01-01", "CHNGOV"),
        ("Mike Pompeo", "2018-06-01", "USAGOV"),
        ("Musharraf", "2000-01-01", "PAKGOV"),
        ("Musharraf", "2007-01-01", "PAKGOV"),
        ("Asim Munir", "2023-06-01", "PAKMIL"),
        ("Haibatullah Akhundzada", "2018-01-01", "AFGINS"),
        ("Haibatullah Akhundzada", "2022-01-01", "AFGGOV"),
        ("Erdogan", "2010-01-01", "TURGOV"),
        ("Putin", "2010-01-01", "RUSGOV"),
    ],
)
def test_people_code_follows_tenure(
    by_phrase: dict[str, ActorEntry], phrase: str, day: str, expected: str
) -> None:
    assert code(by_phrase, phrase, day) == expected


def test_people_entries_are_persons_named_canonically(by_phrase: dict[str, ActorEntry]) -> None:
    entry = by_phrase["Trump"]
    assert entry.kind == "person"
    assert entry.name == "Donald Trump"
    assert by_phrase["Donald Trump"].codes == entry.codes


def test_people_each_person_has_one_undated_elite_fallback() -> None:
    for person in read_people():
        undated = [c for c in person.codes() if not c.dated]
        assert [c.code for c in undated] == [person.country + "ELI"], person.name


def test_people_cover_required_countries() -> None:
    people = read_people()
    countries = {p.country for p in people}
    assert countries >= REQUIRED_COUNTRIES
    assert len(countries) >= 30
    assert len(people) >= 200


def test_people_every_required_country_has_a_leader_in_2000_and_now() -> None:
    heads = defaultdict(set)
    for person in read_people():
        for tenure in person.tenures:
            if tenure.role in {"head_of_state", "head_of_government"}:
                for day in (dt.date(2000, 6, 1), dt.date(2025, 1, 1)):
                    if tenure.start <= day and (tenure.end is None or day <= tenure.end):
                        heads[person.country].add(day)
    missing = {c for c in REQUIRED_COUNTRIES if len(heads[c]) < 2}
    assert not missing


def test_people_common_surnames_are_never_aliases(by_phrase: dict[str, ActorEntry]) -> None:
    for word in ("Khan", "Singh", "Ali", "Li", "Wang", "Kim", "Sharif", "President"):
        assert word not in by_phrase


def test_people_no_alias_names_two_people() -> None:
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for entry in load_people():
        owners[entry.phrase.casefold()].add(entry.name)
    assert {p: n for p, n in owners.items() if len(n) > 1} == {}


def test_people_reads_a_given_file(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(GOOD_PERSON, encoding="utf-8")
    (person,) = read_people(path)
    assert isinstance(person, Person)
    assert person.line == 3
    assert [e.phrase for e in load_people(path)] == ["Test Person", "Testperson"]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("end: 2002-01-01", "end: 2000-01-01", 7, "before start"),
        ("country: PAK", "country: XYZ", 3, "XYZ"),
        ("country: PAK", "country: pak", 3, "upper-case"),
        ("sector: GOV", "sector: gov", 7, "sector"),
        ("start: 2001-01-01", "start: 2001-13-01", 7, "not a YYYY-MM-DD"),
        ("role: head_of_state", "role: king", 7, "unknown role"),
        ("name: Test Person", "name: ''", 3, "name"),
        ("[Testperson]", "[Khan]", 3, "ambiguous_surnames"),
        ("    country: PAK", "    country: PAK\n    colour: red", 3, "unknown keys"),
    ],
)
def test_people_bad_entry_raises_dw207_with_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(GOOD_PERSON.replace(old, new), encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        load_people(path)
    assert info.value.code == "DW207"
    assert info.value.line == line
    assert info.value.path == str(path)
    assert message in str(info.value)


def test_people_shared_alias_needs_documenting(tmp_path: Path) -> None:
    second = textwrap.dedent("""\
          - name: Other Person
            aliases: [Testperson]
            country: IND
            roles:
              - {role: foreign_minister, sector: GOV, start: 2010-01-01, end: null}
        """)
    path = tmp_path / "people.yaml"
    path.write_text(GOOD_PERSON + textwrap.indent(second, "  "), encoding="utf-8")
    with pytest.raises(DictionaryError, match="Testperson") as info:
        load_people(path)
    assert info.value.line == 8
    documented = "shared_aliases: {Testperson: two test people}\n" + path.read_text()
    path.write_text(documented, encoding="utf-8")
    assert len(load_people(path)) == 4


def test_people_malformed_yaml_raises_dw207(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text("people: [\n  - {name: x\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as info:
        load_people(path)
    assert info.value.code == "DW207"
    assert info.value.line is not None


def test_people_missing_file_raises_dw207(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="DW207"):
        load_people(tmp_path / "absent.yaml")
