"""``python fuzz/run_one.py NAME [atheris/libFuzzer options]``: fuzz one harness of harnesses.py."""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports():
    from harnesses import HARNESSES


def main() -> None:
    name = sys.argv.pop(1)
    atheris.Setup(sys.argv, HARNESSES[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
