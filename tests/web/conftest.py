"""A real server (uvicorn in a thread) over a seeded store, and headless Debian Chromium.

Skips cleanly without Python playwright or /usr/bin/chromium; never runs
``playwright install``: the browser comes from apt (``apt-get install chromium``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dyadwatch.coder.engine import Coder
from dyadwatch.store import Store
from dyadwatch.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))  # api_support

from api_support import fill_store, history_events, serve_in_thread  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not CHROMIUM.is_file():
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, small_coder: Coder) -> Iterator[str]:
    """The base URL of a live server on 127.0.0.1."""
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    fill_store(path, small_coder)
    with Store.open(path) as store:
        store.add_stored_events(history_events())  # USA–PAK: a low in early 2018
    app = create_app(path, coder_factory=lambda: small_coder)
    with serve_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A page whose requests to anything but 127.0.0.1 are aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.blocked = []
    page.problems = []

    def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            page.blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[Any, str], None]:
    """Save a full-page screenshot.

    Into ``$DYADWATCH_SCREENSHOTS`` when set (``make screenshots`` points it at
    docs/screenshots/ to refresh the documentation's images), else into the test's
    temporary folder: ``make test`` must not rewrite files in the working tree.
    """
    chosen = os.environ.get("DYADWATCH_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path

    def save(page: Any, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return save
