"""A store in a read-only directory: DW306, a non-zero exit and no file, as a real user.

The suite usually runs as root, which ignores permission bits. Then the child
process imports dyadwatch as root and drops to ``nobody`` (65534) before it
touches the store. A checkout (and its ``.venv``) in a folder others cannot
read, such as one made by ``mktemp -d`` or a 0700 home, must not matter: before
dropping, the child runs the same command once as root against a store whose
parent is a file (DW306 too), so that every module the command imports lazily
(typer's click, rich) is loaded while it still can be. Should an import still
fail as ``nobody``, the test skips and names the unreadable folder. Run as
another user, chmod 0555 is enough.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

NOBODY = 65534
CANNOT_DROP = 77
"""The child's exit status when the test cannot be made real; the test skips on it."""

CHILD = textwrap.dedent(
    """
    import os, sys
    from dyadwatch.cli import app

    folder, store = sys.argv[1], sys.argv[2]
    events = os.path.join(folder, "events.CSV")
    imports_from = [p for p in sys.path if os.path.isdir(p)]  # seen while still root

    def run(target):
        try:
            app(["import", "gdelt", events, "--store", target], prog_name="dyadwatch")
        except SystemExit as exc:
            return exc.code
        return 0

    if os.geteuid() == 0:
        # The same command as root, refused as well (the store's parent is a file), loads
        # what the command imports lazily while the checkout is still readable.
        with open(os.devnull, "w") as quiet:
            sys.stderr, stderr = quiet, sys.stderr
            warm = run(os.path.join(events, "dw.duckdb"))
            sys.stderr = stderr
        if warm != 1:
            print("the warm-up run did not fail as expected:", warm, file=sys.stderr)
            sys.exit(2)
        try:
            os.setgroups([])
            os.setgid({nobody})
            os.setuid({nobody})
        except OSError as exc:
            print("cannot drop privileges:", exc, file=sys.stderr)
            sys.exit({skip})
    probe = os.path.join(folder, "probe")
    try:
        open(probe, "x").close()
    except OSError:
        pass
    else:  # permissions are not enforced here (a capability, a special file system)
        os.remove(probe)
        print("the directory is writable after all", file=sys.stderr)
        sys.exit({skip})
    try:
        code = run(store)
    except ImportError as exc:
        unreadable = [p for p in imports_from if not os.access(p, os.R_OK | os.X_OK)]
        if not unreadable:
            raise
        print(f"uid {{os.geteuid()}} cannot import from {{unreadable}} ({{exc}}): the checkout "
              "or virtualenv lives where other users cannot read", file=sys.stderr)
        sys.exit({skip})
    sys.exit(code)
    """
).format(nobody=NOBODY, skip=CANNOT_DROP)


@pytest.fixture
def read_only_dir() -> Iterator[Path]:
    """A directory with mode 0555 holding one readable (empty) GDELT file.

    Made under the system temp folder, not pytest's (which is private to root),
    so that ``nobody`` can reach it.
    """
    if os.name != "posix":
        pytest.skip("POSIX permissions only")
    folder = Path(tempfile.mkdtemp(prefix="dw-readonly-"))
    events = folder / "events.CSV"
    events.write_bytes(b"")
    events.chmod(0o644)
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()


def test_store_readonly_dir_import_is_dw306_and_creates_nothing(read_only_dir: Path) -> None:
    store = read_only_dir / "dw.duckdb"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(read_only_dir), str(store)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "300"},  # one line per message
        check=False,
    )
    if done.returncode == CANNOT_DROP:
        pytest.skip(done.stderr.strip())
    assert done.returncode == 1, done.stderr
    assert "DW306" in done.stderr
    assert "Cannot create or write the store here" in done.stderr
    assert f"directory '{read_only_dir}' is not writable" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in read_only_dir.iterdir()) == ["events.CSV"]
