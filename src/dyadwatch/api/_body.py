"""Request bodies read with a size cap, so a huge post is refused before it is held."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from dyadwatch.errors import ApiError, Errors

__all__ = ["CODE_BODY_LIMIT", "body_schema", "json_body", "read_capped"]

CODE_BODY_LIMIT = 100_000
"""Bytes of a ``POST /code`` body (and of the dashboard's code form)."""

Model = TypeVar("Model", bound=BaseModel)


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, or ApiError DW601 (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(Errors.DW601, limit=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(Errors.DW601, limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request, model: type[Model], limit: int) -> Model:
    """The body parsed as ``model``; DW601 when too large, DW605 when invalid."""
    body = await read_capped(request, limit)
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in item['loc']) or 'body'}: {item['msg']}"
            for item in exc.errors()[:3]
        ]
        raise ApiError(Errors.DW605, detail="; ".join(problems)) from exc


def body_schema(model: type[BaseModel]) -> dict[str, object]:
    """The ``openapi_extra`` that documents a body the endpoint reads itself."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
