"""The dashboard in a real browser: Debian's chromium, headless, driven by Playwright,
against `tally serve` started as a user would, offline.

The walk a reader takes: the overview, a click into a series, the chart drawn, a click on
one of its points, the document opened on that figure with the figure highlighted and its
attributes shown. Screenshots of the three pages are kept in tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

# Runs before any page script: records what the Content-Security-Policy blocks.
WATCH_CSP = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture(scope="module")
def server(ledger_db: Path, tmp_path_factory: pytest.TempPathFactory, web: Any) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    db = web.copy_db(ledger_db, folder / "ledger.db")
    with web.serve_process(db, log=folder / "serve.log") as base:
        yield base


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh page that may reach the test server only: anything else is aborted and counted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    problems: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.add_init_script(WATCH_CSP)
    p = context.new_page()
    p.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    p.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    p.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    p.outside, p.problems = outside, problems
    yield p
    context.close()


def _clean(page: Any) -> None:
    """Nothing fetched from outside, no script error, no dialog, nothing blocked by the CSP."""
    assert page.outside == [], "the dashboard must work offline"
    assert page.problems == []
    assert page.evaluate("window.__violations") == []


def test_overview_to_series_to_the_highlighted_sentence(
    page: Any, server: str, artifacts: Path, fr_joined: str
) -> None:
    page.goto(server + "/")
    table = page.locator("table#overview")
    assert table.is_visible()
    assert page.locator("th[scope=row]", has_text="France").count() == 1
    cell = page.locator(f'td.cell a.estimate[href="{fr_joined}"]')  # France x joined
    assert cell.is_visible()
    assert page.locator("td.cell.conflict .flag").count() >= 1
    page.screenshot(path=str(artifacts / "web-overview.png"), full_page=True)
    _clean(page)

    cell.click()
    page.wait_for_url(f"**{fr_joined}")
    page.wait_for_selector("#chart[data-drawn]", timeout=30_000)
    data = page.request.get(f"{server}{fr_joined}.json").json()  # what the page was built from
    assert page.locator("#chart svg.main-svg").count() >= 1
    markers = page.locator("#chart g.trace.scatter path.point")
    assert markers.count() == len(data["chart"]["points"]) >= 2  # one per origin report, echoes folded in
    assert page.locator("#chart g.legend").is_visible()
    conflicted = [c for c in data["chains"] if c["conflict"]]
    assert page.locator("tbody.chain.conflict").count() == len(conflicted)
    assert page.locator("tr.echo").count() == sum(len(c["echoes"]) for c in data["chains"])

    # Hover a report (a conflicting one, drawn in red, when the series has one), then click it.
    # The traces with markers come in the order series.js draws them: plain reports, reports
    # in conflict, then the parts of a whole (diamonds).
    reports = [p for p in data["chart"]["points"] if not p["part"]]
    plain = any(not p["conflict"] for p in reports)
    in_conflict = any(p["conflict"] for p in reports)
    traces = page.locator("#chart g.trace.scatter").filter(has=page.locator("path.point"))
    point = traces.nth(int(plain) if in_conflict else 0).locator("path.point").first
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    label = page.locator("g.hoverlayer g.hovertext")
    label.wait_for(timeout=5_000)
    said = label.text_content() or ""
    assert "as of" in said and "click for the sentence" in said
    assert ("conflicts" in said) == in_conflict
    page.screenshot(path=str(artifacts / "web-series.png"), full_page=True)
    _clean(page)

    page.mouse.click(x, y)
    page.wait_for_url("**/documents/**", timeout=10_000)
    figure = int(parse_qs(urlsplit(page.url).query)["figure"][0])
    assert figure in {p["figure_id"] for c in data["chains"] for p in [c["origin"]]}
    mark = page.locator(f"mark#fig-{figure}")
    assert mark.is_visible()
    assert "selected" in (mark.get_attribute("class") or "")
    assert page.evaluate("document.activeElement.id") == f"fig-{figure}"  # focused, so its attributes show
    tip = page.locator(f"#tip-{figure}")
    assert tip.is_visible()
    assert "status: joined" in tip.inner_text() and "origin: FR" in tip.inner_text()
    span = mark.locator(".fig-span").inner_text()
    origin = next(c["origin"] for c in data["chains"] if c["origin"]["figure_id"] == figure)
    assert span == origin["span"]
    assert page.locator(f"tr#row-{figure}.selected").count() == 1
    page.screenshot(path=str(artifacts / "web-document.png"), full_page=False)
    _clean(page)


def test_every_figure_shows_its_attributes_on_keyboard_focus(page: Any, server: str, fr_joined: str) -> None:
    data = page.request.get(f"{server}{fr_joined}.json").json()
    doc = data["chains"][0]["origin"]["document"]
    page.goto(f"{server}/documents/{doc}")
    marks = page.locator("mark.fig")
    assert marks.count() >= 1
    tip = marks.first.locator(".tip")
    assert not tip.is_visible()
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "MARK":
        page.keyboard.press("Tab")
    assert tip.is_visible()
    _clean(page)


def test_the_overview_filters_narrow_the_table(page: Any, server: str) -> None:
    page.goto(server + "/")
    rows = page.locator("table#overview tbody tr").count()
    page.select_option("select[name=group]", "ISIS")  # submits on change (static JS, no inline handler)
    page.wait_for_url("**group=ISIS**")
    assert page.locator("table#overview tbody tr").count() < rows
    page.fill("input[name=since]", "2016")
    page.fill("input[name=until]", "2016")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**since=2016**")
    assert page.locator(".empty-state").is_visible() or page.locator("table#overview").is_visible()
    _clean(page)


def test_every_page_renders_without_errors(page: Any, server: str, fr_joined: str) -> None:
    doc = page.request.get(f"{server}/documents.json").json()["documents"][0]["href"]
    for path in [
        "/",
        "/series",
        fr_joined,
        "/sources",
        "/documents",
        doc,
        "/search?q=ministry",
        "/runs",
        "/runs/1",
        "/whats-new",
        "/api/docs",
    ]:
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        assert page.locator("main h1").is_visible(), path
    page.goto(server + "/search?q=prosecutor")
    assert page.locator("mark.hit").count() >= 1
    _clean(page)
