"""Build hook: compile the coder's hot modules with mypyc.

The project's metadata lives in pyproject.toml; this file only adds the
compiled modules listed in ``src/dyadwatch/_build.py``. ``DYADWATCH_PURE=1``
builds without them (plain Python, same behaviour, slower coding).
"""

import os
import runpy
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
BUILD = runpy.run_path(str(HERE / "src" / "dyadwatch" / "_build.py"))

# mypyc type-checks what it compiles and trusts the types it was given. It is
# kept from the installed libraries (--no-site-packages), so spaCy and the rest
# read as untyped, whatever the build environment holds: their values are
# handled as plain Python objects, and a wrong annotation in a library's stubs
# (spaCy declares Token.conjuncts a 1-tuple) cannot turn into a failed check.
MYPYC_OPTIONS = [
    "--no-site-packages",
    "--ignore-missing-imports",
    "--follow-imports=silent",
    "--no-warn-return-any",
    "--no-warn-unused-ignores",
]


def ext_modules() -> list:
    if BUILD["pure_requested"](os.environ):
        return []
    from mypyc.build import mypycify

    sources = [str(path.relative_to(HERE)) for path in BUILD["source_files"](HERE / "src")]
    return mypycify([*MYPYC_OPTIONS, *sources], opt_level="3", group_name="dyadwatch")


setup(ext_modules=ext_modules())
