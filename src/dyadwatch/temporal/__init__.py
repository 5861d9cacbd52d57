"""Event dates: each event's own date, not the article's.

``DateResolver().resolve(trigger, published, anchor)`` returns an ``EventDate``
(date, precision, range). See docs/DATES.md for the conventions.
"""

from dyadwatch.temporal.dates import EventDate
from dyadwatch.temporal.resolve import DateResolver, DocumentDating

__all__ = ["DateResolver", "DocumentDating", "EventDate"]
