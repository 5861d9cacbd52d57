"""The manifest of a batch run: which shards are finished, for which arguments.

``OUT/_manifest.json`` is rewritten after every finished shard, through a
temporary file and an atomic rename, so it always names shards whose three
files are complete. Its ``fingerprint`` hashes what decides the output (input
files with their sizes and modification times, shard size, size limit, coder
spec); a rerun with the same arguments skips the finished shards, another run
is refused (DW116). The engine and the number of workers are not part of it:
a run started locally may be finished on Dask.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.batch.inputs import input_files
from dyadwatch.errors import Errors, InputError

__all__ = ["MANIFEST", "Manifest", "clean_partial_files", "fingerprint"]

MANIFEST = "_manifest.json"
_FORMAT = 1


def fingerprint(inputs: Sequence[Path | str], settings: dict[str, object]) -> str:
    """A hash of the input files (path, size, mtime) and the output-deciding settings."""
    files = []
    for path in input_files(inputs):
        try:
            info = path.stat()
            files.append([str(path.resolve()), info.st_size, info.st_mtime_ns])
        except OSError:
            files.append([str(path), None, None])  # unreadable: an error row, every time
    text = json.dumps({"files": files, "settings": settings}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Manifest:
    """Finished shards of the run identified by ``fingerprint``."""

    fingerprint: str
    done: frozenset[int] = field(default_factory=frozenset)
    shards: int | None = None
    """How many shards the run has, once all inputs were read."""

    @property
    def complete(self) -> bool:
        return self.shards is not None and len(self.done) == self.shards

    @classmethod
    def open(cls, out: Path, fingerprint: str) -> Manifest:
        """The manifest of ``out`` for this run: empty when new, DW116 if another run's."""
        path = out / MANIFEST
        if not path.exists():
            return cls(fingerprint)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = str(data["fingerprint"])
            done = frozenset(int(i) for i in data["done"])
            shards = data.get("shards")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                Errors.DW116, folder=str(out), detail=f"unreadable manifest ({exc})"
            ) from exc
        if found != fingerprint:
            detail = "its inputs or options differ from these"
            raise InputError(Errors.DW116, folder=str(out), detail=detail)
        return cls(fingerprint, done, None if shards is None else int(shards))

    def finished(self, index: int) -> Manifest:
        return Manifest(self.fingerprint, self.done | {index}, self.shards)

    def with_total(self, shards: int) -> Manifest:
        return Manifest(self.fingerprint, self.done, shards)

    def save(self, out: Path) -> None:
        """Write atomically: a temporary file, flushed to disk, renamed over the old one."""
        data = {
            "format": _FORMAT,
            "fingerprint": self.fingerprint,
            "done": sorted(self.done),
            "shards": self.shards,
            "complete": self.complete,
        }
        target = out / MANIFEST
        temporary = out / (MANIFEST + ".tmp")
        with temporary.open("w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(target)


def clean_partial_files(out: Path, tables: Iterable[str]) -> None:
    """Remove ``.tmp`` files a killed run left behind."""
    for table in tables:
        folder = out / table
        if folder.is_dir():
            for stale in folder.glob("*.tmp"):
                stale.unlink(missing_ok=True)
    (out / (MANIFEST + ".tmp")).unlink(missing_ok=True)
