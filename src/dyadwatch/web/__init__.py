"""The dashboard: server-rendered pages, a little hand-written JS, and plotly.js from the
installed plotly package. Corpus text is always HTML-escaped (jinja2 autoescape)."""
