"""Dashboard pages under ``/ui``: overview, dyad explorer, alliance network, map,
event and document views, and code-your-own-text.

Pages call the same readers as the API; charts fetch the API from small
scripts in ``static/``. Templates autoescape everything: corpus text is never
marked safe.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import urllib.parse
from pathlib import Path as FilePath
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from dyadwatch.api import (
    ACTOR,
    CODE_BODY_LIMIT,
    ID,
    MentionQuery,
    add_error_page,
    check_plover,
    code_text,
    document_with_mentions,
    explained_event,
    find_mentions,
    hub_of,
    mention_query,
    read_capped,
    reader,
)
from dyadwatch.errors import ApiError, DyadwatchError, Errors
from dyadwatch.ingest import parse_date
from dyadwatch.ontology.plover import PLOVER_TYPES
from dyadwatch.store import EventFilter, Store
from dyadwatch.web.highlight import pieces

__all__ = ["error_page", "mount", "plotly_js_path"]

_HERE = FilePath(__file__).parent
_TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,  # every page shows untrusted article text
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # shipped templates never change under a running server
    )
)
_TEMPLATES.env.globals["pieces"] = pieces

router = APIRouter(prefix="/ui", include_in_schema=False, default_response_class=HTMLResponse)

StoreDep = Annotated[Store, Depends(reader)]
_BUSY_CODES = frozenset({"DW610", "DW611"})
"""Coding errors the form shows on itself: the text was fine, the server was not."""


def plotly_js_path() -> FilePath:
    """plotly.min.js as shipped inside the installed plotly package (never a CDN)."""
    resource = importlib.resources.files("plotly") / "package_data" / "plotly.min.js"
    return FilePath(str(resource))


def mount(app: FastAPI) -> None:
    """Add the pages, their error page, the static files and the bundled plotly.js to
    ``app`` (an app of :func:`dyadwatch.api.create_app`), and send ``/`` to the pages."""
    app.include_router(router)
    add_error_page(app, "/ui", error_page)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/")

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return _TEMPLATES.TemplateResponse(request, template, context, status_code=status)


def error_page(request: Request, error: DyadwatchError, status: int) -> Response:
    """An error as an HTML page (same code and message as the JSON error)."""
    return _page(request, "error.html", status, error=error, http_status=status)


_LOW_MONTHS = 3
"""Months up to the newest event the overview's "at a low now" table looks at."""


@router.get("/")
def overview(
    request: Request, since: dt.date | None = None, until: dt.date | None = None
) -> Response:
    # The counts, the busiest dyads and the newest date scan every event, and the
    # latest mentions are a top-N over all of them: each is kept until the next write
    # and at most SUMMARY_MAX_AGE seconds after it (StoreHub.summary), so a request
    # reads none of them and only renders the page.
    hub = hub_of(request)
    latest = hub.summary("latest_mentions:15", _latest_mentions)
    top = hub.summary("top_dyads:10", _top_dyads)
    newest = hub.summary("last_event_date", Store.last_event_date)
    window = _low_window(newest, since, until)
    counts = hub.summary("table_counts", Store.table_counts)
    return _page(request, "overview.html", counts=counts, latest=latest, top=top, window=window)


def _latest_mentions(store: Store) -> list[dict[str, Any]]:
    return find_mentions(store, MentionQuery(limit=15))[1]


def _top_dyads(store: Store) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in store.top_dyads(10).to_dict("records")]


def _low_window(
    newest: dt.date | None, since: dt.date | None, until: dt.date | None
) -> tuple[str, str] | None:
    """The window of the "at a low now" table: the given dates, or by default the
    last ``_LOW_MONTHS`` months up to the newest event ``newest`` (a store of old
    news has no "now"); None for an empty store. The table itself is fetched by
    the page."""
    if until is None:
        if newest is None:
            return None
        until = newest
    if since is None:
        months = until.year * 12 + until.month - 1 - (_LOW_MONTHS - 1)
        since = dt.date(months // 12, months % 12 + 1, 1)
    if since > until:
        raise ApiError(Errors.DW605, detail="since is after until")
    return since.isoformat(), until.isoformat()


def page_scope(
    min_confidence: Annotated[str | None, Query(max_length=20)] = None,
    date_basis: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, str]:
    """The trusted-events filters of a chart page, as its form and its scripts use
    them: ``min_confidence``, ``date_basis`` (empty when unset: a form sends empty
    fields) and ``scope_query``, the query string the page's API calls carry.
    The store checks the values (DW303, an error page), as the API's do."""
    checked = EventFilter.of(
        min_confidence=_number(min_confidence or None),  # type: ignore[arg-type]
        date_basis=date_basis or None,
    )
    shown = {
        "min_confidence": "" if checked.min_confidence is None else f"{checked.min_confidence:g}",
        "date_basis": ",".join(sorted(checked.date_basis or ())),
    }
    query = urllib.parse.urlencode({k: v for k, v in shown.items() if v})
    return {**shown, "scope_query": query}


def _number(text: str | None) -> object:
    """``text`` as a float, or as it came (for the store to refuse with DW303)."""
    try:
        return None if text is None else float(text)
    except ValueError:
        return text


PageScope = Annotated[dict[str, str], Depends(page_scope)]


@router.get("/dyad")
def dyad(
    request: Request,
    scope: PageScope,
    a: Annotated[str, Query(pattern=ACTOR)] = "USA",
    b: Annotated[str, Query(pattern=ACTOR)] = "PAK",
) -> Response:
    return _page(request, "dyad.html", a=a.upper(), b=b.upper(), scope=scope)


@router.get("/network")
def network(
    request: Request,
    store: StoreDep,
    scope: PageScope,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Response:
    # By default the year up to the newest event: a store of old news has no "last year".
    _, newest = find_mentions(store, MentionQuery(limit=1))
    latest = newest[0]["date"] if newest and newest[0]["date"] else None
    end = end or (dt.date.fromisoformat(latest) if latest else dt.date.today())
    start = start or end - dt.timedelta(days=365)
    return _page(request, "network.html", start=start.isoformat(), end=end.isoformat(), scope=scope)


@router.get("/map")
def map_page(
    request: Request,
    scope: PageScope,
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z]{0,12}$")] = None,
) -> Response:
    chosen = check_plover(plover) if plover else None
    return _page(request, "map.html", plover=chosen or "", types=PLOVER_TYPES, scope=scope)


@router.get("/events")
def events(
    request: Request, store: StoreDep, query: Annotated[MentionQuery, Depends(mention_query)]
) -> Response:
    total, rows = find_mentions(store, query)
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    following = query.offset + query.limit
    more = urllib.parse.urlencode({**params, "offset": following}) if following < total else None
    return _page(request, "events.html", total=total, rows=rows, query=query, more=more)


@router.get("/events/{event_id}")
def event(
    request: Request, store: StoreDep, event_id: Annotated[str, Path(pattern=ID)]
) -> Response:
    record, mentions = explained_event(store, event_id)
    if record is None and not mentions:
        raise ApiError(Errors.DW604, what=f"event {event_id!r}")
    return _page(request, "event.html", event_id=event_id, event=record, mentions=mentions)


@router.get("/documents/{doc_id}")
def document(
    request: Request, store: StoreDep, doc_id: Annotated[str, Path(pattern=ID)]
) -> Response:
    found = document_with_mentions(store, doc_id)
    if found is None:
        raise ApiError(Errors.DW604, what=f"document {doc_id!r}")
    return _page(request, "document.html", document=found)


@router.get("/code")
def code_form(request: Request) -> Response:
    return _page(request, "code.html", text="", date="", events=None, error=None)


@router.post("/code")
async def code_post(request: Request) -> Response:
    """Code the posted form under the same bounds as ``POST /code``.

    Past the coding limit (DW610) or with every coding slot busy (DW611) the
    form comes back with its text and the error, status 503.
    """
    body = await read_capped(request, CODE_BODY_LIMIT)
    form = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"))
    text = (form.get("text") or [""])[0]
    date_text = (form.get("date") or [""])[0].strip()
    if not text.strip():
        raise ApiError(Errors.DW605, detail="text: paste an article first")
    date = parse_date(date_text) if date_text else None
    hub = hub_of(request)
    try:
        found = await hub.slots.run(hub.code_timeout, code_text, hub, text, date)
    except ApiError as error:
        if error.code not in _BUSY_CODES:
            raise
        # Keep the pasted text: the user may retry without pasting it again.
        page = _page(request, "code.html", 503, text=text, date=date_text, events=None, error=error)
        if error.retry_after is not None:
            page.headers["retry-after"] = str(error.retry_after)
        return page
    return _page(request, "code.html", text=text, date=date_text, events=found, error=None)
