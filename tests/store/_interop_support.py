"""Shared helpers of the interop tests: fixture paths and the real samples (skip when absent)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from dyadwatch.errors import ErrorRecord
from dyadwatch.store.records import StoredEvent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interop"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def shared_file(*parts: str) -> Path:
    """A file of ../shared/data, or a skip when the checkout has none."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return path


def split(
    items: Iterable[StoredEvent | ErrorRecord],
) -> tuple[list[StoredEvent], list[ErrorRecord]]:
    events: list[StoredEvent] = []
    errors: list[ErrorRecord] = []
    for item in items:
        if isinstance(item, ErrorRecord):
            errors.append(item)
        else:
            events.append(item)
    return events, errors


def data_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]
