"""Lookups, aliases, data validation and the cached index of the gazetteer."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dyadwatch.errors import DictionaryError
from dyadwatch.geo import Gazetteer, Place, _tables, load_gazetteer
from dyadwatch.geo import gazetteer as gazetteer_module
from dyadwatch.geo.gazetteer import cache_path, name_keys, normalise
from dyadwatch.model import Location


def only(gazetteer: Gazetteer, name: str) -> Place:
    places = gazetteer.lookup(name)
    assert len(places) == 1, places
    return places[0]


def test_gazetteer_normalise_ignores_case_diacritics_and_hyphens() -> None:
    assert normalise("Jalālābād") == normalise("JALALABAD") == "jalalabad"
    assert normalise("Miran-Shah") == normalise("Miranshah")
    assert normalise("Ma'rib") == normalise("Marib")


def test_gazetteer_name_keys_drop_arabic_article() -> None:
    assert name_keys("Al Bayda") == ("albayda", "bayda")
    assert name_keys("") == ()


def test_gazetteer_peshawar_is_a_city_in_khyber_pakhtunkhwa(gazetteer: Gazetteer) -> None:
    place = only(gazetteer, "Peshawar")
    assert (place.country, place.adm1, place.precision) == ("PAK", "PK-KP", "city")
    assert place.geonames_id is not None and place.population > 1_000_000


@pytest.mark.parametrize("spelling", ["Miranshah", "Miramshah", "Miran Shah", "miran-shah"])
def test_gazetteer_miranshah_spellings_agree(gazetteer: Gazetteer, spelling: str) -> None:
    place = only(gazetteer, spelling)
    assert place.name == "Miran Shah" and place.adm1 == "PK-KP"


def test_gazetteer_north_waziristan_is_a_district_of_kp(gazetteer: Gazetteer) -> None:
    place = only(gazetteer, "North Waziristan")
    assert (place.kind, place.precision, place.adm1) == ("district", "city", "PK-KP")
    assert place.lat is not None and 32.5 < place.lat < 33.5


def test_gazetteer_fata_resolves_to_kp_with_a_note(gazetteer: Gazetteer) -> None:
    place = only(gazetteer, "FATA")
    assert place.adm1 == "PK-KP" and place.precision == "adm1"
    assert place.note is not None and "2018" in place.note
    assert only(gazetteer, "Federally Administered Tribal Areas") == place


@pytest.mark.parametrize("name", ["Khyber Pakhtunkhwa", "KPK", "NWFP", "KP"])
def test_gazetteer_kp_aliases(gazetteer: Gazetteer, name: str) -> None:
    assert only(gazetteer, name).adm1 == "PK-KP"


@pytest.mark.parametrize("name", ["Balochistan", "Baluchistan"])
def test_gazetteer_balochistan_is_pk_ba(gazetteer: Gazetteer, name: str) -> None:
    assert only(gazetteer, name).adm1 == "PK-BA"


def test_gazetteer_drops_a_generic_last_word(gazetteer: Gazetteer) -> None:
    assert only(gazetteer, "Abyan Province").adm1 == "YE-AB"
    assert only(gazetteer, "Kurram Agency").name == "Kurram"


def test_gazetteer_alternate_names_do_not_outrank_names(gazetteer: Gazetteer) -> None:
    # GeoNames lists "Islamabad" among Chattogram's alternate names.
    assert {p.country for p in gazetteer.lookup("Islamabad")} == {"PAK"}


def test_gazetteer_kashmir_has_three_readings(gazetteer: Gazetteer) -> None:
    readings = {(p.country, p.adm1) for p in gazetteer.lookup("Kashmir")}
    assert readings == {(None, None), ("PAK", "PK-JK"), ("IND", "IN-JK")}


def test_gazetteer_unknown_name_finds_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Xqzzyville") == ()
    assert "Xqzzyville" not in gazetteer and "Peshawar" in gazetteer


def test_gazetteer_stopwords_cover_names_and_months(gazetteer: Gazetteer) -> None:
    for word in ("Khan", "Sharif", "May", "Police", "MONDAY"):
        assert gazetteer.is_stopword(word), word
    assert not gazetteer.is_stopword("Peshawar")


def test_gazetteer_place_to_location(gazetteer: Gazetteer) -> None:
    place = only(gazetteer, "Peshawar")
    assert place.to_location() == Location(
        "Peshawar", "PAK", "PK-KP", place.lat, place.lon, "city", place.geonames_id
    )


def test_gazetteer_contains(gazetteer: Gazetteer) -> None:
    pakistan, kp = gazetteer.by_code("PAK"), gazetteer.by_code("PK-KP")
    assert pakistan is not None and kp is not None
    peshawar = only(gazetteer, "Peshawar")
    assert pakistan.contains(peshawar) and kp.contains(peshawar)
    assert not peshawar.contains(kp) and not kp.contains(pakistan)


def test_gazetteer_neighbours(gazetteer: Gazetteer) -> None:
    assert gazetteer.near("AFG", ["PAK"]) and gazetteer.near("PAK", ["PAK"])
    assert not gazetteer.near("POL", ["PAK"]) and not gazetteer.near(None, ["PAK"])


def test_gazetteer_bad_data_row_names_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# comment\nNowhere\tcity\tPAK\tPK-KP\tnorth\t70.0\t\t\n"
    monkeypatch.setattr(_tables, "_text", lambda name: text)
    with pytest.raises(DictionaryError) as info:
        _tables.read_places()
    assert info.value.code == "DW207" and info.value.line == 2
    assert "places.tsv" in str(info.value)


@pytest.mark.parametrize(
    ("reader", "row"),
    [
        (_tables.read_places, "X\tmountain\tPAK\tPK-KP\t1\t2\t\t"),
        (_tables.read_places, "X\tcity\tXXX\tPK-KP\t1\t2\t\t"),
        (_tables.read_places, "X\tcity\tPAK\tPK-ZZ\t1\t2\t\t"),
        (_tables.read_places, "X\tcity\tPAK\tPK-KP\t91\t2\t\t"),
        (_tables.read_adm1_table, "PK\t03\tIN-PB"),
        (_tables.read_names, "ZZZ\tNowhere"),
        (_tables.read_stopwords, "Khan\t"),
        (_tables.read_stopwords, "a\tb\tc"),
    ],
)
def test_gazetteer_rejects_bad_rows(
    monkeypatch: pytest.MonkeyPatch, reader: object, row: str
) -> None:
    monkeypatch.setattr(_tables, "_text", lambda name: row + "\n")
    with pytest.raises(DictionaryError, match="DW207"):
        reader()  # type: ignore[operator]


def test_gazetteer_cache_round_trip(gazetteer: Gazetteer) -> None:
    again = gazetteer_module._undump(gazetteer_module._dump(gazetteer))
    assert again.places == gazetteer.places and again.names == gazetteer.names
    assert again.lookup("Peshawar") == gazetteer.lookup("Peshawar")


def test_gazetteer_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    assert gazetteer_module._read_cache(path) is None
    assert gazetteer_module._read_cache(path.with_name("missing.pickle")) is None


def test_gazetteer_cache_key_changes_with_data(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_path()
    monkeypatch.setattr(_tables, "data_fingerprint", lambda: "0" * 16)
    assert cache_path() != before and cache_path().name.startswith("gazetteer-v")


def test_gazetteer_cached_load_is_fast(gazetteer: Gazetteer) -> None:
    path = cache_path()
    if not path.exists():
        pytest.skip("no writable cache directory")
    # CPU time, not wall time: other jobs on the machine must not fail this.
    start = time.process_time()
    loaded = gazetteer_module._read_cache(path)
    assert loaded is not None and time.process_time() - start < 2.0
    assert load_gazetteer() is load_gazetteer()


def test_gazetteer_remembers_answers_and_stays_within_its_limit(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["Peshawar", "Kurram Agency", "Abyan Province", "Xqzzyville", "Kashmir"]
    first = [gazetteer.lookup(name) for name in names]
    assert first == [gazetteer._look_up(name) for name in names]  # the uncached answer
    assert [gazetteer.lookup(name) for name in names] == first  # asked again: the same
    assert first[1] and first[2] and not first[3]  # generic words dropped; unknown stays ()
    monkeypatch.setattr(gazetteer._found, "limit", 3)
    for name in names:
        gazetteer.lookup(name + " Valley")
    assert len(gazetteer._found) <= 3
    assert gazetteer.lookup("Peshawar") == first[0]


@pytest.mark.parametrize(
    ("spelling", "place"),
    [("Hesokhel", "Hassu Khel"), ("Hassokhel", "Hassu Khel"), ("Khesoor", "Khaisor"),
     ("Tiyarza", "Tiarza"), ("Hadrhamout", "YE-HD")],
)  # fmt: skip
def test_gazetteer_transliterations_of_our_places_agree(
    gazetteer: Gazetteer, spelling: str, place: str
) -> None:
    (found,) = gazetteer.lookup(spelling)
    assert place in (found.name, found.adm1)


def test_gazetteer_skeleton_keeps_consonants_and_a_final_vowel() -> None:
    from dyadwatch.geo.gazetteer import skeleton

    assert skeleton("hassukhel") == skeleton("hesokhel") == "hskl"
    assert skeleton("mandao") == "mnd_" != skeleton("mamund")


def test_gazetteer_skeletons_match_only_curated_regions(gazetteer: Gazetteer) -> None:
    # Provinces elsewhere are not guessed at: "Sankurru" is no spelling of Sankuru (Congo).
    assert gazetteer.lookup("Sankurru") == ()
    assert gazetteer.lookup("Mandao") == ()  # not Mamund, Bajaur


def test_gazetteer_district_names_are_our_wide_places() -> None:
    from dyadwatch.geo import district_names

    assert {"North Waziristan", "Kurram"} <= district_names()
    assert "Mir Ali" not in district_names()
