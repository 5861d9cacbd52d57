"""GDELT 2.0 mentions files (16 columns): one row per article that mentions an event.

GDELT's NumMentions/NumSources/NumArticles freeze after the first 15 minutes;
the mentions file keeps arriving. The store keeps every mention row
(``gdelt_mentions``, see :meth:`Store.add_gdelt_mentions`) and recounts the
events they name; :func:`mention_counts` and :func:`with_mention_counts` do the
same count in memory, for events not (yet) stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import ErrorRecord
from dyadwatch.store.interop._columns import GDELT2_MENTION_COLUMNS
from dyadwatch.store.interop._lines import bad_row, tab_lines
from dyadwatch.store.interop._values import BadValue, parse_float, parse_int
from dyadwatch.store.records import GdeltMention, StoredEvent

__all__ = [
    "GdeltMention",
    "MentionCounts",
    "mention_counts",
    "parse_gdelt_mention",
    "read_gdelt_mentions",
    "with_mention_counts",
]

FORMAT = "GDELT mention"


@dataclass(frozen=True, slots=True)
class MentionCounts:
    mentions: int
    sources: int
    articles: int


def read_gdelt_mentions(path: Path | str) -> Iterator[GdeltMention | ErrorRecord]:
    """Each row of a GDELT 2.0 mentions file; a bad row as a DW112 record."""
    source = Path(path)
    for item in tab_lines(source, FORMAT):
        if isinstance(item, ErrorRecord):
            yield item
            continue
        number, fields = item
        try:
            yield parse_gdelt_mention(fields)
        except BadValue as exc:
            yield bad_row(source, number, FORMAT, str(exc))


def parse_gdelt_mention(fields: list[str]) -> GdeltMention:
    """One mentions row, split on tabs. Raises BadValue saying what is wrong."""
    if len(fields) != len(GDELT2_MENTION_COLUMNS):
        raise BadValue(f"expected 16 tab-separated fields, got {len(fields)}")
    row = dict(zip(GDELT2_MENTION_COLUMNS, fields, strict=True))
    if not (row["GLOBALEVENTID"].isascii() and row["GLOBALEVENTID"].isdigit()):
        raise BadValue(f"GLOBALEVENTID {row['GLOBALEVENTID']!r} is not a number")
    return GdeltMention(
        event_id=row["GLOBALEVENTID"],
        event_time=row["EventTimeDate"],
        mention_time=row["MentionTimeDate"],
        mention_type=parse_int(row["MentionType"], "MentionType"),
        source_name=row["MentionSourceName"],
        identifier=row["MentionIdentifier"],
        sentence_id=parse_int(row["SentenceID"], "SentenceID"),
        confidence=parse_int(row["Confidence"], "Confidence"),
        doc_tone=parse_float(row["MentionDocTone"], "MentionDocTone"),
        line="\t".join(fields),
    )


def mention_counts(mentions: Iterable[GdeltMention]) -> dict[str, MentionCounts]:
    """Per GLOBALEVENTID: mentions, distinct sources and distinct articles.

    A row repeated verbatim (same article, same sentence) counts once.
    """
    seen: dict[str, set[tuple[str, str, int]]] = {}
    for mention in mentions:
        key = (mention.source_name, mention.identifier, mention.sentence_id)
        seen.setdefault(mention.event_id, set()).add(key)
    return {
        event_id: MentionCounts(
            mentions=len(keys),
            sources=len({source for source, _, _ in keys}),
            articles=len({article for _, article, _ in keys}),
        )
        for event_id, keys in seen.items()
    }


def with_mention_counts(
    events: Iterable[StoredEvent], counts: Mapping[str, MentionCounts]
) -> Iterator[StoredEvent]:
    """``events`` with GDELT 2.0 ones carrying the live counts of their mentions.

    Counts only grow: an event keeps GDELT's figure when the mentions seen are fewer.
    """
    for event in events:
        found = counts.get(event.external_id or "") if event.provenance == "gdelt2" else None
        if found is None:
            yield event
            continue
        yield dataclasses.replace(
            event,
            num_mentions=max(event.num_mentions, found.mentions),
            num_sources=max(event.num_sources, found.sources),
            num_articles=max(event.num_articles, found.articles),
        )
