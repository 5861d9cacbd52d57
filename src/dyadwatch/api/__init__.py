"""The HTTP API (FastAPI); see docs/API.md.

``__all__`` is the API's public surface: the app factory, and what the
dashboard (``dyadwatch.web``) builds its pages from. The dashboard imports
nothing else from this package (tests/test_architecture.py checks it).
"""

from dyadwatch.api._body import CODE_BODY_LIMIT, read_capped
from dyadwatch.api._deps import hub_of, reader
from dyadwatch.api._errors import ErrorPage, add_error_page
from dyadwatch.api._queries import (
    MentionQuery,
    document_with_mentions,
    explained_event,
    find_mentions,
    stored_event_out,
)
from dyadwatch.api.app import CONTENT_SECURITY_POLICY, AppOptions, create_app
from dyadwatch.api.routes_read import ACTOR, ID, check_plover, mention_query
from dyadwatch.api.routes_write import code_text

__all__ = [
    "ACTOR",
    "CODE_BODY_LIMIT",
    "CONTENT_SECURITY_POLICY",
    "ID",
    "AppOptions",
    "ErrorPage",
    "MentionQuery",
    "add_error_page",
    "check_plover",
    "code_text",
    "create_app",
    "document_with_mentions",
    "explained_event",
    "find_mentions",
    "hub_of",
    "mention_query",
    "read_capped",
    "reader",
    "stored_event_out",
]
