"""The ceiling of the server stack on this machine: trivial requests at 16 clients,
per uvicorn event loop and HTTP parser, with the API bench's load generator.

Usage::

    PYTHONPATH=src:DIR .venv/bin/python bench/bench_api_stack.py --store FILE \\
        --stacks asyncio/h11 uvloop/h11 uvloop/httptools

``DIR`` holds ``uvloop`` and ``httptools`` when the project's environment lacks them
(``pip install --target DIR uvloop httptools``; neither is a dependency). The
server is ``dyadwatch.web.create_app`` over ``--store`` (response cache off) with
``serve``'s limits, plus four probe routes: ``async`` and plain ``def`` routes
that answer a constant, one that runs ``SELECT 1`` and one that looks up an
event by id. Each cell prints requests/s, p50/p99 and the server's CPU time per
request: on a shared machine the CPU is the figure that holds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import psutil

from _load import Load, Request, run_load
from bench_api import _cpu, _free_port, _wait_ready

PROBES = ("/probe/async", "/probe/sync", "/probe/select1", "/probe/key")

_SERVER = """
import itertools, sys, threading
import uvicorn
from fastapi import Response
from dyadwatch.cli.serve import _KEEP_ALIVE_SECONDS, _MAX_CONCURRENCY, _MAX_HEADER_BYTES
from dyadwatch.web import create_app

store, port, loop, http = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
app = create_app(store, response_cache_bytes=0)
readers = app.state.hub.readers
ids = itertools.cycle(
    [row[0] for row in readers.select("SELECT id FROM events LIMIT 500 OFFSET 100000")]
)
lock = threading.Lock()
OK = b'{"ok":true}'

@app.get("/probe/async")
async def probe_async() -> Response:
    return Response(OK, media_type="application/json")

@app.get("/probe/sync")
def probe_sync() -> Response:
    return Response(OK, media_type="application/json")

@app.get("/probe/select1")
def probe_select1() -> Response:
    readers.select("SELECT 1")
    return Response(OK, media_type="application/json")

@app.get("/probe/key")
def probe_key() -> Response:
    with lock:
        found = next(ids)
    readers.select("SELECT id, date, cameo FROM events WHERE id = ?", [found])
    return Response(OK, media_type="application/json")

options = {"h11_max_incomplete_event_size": _MAX_HEADER_BYTES} if http == "h11" else {}
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", loop=loop, http=http,
            timeout_keep_alive=_KEEP_ALIVE_SECONDS, limit_concurrency=_MAX_CONCURRENCY,
            **options)
"""


def cell(port: int, process: psutil.Process, path: str, args: argparse.Namespace) -> str:
    """One probe at ``args.clients`` clients: rate, latency, server CPU per request."""
    asyncio.run(run_load(port, Load([Request(path)], 4, 200, 10.0)))  # warm
    server, own = _cpu(process), time.process_time()
    load = Load([Request(path)], args.clients, args.requests, args.seconds)
    result = asyncio.run(run_load(port, load))
    server_ms = (_cpu(process) - server) / max(result.answered, 1) * 1000
    own_ms = (time.process_time() - own) / max(result.answered, 1) * 1000
    return (
        f"{result.rate:,.0f}/s, p50 {result.quantile_ms(0.5):.1f}, p99 "
        f"{result.quantile_ms(0.99):.1f}; {server_ms:.2f} ms server CPU "
        f"(generator {own_ms:.2f}); errors {result.errors}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--stacks", nargs="+", default=["asyncio/h11", "uvloop/httptools"])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=4000, help="cap per cell")
    parser.add_argument("--seconds", type=float, default=5.0, help="cap per cell")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    print("| stack | " + " | ".join(f"`{p}`" for p in PROBES) + " |")
    print("|---|" + "---|" * len(PROBES))
    for stack in args.stacks:
        loop, http = stack.split("/")
        port = _free_port()
        command = [sys.executable, "-c", _SERVER, str(args.store), str(port), loop, http]
        child = psutil.Popen(command, env=env)
        try:
            _wait_ready(port, child)  # type: ignore[arg-type]
            cells = [cell(port, child, path, args) for path in PROBES]
        finally:
            child.terminate()
            child.wait(30)
        print(f"| {stack} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nLoad average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
