"""schemathesis against our own OpenAPI spec: a bounded run that finds no server error.

schemathesis is a dev dependency; the test skips cleanly where it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

EXAMPLES = 30
"""Examples per operation: enough to reach every parameter, bounded for CI time."""


@pytest.mark.slow
def test_api_fuzz_finds_no_server_error(client: Any) -> None:
    app: FastAPI = client.app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")
            assert "error" in response.json() or response.status_code < 400

        run()
    assert failures == []
