"""Batch inputs: gzipped files read as the files they compress, in a stable order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from dyadwatch.batch import estimate_items, read_batch_inputs
from dyadwatch.errors import ErrorRecord
from dyadwatch.model import Document

LINES = [{"text": "Pakistan attacked India."}, {"text": "India met China.", "date": "2019-03-01"}]


def _jsonl(lines: list[dict[str, str]]) -> bytes:
    return ("\n".join(json.dumps(line) for line in lines) + "\n").encode()


def test_inputs_gzipped_jsonl_reads_like_plain(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(_jsonl(LINES))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(_jsonl(LINES)))
    plain = list(read_batch_inputs([tmp_path / "a.jsonl"]))
    packed = list(read_batch_inputs([tmp_path / "b.jsonl.gz"]))
    assert [d.text for d in packed] == [d.text for d in plain]  # type: ignore[union-attr]
    assert [d.id for d in packed] == [d.id for d in plain]  # type: ignore[union-attr]
    assert packed[1].origin == f"{tmp_path / 'b.jsonl.gz'}:2"  # type: ignore[union-attr]


def test_inputs_gzipped_text_and_html_in_a_directory(tmp_path: Path) -> None:
    (tmp_path / "1.txt.gz").write_bytes(gzip.compress(b"India met China."))
    page = b"<html><body><article><p>Pakistan attacked India on Monday.</p></article></body></html>"
    (tmp_path / "2.html.gz").write_bytes(gzip.compress(page))
    (tmp_path / "3.csv.gz").write_bytes(gzip.compress(b"a,b"))
    (tmp_path / ".hidden.txt").write_text("skipped")
    items = list(read_batch_inputs([tmp_path]))
    assert isinstance(items[0], Document) and items[0].text == "India met China."
    assert items[0].origin == str(tmp_path / "1.txt.gz")
    assert items[0].id == (tmp_path / "1.txt.gz").as_posix()  # not its temporary copy's path
    assert len(items) == 2
    assert isinstance(items[1], Document | ErrorRecord)
    assert estimate_items([tmp_path]) == 2


def test_inputs_corrupt_gzip_is_one_error_record(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl.gz").write_bytes(b"\x1f\x8bnot really gzip")
    (tmp_path / "good.txt").write_text("India met China.")
    items = list(read_batch_inputs([tmp_path]))
    assert isinstance(items[0], ErrorRecord) and items[0].code == "DW108"
    assert items[0].path == str(tmp_path / "bad.jsonl.gz")
    assert isinstance(items[1], Document)


def test_inputs_oversize_gzipped_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.txt.gz").write_bytes(gzip.compress(b"India met China. " * 100))
    (item,) = read_batch_inputs([tmp_path / "big.txt.gz"], max_bytes=50)
    assert isinstance(item, ErrorRecord) and item.code == "DW104"
