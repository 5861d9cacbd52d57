"""Audit the installed environment against PyPI's own vulnerability records.

pip-audit asks PyPI for one document per installed *version*; the PyPI host
reachable from our machines serves only the per-*project* document. That
document lists the known vulnerabilities of the project's latest release. So
this audit is exact for every distribution installed at its latest release
and says so plainly for the others ("not covered"): it never reports a
package it could not check as clean.

    .venv/bin/python tools/audit_dependencies.py [--json]      # or: make audit

Exit status: 0 when every distribution was checked and none is vulnerable,
1 when one is vulnerable, 2 when some could not be checked (behind their
latest release, or PyPI unreachable).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Any

PYPI = "https://pypi.org/pypi/{name}/json"
OWN = frozenset({"dyadwatch"})
"""Our own package: not on PyPI, nothing to look up."""


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    installed: str
    latest: str | None
    verdict: str
    """clean | vulnerable | not covered | unreachable"""
    advisories: tuple[str, ...] = ()
    detail: str = ""


def installed() -> dict[str, str]:
    """Installed distributions by normalised name (the first one found wins, as for imports)."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name and name not in OWN:
            found.setdefault(name, dist.version)
    return found


def check(name: str, version: str) -> Finding:
    try:
        with urllib.request.urlopen(PYPI.format(name=name), timeout=30) as reply:
            document: dict[str, Any] = json.load(reply)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        return Finding(name, version, None, "unreachable", detail=str(exc))
    latest = str(document["info"]["version"])
    if latest != version:
        detail = "PyPI's project document covers only the latest release"
        return Finding(name, version, latest, "not covered", detail=detail)
    advisories = tuple(str(v.get("id")) for v in document.get("vulnerabilities") or ())
    return Finding(name, version, latest, "vulnerable" if advisories else "clean", advisories)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object a distribution")
    args = parser.parse_args()
    wanted = installed()
    with ThreadPoolExecutor(max_workers=8) as pool:
        findings = list(pool.map(lambda item: check(*item), sorted(wanted.items())))
    for finding in findings:
        if args.json:
            print(json.dumps(asdict(finding)))
        elif finding.verdict != "clean":
            advisories = " ".join(finding.advisories)
            print(f"{finding.verdict:12} {finding.name} {finding.installed} "
                  f"(latest {finding.latest}) {advisories} {finding.detail}")  # fmt: skip
    verdicts = [f.verdict for f in findings]
    summary = {v: verdicts.count(v) for v in ("clean", "vulnerable", "not covered", "unreachable")}
    print(f"{len(findings)} distributions: " + ", ".join(f"{n} {v}" for v, n in summary.items()),
          file=sys.stderr)  # fmt: skip
    if summary["vulnerable"]:
        return 1
    return 2 if summary["not covered"] or summary["unreachable"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
