"""uvicorn's httptools protocol with a bound on a request's line and headers.

uvicorn bounds them only for h11 (``h11_max_incomplete_event_size``); with httptools
(the faster parser ``serve`` uses when it is installed) a client could send
headers without end. This protocol counts a request's head, both the reads that
leave it unfinished (a head sent slowly or without end) and, once complete, its
URL and headers, and answers 400, closing the connection, past the bound: the
answer h11 gives. Importing it raises ImportError without httptools.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["MAX_HEAD_BYTES", "CappedHttpTools"]

MAX_HEAD_BYTES = 16_384
"""The request line and headers of one request, about (counted in whole reads)."""


class _HeadTooLarge(Exception):
    """Raised by the parser's callback for a head over the bound."""


class CappedHttpTools(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` that refuses a request head over :data:`MAX_HEAD_BYTES`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head: int | None = 0
        """Bytes received while the current request's head is unfinished; None once
        its headers are complete (its body and the answer are not counted)."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head = 0

    def on_headers_complete(self) -> None:
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if (self._head or 0) + size > MAX_HEAD_BYTES:
            # httptools turns this into HttpParserCallbackError, which uvicorn answers 400.
            raise _HeadTooLarge
        self._head = None
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Still inside a head after the parser took all of it: the whole read was head.
        if self._head is not None and not self.transport.is_closing():
            self._head += len(data)
            if self._head > MAX_HEAD_BYTES:
                self.send_400_response("Request line and headers too large.")
