"""Property-based fuzzing of every reader: a result or a catalogued error, never a crash or hang.

Example counts are bounded (``FUZZ``) so the suite stays fast; ``fuzz/run.py``
runs the coverage-guided atheris harnesses for longer.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_support import check_records, outcome

from dyadwatch.casualties import parse_number
from dyadwatch.dictionaries.petrarch import read_actors, read_agents, read_discards
from dyadwatch.dictionaries.petrarch_verbs import read_verbs
from dyadwatch.dictionaries.userdict import read_user_dictionary, read_user_rules
from dyadwatch.errors import ErrorRecord
from dyadwatch.ingest import parse_date, read_inputs
from dyadwatch.ingest._jsonl import document_from_line
from dyadwatch.model import Document
from dyadwatch.store import StoredEvent
from dyadwatch.store.interop import (
    read_gdelt_events,
    read_gdelt_mentions,
    read_icews_events,
)
from dyadwatch.store.interop._columns import GDELT2_EVENT_COLUMNS, ICEWS_COLUMNS
from dyadwatch.temporal.expressions import ExpressionFinder
from dyadwatch.temporal.lexicon import load_temporal_lexicon
from dyadwatch.temporal.values import Context, Valuer

FUZZ = settings(
    max_examples=int(os.environ.get("DYADWATCH_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ENCODINGS = ("utf-8", "utf-16", "utf-8-sig", "latin-1", "cp1252", "shift_jis")

# Strategies

TAGS = ("<html>", "<body>", "<p>", "</p>", "<div>", "</div", "<script>", "<!--", "-->",
        "<meta charset='utf-16'>", "<title>", "<![CDATA[", "&amp;", "&#0;", "&#x110000;",
        "<table><tr><td>", "<a href='javascript:x'>", "<?xml?>", "<", ">", "\x00")  # fmt: skip
WORDS = ("Pakistan", "attacked", "India", "on", "15", "August", "2021", "killed", "at least",
         "dozens", "of", "the", "yesterday", "last", "week", "ago", "three", "Monday", "-",
         "2021-08-15", "1e9", "9" * 30, "\u202e", "\ufeff", "½", "٣")  # fmt: skip

prose = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
markup = st.lists(st.one_of(st.sampled_from(TAGS), prose, st.text(max_size=20)), max_size=40)


@st.composite
def encoded(draw: st.DrawFn, text: st.SearchStrategy[str]) -> bytes:
    """Text in one of the encodings a user may hand us, possibly cut mid-character."""
    data = draw(text).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    cut = draw(st.integers(0, len(data)))
    return data[:cut] if draw(st.booleans()) else data


document_bytes = st.one_of(
    st.binary(max_size=3000),
    encoded(st.text(max_size=500)),
    encoded(prose),
    encoded(markup.map("".join)),
)


def _read_one(folder: Path, name: str, data: bytes, max_bytes: int) -> list[object]:
    path = folder / name
    path.write_bytes(data)
    return list(read_inputs([path], max_bytes=max_bytes))


def _written(data: bytes, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
    with handle:
        handle.write(data)
    return Path(handle.name)


# Documents


@FUZZ
@given(data=document_bytes, suffix=st.sampled_from([".txt", ".html", ".htm", ".jsonl"]))
def test_reliability_documents_are_read_or_recorded(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        items = outcome(lambda: _read_one(Path(folder), "doc" + suffix, data, 2048), 10.0)
    assert items is not None  # read_inputs records errors; it never raises
    check_records(items)
    for item in items:
        if isinstance(item, Document):
            assert item.text.strip()


@FUZZ
@given(size=st.integers(2000, 2100), filler=st.sampled_from(["a", "é", "\u4e2d", " "]))
def test_reliability_size_cap_is_exact(size: int, filler: str) -> None:
    data = (filler * size).encode("utf-8")[:size]
    with tempfile.TemporaryDirectory() as folder:
        items = _read_one(Path(folder), "doc.txt", data, 2048)
    # A cut multi-byte character is decoded by detection, with a DW118 warning first.
    kept = [item for item in items if not (isinstance(item, ErrorRecord) and item.is_warning)]
    assert len(kept) == 1
    codes = {getattr(kept[0], "code", None)}
    if size > 2048:
        assert codes == {"DW104"}
    else:
        assert codes <= {None, "DW101", "DW103"}


@FUZZ
@given(lines=st.lists(st.one_of(st.binary(max_size=200), encoded(st.text(max_size=80)),
       st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(["text", "date", "url", "title", "id"]),
                                      inner, max_size=5), max_leaves=8)
       .map(lambda value: __import__("json").dumps(value).encode())), max_size=20))  # fmt: skip
def test_reliability_jsonl_lines_are_read_or_recorded(lines: list[bytes]) -> None:
    stream = io.BytesIO(b"\n".join(line.replace(b"\n", b" ") for line in lines))
    items = outcome(lambda: list(read_inputs(["-"], stdin_format="jsonl", stdin=stream)))
    assert items is not None
    check_records(items)
    for line in lines:
        outcome(lambda line=line: document_from_line(line, "fuzz"))  # type: ignore[misc]


# GDELT and ICEWS rows

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "1", "-1", "20210815", "190", "4", "NaN", "inf", "1e400", "0x10",
                     "²", "٣٣", "３", "33.0", "-0.0", "9" * 5000, "USA", "PAK", "1_000"]),
)  # fmt: skip


@st.composite
def rows(draw: st.DrawFn, width: int) -> str:
    count = draw(st.sampled_from([width, width, width - 1, width + 1, 57, 58, 16, 1]))
    return "\t".join(draw(st.lists(cell, min_size=count, max_size=count)))


@FUZZ
@given(lines=st.lists(st.one_of(rows(len(GDELT2_EVENT_COLUMNS)), rows(58), rows(16),
                                st.binary(max_size=40).map(lambda b: b.decode("latin-1"))),
                      max_size=12))  # fmt: skip
def test_reliability_gdelt_rows_are_read_or_recorded(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    path = _written(data, ".CSV")
    try:
        for reader in (read_gdelt_events, read_gdelt_mentions):
            items = outcome(lambda reader=reader: list(reader(path)))  # type: ignore[misc]
            assert items is not None
            check_records(items)
            for item in items:
                _check_stored(item)
    finally:
        path.unlink()


@FUZZ
@given(header=st.booleans(), lines=st.lists(rows(len(ICEWS_COLUMNS)), max_size=12))
def test_reliability_icews_rows_are_read_or_recorded(header: bool, lines: list[str]) -> None:
    head = ["\t".join(ICEWS_COLUMNS)] if header else []
    path = _written("\n".join(head + lines).encode("utf-8", "surrogatepass"), ".tab")
    try:
        items = outcome(lambda: list(read_icews_events(path)))
        if header:
            assert items is not None
            check_records(items)
            for item in items:
                _check_stored(item)
    finally:
        path.unlink()


def _check_stored(item: object) -> None:
    """A row that was accepted holds what its columns promise (ASCII digits, real dates)."""
    if isinstance(item, StoredEvent):
        assert item.cameo.isascii() and item.cameo.isdigit(), item.cameo
        assert item.date is None or 1 <= item.date.year <= 9999
        if item.provenance.startswith("gdelt"):
            assert item.external_id is not None and item.external_id.isascii()


# Dictionaries

dictionary_line = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["PAKISTAN", "[PAK]", "[PAKGOV 19900101-20001231]", "[~MIL]",
                              "+ISLAMABAD", "{A B}", "!MINIST!", "!MINIST! = MINISTER",
                              "--- ATTACK [190] ---", "- $ * (TO PEACE) + [040]", "&AMBUSH",
                              "+&AMBUSH", "(", ")", "[", "]", "{", "}", "#", ";", "*", "$",
                              "+", "@", "<", ">", "_", "=", "~", "[>", ">2019]"]),
             max_size=6).map(" ".join),
)  # fmt: skip


@FUZZ
@given(lines=st.lists(dictionary_line, max_size=15), encoding=st.sampled_from(ENCODINGS))
def test_reliability_petrarch_dictionaries_load_or_fail_catalogued(
    lines: list[str], encoding: str
) -> None:
    path = _written("\n".join(lines).encode(encoding, errors="replace"), ".txt")
    try:
        for reader in (read_actors, read_agents, read_discards, read_verbs):
            outcome(lambda reader=reader: reader(path))  # type: ignore[misc]
            kept: list[object] = []
            outcome(lambda r=reader, k=kept: r(path, on_error=k.append))  # type: ignore[misc]
    finally:
        path.unlink()


yaml_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(["actors:", "agents:", "discards:", "synsets:", "rules:",
                              "  - phrase: Taliban", "    code: AFGREB", "    codes:",
                              "      - {code: AFGGOV, from: 2021-08-15}", "  - &a [1, *a]",
                              "  - !!python/object:os.system [x]", "    pattern: $ * (to) +",
                              "    event: '190'", "    event: 9999", "- x", "  - 1", ": :",
                              "\t", "%YAML 9.9", "    from: 2021-02-30", "  ambush: [a, b]"]),
             max_size=12).map("\n".join),
)  # fmt: skip
csv_text = st.lists(st.sampled_from(["kind,phrase,code", "actor,Taliban,AFGREB", "agent,x,~MIL",
                                     "discard,y,", '"a,b', ",,,,", "actor,,", "x\x00y"]),
                    max_size=8).map("\n".join)  # fmt: skip


@FUZZ
@given(text=yaml_text, csv=csv_text)
def test_reliability_user_dictionaries_load_or_fail_catalogued(text: str, csv: str) -> None:
    for suffix, body in ((".yaml", text), (".csv", csv)):
        path = _written(body.encode("utf-8", "surrogatepass"), suffix)
        try:
            outcome(lambda path=path: read_user_dictionary(path))  # type: ignore[misc]
            outcome(lambda path=path: read_user_dictionary(path, on_error=lambda e: None))  # type: ignore[misc]
            if suffix == ".yaml":
                outcome(lambda path=path: read_user_rules(path))  # type: ignore[misc]
        finally:
            path.unlink()


# Dates and numbers


@FUZZ
@given(value=st.one_of(st.text(max_size=14), st.from_regex(r"\s*\d{4}-?\d{2}-?\d{2}\s*")))
def test_reliability_parse_date_is_strict(value: str) -> None:
    day = outcome(lambda: parse_date(value))
    if day is not None:
        assert day.isoformat().replace("-", "") == value.strip().replace("-", "")


FINDER = ExpressionFinder(load_temporal_lexicon())
VALUER = Valuer(load_temporal_lexicon())


@FUZZ
@given(
    text=st.one_of(st.text(max_size=80), prose),
    published=st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))),
    future=st.booleans(),
)
def test_reliability_temporal_expressions_value_or_none(
    text: str, published: dt.date | None, future: bool
) -> None:
    found = outcome(lambda: FINDER.find(text))
    assert found is not None
    year = published.year if published else None
    for expression in found:
        assert 0 <= expression.start < expression.end <= len(text)
        outcome(lambda e=expression: VALUER.value(e, Context(published, None, year, future)))  # type: ignore[misc]


@FUZZ
@given(text=st.one_of(st.text(max_size=40), prose))
def test_reliability_parse_number_is_a_range_or_none(text: str) -> None:
    found = outcome(lambda: parse_number(text))
    if found is not None:
        assert 0 <= found.min <= found.max
