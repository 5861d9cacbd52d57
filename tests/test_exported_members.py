"""The public API is exactly what dyadwatch.__all__ lists, and importing it is silent."""

from __future__ import annotations

import subprocess
import sys

import dyadwatch


def test_exported_members_are_sorted_and_present() -> None:
    names = [n for n in dyadwatch.__all__ if n != "__version__"]
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    for name in dyadwatch.__all__:
        assert hasattr(dyadwatch, name), name


def test_exported_members_pinned() -> None:
    assert set(dyadwatch.__all__) == {
        "Actor", "ActorDictionary", "ActorEntry", "AgentEntry", "Coder", "ConfigError",
        "DatedCode", "DictionaryError", "DiscardEntry", "Document", "DyadwatchError",
        "ErrorRecord", "EvaluationError", "Event", "Evidence", "IngestReport", "InputError",
        "Location", "Modality", "ModelError", "OntologyError", "PloverCode", "Range",
        "Settings", "Size", "Slot", "Store", "StoreError", "TriggerRule", "__version__",
        "code_items", "dyad_monthly_goldstein", "events", "events_per_root", "ingest_items",
        "read_inputs", "top_dyads",
        "AllianceNetwork", "Citation", "Finding", "Realignment", "alliances", "compare_ledgers",
        "dyad_lows", "dyad_series", "dyad_shifts", "ledger", "realignments",
    }  # fmt: skip


def test_exported_members_import_is_silent() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import dyadwatch"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
