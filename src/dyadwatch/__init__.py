"""dyadwatch: political event data from raw news text.

Who did what to whom, when, where and how many — coded in CAMEO and PLOVER,
kept in an embedded DuckDB store. The public API is what ``__all__`` lists;
modules not re-exported here are internal and may change.
"""

from dyadwatch._version import __version__
from dyadwatch.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    AgentEntry,
    DatedCode,
    DiscardEntry,
)
from dyadwatch.analytics import (
    AllianceNetwork,
    Citation,
    Finding,
    Realignment,
    alliances,
    compare_ledgers,
    dyad_lows,
    dyad_monthly_goldstein,
    dyad_series,
    dyad_shifts,
    events_per_root,
    ledger,
    realignments,
    top_dyads,
)
from dyadwatch.coder.engine import Coder
from dyadwatch.coder.rules import Slot, TriggerRule
from dyadwatch.config import Settings
from dyadwatch.errors import (
    ConfigError,
    DictionaryError,
    DyadwatchError,
    ErrorRecord,
    EvaluationError,
    InputError,
    ModelError,
    OntologyError,
    StoreError,
)
from dyadwatch.ingest import read_inputs
from dyadwatch.model import (
    Actor,
    Document,
    Event,
    Evidence,
    Location,
    Modality,
    PloverCode,
    Range,
    Size,
)
from dyadwatch.store import Store
from dyadwatch.workflows import IngestReport, code_items, events, ingest_items

__all__ = [
    "Actor",
    "ActorDictionary",
    "ActorEntry",
    "AgentEntry",
    "AllianceNetwork",
    "Citation",
    "Coder",
    "ConfigError",
    "DatedCode",
    "DictionaryError",
    "DiscardEntry",
    "Document",
    "DyadwatchError",
    "ErrorRecord",
    "EvaluationError",
    "Event",
    "Evidence",
    "Finding",
    "IngestReport",
    "InputError",
    "Location",
    "Modality",
    "ModelError",
    "OntologyError",
    "PloverCode",
    "Range",
    "Realignment",
    "Settings",
    "Size",
    "Slot",
    "Store",
    "StoreError",
    "TriggerRule",
    "__version__",
    "alliances",
    "code_items",
    "compare_ledgers",
    "dyad_lows",
    "dyad_monthly_goldstein",
    "dyad_series",
    "dyad_shifts",
    "events",
    "events_per_root",
    "ingest_items",
    "ledger",
    "read_inputs",
    "realignments",
    "top_dyads",
]
