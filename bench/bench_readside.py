"""The read side against the live path, in one process: CPU per answer and bytes.

For the requests ``bench/bench_api.py`` sends to ``GET /events`` (dyad, year, root;
``after`` cursors; offsets), ``GET /events/{id}`` and ``GET /documents/{id}``, the
answer's body is made both ways in this process, each request by the route's own
functions: the live path (DuckDB statements, records, the response model) and the
read side (:mod:`dyadwatch.store._readside`). Every pair of bodies must be equal
byte for byte (else exit 1); the table gives the CPU ms per answer of each (the
process's CPU time, DuckDB's threads included; best of ``--rounds`` interleaved
rounds) and their ratio. The store must have a current read side
(``Store.prepare_readside``; ``--build`` makes it, timed).

    PYTHONPATH=src:bench python bench/bench_readside.py --store s10m.duckdb [--build]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_api import endpoints
from dyadwatch.api._queries import (
    document_with_mentions,
    explained_event,
    page_json,
    readside_request,
)
from dyadwatch.api._render import ApiRenderer, json_body, live_page_json
from dyadwatch.api.models import DocumentOut, EventDetail
from dyadwatch.api.routes_read import mention_query
from dyadwatch.store import Store
from dyadwatch.store._readside import readside_path

__all__ = ["build", "compare", "main"]

Answer = Callable[[], bytes]
_CELLS = ("`/events` dyad, year", "`/events` dyad, `after`", "`/events` dyad, offsets",
          "`/events/{id}`", "`/documents/{id}`")  # fmt: skip


def build(path: Path) -> str:
    """Bring the read side of the store at ``path`` up to date; what it did, timed."""
    wall, cpu = time.perf_counter(), time.process_time()
    with Store.open(path) as store:
        did = store.prepare_readside(ApiRenderer())
        side = store.readside
        counts = side.counts() if side is not None else {}
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    size = sum(p.stat().st_size for p in readside_path(str(path)).parent.glob(
        readside_path(str(path)).name + "*"))  # fmt: skip
    return (
        f"read side: {did} in {wall:.0f} s ({cpu:.0f} s CPU), {size / 1e9:.2f} GB, "
        f"rows {counts}, load {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _page_pair(store: Store, url: str) -> tuple[Answer, Answer]:
    params = _query(url)
    dyad = params.pop("dyad", None)
    after = params.pop("after", None)
    query = _mention_query(dyad, after, params)

    def live() -> bytes:
        return live_page_json(store, query)

    def side() -> bytes:
        request = readside_request(query)
        read = store.readside_page(request) if request is not None else None
        assert read is not None, "the read side does not answer"
        return page_json(read, query)

    return live, side


def _mention_query(dyad: str | None, after: str | None, params: dict[str, str]) -> object:
    import asyncio
    import datetime as dt

    kwargs: dict[str, object] = {"dyad": dyad, "after": after}
    for name in ("since", "until"):
        if name in params:
            kwargs[name] = dt.date.fromisoformat(params[name])
    for name in ("limit", "offset"):
        if name in params:
            kwargs[name] = int(params[name])
    if "root" in params:
        kwargs["root"] = params["root"]
    return asyncio.run(mention_query({}, **kwargs))  # type: ignore[arg-type]


def _event_pair(store: Store, event_id: str) -> tuple[Answer, Answer]:
    def live() -> bytes:
        event, mentions = explained_event(store, event_id)
        return json_body(EventDetail, {"event": event, "mentions": mentions})

    def side() -> bytes:
        found = store.readside.event(event_id) if store.readside is not None else None
        assert found is not None, event_id
        return found

    return live, side


def _document_pair(store: Store, doc_id: str) -> tuple[Answer, Answer]:
    def live() -> bytes:
        return json_body(DocumentOut, document_with_mentions(store, doc_id))

    def side() -> bytes:
        found = store.readside.document(doc_id) if store.readside is not None else None
        assert found is not None, doc_id
        return found

    return live, side


def _pairs(store: Store, name: str, urls: Sequence[str]) -> list[tuple[Answer, Answer]]:
    if name.startswith("`/events/{id}`"):
        return [_event_pair(store, url.rsplit("/", 1)[1]) for url in urls]
    if name.startswith("`/documents/{id}`"):
        return [_document_pair(store, url.rsplit("/", 1)[1]) for url in urls]
    return [_page_pair(store, url) for url in urls]


def _cpu(answers: Sequence[Answer]) -> float:
    start = time.process_time()
    for answer in answers:
        answer()
    return (time.process_time() - start) * 1000 / len(answers)


def compare(store: Store, requests: int, rounds: int) -> tuple[list[str], int]:
    """Table rows (endpoint, live ms, read side ms, ratio, bodies compared) and the
    number of bodies that differed."""
    rows, differ = [], 0
    for endpoint in endpoints(store):
        if not endpoint.name.startswith(_CELLS):
            continue
        urls = [request.path for request in endpoint.requests[:requests]]
        pairs = _pairs(store, endpoint.name, urls)
        for live, side in pairs:
            differ += live() != side()
        best_live, best_side = float("inf"), float("inf")
        for _ in range(rounds):
            best_live = min(best_live, _cpu([live for live, _ in pairs]))
            best_side = min(best_side, _cpu([side for _, side in pairs]))
        rows.append(
            f"| {endpoint.name} | {best_live:.3f} | {best_side:.3f} | "
            f"{best_live / best_side:.0f}× | {len(pairs)} |"
        )
        sys.stderr.write(rows[-1] + "\n")
    return rows, differ


def writes(events: int, singles: int, batches: int) -> str:
    """The write cost of keeping the read side current: the same documents ingested
    into two copies of one store, one with a current read side and one without, one
    document per call (as ``POST /documents``) and in batches of 500 (as a bulk
    ingest), interleaved; and one bulk import into each. CPU seconds per call (the
    process's, DuckDB's threads included) and the ratio with / without."""
    from _api_store import _generate, build, reports

    with tempfile.TemporaryDirectory() as folder:
        base = build(Path(folder) / "base.duckdb", events)
        paths = {"without": Path(folder) / "without.duckdb", "with": Path(folder) / "with.duckdb"}
        for path in paths.values():
            shutil.copyfile(base.path, path)
        stores = {name: Store.open(path) for name, path in paths.items()}
        try:
            started = time.perf_counter()
            stores["with"].prepare_readside(ApiRenderer())
            built = time.perf_counter() - started
            first = base.documents + 1
            spent = {("single", name): 0.0 for name in stores} | {
                ("batch", name): 0.0 for name in stores
            }
            total = first + singles + batches * 500 + 10
            for n in range(singles):
                for name, store in stores.items():
                    cpu = time.process_time()
                    store.add_documents(reports(1, first + n, total))
                    spent["single", name] += time.process_time() - cpu
            start = first + singles
            for n in range(batches):
                for name, store in stores.items():
                    cpu = time.process_time()
                    store.add_documents(reports(500, start + n * 500, total))
                    spent["batch", name] += time.process_time() - cpu
            imported = {}
            for name, store in stores.items():
                cpu = time.process_time()
                store.add_stored_table(store.relation(_generate(events // 10)))
                imported[name] = time.process_time() - cpu
            assert stores["with"].readside is None  # an import leaves it behind
        finally:
            for store in stores.values():
                store.close()
    rows = [
        f"| one document per call ({singles} calls)"
        f" | {spent['single', 'without'] / singles * 1000:.1f} ms"
        f" | {spent['single', 'with'] / singles * 1000:.1f} ms"
        f" | {spent['single', 'with'] / spent['single', 'without']:.2f}× |",
        f"| 500 documents per call ({batches} calls) | {spent['batch', 'without'] / batches:.2f} s"
        f" | {spent['batch', 'with'] / batches:.2f} s"
        f" | {spent['batch', 'with'] / spent['batch', 'without']:.2f}× |",
        f"| import of {events // 10:,} events (one call) | {imported['without']:.2f} s"
        f" | {imported['with']:.2f} s | {imported['with'] / imported['without']:.2f}× |",
    ]
    return (
        f"Store of {events:,} imported events and {base.documents:,} documents; read side "
        f"built in {built:.1f} s.\n\n| write (CPU) | without read side | with | ratio |\n"
        "|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--build", action="store_true", help="make the read side current first")
    parser.add_argument("--requests", type=int, default=300, help="per endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--writes", type=int, default=0, metavar="EVENTS",
        help="only measure the write cost on a new store of EVENTS imported events; print",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.writes:
        sys.stdout.write(writes(args.writes, 100, 4))
        return 0
    if args.build:
        sys.stdout.write(build(args.store) + "\n")
    if args.store is None:
        parser.error("--store is required (or --writes)")
    with Store.open(args.store, read_only=True) as store:
        if store.prepare_readside(ApiRenderer()) != "none":
            sys.stderr.write("the read side is not current: run with --build\n")
            return 1
        rows, differ = compare(store, args.requests, args.rounds)
    sys.stdout.write(
        "| endpoint | live CPU ms/answer | read side CPU ms/answer | ratio | bodies (all equal) |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    if differ:
        sys.stderr.write(f"{differ} bodies differ from the live path's\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
