"""The error catalogue: stable codes, rendering, records, and docs/ERRORS.md in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dyadwatch import errors
from dyadwatch.errors import (
    DyadwatchError,
    ErrorCode,
    ErrorRecord,
    Errors,
    InputError,
    StoreError,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "ERRORS.md"
ROW = re.compile(r"^\|\s*(DW\d{3})\s*\|\s*(\w+)\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$")


def catalogue() -> dict[str, ErrorCode]:
    return {name: value for name, value in vars(Errors).items() if isinstance(value, ErrorCode)}


def documented() -> dict[str, tuple[str, int, str, str]]:
    """code -> (exception, HTTP status, template, advice) for each row of docs/ERRORS.md."""
    rows: dict[str, tuple[str, int, str, str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        found = ROW.match(line)
        if found:
            code, family, status, template, advice = found.groups()
            assert code not in rows, f"{code} is listed twice in {DOC.name}"
            rows[code] = (family, int(status), template, advice)
    return rows


def row_for(code: ErrorCode) -> str:
    """The table row to paste into docs/ERRORS.md for a new code."""
    return f"| {code.code} | <Exception> | {code.status} | {code.template} | <what to do> |"


def test_errors_codes_match_their_attribute_names() -> None:
    codes = catalogue()
    assert codes, "the catalogue is empty"
    for name, code in codes.items():
        assert code.code == name
        assert re.fullmatch(r"DW\d{3}", name)


def test_errors_codes_are_unique() -> None:
    values = [code.code for code in catalogue().values()]
    assert len(values) == len(set(values))
    templates = [code.template for code in catalogue().values()]
    assert all(t.strip() for t in templates)


def test_errors_templates_name_only_simple_fields() -> None:
    for code in catalogue().values():
        for field in re.findall(r"{([^}]*)}", code.template):
            assert re.fullmatch(r"\w+(!r)?", field), f"{code.code}: odd field {{{field}}}"


def test_errors_every_code_is_documented() -> None:
    missing = [code for name, code in catalogue().items() if name not in documented()]
    assert not missing, "add to docs/ERRORS.md:\n" + "\n".join(row_for(c) for c in missing)


def test_errors_every_documented_code_exists() -> None:
    unknown = sorted(set(documented()) - set(catalogue()))
    assert not unknown, f"docs/ERRORS.md lists codes errors.py lacks: {unknown}"


def test_errors_documented_templates_and_families_are_current() -> None:
    codes = catalogue()
    for name, (family, status, template, advice) in documented().items():
        if name not in codes:
            continue  # reported by the test above
        assert template == codes[name].template, f"{name}: template differs from errors.py"
        assert status == codes[name].status, f"{name}: HTTP status differs from errors.py"
        cls = getattr(errors, family, None)
        assert isinstance(cls, type) and issubclass(cls, DyadwatchError), f"{name}: {family}"
        assert advice, f"{name}: say what to do"


def test_errors_format_prefixes_the_code() -> None:
    assert Errors.DW101.format() == "[DW101] Empty document"
    assert Errors.DW109.format(value="x").startswith("[DW109] Invalid date 'x': expected")
    with pytest.raises(KeyError):
        Errors.DW109.format()


@pytest.mark.parametrize(
    ("path", "line", "rendered"),
    [
        ("feed.jsonl", 7, "feed.jsonl:7: [DW105] Malformed JSON: oops"),
        ("feed.jsonl", None, "feed.jsonl: [DW105] Malformed JSON: oops"),
        (None, 7, "line 7: [DW105] Malformed JSON: oops"),
        (None, None, "[DW105] Malformed JSON: oops"),
        (Path("dir") / "a.jsonl", 2, f"{Path('dir') / 'a.jsonl'}:2: [DW105] Malformed JSON: oops"),
    ],
)
def test_errors_render_path_and_line(
    path: str | Path | None, line: int | None, rendered: str
) -> None:
    error = InputError(Errors.DW105, path=path, line=line, detail="oops")
    assert str(error) == rendered
    assert error.code == "DW105"
    assert error.message == "[DW105] Malformed JSON: oops"
    assert error.path == (str(path) if path is not None else None)
    assert error.line == line


def test_errors_to_record_keeps_code_location_and_document() -> None:
    error = StoreError(Errors.DW301, path="x.duckdb", detail="disk full")
    record = error.to_record("doc-1")
    assert record == ErrorRecord("DW301", "[DW301] Store operation failed: disk full",
                                 "x.duckdb", None, "doc-1")  # fmt: skip
    assert record.to_dict() == {
        "code": "DW301", "message": record.message, "path": "x.duckdb", "line": None,
        "doc_id": "doc-1",
    }  # fmt: skip


def test_errors_every_family_is_a_dyadwatch_error() -> None:
    families = [getattr(errors, name) for name in errors.__all__ if name.endswith("Error")]
    assert DyadwatchError in families
    assert all(issubclass(f, DyadwatchError) for f in families)
    assert issubclass(DyadwatchError, Exception)
    assert errors.__all__ == sorted(errors.__all__)


def test_errors_every_code_has_an_http_status_of_its_kind() -> None:
    for name, code in catalogue().items():
        assert 400 <= code.status <= 599, f"{name}: {code.status}"
    # The request's fault is a 4xx; the server's (store, dictionaries, a bug) a 5xx.
    assert Errors.DW104.status == 413 and Errors.DW105.status == 422
    assert Errors.DW303.status == 422 and Errors.DW301.status == 500
    assert Errors.DW251.status == 422 and Errors.DW201.status == 500
    assert Errors.DW609.status == 500 and Errors.DW611.status == 503


def test_errors_carry_the_status_and_retry_of_their_code() -> None:
    error = StoreError(Errors.DW303, name="since", value="x", reason="not a date")
    assert (error.status, error.retry_after) == (422, None)
    busy = errors.ApiError(Errors.DW611, slots=2, queue=64)
    assert (busy.status, busy.retry_after) == (503, 2)
