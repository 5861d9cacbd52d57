"""Behaviour of the input readers: documents out, one error record per bad item."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from dyadwatch.errors import ErrorRecord, InputError
from dyadwatch.ingest import parse_date, read_inputs
from dyadwatch.model import Document

STORY = "Pakistani officials met Afghan negotiators in Doha on Sunday."

PAGE = """<!DOCTYPE html>
<html><head>
<title>Talks resume in Doha | Example News</title>
<meta property="og:title" content="Talks resume in Doha">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2021-08-15T10:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<article><h1>Talks resume in Doha</h1>
<p>Pakistani officials met with Afghan negotiators in Doha on Sunday to discuss
border security and the return of refugees.</p>
<p>The United States welcomed the meeting and urged both sides to reach a durable
agreement before the end of the month.</p>
</article>
<footer><p>Copyright 2021 Example News. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body></html>
"""


def read(*paths: Path | str, max_bytes: int = 10_000) -> list[Document | ErrorRecord]:
    return list(read_inputs(paths, max_bytes=max_bytes))


def only_error(items: list[Document | ErrorRecord]) -> ErrorRecord:
    assert len(items) == 1
    assert isinstance(items[0], ErrorRecord), items[0]
    return items[0]


def only_document(items: list[Document | ErrorRecord]) -> Document:
    assert len(items) == 1
    assert isinstance(items[0], Document), items[0]
    return items[0]


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_readers_text_file_becomes_document(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", STORY + "\n")
    doc = only_document(read(path))
    assert doc.text == STORY + "\n"
    assert doc.origin == str(path)
    assert doc.id == path.as_posix()  # a file named on its own: its path as given


def test_readers_text_bom_is_stripped(tmp_path: Path) -> None:
    doc = only_document(read(write(tmp_path / "a.txt", b"\xef\xbb\xbf" + STORY.encode())))
    assert doc.text == STORY


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf \n"])
def test_readers_empty_text_is_dw101(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "empty.txt", content)
    error = only_error(read(path))
    assert error.code == "DW101"
    assert error.path == str(path)


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04\x00\x00binary", bytes(range(1, 32)) * 20],
    ids=["nul", "controls"],
)
def test_readers_binary_text_is_dw102(tmp_path: Path, content: bytes) -> None:
    assert only_error(read(write(tmp_path / "b.txt", content))).code == "DW102"


def test_readers_latin1_text_is_decoded_with_a_dw118_warning(tmp_path: Path) -> None:
    text = "The café’s owner said the protest in Montréal was peaceful."
    path = write(tmp_path / "latin1.txt", text.encode("cp1252"))
    warning, doc = read(path)
    assert isinstance(warning, ErrorRecord) and isinstance(doc, Document)
    assert (warning.code, warning.path, warning.is_warning) == ("DW118", str(path), True)
    assert "cp1252" in warning.message
    assert doc.text == text


def test_readers_invalid_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"\xef\xbb\xbfab\xff")
    assert "byte offset 5" in only_error(read(path)).message


def test_readers_oversize_file_is_dw104_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "big.txt", "word " * 100)

    def refuse(self: Path) -> bytes:
        raise AssertionError("an oversize file must not be read")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    error = only_error(read(path, max_bytes=100))
    assert error.code == "DW104"
    assert "500 bytes" in error.message


def test_readers_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "edge.txt", "x" * 100)
    assert only_document(read(path, max_bytes=100)).text == "x" * 100


def test_readers_unsupported_suffix_is_dw107(tmp_path: Path) -> None:
    error = only_error(read(write(tmp_path / "report.pdf", b"%PDF-1.4")))
    assert error.code == "DW107"
    assert "'.pdf'" in error.message


def test_readers_missing_file_is_dw108(tmp_path: Path) -> None:
    error = only_error(read(tmp_path / "nope.txt"))
    assert error.code == "DW108"
    assert error.path == str(tmp_path / "nope.txt")


def test_readers_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", STORY)
    items = read(tmp_path / "missing.txt", write(tmp_path / "e.txt", ""), good)
    assert [type(item).__name__ for item in items] == ["ErrorRecord", "ErrorRecord", "Document"]


def test_readers_directory_is_walked_sorted_and_filtered(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second story.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.txt", "Third story.")
    write(tmp_path / "a.txt", "First story.")
    write(tmp_path / "notes.md", "ignored")
    write(tmp_path / ".hidden.txt", "ignored too")
    texts = [item.text for item in read(tmp_path) if isinstance(item, Document)]
    assert texts == ["First story.", "Second story.", "Third story."]


def test_readers_html_extracts_story_without_boilerplate(tmp_path: Path) -> None:
    doc = only_document(read(write(tmp_path / "page.html", PAGE)))
    assert "Afghan negotiators in Doha" in doc.text
    assert "durable agreement" in doc.text
    for boilerplate in ("Privacy policy", "Cookie settings", "All rights reserved", "Weather"):
        assert boilerplate not in doc.text
    assert doc.title == "Talks resume in Doha"
    assert doc.date == dt.date(2021, 8, 15)
    assert doc.publisher == "Example News"
    assert doc.origin == str(tmp_path / "page.html")


def test_readers_html_without_text_is_dw110(tmp_path: Path) -> None:
    page = "<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>"
    assert only_error(read(write(tmp_path / "empty.htm", page))).code == "DW110"


def test_readers_html_honours_its_charset(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace(
        "Doha on Sunday", "Doha on Sunday at the Café Français"
    )
    doc = only_document(read(write(tmp_path / "latin.html", page.encode("latin-1"))))
    assert "Café Français" in doc.text


def jsonl(*lines: object) -> str:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"


def test_readers_jsonl_reads_fields_and_line_origin(tmp_path: Path) -> None:
    record = {
        "id": "x1",
        "text": STORY,
        "date": "20210815",
        "url": "https://example.org/a",
        "title": "Talks",
        "publisher": "Example",
    }
    path = write(tmp_path / "in.jsonl", jsonl(record))
    doc = only_document(read(path))
    assert (doc.text, doc.date, doc.url, doc.title, doc.publisher) == (
        STORY,
        dt.date(2021, 8, 15),
        "https://example.org/a",
        "Talks",
        "Example",
    )
    assert doc.origin == f"{path}:1"


def test_readers_jsonl_bad_lines_are_recorded_and_the_rest_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.jsonl",
        jsonl(
            {"text": "First."},
            '{"text": "broken',
            "",
            {"title": "no text"},
            {"text": "   "},
            {"text": "Bad date.", "date": "2021-02-30"},
            ["not", "an", "object"],
            {"text": "Last.", "date": "2021-08-15"},
        ),
    )
    items = read(path)
    documents = [item for item in items if isinstance(item, Document)]
    errors = [item for item in items if isinstance(item, ErrorRecord)]
    assert [doc.text for doc in documents] == ["First.", "Bad date.", "Last."]
    assert [doc.origin for doc in documents] == [f"{path}:1", f"{path}:6", f"{path}:8"]
    assert documents[1].date is None  # the bad date is dropped, not the document
    assert [(e.code, e.line, e.is_warning) for e in errors] == [
        ("DW105", 2, False),
        ("DW106", 4, False),
        ("DW106", 5, False),
        ("DW117", 6, True),
        ("DW105", 7, False),
    ]
    assert all(e.path == str(path) for e in errors)


def test_readers_jsonl_oversize_line_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "in.jsonl", jsonl({"text": "x" * 500}, {"text": "Short."}))
    items = read(path, max_bytes=100)
    assert isinstance(items[0], ErrorRecord)
    assert (items[0].code, items[0].line) == ("DW104", 1)
    assert "512 bytes" in items[0].message
    assert only_document(items[1:]).text == "Short."


def test_readers_jsonl_cp1252_line_is_decoded_with_a_dw118_warning(tmp_path: Path) -> None:
    line = '{"text": "The minister’s café in Montréal was closed by the police."}'
    path = write(tmp_path / "in.jsonl", line.encode("cp1252") + b'\n{"text": "ok"}\n')
    warning, first, second = read(path)
    assert isinstance(warning, ErrorRecord) and (warning.code, warning.line) == ("DW118", 1)
    assert isinstance(first, Document) and first.text.startswith("The minister’s café")
    assert isinstance(second, Document) and second.text == "ok"


def test_readers_jsonl_warns_once_for_a_file_in_one_legacy_encoding(tmp_path: Path) -> None:
    lines = [f'{{"text": "The minister’s café — report {n}."}}' for n in range(4)]
    data = b"\n".join(line.encode("cp1252") for line in lines)
    items = read(write(tmp_path / "in.jsonl", data + b'\n{"text": "ok"}\n'))
    warnings = [(i.code, i.line) for i in items if isinstance(i, ErrorRecord)]
    assert warnings == [("DW118", 1)]
    texts = [i.text for i in items if isinstance(i, Document)]
    assert texts == [f"The minister’s café — report {n}." for n in range(4)] + ["ok"]


def test_readers_jsonl_non_string_metadata_is_a_dw117_warning(tmp_path: Path) -> None:
    warning, doc = read(write(tmp_path / "in.jsonl", jsonl({"text": "x", "url": 3})))
    assert isinstance(warning, ErrorRecord) and warning.code == "DW117"
    assert "'url'" in warning.message and "3" in warning.message
    assert isinstance(doc, Document) and doc.url is None


def test_readers_stdin_text() -> None:
    items = list(read_inputs(["-"], max_bytes=1000, stdin=io.BytesIO(STORY.encode())))
    doc = only_document(items)
    assert (doc.text, doc.origin) == (STORY, "<stdin>")


def test_readers_stdin_jsonl() -> None:
    stream = io.BytesIO(jsonl({"text": "One."}, "{oops", {"text": "Two."}).encode())
    items = list(read_inputs(["-"], max_bytes=1000, stdin=stream, stdin_format="jsonl"))
    assert [getattr(item, "text", getattr(item, "code", None)) for item in items] == [
        "One.",
        "DW105",
        "Two.",
    ]
    assert isinstance(items[2], Document)
    assert items[2].origin == "<stdin>:3"


def test_readers_stdin_oversize_and_empty() -> None:
    big = list(read_inputs(["-"], max_bytes=10, stdin=io.BytesIO(b"x" * 50)))
    assert only_error(big).code == "DW104"
    empty = list(read_inputs(["-"], max_bytes=10, stdin=io.BytesIO(b"")))
    assert only_error(empty).code == "DW101"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-08-15", dt.date(2021, 8, 15)),
        ("20210815", dt.date(2021, 8, 15)),
        (" 2020-02-29 ", dt.date(2020, 2, 29)),
    ],
)
def test_readers_parse_date_accepts_both_forms(value: str, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["", "2021-8-15", "2021-0815", "15/08/2021", "2021-02-30", "2021-13-01", "yesterday"]
)
def test_readers_parse_date_rejects_other_forms(value: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(value)
    assert info.value.code == "DW109"
