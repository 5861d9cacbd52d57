"""Security: writes need the token, hostile filters are inert, no path leaves the static folder.

Untrusted text in the dashboard is tested in tests/web/test_web_browser.py and
tests/api/test_api_pages.py (HOSTILE_TEXT never runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from rel_support import table_counts

from dyadwatch.coder.engine import Coder
from dyadwatch.web import create_app

TOKEN = "reliability-token"
PURE_POSTS = frozenset({"/code"})
"""Non-GET operations that store nothing (proved below by the unchanged tables)."""

HOSTILE = (
    "' OR '1'='1",
    "USA'); DROP TABLE events; --",
    "1; DELETE FROM documents",
    '" OR 1=1 --',
    "%' OR 1=1 --",
    "USA\x00PAK",
    "USA,PAK' UNION SELECT * FROM documents --",
    "${jndi:ldap://x}",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "9" * 400,
    "2021-08-15' OR '1'='1",
    "\u202eASU",
)


def call(app: FastAPI, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())


@pytest.fixture
def app(seeded_path: Path, small_coder: Coder) -> Iterator[FastAPI]:
    before = table_counts(seeded_path)
    served = create_app(seeded_path, token=TOKEN, coder_factory=lambda: small_coder)
    served.state.counts_before = before
    try:
        yield served
    finally:
        served.state.hub.close()


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    spec = call(app, "GET", "/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


def concrete(path: str) -> str:
    return path.replace("{a}", "USA").replace("{b}", "PAK").replace("{event_id}", "x")


def test_reliability_every_write_needs_the_token(app: FastAPI, seeded_path: Path) -> None:
    writes = [(m, p) for m, p, _ in operations(app) if m != "GET" and p not in PURE_POSTS]
    assert ("POST", "/documents") in writes
    body = {"text": "Pakistan attacked India.", "date": "2021-08-15"}
    for method, path in writes:
        url = concrete(path)
        missing = call(app, method, url, json=body)
        wrong = call(app, method, url, json=body, headers={"Authorization": "Bearer nope"})
        basic = call(app, method, url, json=body, headers={"Authorization": f"Basic {TOKEN}"})
        assert missing.status_code == 401, (path, missing.text)
        assert missing.json()["error"]["code"] == "DW602"
        assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "DW603")
        assert basic.json()["error"]["code"] == "DW602"
    assert unchanged(app, seeded_path)


def unchanged(app: FastAPI, path: Path) -> bool:
    """Whether the store holds the rows it held before the app started."""
    app.state.hub.close()
    return bool(table_counts(path) == app.state.counts_before)


def test_reliability_pure_posts_store_nothing(app: FastAPI, seeded_path: Path) -> None:
    for path in PURE_POSTS:
        answer = call(app, "POST", path, json={"text": "Pakistan attacked India."})
        assert answer.status_code == 200, answer.text
    assert unchanged(app, seeded_path)


def test_reliability_hostile_filter_values_are_inert(app: FastAPI, seeded_path: Path) -> None:
    tried = 0
    for method, path, operation in operations(app):
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        if method != "GET" or not names:
            continue
        for name in names:
            for value in HOSTILE:
                answer = call(app, "GET", concrete(path), params={name: value})
                tried += 1
                assert answer.status_code in (200, 404, 422), (path, name, value, answer.text)
                if answer.status_code != 200:
                    code = answer.json()["error"]["code"]
                    assert code in {"DW303", "DW604", "DW605"}, (path, name, code)
                elif path == "/events":
                    assert answer.json()["total"] == 0, (name, value)  # matched, not injected
    assert tried > 100
    assert unchanged(app, seeded_path)


@pytest.mark.parametrize(
    "url",
    [
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static/%2e%2e%2f%2e%2e%2fapi%2fapp.py",
        "/static/vendor/..%2f..%2f__init__.py",
        "/static//etc/passwd",
        "/static/%252e%252e/%252e%252e/etc/passwd",
        "/documents/..%2f..%2fetc%2fpasswd",
        "/ui/document/..%2f..%2fetc%2fpasswd",
    ],
)
def test_reliability_no_path_leaves_the_static_folder(app: FastAPI, url: str) -> None:
    answer = call(app, "GET", url)
    assert answer.status_code in (400, 404), (url, answer.status_code)
    assert "root:" not in answer.text and "import" not in answer.text
