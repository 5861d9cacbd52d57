"""``POST /code`` (codes text, stores nothing) and ``POST /documents`` (codes and stores)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from dyadwatch.api._body import CODE_BODY_LIMIT, body_schema, json_body
from dyadwatch.api._deps import hub_of
from dyadwatch.api._hub import StoreHub
from dyadwatch.api.models import (
    CodeRequest,
    CodeResponse,
    DocumentRequest,
    ErrorBody,
    IngestResponse,
)
from dyadwatch.coder.scoring.model import confident
from dyadwatch.errors import Errors, InputError
from dyadwatch.model import Document
from dyadwatch.workflows import ingest_items

__all__ = ["code_text", "router"]

_JSON_OVERHEAD = 64_000
"""Room in a ``POST /documents`` body for metadata and JSON escapes."""

router = APIRouter(tags=["write"])


def code_text(
    hub: StoreHub, text: str, date: dt.date | None, min_confidence: float = 0.0
) -> list[dict[str, Any]]:
    """The events of ``text`` at least ``min_confidence`` likely, in the output contract;
    nothing is stored."""
    with hub.coder() as coder:
        events = confident(coder.code_text(text, date), min_confidence)
    return [event.to_dict() for event in events]


@router.post(
    "/code",
    response_model=CodeResponse,
    openapi_extra=body_schema(CodeRequest),
    responses={status: {"model": ErrorBody} for status in (413, 422, 500, 503)},
)
async def post_code(request: Request) -> dict[str, Any]:
    """Code the posted text (JSON ``{"text", "date", "min_confidence"}``, at most 100 kB)
    without storing it.

    DW610 (503) when coding takes longer than the server's coding limit,
    DW611 (503) at once when every coding slot of the server is taken.
    """
    body = await json_body(request, CodeRequest, CODE_BODY_LIMIT)
    hub = hub_of(request)
    events = await hub.slots.run(
        hub.code_timeout, code_text, hub, body.text, body.date, body.min_confidence
    )
    return {"events": events}


@router.post(
    "/documents",
    response_model=IngestResponse,
    openapi_extra=body_schema(DocumentRequest),
    responses={status: {"model": ErrorBody} for status in (401, 403, 413, 422, 500, 503)},
)
async def post_document(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    """Code and store one document; needs ``Authorization: Bearer <token>``.

    Coding takes a coding slot (DW611 when none is free) but has no limit of
    its own: only the request's.
    """
    hub = hub_of(request)
    hub.check_token(authorization)
    limit = hub.max_document_bytes + _JSON_OVERHEAD
    body = await json_body(request, DocumentRequest, limit)
    size = len(body.text.encode("utf-8"))
    if size > hub.max_document_bytes:
        raise InputError(Errors.DW104, size=size, limit=hub.max_document_bytes)
    return await hub.slots.run(None, _ingest, hub, body)


def _ingest(hub: StoreHub, body: DocumentRequest) -> dict[str, Any]:
    document = Document.from_text(
        body.text, date=body.date, url=body.url, title=body.title,
        publisher=body.publisher, origin="api",
    )  # fmt: skip
    with hub.coder() as coder, hub.writing() as store:
        report = ingest_items(coder, store, [document], min_confidence=body.min_confidence)
    return {
        "doc_id": document.id,
        "added": report.new == 1,
        "events": report.events,
        "errors": [{"code": e.code, "message": e.message} for e in report.errors],
    }
