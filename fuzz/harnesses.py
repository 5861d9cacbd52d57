"""Coverage-guided (atheris) harnesses: one per reader, each a "catalogued error or result" oracle.

Run through ``bench/bench_reliability.py`` (not by pytest); a crash leaves
its input as ``crash-*`` in the working directory, to be copied into
``tests/fuzz_corpus/`` with a regression test.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from dyadwatch.casualties import parse_number
from dyadwatch.dictionaries.petrarch import read_actors, read_agents
from dyadwatch.dictionaries.petrarch_verbs import read_verbs
from dyadwatch.dictionaries.userdict import read_user_dictionary
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest import parse_date, read_inputs
from dyadwatch.store.interop import read_gdelt_events, read_icews_events

Harness = Callable[[bytes], None]


def _file(data: bytes, suffix: str, read: Callable[[Path], object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("input" + suffix)
        path.write_bytes(data)
        with contextlib.suppress(DyadwatchError):
            read(path)


def _text(data: bytes, read: Callable[[str], object]) -> None:
    with contextlib.suppress(DyadwatchError):
        read(data.decode("utf-8", "surrogateescape"))


HARNESSES: dict[str, Harness] = {
    "text": lambda d: _file(d, ".txt", lambda p: list(read_inputs([p]))),
    "html": lambda d: _file(d, ".html", lambda p: list(read_inputs([p]))),
    "jsonl": lambda d: list(read_inputs(["-"], stdin_format="jsonl", stdin=io.BytesIO(d))),
    "gdelt": lambda d: _file(d, ".CSV", lambda p: list(read_gdelt_events(p))),
    "icews": lambda d: _file(d, ".tab", lambda p: list(read_icews_events(p))),
    "petrarch-actors": lambda d: _file(d, ".txt", read_actors),
    "petrarch-agents": lambda d: _file(d, ".txt", read_agents),
    "petrarch-verbs": lambda d: _file(d, ".txt", read_verbs),
    "userdict-yaml": lambda d: _file(d, ".yaml", read_user_dictionary),
    "userdict-csv": lambda d: _file(d, ".csv", read_user_dictionary),
    "date": lambda d: _text(d, parse_date),
    "number": lambda d: _text(d, parse_number),
}
"""Name → harness; any exception other than DyadwatchError escapes and is a finding."""
