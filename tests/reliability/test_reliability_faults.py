"""Faults with real processes: kill -9 during import, a full disk, a damaged store, readers
while a batch writes.

Kill -9 during ingest is tests/store/test_store_integrity.py, during batch
tests/batch/test_batch_resume.py; the unwritable-path cases (DW306) are
tests/store/test_store_integrity.py too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest
from rel_support import coded_batch

from dyadwatch.errors import StoreError
from dyadwatch.model import Actor
from dyadwatch.store import Store, StoredEvent, _changelog, _rollup
from dyadwatch.store.interop import gdelt_row

SRC = Path(__file__).resolve().parents[2] / "src"
TABLES = ("documents", "event_mentions", "events", "event_links", "errors", "meta")
CLOCK_COLUMNS = {"ingested_at", "recorded_at"}
IMPORT = "import sys; sys.path.insert(0, sys.argv.pop(1)); from dyadwatch.cli import main; main()"

_BOOKKEEPING = _rollup.BOOKKEEPING_KEYS | _changelog.BOOKKEEPING_KEYS
"""Meta keys that record history (writes made, the change log), not content."""


def gdelt_files(folder: Path, files: int, rows: int) -> list[Path]:
    """``files`` GDELT 2.0 event files of ``rows`` distinct events each."""
    rng = random.Random(11)
    paths = []
    for f in range(files):
        path = folder / f"2021081{f}.export.CSV"
        with path.open("w", encoding="utf-8") as out:
            for n in range(rows):
                event = StoredEvent(
                    id=f"gdelt2:{f * rows + n + 1}", provenance="gdelt2",
                    date=dt.date(2021, 8, 1) + dt.timedelta(days=rng.randrange(28)),
                    source=Actor("US", "USAGOV", "USA", "GOV"),
                    target=Actor("Pakistan", "PAKMIL", "PAK", "MIL"),
                    cameo=rng.choice(["190", "040", "1823"]), goldstein=-10.0, quad=4,
                    external_id=str(f * rows + n + 1), num_mentions=rng.randrange(1, 9),
                )  # fmt: skip
                out.write("\t".join(gdelt_row(event, version=2)) + "\n")
        paths.append(path)
    return paths


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, without the wall-clock columns, in a fixed order."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for table in TABLES:
            columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
            kept = ", ".join(c for c in columns if c not in CLOCK_COLUMNS)
            tables[table] = con.execute(f"SELECT {kept} FROM {table} ORDER BY ALL").fetchall()
    # How many write transactions ran is history, not content: a restart runs more.
    tables["meta"] = [row for row in tables["meta"] if row[0] not in _BOOKKEEPING]
    return tables


def run_import(store: Path, files: list[Path]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", IMPORT, str(SRC), "import", "gdelt"]
    return subprocess.Popen(
        [*command, *map(str, files), "--store", str(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_reliability_kill_9_during_gdelt_import_then_rerun_is_a_clean_run(
    tmp_path: Path,
) -> None:
    files = gdelt_files(tmp_path, files=5, rows=2000)
    clean = tmp_path / "clean.duckdb"
    started = time.perf_counter()
    done = run_import(clean, files)
    _, err = done.communicate(timeout=300)
    took = time.perf_counter() - started
    assert done.returncode == 0, err.decode()
    expected = dump(clean)
    assert len(expected["events"]) == 10000

    rng = random.Random(5)
    crashed = tmp_path / "crashed.duckdb"
    seen = []
    for _ in range(4):
        child = run_import(crashed, files)
        time.sleep(rng.uniform(0.3, 1.0) * took)
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=120)
        if crashed.exists():
            seen.append(len(dump(crashed)["events"]))
    assert all(n % 2000 == 0 for n in seen), seen  # a file is one transaction
    last = run_import(crashed, files)
    _, err = last.communicate(timeout=300)
    assert last.returncode == 0, err.decode()
    assert dump(crashed) == expected


# A full disk: RLIMIT_FSIZE lets the child write no file past 16 KiB.

FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    sys.path.insert(0, sys.argv[1])
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.store import Store
    from dyadwatch.store.interop import import_gdelt
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a core dump
    store = Store.open(sys.argv[2])
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        import_gdelt(store, sys.argv[4:])
    except DyadwatchError as exc:
        print(exc.code, exc, file=sys.stderr)
        raise SystemExit(3) from None
    """
)


@pytest.mark.slow
def test_reliability_full_disk_is_a_clear_error_and_the_store_is_intact(tmp_path: Path) -> None:
    first, second = gdelt_files(tmp_path, files=2, rows=4000)
    path = tmp_path / "dw.duckdb"
    with Store.open(path) as store:
        from dyadwatch.store.interop import import_gdelt

        import_gdelt(store, [first])
    before = dump(path)
    script = tmp_path / "full.py"
    script.write_text(FULL_DISK)
    limit = 16_384  # per file: the WAL and any growth of the store hit it
    child = subprocess.run(
        [sys.executable, str(script), str(SRC), str(path), str(limit), str(second)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    stderr = child.stderr.decode()
    assert child.returncode == 3, stderr  # a catalogued error, not a crash
    assert stderr.startswith(("DW301", "DW305", "DW306")), stderr
    assert "Traceback" not in stderr
    assert dump(path) == before  # nothing of the failed file, nothing lost
    with Store.open(path) as store:  # and still usable
        from dyadwatch.store.interop import import_gdelt

        assert import_gdelt(store, [second]).added == 4000


# A damaged store: detected, never reset.


def test_reliability_damaged_data_block_is_dw305_and_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "dw.duckdb"
    (first,) = gdelt_files(tmp_path, files=1, rows=3000)
    with Store.open(path) as store:
        from dyadwatch.store.interop import import_gdelt

        import_gdelt(store, [first])
    data = bytearray(path.read_bytes())
    for start in range(12_288 + 8, len(data), 262_144):  # past each block's checksum
        data[start : start + 512] = bytes(b ^ 0xFF for b in data[start : start + 512])
    path.write_bytes(bytes(data))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as info, Store.open(path) as store:
        list(store.stored_events())
    assert info.value.code in {"DW305", "DW301"}
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # never rewritten


@pytest.mark.parametrize("keep", [0, 1, 4096, 12_288, 20_000])
def test_reliability_truncated_store_is_dw305_and_kept(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "dw.duckdb"
    Store.open(path).close()
    path.write_bytes(path.read_bytes()[:keep])
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW305"
    assert path.stat().st_size == keep


# Readers while a batch writes, through the HTTP app over one store.


def test_reliability_api_readers_never_see_half_a_batch(tmp_path: Path) -> None:
    import asyncio

    import httpx

    from dyadwatch.web import create_app

    size, batches = 20, 15
    app = create_app(tmp_path / "dw.duckdb", token="t", coder_factory=lambda: None)  # type: ignore[arg-type,return-value]
    totals: list[int] = []

    def write() -> None:
        for n in range(batches):
            with app.state.hub.writing() as store:
                store.add_documents(coded_batch(n * size, size))
            time.sleep(0.01)  # let the readers in between batches

    async def read() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            while writer.is_alive():
                answers = await asyncio.gather(
                    *(client.get("/events", params={"limit": 0}) for _ in range(8))
                )
                totals.extend(answer.json()["total"] for answer in answers)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        asyncio.run(read())
    finally:
        writer.join()
        app.state.hub.close()
    assert totals, "no read overlapped the writes"
    assert all(total % size == 0 for total in totals), sorted(set(totals))
    assert len(set(totals)) > 1, "reads saw only one state"
    with Store.open(tmp_path / "dw.duckdb", read_only=True) as store:
        assert len(store.events_frame()) == size * batches
