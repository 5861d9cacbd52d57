"""The HTTP API (FastAPI) and the dashboard it serves; see docs/API.md."""

from dyadwatch.api.app import CONTENT_SECURITY_POLICY, create_app

__all__ = ["CONTENT_SECURITY_POLICY", "create_app"]
