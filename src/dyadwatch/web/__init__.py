"""The dashboard: server-rendered pages, a little hand-written JS, and plotly.js from the
installed plotly package. Corpus text is always HTML-escaped (jinja2 autoescape).

``create_app`` is the whole served application: the API of ``dyadwatch.api``
with these pages mounted on it."""

from dyadwatch.web.app import create_app

__all__ = ["create_app"]
