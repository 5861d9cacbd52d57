"""Regression inputs that once crashed or hung a reader (tests/fuzz_corpus/) stay fixed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rel_support import CORPUS, time_limit

from dyadwatch.dictionaries.userdict import read_user_dictionary, read_user_rules
from dyadwatch.errors import DictionaryError, ErrorRecord, InputError
from dyadwatch.ingest import parse_date
from dyadwatch.store import Store
from dyadwatch.store.interop import import_gdelt, read_gdelt_events


def _corpus(prefix: str) -> list[Path]:
    return sorted(CORPUS.glob(prefix + "*"))


@pytest.mark.parametrize("path", _corpus("userdict_"), ids=lambda p: p.name)
def test_reliability_corpus_user_dictionary_is_dw205(path: Path) -> None:
    started = time.perf_counter()
    for reader in (read_user_dictionary, read_user_rules):
        with pytest.raises(DictionaryError) as caught, time_limit(20.0):
            reader(path)
        assert caught.value.code == "DW205"
        assert "not valid YAML" in caught.value.message
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("path", _corpus("gdelt_"), ids=lambda p: p.name)
def test_reliability_corpus_gdelt_rows_are_dw112(path: Path, tmp_path: Path) -> None:
    items = list(read_gdelt_events(path))
    assert items and all(isinstance(item, ErrorRecord) for item in items), items
    assert {item.code for item in items if isinstance(item, ErrorRecord)} == {"DW112"}
    with Store.open(tmp_path / "dw.duckdb") as store:  # the bulk path refuses them too
        report = import_gdelt(store, [path])
    assert report.added == 0 and len(report.errors) == len(items)


@pytest.mark.parametrize("path", _corpus("date_"), ids=lambda p: p.name)
def test_reliability_corpus_dates_are_dw109(path: Path) -> None:
    for value in path.read_text(encoding="utf-8").splitlines():
        with pytest.raises(InputError) as caught:
            parse_date(value)
        assert caught.value.code == "DW109"
