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
    "dyad_low": "/ui/dyad?a=USA&b=PAK",
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
    if name.startswith("dyad") or name == "map":
        page.wait_for_selector(f"#{'map' if name == 'map' else 'chart'}[data-ready='1']")
    if name == "overview":
        page.wait_for_selector("#at-low[data-ready='1']")
    assert page.blocked == []
    assert page.problems == []  # no CSP violation, no script error
    screenshot(page, name)


def test_web_browser_chart_point_leads_to_an_event(
    page: Any, server: str, screenshot: Callable[[Any, str], None]
) -> None:
    page.goto(server + PAGES["dyad"])
    page.wait_for_selector("#chart[data-ready='1']")
    point = page.locator("#chart .scatterlayer .trace .points path").first
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


def test_web_browser_dyad_draws_the_band_and_only_calibrated_lows(
    page: Any, server: str, screenshot: Callable[[Any, str], None]
) -> None:
    page.goto(server + PAGES["dyad_low"])
    page.wait_for_selector("#chart[data-ready='1']")
    traces = page.evaluate(
        "Array.from(document.getElementById('chart').data,"
        " t => ({name: t.name, fill: t.fill || null, n: t.x.length}))"
    )
    names = [t["name"] for t in traces]
    assert {"estimate", "month (raw)", "low (calibrated test)"} <= set(names)
    assert any(t["fill"] == "tonexty" and t["name"] == "90% interval" for t in traces)
    lows = next(t for t in traces if t["name"] == "low (calibrated test)")
    assert 1 <= lows["n"] <= 2, "the soured months of early 2018 and nothing else"
    highs = next(t for t in traces if t["name"] == "high (calibrated test)")
    assert highs["n"] == 0
    statements = page.locator("#statements li.finding.low")
    assert statements.count() == lows["n"] and "2018" in statements.first.inner_text()
    # Hover on a raw month: the tooltip states its event count.
    raw = names.index("month (raw)")
    point = page.locator("#chart .scatterlayer .trace").nth(raw).locator(".points path").first
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#chart .hoverlayer .hovertext")
    hover = page.locator("#chart .hoverlayer .hovertext").first.text_content() or ""
    assert "on 12 events" in hover, hover
    assert page.problems == []
    screenshot(page, "dyad_band")


def test_web_browser_overview_ranks_dyads_at_a_low(
    page: Any, server: str, screenshot: Callable[[Any, str], None]
) -> None:
    page.goto(server + "/ui/?since=2018-01-01&until=2018-02-28")
    page.wait_for_selector("#at-low[data-ready='1']")
    rows = page.locator("#at-low tbody tr")
    assert rows.count() == 2
    first = rows.first
    assert first.locator("a").inner_text() == "PAK–USA"
    assert "at-low-now" in (first.get_attribute("class") or "")
    assert "at a low" in first.inner_text()
    assert rows.nth(1).get_attribute("class") in (None, "")
    screenshot(page, "overview_at_low")
    first.locator("a").click()
    page.wait_for_url("**/ui/dyad?*")
    assert page.problems == []
