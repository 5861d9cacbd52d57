"""CAMEO → PLOVER: types, modes, contexts and ancestor fallback."""

from __future__ import annotations

import pytest

from dyadwatch.errors import DictionaryError, OntologyError
from dyadwatch.model import PloverCode
from dyadwatch.ontology.cameo import load_cameo
from dyadwatch.ontology.plover import PLOVER_TYPES, load_plover, parse_plover_table


def test_plover_has_the_sixteen_types() -> None:
    types = load_plover().types()
    assert len(types) == len(set(types)) == 16
    assert {"AGREE", "CONSULT", "ACCUSE", "SANCTION", "MOBILIZE", "ASSAULT"} <= set(types)


def test_plover_maps_every_cameo_code_to_a_known_type() -> None:
    plover = load_plover()
    for code in load_cameo().codes():
        mapped = plover.map(code)
        if code.startswith("01") and code not in ("015", "016", "019"):
            assert mapped is None, code  # PLOVER drops plain statements
        else:
            assert mapped is not None and mapped.type in PLOVER_TYPES, code


def test_plover_keeps_the_statements_the_manual_allows() -> None:
    plover = load_plover()
    assert plover.map("010") is None
    assert plover.map("016") == PloverCode("REJECT")
    assert plover.map("015") == PloverCode("AGREE")


def test_plover_modes_and_contexts() -> None:
    plover = load_plover()
    assert plover.map("195") == PloverCode("ASSAULT", "aerial", ("military",))
    assert plover.map("0256") == PloverCode("REQUEST", "yield", ("military",))
    assert plover.map("173").mode == "arrest"
    assert plover.map("145").mode == "riot"
    assert plover.map("0871") == PloverCode("RETREAT", "ceasefire", ("military",))
    assert plover.map("091").context == ("crime", "corruption")


def test_plover_follows_the_2_0_category_table() -> None:
    plover = load_plover()
    assert plover.map("090").type == plover.map("112").type == "ACCUSE"
    assert plover.map("106").type == "REQUEST"
    assert plover.map("190").type == plover.map("202").type == "ASSAULT"
    assert plover.map("082").type == "CONCEDE"
    assert plover.map("084").type == "RETREAT"
    assert plover.map("163").type == "SANCTION"


def test_plover_falls_back_to_nearest_ancestor() -> None:
    plover = load_plover()
    assert plover.map("0579") == plover.map("057")
    assert plover.map("1999") == plover.map("19")
    assert plover.map("1712").type == "ASSAULT"


def test_plover_unknown_root_raises_dw252() -> None:
    with pytest.raises(OntologyError) as info:
        load_plover().map("99")
    assert info.value.code == "DW252"


def test_plover_bad_row_names_file_and_line() -> None:
    text = "# comment\ncameo\ttype\tmode\tcontext\n19\tASSAULT\n190\tFIGHT\t\tmilitary\n"
    with pytest.raises(DictionaryError) as info:
        parse_plover_table(text, path="bad.tsv")
    assert (info.value.code, info.value.path, info.value.line) == ("DW207", "bad.tsv", 4)


def test_plover_rows_may_omit_trailing_fields() -> None:
    mapping = parse_plover_table("cameo\ttype\tmode\tcontext\n19\tASSAULT\n", path="t.tsv")
    assert mapping.map("193") == PloverCode("ASSAULT")
