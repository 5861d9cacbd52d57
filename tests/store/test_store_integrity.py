"""The store never loses or double-counts: migration, damage, crashes (kill -9)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from dyadwatch.errors import StoreError
from dyadwatch.model import Actor, Document, Event, Evidence, Modality, PloverCode
from dyadwatch.store import SCHEMA_VERSION, Store, _changelog, _rollup
from dyadwatch.store.schema import BOOTSTRAP, MIGRATIONS

SRC = Path(__file__).resolve().parents[2] / "src"
TABLES = ("documents", "event_mentions", "events", "event_links", "errors", "meta")
CLOCK_COLUMNS = {"ingested_at", "recorded_at"}

_BOOKKEEPING = _rollup.BOOKKEEPING_KEYS | _changelog.BOOKKEEPING_KEYS
"""Meta keys that record history (writes made, the change log), not content."""


def mention(doc: Document, index: int, *, negated: bool = False) -> Event:
    return Event(
        id=f"{doc.id}-{index}", doc_id=doc.id, sentence_index=index, sentence=doc.text,
        source=Actor("US officials", "USAGOV", "USA", "GOV"),
        target=Actor("Pakistani generals", "PAKMIL", "PAK", "MIL"), cameo="040",
        goldstein=1.0, quad=1, plover=PloverCode("CONSULT"), evidence=Evidence((0, 2)),
        modality=Modality(negated=negated), date=dt.date(2021, 8, 15), date_precision="day",
    )  # fmt: skip


def v1_store(path: Path) -> None:
    """A version-1 store written with the version-1 DDL, as dyadwatch 0.1 left it."""
    v1_columns = (
        "id, doc_id, sentence_index, sentence, date, source_code, source_country,"
        " source_sector, source_text, target_code, target_country, target_sector, target_text,"
        " cameo, cameo_root, goldstein, quad, negated, hypothetical, reported, evidence,"
        " confidence"
    )
    with duckdb.connect(str(path)) as con:
        con.execute(BOOTSTRAP)
        for statement in MIGRATIONS[0].statements:
            con.execute(statement)
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        for n, url in enumerate(["https://a.example/1", "https://b.example/2"]):
            con.execute(
                "INSERT INTO documents VALUES (?, 'US officials met generals.', DATE"
                " '2021-08-15', ?, NULL, NULL, NULL, ?, now())",
                [f"doc{n}", url, f"hash{n}"],
            )
            con.execute(
                f"INSERT INTO events ({v1_columns}) VALUES (?, ?, 0, 'US officials met.',"
                " DATE '2021-08-15', 'USAGOV', 'USA', 'GOV', 'US officials', 'PAKMIL', 'PAK',"
                " 'MIL', 'generals', '040', '04', 1.0, 1, ?, false, false,"
                " '{\"trigger\": [0, 2]}', 1.0)",
                [f"doc{n}-0", f"doc{n}", n == 1 and False],
            )


def test_store_migrates_a_version_1_file(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    v1_store(path)
    with pytest.raises(StoreError) as info:
        Store.open(path, read_only=True)
    assert info.value.code == "DW301" and "migrating" in info.value.message
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        assert store.table_counts() == {
            "documents": 2, "event_mentions": 2, "events": 1, "event_links": 2, "errors": 0,
            "gdelt_mentions": 0,
        }  # fmt: skip
        (event,) = store.stored_events()
        assert (event.num_mentions, event.num_articles, event.num_sources) == (2, 2, 2)
        assert [m["id"] for m in store.mentions_of(event.id)] == ["doc0-0", "doc1-0"]
        # Version 4 gave each mention its document's URL.
        urls = [m["doc_url"] for m in store.mentions_of(event.id)]
        assert urls == ["https://a.example/1", "https://b.example/2"]
        assert store.events()[0]["source"]["code"] == "USAGOV"  # type: ignore[index]
    with Store.open(path, read_only=True) as reader:
        assert reader.table_counts()["events"] == 1


def test_store_migrations_are_each_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    v1_store(path)
    with duckdb.connect(str(path)) as con:  # make the v2 backfill fail half-way
        con.execute("UPDATE documents SET date = NULL")
        con.execute("CREATE TABLE event_links (x INTEGER)")
    with pytest.raises(StoreError):
        Store.open(path)
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT value FROM meta").fetchall() == [("1",)]
        assert con.execute("SELECT count(*) FROM events").fetchall() == [(2,)]


def test_store_empty_file_is_dw305_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    path.write_bytes(b"")
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW305" and "empty" in info.value.message
    assert path.read_bytes() == b""  # never silently reset


def test_store_truncated_or_corrupt_file_is_dw305(tmp_path: Path) -> None:
    path = tmp_path / "dw.duckdb"
    with Store.open(path) as store:
        doc = Document.from_text("US officials met Pakistani generals.")
        store.add_document(doc, [mention(doc, 0)])
    whole = path.read_bytes()
    path.write_bytes(whole[:5000])
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW305" and "truncated" in str(info.value)
    assert path.stat().st_size == 5000
    damaged = bytearray(whole)
    damaged[100:164] = bytes(64)  # inside the checksummed main header
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW305"
    assert isinstance(info.value.__cause__, duckdb.Error)


@pytest.mark.parametrize("where", ["missing-dir", "under-a-file", "a-directory"])
def test_store_unwritable_path_is_dw306(tmp_path: Path, where: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    path = {
        "missing-dir": tmp_path / "no" / "such" / "dw.duckdb",
        "under-a-file": tmp_path / "file.txt" / "dw.duckdb",
        "a-directory": tmp_path,
    }[where]
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.code == "DW306"
    assert str(path) in str(info.value)


def test_store_read_only_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "dw.duckdb"
    Store.open(path).close()
    with Store.open(path, read_only=True) as store:
        doc = Document.from_text("text")
        with pytest.raises(StoreError) as info:
            store.add_document(doc)
        assert info.value.code == "DW301" and "read-only" in info.value.message


# Crashes: a real child process killed with SIGKILL at random points.

CHILD = textwrap.dedent(
    """
    import datetime as dt, random, sys
    sys.path.insert(0, sys.argv[2])
    from dyadwatch.model import (Actor, Document, Event, Evidence, Location, Modality,
                                 PloverCode, Range, Size)
    from dyadwatch.store import Store

    COUNTRIES = ["USA", "PAK", "AFG", "IND"]
    SECTORS = ["GOV", "MIL", "REB"]
    PLACES = [None, Location("Kabul", "AFG", "AF13"), Location("Herat", "AFG", "AF11")]

    def actor(rng):
        country, sector = rng.choice(COUNTRIES), rng.choice(SECTORS)
        return Actor(country + " " + sector, country + sector, country, sector)

    def batch(start, rng):
        items = []
        for n in range(start, start + 25):
            day = dt.date(2021, 8, 1) + dt.timedelta(days=rng.randrange(20))
            doc = Document.from_text(f"Report {n}.", date=day,
                                     url=f"https://site{rng.randrange(5)}.example/{n}")
            events = []
            for i in range(rng.randrange(4)):
                killed = rng.randrange(10)
                events.append(Event(
                    id=f"{doc.id}-{i}", doc_id=doc.id, sentence_index=i, sentence=doc.text,
                    source=actor(rng), target=actor(rng), cameo=rng.choice(["190", "1823", "040"]),
                    goldstein=-10.0, quad=4, plover=PloverCode("ASSAULT"),
                    evidence=Evidence((0, 6)), date=day + dt.timedelta(days=rng.randrange(2)),
                    modality=Modality(negated=rng.random() < 0.1), location=rng.choice(PLACES),
                    size=Size(killed=Range(killed, killed + rng.randrange(3)))))
            items.append((doc, events))
        return items

    rng = random.Random(7)
    batches = [batch(start, rng) for start in range(0, 1000, 25)]
    with Store.open(sys.argv[1]) as store:
        for n, items in enumerate(batches):
            store.add_documents(items)
            print(n, flush=True)  # a batch is committed
    print("done")
    """
)


def run_child(script: Path, store: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(script), str(store), str(SRC)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


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


def kill_after(child: subprocess.Popen[bytes], batches: int, delay: float) -> str:
    """SIGKILL ``child`` ``delay`` s after it reports ``batches`` batches.

    Returns "" when it was killed, else what it wrote on stderr before it ended.
    """
    assert child.stdout is not None
    for _ in range(batches):
        if not child.stdout.readline():
            return child.communicate(timeout=120)[1].decode() or "ended early"
    time.sleep(delay)  # lands anywhere in the next batch, or between two
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=120)
    return ""


@pytest.mark.slow
def test_store_kill_9_and_restart_ends_like_a_clean_run(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    clean = tmp_path / "clean.duckdb"
    finished = run_child(script, clean)
    _, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err.decode()
    expected = dump(clean)
    assert len(expected["events"]) > 100 and len(expected["documents"]) == 1000

    rng = random.Random(2024)
    crashed = tmp_path / "crashed.duckdb"
    stored: list[int] = []
    for _ in range(4):
        child = run_child(script, crashed)
        ended = kill_after(child, rng.randrange(1, 38), rng.uniform(0.0, 0.05))
        assert not ended, ended
        stored.append(len(dump(crashed)["documents"]))
    assert any(0 < n < 1000 for n in stored), stored  # killed in mid-ingest
    assert all(n % 25 == 0 for n in stored), stored  # whole batches or nothing
    last = run_child(script, crashed)
    _, err = last.communicate(timeout=120)
    assert last.returncode == 0, err.decode()
    assert dump(crashed) == expected
