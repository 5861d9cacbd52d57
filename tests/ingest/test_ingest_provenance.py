"""User ids and bad optional fields: every document keeps its id, and none is lost to a field."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from dyadwatch.errors import ErrorRecord
from dyadwatch.ingest import read_inputs
from dyadwatch.model import Document
from dyadwatch.workflows import with_default_date

Item = Document | ErrorRecord


def read(*paths: Path | str) -> list[Item]:
    return list(read_inputs(paths, max_bytes=10_000))


def jsonl(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def documents(items: list[Item]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def records(items: list[Item]) -> list[tuple[str, int | None, bool]]:
    return [(i.code, i.line, i.is_warning) for i in items if isinstance(i, ErrorRecord)]


def test_readers_jsonl_id_url_title_and_publisher_are_kept(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "c.jsonl",
        {"id": "story-7", "text": "China attacked Afghanistan.", "url": "https://x.example/7",
         "title": "Border clash", "publisher": "Example Wire"},
        {"id": 42, "text": "Pakistan met India."},
    )  # fmt: skip
    first, second = read(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.id, first.url, first.title, first.publisher) == (
        "story-7", "https://x.example/7", "Border clash", "Example Wire",
    )  # fmt: skip
    assert second.id == "42"  # an integer id is kept as its digits


def test_readers_jsonl_without_id_falls_back_to_the_content_hash(tmp_path: Path) -> None:
    (doc,) = read(jsonl(tmp_path / "c.jsonl", {"text": "Pakistan met India.", "id": None}))
    assert isinstance(doc, Document)
    assert doc.id == Document.from_text("Pakistan met India.").id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date", "2019-02-30"),
        ("date", "last Tuesday"),
        ("date", ["2019-02-01"]),
        ("url", "not a url"),
        ("url", "news.example.org/a"),
        ("url", 17),
        ("title", {"en": "Talks"}),
        ("publisher", 3.5),
        ("id", True),
        ("id", "tab\there"),
    ],
)
def test_readers_bad_optional_field_is_a_dw117_warning_and_the_document_is_kept(
    tmp_path: Path, field: str, value: object
) -> None:
    path = jsonl(
        tmp_path / "c.jsonl",
        {"text": "India met China."},
        {"text": "Pakistan met India.", field: value},
    )
    items = read(path)
    assert records(items) == [("DW117", 2, True)]
    warning = next(i for i in items if isinstance(i, ErrorRecord))
    assert warning.path == str(path)
    assert f"'{field}'" in warning.message
    shown = value if isinstance(value, str) else json.dumps(value)
    assert repr(shown) in warning.message
    second = documents(items)[1]
    assert second.text == "Pakistan met India."
    if field == "id":
        assert second.id == Document.from_text("Pakistan met India.").id
    else:
        assert getattr(second, field) is None


def test_readers_bad_date_takes_the_default_date_downstream(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "c.jsonl", {"id": "a", "text": "Pakistan met India.", "date": "2019-13-01"}
    )
    items = list(with_default_date(read(path), dt.date(2019, 3, 1)))  # as the CLI's --date
    (doc,) = documents(items)
    assert doc.date == dt.date(2019, 3, 1)


def test_readers_long_bad_value_is_shortened_in_the_warning(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "c.jsonl", {"text": "Pakistan met India.", "url": "x" * 500})
    warning = read(path)[0]
    assert isinstance(warning, ErrorRecord)
    assert "x" * 79 + "…" in warning.message and "x" * 81 not in warning.message


def test_readers_reused_id_with_another_text_is_dw119_naming_the_first(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "c.jsonl",
        {"id": "p1", "text": "China attacked Afghanistan."},
        {"id": "p2", "text": "Pakistan met India."},
        {"id": "p1", "text": "India met China."},
    )
    items = read(path)
    assert [d.id for d in documents(items)] == ["p1", "p2"]
    assert records(items) == [("DW119", 3, False)]
    error = items[-1]
    assert isinstance(error, ErrorRecord) and error.path == str(path)
    assert "'p1'" in error.message and f"{path}:1" in error.message


def test_readers_reused_id_with_the_same_text_is_not_an_error(tmp_path: Path) -> None:
    record = {"id": "p1", "text": "China attacked Afghanistan."}
    items = read(jsonl(tmp_path / "c.jsonl", record, record))
    assert records(items) == []
    assert [d.id for d in documents(items)] == ["p1", "p1"]  # the store counts it a duplicate


def test_readers_ids_clash_across_files_of_one_run(tmp_path: Path) -> None:
    first = jsonl(tmp_path / "a.jsonl", {"id": "p1", "text": "China attacked Afghanistan."})
    second = jsonl(tmp_path / "b.jsonl", {"id": "p1", "text": "India met China."})
    items = read(first, second)
    assert records(items) == [("DW119", 1, False)]
    error = items[-1]
    assert isinstance(error, ErrorRecord) and error.path == str(second)


def test_readers_text_files_in_a_folder_take_their_relative_path(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "2019" / "feb").mkdir(parents=True)
    (root / "2019" / "feb" / "a.txt").write_text("Pakistan met India.", encoding="utf-8")
    (root / "b.html").write_text(
        "<html><body><article><p>" + "India met China in Delhi on Monday. " * 4
        + "</p></article></body></html>", encoding="utf-8",
    )  # fmt: skip
    ids = [d.id for d in documents(read(root))]
    assert ids == ["2019/feb/a.txt", "b.html"]


def test_readers_same_file_name_in_two_folders_keeps_two_ids(tmp_path: Path) -> None:
    for folder, text in (("x", "Pakistan met India."), ("y", "India met China.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(text, encoding="utf-8")
    items = read(tmp_path / "x" / "a.txt", tmp_path / "y" / "a.txt")
    assert records(items) == []
    assert [d.id for d in documents(items)] == [
        (tmp_path / "x" / "a.txt").as_posix(), (tmp_path / "y" / "a.txt").as_posix(),
    ]  # fmt: skip


def test_readers_stdin_text_keeps_a_content_hash_id() -> None:
    items = list(read_inputs(["-"], max_bytes=1000, stdin=io.BytesIO(b"Pakistan met India.")))
    (doc,) = documents(items)
    assert doc.id == Document.from_text("Pakistan met India.").id
