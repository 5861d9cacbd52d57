"""Interop: GDELT and ICEWS files in and out of the store, plus PLOVER JSON and Parquet.

Readers turn each row into a :class:`~dyadwatch.store.records.StoredEvent`
or, for a bad row, an :class:`~dyadwatch.errors.ErrorRecord` (DW112) naming
file and line; writers turn events back into rows. :func:`import_gdelt`,
:func:`import_icews` and :func:`export_events` join them to a
:class:`~dyadwatch.store.Store`. Column mappings: docs/INTEROP.md.
"""

from __future__ import annotations

from dyadwatch.store.interop._api import (
    ExportFormat,
    ImportReport,
    export_events,
    import_gdelt,
    import_icews,
)
from dyadwatch.store.interop.gdelt import (
    GdeltVersion,
    gdelt_row,
    parse_gdelt_event,
    read_gdelt_events,
    write_gdelt,
)
from dyadwatch.store.interop.icews import (
    icews_row,
    parse_icews_event,
    read_icews_events,
    write_icews,
)
from dyadwatch.store.interop.mentions import (
    GdeltMention,
    MentionCounts,
    mention_counts,
    read_gdelt_mentions,
    with_mention_counts,
)
from dyadwatch.store.interop.parquet import read_parquet, write_parquet
from dyadwatch.store.interop.plover import plover_record, write_plover

__all__ = [
    "ExportFormat",
    "GdeltMention",
    "GdeltVersion",
    "ImportReport",
    "MentionCounts",
    "export_events",
    "gdelt_row",
    "icews_row",
    "import_gdelt",
    "import_icews",
    "mention_counts",
    "parse_gdelt_event",
    "parse_icews_event",
    "plover_record",
    "read_gdelt_events",
    "read_gdelt_mentions",
    "read_icews_events",
    "read_parquet",
    "with_mention_counts",
    "write_gdelt",
    "write_icews",
    "write_parquet",
    "write_plover",
]
