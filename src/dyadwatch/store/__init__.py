"""Store: the embedded DuckDB database of documents, events and errors."""

from dyadwatch.store.duckdb_store import MEMORY, Store
from dyadwatch.store.schema import SCHEMA_VERSION

__all__ = ["MEMORY", "SCHEMA_VERSION", "Store"]
