"""Legacy encodings are read (with a warning naming them); only binary data is refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from dyadwatch.errors import ErrorRecord, InputError
from dyadwatch.ingest import read_inputs
from dyadwatch.ingest._html import declared_charset, extract_html
from dyadwatch.ingest._text import codec_name, decode_bytes
from dyadwatch.model import Document

FRENCH = "Le ministre a rencontré l’ambassadeur à Montréal — «une réunion utile», a-t-il dit."
ENGLISH = "The café’s owner said police arrested “about 20” protesters near the Château."
RUSSIAN = "Министр иностранных дел встретился с послом во вторник в Москве."


def paragraph(sentence: str) -> str:
    return "<p>" + " ".join([sentence] * 4) + "</p>"


def page(head: str, body: str) -> str:
    head = f"<head>{head}<title>Talks</title></head>"
    return f"<html>{head}<body><article>{body}</article></body></html>"


@pytest.mark.parametrize("text", [FRENCH, ENGLISH])
def test_text_cp1252_is_detected_as_cp1252(text: str) -> None:
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.guessed) == (text, "cp1252", True)


def test_text_cyrillic_legacy_encoding_is_not_taken_for_cp1252() -> None:
    decoded = decode_bytes(RUSSIAN.encode("cp1251"))
    assert decoded.text == RUSSIAN and decoded.guessed
    assert decoded.encoding != "cp1252"


def test_text_utf8_is_not_a_guess() -> None:
    decoded = decode_bytes(FRENCH.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.guessed) == (FRENCH, "utf-8", False)


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_text_utf16_with_a_bom_is_read_not_refused_for_its_nul_bytes(bom: bytes) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    decoded = decode_bytes(bom + RUSSIAN.encode(codec))
    assert decoded.text == RUSSIAN and not decoded.guessed


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04\x14\x00\x00\x00\x08\x00", bytes(range(1, 32)) * 10, b"\x89PNG\r\n\x1a\n\x00"],
)
def test_text_binary_data_is_still_dw102(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data)
    assert info.value.code == "DW102"


@pytest.mark.parametrize(
    ("label", "codec"),
    [("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("windows-1251", "cp1251"),
     ("UTF-8", "utf-8"), ("'koi8-r'", "koi8-r"), ("no-such-charset", None)],
)  # fmt: skip
def test_text_codec_name_reads_charset_labels_as_browsers_do(label: str, codec: str | None) -> None:
    assert codec_name(label) == codec


def test_text_a_declared_charset_that_does_not_fit_is_ignored() -> None:
    # Says UTF-8, is cp1252: the bytes win, as detection.
    decoded = decode_bytes(ENGLISH.encode("cp1252"), "utf-8")
    assert decoded.text == ENGLISH and decoded.guessed


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1251">',
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>",
        "<META CHARSET=windows-1251>",
        "",  # with the XML declaration below
    ],
)
def test_html_declared_charset_is_used(head: str) -> None:
    xml = "" if head else '<?xml version="1.0" encoding="windows-1251"?>\n'
    data = (xml + page(head, paragraph(RUSSIAN))).encode("cp1251")
    assert declared_charset(data) == "windows-1251"
    found = extract_html(data)
    assert RUSSIAN in found.text and found.guessed_encoding is None


def test_html_charset_of_the_http_header_wins_over_none() -> None:
    data = page("", paragraph(RUSSIAN)).encode("koi8-r")
    found = extract_html(data, "koi8-r")
    assert RUSSIAN in found.text and found.guessed_encoding is None


def test_html_without_charset_is_detected_with_its_name() -> None:
    found = extract_html(page("", paragraph(FRENCH)).encode("cp1252"))
    assert FRENCH in found.text and found.guessed_encoding == "cp1252"


def test_readers_cp1252_text_file_is_coded_text_with_a_dw118_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(ENGLISH.encode("cp1252"))
    warning, doc = read_inputs([path], max_bytes=10_000)
    assert isinstance(warning, ErrorRecord) and isinstance(doc, Document)
    assert (warning.code, warning.path, warning.is_warning) == ("DW118", str(path), True)
    assert warning.message == "[DW118] Not UTF-8: decoded as cp1252"
    assert doc.text == ENGLISH and doc.id == path.as_posix()


def test_readers_html_file_without_charset_warns_and_with_charset_does_not(tmp_path: Path) -> None:
    bare = tmp_path / "bare.html"
    bare.write_bytes(page("", paragraph(FRENCH)).encode("cp1252"))
    said = tmp_path / "said.html"
    said.write_bytes(page('<meta charset="windows-1252">', paragraph(FRENCH)).encode("cp1252"))
    items = list(read_inputs([bare, said], max_bytes=100_000))
    codes = [(i.code, i.path) for i in items if isinstance(i, ErrorRecord)]
    assert codes == [("DW118", str(bare))]
    texts = [i.text for i in items if isinstance(i, Document)]
    assert len(texts) == 2 and all(FRENCH in text for text in texts)
