"""The bundled demo corpus: its shape, its coverage and its loader."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from dyadwatch.demo import CORPUS_FILE, corpus_path, load_corpus
from dyadwatch.errors import InputError
from dyadwatch.model import Document

FIELDS = {"id", "date", "publisher", "title", "text", "url"}
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2019, 12, 31)
USA = re.compile(r"\bUnited States\b|\bU\.S\.|\bWashington\b|\bAmerican\b")
PAKISTAN = re.compile(r"\bPakistan")
COUNTRIES = {
    "USA": USA,
    "PAK": PAKISTAN,
    "AFG": re.compile(r"\bAfghan"),
    "IND": re.compile(r"\bIndia"),
    "CHN": re.compile(r"\bChin(a|ese)\b"),
    "IRN": re.compile(r"\bIran"),
    "RUS": re.compile(r"\bRussia"),
    "ISR": re.compile(r"\bIsrael"),
    "SAU": re.compile(r"\bSaudi"),
}

Record = dict[str, str]


@pytest.fixture(scope="module")
def records() -> list[Record]:
    lines = corpus_path().read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "briefs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(**fields: object) -> str:
    record: dict[str, object] = {
        "id": "t-1",
        "date": "2018-01-02",
        "publisher": "Test Wire",
        "title": "A title",
        "text": "Pakistan summoned the U.S. ambassador on Monday.",
    }
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not ...})


def test_corpus_has_at_least_150_briefs(records: list[Record]) -> None:
    assert len(records) >= 150


def test_corpus_records_have_valid_fields(records: list[Record]) -> None:
    for record in records:
        assert set(record) <= FIELDS, record["id"]
        assert FIELDS - set(record) <= {"url"}, record["id"]
        assert re.fullmatch(r"demo-\d{4}", record["id"])
        for name in ("publisher", "title", "text"):
            assert isinstance(record[name], str) and record[name].strip(), record["id"]
        if "url" in record:
            assert re.match(r"https://example\.(org|com)/", record["url"]), record["id"]


def test_corpus_dates_fall_in_2016_to_2019_and_are_sorted(records: list[Record]) -> None:
    dates = [dt.date.fromisoformat(record["date"]) for record in records]
    assert all(FIRST_DAY <= day <= LAST_DAY for day in dates)
    assert dates == sorted(dates)
    assert {day.year for day in dates} == {2016, 2017, 2018, 2019}


def test_corpus_ids_and_texts_are_unique(records: list[Record]) -> None:
    assert len({record["id"] for record in records}) == len(records)
    assert len({record["text"] for record in records}) == len(records)


def test_corpus_has_many_usa_pakistan_briefs(records: list[Record]) -> None:
    both = [r for r in records if USA.search(r["text"]) and PAKISTAN.search(r["text"])]
    assert len(both) >= 20
    # The USA–PAK series must span the whole period, not one burst.
    assert {r["date"][:4] for r in both} == {"2016", "2017", "2018", "2019"}


def test_corpus_has_8_to_12_outlets(records: list[Record]) -> None:
    assert 8 <= len({record["publisher"] for record in records}) <= 12


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_corpus_mentions_every_country(records: list[Record], country: str) -> None:
    hits = [r for r in records if COUNTRIES[country].search(r["text"])]
    assert len(hits) >= 5


def test_corpus_briefs_are_short(records: list[Record]) -> None:
    assert all(len(record["text"]) <= 600 for record in records)


def test_corpus_path_names_the_bundled_file() -> None:
    assert corpus_path().name == CORPUS_FILE
    assert corpus_path().is_file()


def test_corpus_load_returns_dated_documents(records: list[Record]) -> None:
    documents = load_corpus()
    assert len(documents) == len(records)
    assert all(isinstance(doc, Document) for doc in documents)
    assert [doc.date.isoformat() for doc in documents if doc.date] == [
        record["date"] for record in records
    ]
    first = documents[0]
    assert first.origin == f"{CORPUS_FILE}:1"
    assert (first.title, first.publisher, first.url) == (
        records[0]["title"],
        records[0]["publisher"],
        records[0].get("url"),
    )


def test_corpus_load_skips_blank_lines_and_allows_missing_url(tmp_path: Path) -> None:
    path = _write(tmp_path, "", _line(url=...), "   ", _line(text="Another brief."))
    documents = load_corpus(path)
    assert [doc.origin for doc in documents] == ["briefs.jsonl:2", "briefs.jsonl:4"]
    assert documents[0].url is None
    assert documents[0].date == dt.date(2018, 1, 2)


@pytest.mark.parametrize(
    ("bad_line", "code"),
    [
        ("{not json", "DW105"),
        ("[1, 2]", "DW105"),
        (_line(title=...), "DW105"),
        (_line(publisher=""), "DW105"),
        (_line(url=7), "DW105"),
        (_line(text=...), "DW106"),
        (_line(text="   "), "DW106"),
        (_line(date=...), "DW109"),
        (_line(date="2018-02-30"), "DW109"),
        (_line(date="next Tuesday"), "DW109"),
    ],
)
def test_corpus_load_bad_line_names_path_and_line(tmp_path: Path, bad_line: str, code: str) -> None:
    path = _write(tmp_path, _line(), bad_line)
    with pytest.raises(InputError) as info:
        load_corpus(path)
    assert (info.value.code, info.value.path, info.value.line) == (code, str(path), 2)
    assert f"{path}:2" in str(info.value)


def test_corpus_load_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(_line(text="Cafe talks.").encode("ascii").replace(b"Cafe", b"Caf\xe9"))
    with pytest.raises(InputError) as info:
        load_corpus(path)
    assert (info.value.code, info.value.path) == ("DW103", str(path))


def test_corpus_load_missing_file_is_dw108(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_corpus(tmp_path / "absent.jsonl")
    assert info.value.code == "DW108"
