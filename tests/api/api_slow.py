"""A coder that hangs until released: what the time-limit and coding-slot tests need."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

HANG = 20.0
"""How long a slow coder runs if nothing releases it."""


class SlowCoder:
    """A coder whose ``code_text`` hangs until released, counting the calls that began."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def code_text(self, text: str, date: dt.date | None = None) -> list[Any]:
        self.calls += 1
        self.release.wait(HANG)
        return []
