"""Time the HTTP API over a large store: every read endpoint at 1, 4 and 16 clients,
reads under a steady write load, and (``--soak``) memory over a long mixed run.

Usage::

    .venv/bin/python bench/bench_api.py                      # 10M events; docs/PERFORMANCE.md
    .venv/bin/python bench/bench_api.py --events 200000 --out /tmp/perf.md
    .venv/bin/python bench/bench_api.py --events 200000 --soak 300 --out /tmp/perf.md

The store is built once through the store's own paths (see ``_api_store``) and
kept at ``--store`` for later runs. A real ``dyadwatch serve`` runs in a child
process on 127.0.0.1 and an ephemeral port; the load generator (``_load``)
sends only there, capped in requests and seconds. Requests vary their ids,
dyads, dates and offsets; the server keeps answers until the next write, so
every cell reports the share it answered from that cache (``X-Cache``), the
server's CPU time per request, and a last table repeats the key endpoints with
the cache off. Figures replace the "API" section of the output file
(``--soak`` the "API soak" one).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.util
import itertools
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from _api_store import COUNTRIES, BuiltStore, build
from _load import LOOPBACK, Load, Request, Result, run_load, send_once
from _sections import replace_section
from dyadwatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-api-token"
CLIENTS = (1, 4, 16)
_SEED = 20
_BUSY_PAIRS = [(a, b) for a in COUNTRIES[:5] for b in COUNTRIES[:5] if a < b]
"""The busiest dyads of the synthetic store (its country pick is skewed to the first)."""
_ALL_PAIRS = [(a, b) for a in COUNTRIES for b in COUNTRIES if a < b]
_EVENT_YEARS = range(2015, 2025)
"""The years the imported events span."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One measured endpoint: its name in the tables, its target, its requests."""

    name: str
    target: str
    requests: tuple[Request, ...]


def _sample(store: Store, sql: str, n: int) -> list[str]:
    # A sample applies before WHERE: sample the filtered rows as a subquery.
    sample = f"USING SAMPLE reservoir({int(n)} ROWS) REPEATABLE ({_SEED})"
    rows = store.select(f"SELECT * FROM ({sql}) {sample}")
    return [str(row[0]) for row in rows]


def endpoints(store: Store) -> list[Endpoint]:
    """The read endpoints of issue 20, each with varied requests from ``store``.

    The server keeps answers until the next write (``--cache-mb``), so each list
    holds hundreds of distinct requests: a cell of 3,000 requests repeats some,
    and the tables report the share the server answered from its cache.
    """
    rng = random.Random(_SEED)
    coded = _sample(store, "SELECT id FROM events WHERE provenance = 'dyadwatch'", 1000)
    imported = _sample(store, "SELECT id FROM events WHERE provenance = 'gdelt2'", 1000)
    documents = _sample(store, "SELECT id FROM documents", 1000)
    event_ids = coded + imported
    rng.shuffle(event_ids)
    rng.shuffle(documents)
    # The years the coded mentions span (GET /events reads mentions, not imports).
    first, last = store.select(
        "SELECT coalesce(min(year(date)), 2015), coalesce(max(year(date)), 2015)"
        " FROM event_mentions"
    )[0]
    years = range(int(first), int(last) + 1)
    filtered = [
        f"/events?dyad={a},{b}&since={year}-01-01&until={year}-12-31&root={root}&limit=50"
        for a, b in _BUSY_PAIRS
        for year in years
        for root in ("18", "19", "11", "04", "05", "01", "03", "17")
    ]
    depths = [(a, b, rng.randrange(1000, 20000)) for a, b in _BUSY_PAIRS for _ in range(30)]
    deep = [f"/events?dyad={a},{b}&limit=50&offset={offset}" for a, b, offset in depths]
    keyset = [
        f"/events?dyad={a},{b}&limit=50&after={cursor}" for a, b, cursor in _cursors(store, depths)
    ]
    rng.shuffle(filtered)
    pairs = _ALL_PAIRS[:]
    rng.shuffle(pairs)
    series = [f"/dyads/{a}/{b}/series?freq={freq}" for a, b in pairs for freq in ("M", "W")]
    rng.shuffle(series)
    years_ = list(_EVENT_YEARS)
    return [
        Endpoint("`/events` dyad, year, root; limit 50", "≥ 1,000/s, p99 < 50 ms",
                 _get(filtered)),
        Endpoint("`/events` dyad, offsets 1,000-20,000", "", _get(deep)),
        Endpoint("`/events` dyad, `after` cursors 1,000-20,000 deep", "≥ 1,000/s, p99 < 50 ms",
                 _get(keyset)),
        Endpoint("`/events/{id}` (coded and imported)", "≥ 1,000/s, p99 < 50 ms",
                 _get(f"/events/{i}" for i in event_ids)),
        Endpoint("`/documents/{id}`", "≥ 1,000/s, p99 < 50 ms",
                 _get(f"/documents/{i}" for i in documents)),
        Endpoint("`/dyads/{a}/{b}/series` (monthly, weekly)", "≥ 200/s, p99 < 200 ms",
                 _get(series)),
        Endpoint("`/dyads/{a}/{b}/lows`", "", _get(f"/dyads/{a}/{b}/lows" for a, b in pairs)),
        Endpoint("`/dyads/{a}/{b}/shifts`", "",
                 _get(f"/dyads/{a}/{b}/shifts" for a, b in pairs)),
        Endpoint("`/alliances` (one year)", "",
                 _get(f"/alliances?start={y}-{m:02d}-01&end={y + 1}-{m:02d}-01"
                      for y in years_ for m in range(1, 13))),
        Endpoint("`/map/points` (one year, limit 500)", "",
                 _get(f"/map/points?since={y}-{m:02d}-01&until={y + 1}-{m:02d}-01&limit=500"
                      for y in years_ for m in range(1, 13))),
        Endpoint("`/ui/`", "≥ 300/s", _get(["/ui/"])),
        Endpoint("`/ui/dyad`", "≥ 300/s", _get(f"/ui/dyad?a={a}&b={b}" for a, b in pairs)),
        Endpoint("`/health` (no store, no thread: the floor)", "", _get(["/health"])),
    ]  # fmt: skip


def _cursors(store: Store, depths: Sequence[tuple[str, str, int]]) -> Iterator[tuple[str, ...]]:
    """For each dyad and depth, the ``after`` cursor a client holds after paging that
    deep (the key of the mention just before it, newest first, as ``GET /events``)."""
    from dyadwatch.api._queries import encode_cursor
    from dyadwatch.store import EventFilter, MentionFilter, MentionKey

    for a, b, depth in depths:
        match = MentionFilter(EventFilter(dyad=(a, b)))
        page = store.mention_page(match, descending=True, limit=1, offset=depth - 1)
        if page:
            last = page[0][0]
            key = MentionKey(last.date, last.doc_id, last.sentence_index, last.id)
            yield a, b, encode_cursor(key, "desc")


def _get(paths: Iterator[str] | Sequence[str]) -> tuple[Request, ...]:
    return tuple(Request(path) for path in paths)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(
    store: Path, workers: int = 1, cache_mb: int | None = None
) -> Iterator[tuple[int, psutil.Process]]:
    """``dyadwatch serve`` over ``store`` in a child process: with a write token, or
    with ``workers`` > 1 read-only worker processes; ``cache_mb`` its response cache."""
    port = _free_port()
    command = [
        sys.executable, "-c", "from dyadwatch.cli import main; main()", "serve",
        "--store", str(store), "--host", LOOPBACK, "--port", str(port),
    ]  # fmt: skip
    command += ["--workers", str(workers)] if workers > 1 else ["--token", TOKEN]
    command += [] if cache_mb is None else ["--cache-mb", str(cache_mb)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_ready(port, child)
        yield port, psutil.Process(child.pid)
    finally:
        child.terminate()
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _wait_ready(port: int, child: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"dyadwatch serve exited with {child.returncode}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("dyadwatch serve did not start listening")


@dataclass(frozen=True, slots=True)
class Cost:
    """CPU seconds the server (with its worker processes) and this process (the load
    generator) spent during one cell, and the cell's wall seconds."""

    server: float
    generator: float
    wall: float

    def per_request(self, answered: int) -> float:
        """Server CPU milliseconds per answered request."""
        return self.server / answered * 1000 if answered else float("nan")

    def shares(self) -> str:
        """Server and generator CPU as shares of the machine's cores over the cell."""
        cores = (os.cpu_count() or 1) * self.wall
        return f"{self.server / cores:.0%} / {self.generator / cores:.0%}"


def _cpu(process: psutil.Process) -> float:
    """CPU seconds of ``process`` and its children (``--workers`` processes)."""
    total = 0.0
    for one in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = one.cpu_times()
            total += times.user + times.system
    return total


def measure(
    port: int, endpoint: Endpoint, clients: int, args: argparse.Namespace,
    process: psutil.Process | None = None,
) -> tuple[Result, Cost]:  # fmt: skip
    # Warm each request's code path (not its answer: the next ones differ).
    asyncio.run(run_load(port, Load(endpoint.requests[:4], 1, 4, 30.0)))
    load = Load(endpoint.requests, clients, args.requests, args.seconds)
    server_cpu = _cpu(process) if process else 0.0
    own_cpu = time.process_time()
    result = asyncio.run(run_load(port, load))
    cost = Cost(
        _cpu(process) - server_cpu if process else float("nan"),
        time.process_time() - own_cpu,
        result.seconds,
    )
    return result, cost


def _document(n: int) -> Request:
    text = (
        f"Pakistan accused India of shelling villages on day {n} of the bench. "
        f"India and China agreed to hold talks in round {n}."
    )
    body = json.dumps({"text": text, "date": "2024-06-01", "url": f"https://bench.example/{n}"})
    return Request("/documents", "POST", body.encode(), (("Authorization", f"Bearer {TOKEN}"),))


async def _writer(port: int, rate: float, stop: asyncio.Event, out: Result, first: int) -> None:
    """POST /documents every 1/``rate`` seconds until ``stop`` (one at a time)."""
    n = first
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, _ = await send_once(port, _document(n))
            out.latencies.append(time.perf_counter() - started)
            out.statuses[status] += 1
        except OSError:
            out.failures += 1
        n += 1
        pause = 1 / rate - (time.perf_counter() - started)
        if pause > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)


async def _reads_with_writes(
    port: int, load: Load, rate: float, first: int
) -> tuple[Result, Result]:
    stop = asyncio.Event()
    writes = Result()
    task = asyncio.create_task(_writer(port, rate, stop, writes, first))
    started = time.perf_counter()
    reads = await run_load(port, load)
    stop.set()
    await task
    writes.seconds = time.perf_counter() - started
    return reads, writes


def _cell(result: Result) -> str:
    errors = f", {result.errors} errors" if result.errors else ""
    hits = "" if result.hit_rate is None else f", {result.hit_rate:.0%} hits"
    return (
        f"{result.rate:,.0f}/s, p50 {result.quantile_ms(0.5):.1f}, "
        f"p99 {result.quantile_ms(0.99):.1f}{hits}{errors}"
    )


def _load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def run(args: argparse.Namespace, built: BuiltStore) -> str:
    with Store.open(built.path, read_only=True) as store:
        measured = _chosen(endpoints(store), args.only)
    loads = [_load_average()]
    rows = []
    costs = []
    under_writes = []
    with server(built.path) as (port, process):
        for endpoint in measured:
            cells = []
            for clients in args.clients:
                result, cost = measure(port, endpoint, clients, args, process)
                cells.append(_cell(result))
            rows.append(f"| {endpoint.name} | {' | '.join(cells)} | {endpoint.target} |")
            costs.append(
                f"| {endpoint.name} | {cost.per_request(result.answered):.2f} | "
                f"{cost.shares()} | {_hits(result)} |"
            )
            sys.stderr.write(rows[-1] + "\n" + costs[-1] + "\n")
        loads.append(_load_average())
        # The coder loads on the first write; not timed.
        asyncio.run(send_once(port, _document(0)))
        for endpoint in _named(measured, _UNDER_WRITES):
            load = Load(endpoint.requests, 4, args.requests, args.seconds)
            alone = asyncio.run(run_load(port, load))
            reads, writes = asyncio.run(
                _reads_with_writes(port, load, args.write_rate, 1 + len(under_writes) * 10_000)
            )
            ratio = reads.quantile_ms(0.99) / alone.quantile_ms(0.99)
            wrote = f"{writes.answered} ({dict(writes.statuses)})"
            under_writes.append(
                f"| {endpoint.name} | {_cell(alone)} | {_cell(reads)} | {ratio:.2f}× | "
                f"{wrote}, p50 {writes.quantile_ms(0.5):.0f} ms |"
            )
            sys.stderr.write(under_writes[-1] + "\n")
        rss = process.memory_info().rss / 2**20
        loads.append(_load_average())
    compared = _compare(args, built, measured, rows)
    return _section(args, built, rows, costs, under_writes, loads, rss) + compared


_UNDER_WRITES = ("`/events` dyad, year", "`/events/{id}`", "`/ui/`", "`/dyads/{a}/{b}/series`")
_CACHE_OFF = (
    "`/events` dyad, year", "`/events` dyad, offsets", "`/events` dyad, `after`",
    "`/events/{id}`", "`/documents/{id}`", "`/dyads/{a}/{b}/series`", "`/ui/`", "`/health`",
)  # fmt: skip
"""The cells of the reads-under-writes table and of the cache-off table, by name."""


def _named(measured: Sequence[Endpoint], prefixes: Sequence[str]) -> list[Endpoint]:
    """The endpoints of ``measured`` whose names start with one of ``prefixes``."""
    return [e for e in measured if e.name.startswith(tuple(prefixes))]


def _chosen(measured: list[Endpoint], only: Sequence[str] | None) -> list[Endpoint]:
    """The endpoints whose names contain one of ``only`` (all without it)."""
    return [e for e in measured if not only or any(part in e.name for part in only)]


def _hits(result: Result) -> str:
    return "no cache" if result.hit_rate is None else f"{result.hit_rate:.0%}"


def _compare(
    args: argparse.Namespace, built: BuiltStore, measured: list[Endpoint], rows: list[str]
) -> str:
    """The key endpoints at the most clients with the response cache off, and on
    ``serve --workers N`` (read-only), against the one-process figures of this run."""
    chosen = (
        list(range(len(measured))) if args.only
        else [measured.index(e) for e in _named(measured, _CACHE_OFF)]
    )  # fmt: skip
    most = max(args.clients)
    table = []
    runs = [("cache off", 1, 0)]
    if args.workers >= 2:
        runs += [(f"{args.workers} processes", args.workers, None),
                 (f"{args.workers} processes, cache off", args.workers, 0)]  # fmt: skip
    columns: dict[int, list[str]] = {i: [rows[i].split(" | ")[-2]] for i in chosen}
    for _, workers, cache_mb in runs:
        with server(built.path, workers, cache_mb) as (port, process):
            for index in chosen:
                result, cost = measure(port, measured[index], most, args, process)
                columns[index].append(
                    f"{_cell(result)}; {cost.per_request(result.answered):.2f} ms CPU"
                )
                sys.stderr.write(f"{measured[index].name} {columns[index][-1]}\n")
    for index in chosen:
        table.append(f"| {measured[index].name} | {' | '.join(columns[index])} |")
    head = " | ".join(name for name, _, _ in runs)
    return f"""
**Cache off, several worker processes** ({most} clients, the same store; the first
column is the table above: one process, cache on; `serve --workers N` is read-only;
"ms CPU" is the server's CPU time per answered request):

| endpoint | 1 process | {head} |
|---|---|{"---|" * len(runs)}
{chr(10).join(table)}
"""


def _stack() -> str:
    """The HTTP parser and event loop ``serve`` runs with here (``serve.http_options``:
    httptools and uvloop when the server's path has them)."""
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{parser}, {loop}"


def _section(
    args: argparse.Namespace, built: BuiltStore, rows: list[str], costs: list[str],
    under_writes: list[str], loads: list[str], rss: float,
) -> str:  # fmt: skip
    made = (
        "reused from an earlier run"
        if built.reused
        else f"imported in {built.import_seconds:.0f} s (`Store.add_stored_table`), documents "
        f"ingested in {built.ingest_seconds:.0f} s (`Store.add_documents`, batches of 500)"
    )
    head = " | ".join(f"{c} client{'s' if c > 1 else ''}" for c in args.clients)
    return f"""## {_title(args)}

Measured by `` {args.command} `` on {dt.date.today().isoformat()}: {os.cpu_count()} cores
({platform.machine()}), Python {platform.python_version()}, DuckDB {duckdb.__version__}.
Store: {built.events:,} imported events, {built.documents:,} coded documents with
{built.documents * 5:,} mentions ({made}). `dyadwatch serve` (uvicorn, {_stack()}, one
process) in a child process on 127.0.0.1; the load generator (`bench/_load.py`,
asyncio, keep-alive) runs in the bench process on the same cores. Each cell: at
most {args.requests:,} requests or {args.seconds:.0f} s, requests cycling through
varied ids, dyads, dates and offsets; requests/s, p50 and p99 in ms. Load average
(1, 5, 15 min) at start, after the reads, at the end: {"; ".join(loads)}. Above 2 the
machine was shared with other work and every figure is pessimistic. Server RSS at
the end: {rss:,.0f} MiB. Each endpoint's request list holds a few hundred distinct
requests, so at 16 clients most answers come from the response cache (the hits in
each cell): such a cell measures the cache, which is what repeated reads of a
dashboard or a shared query get, not the query. An endpoint meets its target only
on the "cache off" table below.

| endpoint | {head} | target |
|---|{"---|" * len(args.clients)}---|
{chr(10).join(rows)}

**Where the CPU went** in the {max(args.clients)}-client cells: the server's CPU time
per answered request (its process, `psutil`), the shares of the machine's
{os.cpu_count()} cores the server and the load generator (this process) used over
the cell, and the share of answers the server took from its response cache
(`X-Cache: hit`; each request list holds hundreds of distinct requests).

| endpoint | server CPU ms/request | server / generator share of the cores | cache hits |
|---|---|---|---|
{chr(10).join(costs)}

**Reads under writes** (4 clients; `POST /documents` of two sentences at
{args.write_rate:g}/s, one at a time, coded and stored by the same server; target:
p99 within 2× of read-only):

| endpoint | read-only | with writes | p99 ratio | writes answered, p50 |
|---|---|---|---|---|
{chr(10).join(under_writes)}
"""


def _title(args: argparse.Namespace) -> str:
    """The section the run writes: "API", or for ``--only`` a section of its own, so a
    partial run never replaces the full tables."""
    return "API" if not args.only else "API: " + ", ".join(args.only)


def in_process(args: argparse.Namespace, built: BuiltStore) -> str:
    """Milliseconds per request of each endpoint through the ASGI app in this process,
    one request at a time (no server, no sockets): the cost of the read path itself.
    Runs against whichever ``dyadwatch`` is first on ``sys.path``, so the same
    command times an older tree too (``PYTHONPATH=old/src``)."""
    import httpx

    from dyadwatch.web import create_app

    with Store.open(built.path, read_only=True) as store:
        measured = _chosen(endpoints(store), args.only)
    app = create_app(built.path)
    rows = []

    async def timed(
        client: httpx.AsyncClient, requests: Sequence[Request]
    ) -> tuple[list[float], int]:
        await client.get(requests[0].path)
        times = []
        failed = 0
        for request in itertools.islice(itertools.cycle(requests), args.repeat):
            started = time.perf_counter()
            answer = await client.get(request.path)
            times.append((time.perf_counter() - started) * 1000)
            failed += answer.status_code != 200
        return times, failed

    async def all_endpoints() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for endpoint in measured:
                times, failed = await timed(client, endpoint.requests)
                median = sorted(times)[len(times) // 2]
                note = f" ({failed} of {len(times)} not 200)" if failed else ""
                rows.append(f"| {endpoint.name} | {median:.1f} | {max(times):.1f}{note} |")
                sys.stderr.write(rows[-1] + "\n")

    try:
        asyncio.run(all_endpoints())
    finally:
        app.state.hub.close()
    return "\n".join(rows) + "\n"


def statement_floor(path: Path, repeat: int) -> str:
    """CPU milliseconds per statement of DuckDB's cheapest reads on the store at
    ``path``, in this process (``time.process_time``: DuckDB's threads included),
    each over ``repeat`` varied ids: what a request that reads at all costs at least."""
    from dyadwatch.store._stored import STORED_COLUMNS
    from dyadwatch.store.rows import mention_codec

    with Store.open(path, read_only=True) as store:
        con = store._con
        ids = _sample(store, "SELECT id FROM events", repeat)
        mentions = _sample(store, "SELECT id FROM event_mentions", repeat)
        statements = [
            ("`SELECT $id` (a bound parameter, no table)", "SELECT $id::VARCHAR", ids),
            ("an event's id by its id (the primary key's index)",
             "SELECT id FROM events WHERE id = $id", ids),
            ("an event's 3 columns by id", "SELECT id, date, cameo FROM events WHERE id = $id",
             ids),
            (f"an event's {len(STORED_COLUMNS)} columns by id",
             f"SELECT {', '.join(STORED_COLUMNS)} FROM events WHERE id = $id", ids),
            (f"a mention's {len(mention_codec().names)} columns by id",
             f"SELECT {', '.join(mention_codec().names)} FROM event_mentions WHERE id = $id",
             mentions),
        ]  # fmt: skip
        rows = []
        for name, sql, values in statements:
            for value in values[:10]:  # warm: the blocks these ids live in are read once
                con.execute(sql, {"id": value}).fetchall()
            started = time.process_time()
            for value in values:
                con.execute(sql, {"id": value}).fetchall()
            spent = (time.process_time() - started) / len(values) * 1000
            rows.append(f"| {name} | {spent:.2f} |")
            sys.stderr.write(rows[-1] + "\n")
    head = "| statement (10M events) | CPU ms per statement |\n|---|---|\n"
    return f"{head}{chr(10).join(rows)}\nLoad average at the end: {_load_average()}.\n"


def soak(args: argparse.Namespace, built: BuiltStore) -> str:
    """Mixed reads at 4 clients plus writes for ``args.soak`` seconds; RSS drift."""
    with Store.open(built.path, read_only=True) as store:
        measured = endpoints(store)
    mixed = [r for e in measured if "lows" not in e.name and "shifts" not in e.name
             for r in e.requests[:40]]  # fmt: skip
    random.Random(_SEED).shuffle(mixed)
    samples: list[tuple[float, float, int]] = []
    with server(built.path) as (port, process):
        asyncio.run(send_once(port, _document(0)))
        warm = Load(mixed, 4, len(mixed), 120.0)
        asyncio.run(run_load(port, warm))
        # Warm with writes too: the first writes grow DuckDB's buffers and the read
        # side's caches once (783 -> 1,249 MiB in the first 30 s on the 10M store,
        # then flat), which is the server's working set, not a drift.
        warm_writes = Load(mixed, 4, 1_000_000, 30.0)
        asyncio.run(_reads_with_writes(port, warm_writes, args.write_rate, 50_000))
        started = time.perf_counter()
        totals = Result()
        writes = Result()
        n = 0
        while time.perf_counter() - started < args.soak:
            samples.append((time.perf_counter() - started, process.memory_info().rss / 2**20,
                            process.num_threads()))  # fmt: skip
            load = Load(mixed, 4, 1_000_000, min(30.0, args.soak))
            reads, wrote = asyncio.run(_reads_with_writes(port, load, args.write_rate, 100_000 + n))
            n += 1000
            totals.latencies += reads.latencies
            totals.statuses.update(reads.statuses)
            totals.failures += reads.failures
            writes.latencies += wrote.latencies
            writes.statuses.update(wrote.statuses)
        totals.seconds = time.perf_counter() - started
        samples.append((totals.seconds, process.memory_info().rss / 2**20, process.num_threads()))
    first, last = samples[0][1], samples[-1][1]
    drift = (last - first) / first * 100
    trace = ", ".join(f"{t:.0f} s: {rss:,.0f} MiB" for t, rss, _ in samples)
    threads = ", ".join(str(n) for _, _, n in samples)
    return f"""## API soak

Measured by `{args.command}` on {dt.date.today().isoformat()}, store of {built.events:,}
events and {built.documents:,} documents; load average at the end {_load_average()}.
{args.soak:.0f} s of mixed reads (every read endpoint but lows and shifts, 4 clients)
with `POST /documents` at {args.write_rate:g}/s, against one `dyadwatch serve`.
Reads: {totals.answered:,} ({totals.rate:,.0f}/s, p50 {totals.quantile_ms(0.5):.1f} ms,
p99 {totals.quantile_ms(0.99):.1f} ms), statuses {dict(totals.statuses)}, failed
connections {totals.failures}; writes: {writes.answered} ({dict(writes.statuses)}).

Server RSS after warm-up {first:,.0f} MiB, at the end {last:,.0f} MiB: drift
**{drift:+.1f}%** (target < 10%). RSS every 30 s: {trace}. Server threads at the
same moments: {threads}.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--documents", type=int, default=None)
    parser.add_argument(
        "--store", type=Path, default=None,
        help="where the bench store is kept (and reused from); default: the temp directory",
    )  # fmt: skip
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS))
    parser.add_argument("--requests", type=int, default=3000, help="cap per cell")
    parser.add_argument("--seconds", type=float, default=8.0, help="cap per cell")
    parser.add_argument("--write-rate", type=float, default=2.0, help="documents/s")
    parser.add_argument("--soak", type=float, default=0.0, help="seconds; 0: no soak")
    parser.add_argument(
        "--workers", type=int, default=2, help="read-only worker processes to compare; 1: none"
    )
    parser.add_argument(
        "--in-process", action="store_true",
        help="only time each endpoint in this process, one request at a time; print the table",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=30, help="requests per endpoint, in-process")
    parser.add_argument(
        "--only", nargs="+", default=None, metavar="TEXT",
        help="measure only the endpoints whose table names contain one of these",
    )  # fmt: skip
    parser.add_argument(
        "--floor", action="store_true",
        help="only time DuckDB's cheapest statements on the store (CPU per statement); print",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    args = parser.parse_args(argv)
    args.command = "python bench/bench_api.py " + " ".join(argv or sys.argv[1:])
    path = args.store or Path(tempfile.gettempdir()) / f"dyadwatch-bench-api-{args.events}.duckdb"
    if args.floor:  # reads the store as it is: never builds or replaces it
        sys.stdout.write(statement_floor(path, args.repeat))
        return 0
    sys.stderr.write(f"load average {_load_average()}; building or reusing {path}\n")
    built = build(path, args.events, args.documents)
    sys.stderr.write(f"{built}\n")
    if args.in_process:
        sys.stdout.write(in_process(args, built))
        return 0

    if args.soak > 0:
        text = soak(args, built)
        replace_section(args.out, "API soak", text)
    else:
        text = run(args, built)
        replace_section(args.out, _title(args), text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
