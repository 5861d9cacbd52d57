"""tools/audit_dependencies.py: verdicts from PyPI's project documents (no network here)."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import urllib.error
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "audit_dependencies.py"


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def serve(monkeypatch: pytest.MonkeyPatch, audit: ModuleType, answer: Any) -> None:
    def urlopen(url: str, timeout: float) -> io.BytesIO:
        if isinstance(answer, Exception):
            raise answer
        return io.BytesIO(json.dumps(answer).encode())

    monkeypatch.setattr(audit.urllib.request, "urlopen", urlopen)


def document(version: str, ids: list[str]) -> dict[str, Any]:
    return {"info": {"version": version}, "vulnerabilities": [{"id": i} for i in ids]}


@pytest.mark.parametrize(
    ("answer", "verdict", "advisories"),
    [
        (document("1.0", []), "clean", ()),
        (document("1.0", ["PYSEC-1", "GHSA-x"]), "vulnerable", ("PYSEC-1", "GHSA-x")),
        (document("2.0", ["PYSEC-9"]), "not covered", ()),
        (urllib.error.URLError("no route"), "unreachable", ()),
    ],
)
def test_audit_tool_verdicts(
    monkeypatch: pytest.MonkeyPatch,
    audit: ModuleType,
    answer: Any,
    verdict: str,
    advisories: tuple[str, ...],
) -> None:
    serve(monkeypatch, audit, answer)
    finding = audit.check("somepkg", "1.0")
    assert (finding.verdict, finding.advisories) == (verdict, advisories)


def test_audit_tool_broken_document_is_unreachable_not_clean(
    monkeypatch: pytest.MonkeyPatch, audit: ModuleType
) -> None:
    def urlopen(url: str, timeout: float) -> io.BytesIO:
        return io.BytesIO(b"<html>not json")

    monkeypatch.setattr(audit.urllib.request, "urlopen", urlopen)
    assert audit.check("somepkg", "1.0").verdict == "unreachable"


def test_audit_tool_skips_our_own_package(audit: ModuleType) -> None:
    names = audit.installed()
    assert "dyadwatch" not in names and "pytest" in names
