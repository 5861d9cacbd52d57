"""A batch run killed with SIGKILL and rerun ends with exactly a clean run's output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_helpers import output_rows, write_corpus

from dyadwatch.batch.checkpoints import MANIFEST

HERE = Path(__file__).resolve().parent

SCRIPT = """
import sys
from pathlib import Path
from dyadwatch.batch import BatchOptions, CoderSpec, run_batch
spec = CoderSpec(factory="batch_helpers:small_coder")
run_batch([Path(sys.argv[1])], Path(sys.argv[2]), BatchOptions(workers=0, shard_size=8, spec=spec))
"""


def _run(corpus: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)])}
    command = [sys.executable, "-c", SCRIPT, str(corpus), str(out)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _done(out: Path) -> int:
    try:
        return len(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["done"])
    except (OSError, ValueError):
        return 0


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.parquet"))}


@pytest.mark.slow
def test_resume_after_sigkill_gives_the_clean_output(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 120)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    process = _run(corpus, killed)
    deadline = time.monotonic() + 120
    while _done(killed) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert 3 <= _done(killed) < 15
    for rerun in (_run(corpus, killed), _run(corpus, clean)):
        _, stderr = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, stderr.decode()
    assert output_rows(killed) == output_rows(clean)
    assert _files(killed) == _files(clean)
    assert not list(killed.rglob("*.tmp"))
