"""The dashboard in headless Chromium: every page loads offline, a chart point leads
to an event, and an article carrying ``<script>`` renders inert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.slow

PAGES = {
    "overview": "/ui/",
    "dyad": "/ui/dyad?a=IND&b=PAK",
    "network": "/ui/network?start=2019-01-01&end=2019-12-31",
    "map": "/ui/map",
    "events": "/ui/events",
    "code": "/ui/code",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_web_browser_page_loads_offline(
    page: Any, server: str, name: str, screenshot: Callable[[Any, str], None]
) -> None:
    response = page.goto(server + PAGES[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    if name in ("dyad", "map"):
        page.wait_for_selector(f"#{'chart' if name == 'dyad' else 'map'}[data-ready='1']")
    assert page.blocked == []
    assert page.problems == []  # no CSP violation, no script error
    screenshot(page, name)


def test_web_browser_chart_point_leads_to_an_event(
    page: Any, server: str, screenshot: Callable[[Any, str], None]
) -> None:
    page.goto(server + PAGES["dyad"])
    page.wait_for_selector("#chart[data-ready='1']")
    point = page.locator("#chart .scatterlayer .trace").first.locator(".points path").first
    box = point.bounding_box()
    assert box is not None
    # plotly's drag layer sits above the points and turns a click there into plotly_click.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/ui/events?*")
    assert "dyad=IND%2CPAK" in page.url
    page.locator("a.event-link").first.click()
    page.wait_for_url("**/ui/events/*")
    assert page.locator("article.mention mark.trigger").count() >= 1
    screenshot(page, "event")


def test_web_browser_script_in_an_article_is_inert(
    page: Any, server: str, screenshot: Callable[[Any, str], None]
) -> None:
    page.goto(server + "/ui/events?actor=PAK&order=asc&limit=1000")
    links = page.locator("article.mention a[href^='/ui/documents/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        page.goto(server + str(href))
        if "<script>" in page.locator(".article").inner_text():
            break
    else:
        pytest.fail("the hostile document was not found")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".article script, .article img").count() == 0
    assert page.problems == []
    screenshot(page, "document")


def test_web_browser_code_page_highlights_evidence(
    page: Any, server: str, screenshot: Callable[[Any, str], None]
) -> None:
    page.goto(server + "/ui/code")
    page.fill("textarea[name=text]", "India attacked Pakistan. <script>window.__pwned=1</script>")
    page.click("form.code-form button")
    page.wait_for_selector("article.mention")
    assert page.locator("article.mention mark.source").first.inner_text() == "India"
    assert page.locator("article.mention mark.target").first.inner_text() == "Pakistan"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    screenshot(page, "code")
