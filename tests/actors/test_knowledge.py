"""The built-in actor knowledge base: what it knows and how it refuses bad data."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from dyadwatch.actors.dictionary import ActorDictionary, ActorEntry
from dyadwatch.actors.knowledge import (
    DATA_FILES,
    load_builtin_dictionary,
    load_cased_actors,
)
from dyadwatch.errors import DictionaryError


@pytest.fixture(scope="module")
def builtin() -> ActorDictionary:
    return load_builtin_dictionary()


def _actors(dictionary: ActorDictionary, phrase: str) -> list[ActorEntry]:
    return [a for a in dictionary.actors if a.phrase.casefold() == phrase.casefold()]


def _code(dictionary: ActorDictionary, phrase: str, day: dt.date | None = None) -> str | None:
    found = _actors(dictionary, phrase)
    assert found, f"{phrase!r} is not in the dictionary"
    return found[0].code_on(day)


def _agent(dictionary: ActorDictionary, phrase: str) -> str:
    found = [a.code for a in dictionary.agents if a.phrase == phrase]
    assert found, f"{phrase!r} is not an agent"
    return found[0]


def test_knowledge_loads_and_is_cached(builtin: ActorDictionary) -> None:
    assert len(builtin.actors) > 1000
    assert len(builtin.agents) > 300
    assert load_builtin_dictionary() is builtin


@pytest.mark.parametrize(
    ("phrase", "code", "kind"),
    [
        ("Pakistan", "PAK", "country"),
        ("Pakistani", "PAK", "demonym"),
        ("Pakistanis", "PAK", "demonym"),
        ("Islamabad", "PAK", "capital"),
        ("Afghans", "AFG", "demonym"),
        ("U.S.", "USA", "country"),
        ("America", "USA", "country"),
        ("Britain", "GBR", "country"),
        ("Russia", "RUS", "country"),
        ("Iran", "IRN", "country"),
        ("Syria", "SYR", "country"),
        ("South Korea", "KOR", "country"),
        ("North Korea", "PRK", "country"),
        ("Taiwan", "TWN", "country"),
        ("Palestinian territories", "PSE", "country"),
        ("Kosovo", "XKX", "country"),
        ("New Delhi", "IND", "capital"),
        ("Kremlin", "RUSGOV", "actor"),
        ("White House", "USAGOV", "actor"),
        ("Pentagon", "USAMIL", "actor"),
        ("GHQ", "PAKMIL", "actor"),
        ("South Block", "INDGOV", "actor"),
        ("Capitol Hill", "USALEG", "actor"),
        ("Middle East", "MEA", "country"),
    ],
)
def test_knowledge_names_countries_and_organs(
    builtin: ActorDictionary, phrase: str, code: str, kind: str
) -> None:
    entry = _actors(builtin, phrase)[0]
    assert entry.code_on(None) == code
    assert entry.kind == kind


def test_knowledge_has_every_pycountry_country(builtin: ActorDictionary) -> None:
    codes = {a.code_on(None) for a in builtin.actors if a.kind == "country"}
    missing = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in codes]
    assert missing == []


def test_knowledge_skips_inverted_iso_names(builtin: ActorDictionary) -> None:
    assert _actors(builtin, "Korea, Republic of") == []
    assert _code(builtin, "Islamic Republic of Iran") == "IRN"


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("army", "MIL"),
        ("troops", "MIL"),
        ("refugee camp", "REF"),
        ("human rights groups", "HRI"),
        ("police", "COP"),
        ("security forces", "COP"),
        ("defence ministry", "GOVMIL"),
        ("lawmakers", "LEG"),
        ("militants", "INS"),
        ("gunmen", "UAF"),
        ("tribal elders", "ELI"),
        ("students", "EDU"),
        ("clerics", "REL"),
    ],
)
def test_knowledge_maps_sector_words(builtin: ActorDictionary, phrase: str, code: str) -> None:
    assert _agent(builtin, phrase) == code
    assert all(not a.prefix for a in builtin.agents)


def test_knowledge_leaves_out_ambiguous_agent_words(builtin: ActorDictionary) -> None:
    phrases = {a.phrase for a in builtin.agents}
    assert phrases.isdisjoint({"general", "union", "bank", "public", "daily"})


def test_knowledge_names_organisations(builtin: ActorDictionary) -> None:
    assert _code(builtin, "NATO") == "IGONAT"
    assert _code(builtin, "United Nations") == "IGOUNO"
    assert _code(builtin, "UNHCR") == "IGOHCR"
    assert _code(builtin, "Amnesty International") == "NGOAMN"
    assert _actors(builtin, "NATO")[0].kind == "igo"


def test_knowledge_dates_the_taliban(builtin: ActorDictionary) -> None:
    assert _actors(builtin, "Taliban")[0].kind == "group"
    assert _code(builtin, "Taliban", dt.date(2010, 1, 1)) == "AFGINSTAL"
    assert _code(builtin, "Taliban", dt.date(2023, 1, 1)) == "AFGGOVTAL"
    assert _code(builtin, "Taliban", dt.date(1999, 1, 1)) == "AFGGOVTAL"
    assert _code(builtin, "Pakistani Taliban") == "PAKINSTTP"
    assert _code(builtin, "ISKP") == _code(builtin, "Islamic State Khorasan")


def test_knowledge_flags_cased_words(builtin: ActorDictionary) -> None:
    cased = {a.phrase: a.code_on(None) for a in load_cased_actors()}
    assert cased["US"] == "USA"
    assert cased["WHO"] == "IGOWHO"
    assert cased["LeT"] == "PAKINSLET"
    loose = {a.phrase.casefold() for a in builtin.actors if not a.cased}
    assert loose.isdisjoint({"us", "who", "let", "is", "amnesty"})
    assert {a.phrase for a in builtin.actors if a.cased} >= {"US", "WHO", "LeT"}


def test_knowledge_codes_are_cameo_shaped(builtin: ActorDictionary) -> None:
    codes = {c.code for a in builtin.actors for c in a.codes} | {a.code for a in builtin.agents}
    bad = [c for c in codes if not (c.isalpha() and c.isupper() and len(c) % 3 == 0)]
    assert bad == []


def test_knowledge_no_phrase_names_two_codes(builtin: ActorDictionary) -> None:
    seen: dict[str, tuple[str, ...]] = {}
    for entry in builtin.actors:
        if entry.kind == "person":
            continue
        codes = tuple(c.code for c in entry.codes)
        assert seen.setdefault(entry.phrase.casefold(), codes) == codes, entry.phrase


# --- bad data -----------------------------------------------------------------


def _copy_data(tmp_path: Path) -> Path:
    source = resources.files("dyadwatch.actors").joinpath("data")
    for name in DATA_FILES:
        with resources.as_file(source.joinpath(name)) as path:
            shutil.copy(path, tmp_path / name)
    return tmp_path


def test_knowledge_reads_another_directory(tmp_path: Path) -> None:
    (tmp_path / "armed_groups.yaml").write_text(
        "- name: Test Front\n  code: PAKINSTFR\n  phrases: [Test Front]\n", encoding="utf-8"
    )
    loaded = load_builtin_dictionary(tmp_path)
    assert _code(loaded, "Test Front") == "PAKINSTFR"
    assert _code(loaded, "Pakistan") == "PAK"  # pycountry needs no file
    assert loaded.agents == ()


@pytest.mark.parametrize(
    ("name", "text", "line", "detail"),
    [
        ("armed_groups.yaml", "- name: A\n  code: ok\n  phrases: [A]\n", 2, "code 'ok'"),
        ("armed_groups.yaml", "- name: A\n  codes: [AAAB]\n  phrases: [A]\n", 2, "AAAB"),
        ("armed_groups.yaml", "- name: A\n  phrases: [A]\n", 1, "exactly one of"),
        ("armed_groups.yaml", "- code: AAA\n  phrases: [A]\n", 1, "missing 'name'"),
        (
            "armed_groups.yaml",
            "- name: A\n  codes:\n    - {code: AAA, start: 2020-13-01}\n  phrases: [A]\n",
            3,
            "not a YYYY-MM-DD date",
        ),
        (
            "organisations.yaml",
            "- name: A\n  code: IGOAAA\n  kind: club\n  phrases: [A]\n",
            3,
            "kind 'club'",
        ),
        ("organisations.yaml", "- name: A\n  code: IGOAAA\n  phrases: [A, ' B']\n", 3, "space"),
        ("sectors.yaml", "MIL:\n  label: Military\n  phrase: [army]\n", 3, "unknown key"),
        (
            "sectors.yaml",
            "MIL: {label: M, phrases: [army]}\nCOP: {label: P, phrases: [army]}\n",
            2,
            "already sector MIL",
        ),
        ("countries.yaml", "PAK:\n  demonym: [Pakistani]\n", 2, "unknown key 'demonym'"),
        ("countries.yaml", "\nZZZ: {names: [Zedland]}\n", 2, "needs a 'name'"),
        ("countries.yaml", "PAK: {names: [India]}\n", 1, "already"),
        ("regions.yaml", "- code: MEA\n  name: Middle East\n  phrases: [Mideast\n", 4, ""),
    ],
)
def test_knowledge_bad_entry_names_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, detail: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DictionaryError) as caught:
        load_builtin_dictionary(tmp_path)
    error = caught.value
    assert error.code == "DW207"
    assert error.path is not None and error.path.endswith(name)
    assert error.line == line
    assert detail in error.message


def test_knowledge_bad_packaged_copy_is_refused(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    sectors = root / "sectors.yaml"
    lines = sectors.read_text(encoding="utf-8").splitlines()
    where = next(i for i, text in enumerate(lines) if text.startswith("MIL:"))
    lines[where] = "mil:"
    sectors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="sector code 'mil'") as caught:
        load_builtin_dictionary(root)
    assert caught.value.line == where + 1


def test_knowledge_packaged_copy_loads_like_the_package(tmp_path: Path) -> None:
    copied = load_builtin_dictionary(_copy_data(tmp_path))
    builtin = load_builtin_dictionary()
    assert copied.agents == builtin.agents
    assert set(copied.actors) <= set(builtin.actors)
