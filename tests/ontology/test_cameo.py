"""The CAMEO table: lookups, class schemes, normalisation and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.errors import DictionaryError, OntologyError
from dyadwatch.ontology.cameo import load_cameo, parse_cameo_table

SHARED_GOLDSTEIN = Path(__file__).parents[3] / "shared/reference/cameo/CAMEO.goldsteinscale.txt"


def test_cameo_has_every_code_with_label_and_weight() -> None:
    cameo = load_cameo()
    codes = cameo.codes()
    assert len(codes) > 300
    assert {code[:2] for code in codes} == {f"{root:02d}" for root in range(1, 21)}
    assert all(cameo.label(code) and -10.0 <= cameo.goldstein(code) <= 10.0 for code in codes)


def test_cameo_goldstein_weights() -> None:
    cameo = load_cameo()
    assert cameo.goldstein("195") == -10.0
    assert cameo.goldstein("057") == 8.0
    assert cameo.goldstein("0874") == 10.0
    assert cameo.goldstein("173") == -5.0


def test_cameo_labels_are_clean_utf8() -> None:
    cameo = load_cameo()
    assert cameo.label("044") == "Meet at a 'third' location"
    assert cameo.label("106") == "Demand meeting, negotiation"
    assert all(cameo.label(code).isascii() for code in cameo.codes())


def test_cameo_quad_follows_gdelt() -> None:
    cameo = load_cameo()
    assert cameo.quad("0256") == 1
    assert cameo.quad("057") == 1
    assert cameo.quad("09") == 2
    assert cameo.quad("143") == 3
    assert cameo.quad("195") == 4
    assert cameo.quad("16") == 4


def test_cameo_penta_follows_phoenix() -> None:
    cameo = load_cameo()
    assert [cameo.penta(code) for code in ("010", "0256", "036", "073", "090")] == [0, 0, 1, 2, 3]
    assert cameo.penta("163") == 3
    assert cameo.penta("141") == 4
    assert cameo.penta("195") == 4


def test_cameo_normalise_maps_to_nearest_known_ancestor() -> None:
    cameo = load_cameo()
    assert cameo.normalise("0579") == "057"
    assert cameo.normalise("102b") == "102"
    assert cameo.normalise("1999") == "19"
    assert cameo.normalise(" 1831 ") == "1831"
    assert cameo.root("0579") == "05"
    assert cameo.goldstein("0579") == cameo.goldstein("057")
    assert not cameo.is_known("0579")


@pytest.mark.parametrize("code", ["", "7", "99", "21", "---", "abc"])
def test_cameo_unknown_root_raises_dw251(code: str) -> None:
    with pytest.raises(OntologyError) as info:
        load_cameo().normalise(code)
    assert info.value.code == "DW251"


def test_cameo_bad_row_names_file_and_line() -> None:
    text = "code\tlabel\tgoldstein\n01\tMake public statement\t0.0\n010\tStatement\tlots\n"
    with pytest.raises(DictionaryError) as info:
        parse_cameo_table(text, path="bad.tsv")
    assert (info.value.code, info.value.path, info.value.line) == ("DW207", "bad.tsv", 3)


@pytest.mark.parametrize(
    "row",
    [
        "0100\tOrphan\t0.0",
        "01\tDuplicate\t0.0",
        "22\tNo such root\t0.0",
        "010\t\t0.0",
        "011\tx\t11",
    ],
)
def test_cameo_rejects_invalid_rows(row: str) -> None:
    text = f"code\tlabel\tgoldstein\n01\tMake public statement\t0.0\n{row}\n"
    with pytest.raises(DictionaryError, match="DW207"):
        parse_cameo_table(text, path="bad.tsv")


@pytest.fixture
def shared_goldstein() -> Path:
    if not SHARED_GOLDSTEIN.is_file():
        pytest.skip("shared reference tables are not available")
    return SHARED_GOLDSTEIN


def test_cameo_weights_match_reference_table(shared_goldstein: Path) -> None:
    cameo = load_cameo()
    for line in shared_goldstein.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            code, weight = line.split("\t")
            assert cameo.goldstein(code) == float(weight), code
