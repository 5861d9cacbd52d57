"""The ``dyadwatch`` command: a thin layer over the library.

One module per command group (``coding``: code, ingest, events; ``demo``;
``interop``: import, export; ``batch``: batch, load; ``analytics``; ``serve``;
``watch``: watch, status; ``evaluate``), each adding its commands through its
``register(app)``. A new command (say ``train``) is a new module with its
function(s) and a ``register``, added to the tuple below; it raises
DyadwatchError and leaves the printing to the boundary. Options used by
several commands are declared once in ``_options`` (see there for adding a
shared filter). Domain errors become their numbered message and exit status 1
in ``_app``'s one boundary.

Exit codes: 0 all went well; 1 some input failed (the rest was processed) or
a domain error; 2 usage errors (typer's own).
"""

from __future__ import annotations

from dyadwatch.cli import analytics, batch, coding, demo, evaluate, interop, serve, watch
from dyadwatch.cli._app import new_app

__all__ = ["app", "main"]

app = new_app("dyadwatch: political event data from raw news text.", boundary=True)
for _group in (coding, demo, evaluate, interop, serve, analytics, batch, watch):
    _group.register(app)


def main() -> None:
    """The console script."""
    app(prog_name="dyadwatch")
