"""Store: the embedded DuckDB database of documents, event mentions and events."""

from dyadwatch.store._dedup import DedupRules
from dyadwatch.store._query import EventFilter, MentionFilter, MentionKey
from dyadwatch.store.duckdb_store import MEMORY, Store
from dyadwatch.store.records import StoredEvent
from dyadwatch.store.schema import SCHEMA_VERSION

__all__ = [
    "MEMORY",
    "SCHEMA_VERSION",
    "DedupRules",
    "EventFilter",
    "MentionFilter",
    "MentionKey",
    "Store",
    "StoredEvent",
]
