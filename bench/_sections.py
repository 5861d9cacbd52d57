"""Benchmarks write their figures into one section of a Markdown file each."""

from __future__ import annotations

import re
from pathlib import Path


def replace_section(path: Path, title: str, text: str) -> None:
    """Replace the ``## {title}`` section of ``path`` with ``text`` (or append it).

    The other sections are kept as they are: each benchmark owns one section.
    """
    old = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
