"""Article text is untrusted: articles carrying script and event-handler payloads in their
text, title, outlet and URL (and an input whose file name is one) are ingested, then every
page is visited in chromium. The test fails if any dialog opens, any injected script runs,
or any injected element or handler reaches the page.

Twice: once with the Content-Security-Policy bypassed, so escaping alone must hold, and
once with it on, where nothing at all may be blocked (a blocked inline script would mean
markup got through).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tally import store
from tally.watch import Watcher
from tally.watch.events import Marks
from tally.watch.state import WatchState

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = "<img src=x onerror=window.__xss=1;alert(1)>"
SVG = "<svg onload=window.__xss=1;alert(1)>"
QUOTE_BREAK = '"><script>window.__xss=1;alert(1)</script><b x="'
HANDLER = "' onmouseover='window.__xss=1;alert(1)' autofocus onfocus='alert(1)' x='"
JSON_BREAK = "</script><script>window.__xss=1;alert(1)</script>"
JS_URL = "javascript:window.__xss=1;alert(1)"
PAYLOADS = [SCRIPT, IMG, SVG, QUOTE_BREAK, HANDLER, JSON_BREAK]

ARTICLES = [
    {
        "id": "xss-text",
        "title": QUOTE_BREAK,
        "outlet": IMG,
        "url": JS_URL,
        "published": "2016-05-01",
        "text": f"Italy {SCRIPT}\n\nAt least 400 Italian nationals have joined jihadist groups in Syria and Iraq "
        f"{SCRIPT}, the Interior Ministry {IMG} said on Monday.\n\nOfficials {SVG} said little else.",
    },
    {
        "id": "xss-outlet",
        "title": SVG,
        "outlet": HANDLER,
        "url": 'https://x.example/"><img src=x onerror=alert(1)>',
        "published": "2016-06-01",
        "text": f"Italians in Syria\n\nAbout 900 Italian nationals have joined jihadist groups in Syria and Iraq, "
        f"the {HANDLER} institute said on Tuesday.\n\nSome 120 Italian fighters have returned {JSON_BREAK} "
        "to Italy, the ministry said.",
    },
    {
        "id": "xss-html",
        "url": "JaVaScRiPt:alert(1)",
        "outlet": JSON_BREAK,
        "published": "2017-01-01",
        "html": "<html><head><title>Italy <script>alert(1)</script></title></head><body><article>"
        "<h1>Italy counts</h1><p>More than 300 Italian nationals have travelled to Syria and Iraq to join "
        "jihadist groups, the <b onmouseover=alert(1)>agency</b> said on Friday. <script>alert(1)</script></p>"
        '<p>The agency said about 70 of them have returned to Italy. <a href="javascript:alert(1)">more</a></p>'
        "</article></body></html>",
    },
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, web: Any) -> Iterator[str]:
    """A server over a ledger of the hostile articles and one failed input named as a payload."""
    folder = tmp_path_factory.mktemp("xss")
    articles = folder / "hostile.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    bad = folder / "<img src=x onerror=alert(1)>.txt"
    bad.write_text("", encoding="utf-8")  # empty: a failure whose source is the payload
    with store.open(str(folder / "ledger.db")) as s:  # the watcher looks at the empty ledger first,
        WatchState(s).record(None, Marks(), [])
    db = web.ingest_into(folder / "ledger.db", [articles, bad])
    with store.open(str(db)) as s, Watcher(s, ["https://feed.example/"], out=io.StringIO()) as w:
        assert w.look() > 0  # so the payloads are in its alerts too (What's new, /alerts.atom)
    with web.serve_process(db, log=folder / "serve.log") as base:
        yield base


def _paths(request: Any, base: str) -> list[str]:
    """Every page of the hostile ledger: each series, document, run, and payload queries."""
    get = lambda path: request.get(base + path).json()  # noqa: E731
    paths = [
        "/",
        "/overview",
        "/series",
        "/sources",
        "/documents",
        "/runs",
        "/api/docs",
        "/search",
        "/whats-new",
    ]
    paths += [s["href"] for s in get("/series.json")["series"]]
    for d in get("/documents.json")["documents"]:
        paths.append(d["href"])
        figs = get(d["href"] + ".json")["figures"]
        if figs:
            paths.append(f"{d['href']}?figure={figs[0]['id']}")
    paths += [r["href"] for r in get("/runs.json")["runs"]]
    paths += [r["href"] for r in get("/sources.json")["entity_reports"]]
    for payload in PAYLOADS:
        q = quote(payload, safe="")
        paths += [f"/search?q={q}", f"/sources?source={q}", f"/documents?outlet={q}", f"/?group={q}"]
    paths += [
        "/search?q=ministry",
        "/search?q=italian",
        f"/documents/{quote(SCRIPT, safe='')}",
        f"/nope{quote(IMG)}",
    ]
    return paths


DOM_CHECK = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) bad.push('handler ' + el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name.toLowerCase())
          && /^\\s*javascript:/i.test(attr.value)) bad.push('javascript url ' + el.tagName + ' ' + attr.value);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src');
    const data = s.getAttribute('type') === 'application/json';
    if (!data && !(src && src.startsWith('/static/'))) bad.push('script ' + (src || s.textContent.slice(0, 60)));
  }
  for (const sel of ['img', 'svg:not(.main-svg):not(.main-svg svg)', 'iframe', 'object', 'embed', 'b[x]']) {
    for (const el of document.querySelectorAll(sel)) {
      if (!el.closest('#chart, #js-plotly-tester')) bad.push('element ' + el.outerHTML.slice(0, 80));
    }
  }
  if (window.__xss) bad.push('window.__xss was set');
  return bad;
}
"""

WATCH_CSP = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""


def _visit_all(browser: Any, base: str, *, bypass_csp: bool) -> list[str]:
    context = browser.new_context(bypass_csp=bypass_csp, viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort()
    )  # nothing leaves loopback, not even a payload's image
    problems: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (problems.append(f"dialog opened: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    try:
        paths = _paths(context.request, base)
        assert len(paths) > 30
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("load")
            if page.locator("#chart").count():
                page.wait_for_selector("#chart[data-drawn]", timeout=30_000)
                for point in page.locator("#chart path.point").all():  # show each hover label
                    box = point.bounding_box()
                    if box:
                        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                        page.wait_for_timeout(100)
            for mark in page.locator("mark.fig").all():  # show each figure's tooltip
                mark.focus()
            problems += [f"{path}: {p}" for p in page.evaluate(DOM_CHECK)]
            if not bypass_csp:
                problems += [f"{path}: CSP blocked {v}" for v in page.evaluate("window.__violations")]
    finally:
        context.close()
    return problems


def test_the_payloads_were_stored_as_text(hostile: str) -> None:
    """The test is only worth something if the payloads are in the ledger to be shown."""
    import httpx

    docs = httpx.get(hostile + "/documents.json").json()["documents"]
    assert {d["outlet"] for d in docs} >= {IMG, HANDLER}
    assert any(d["title"] == QUOTE_BREAK for d in docs)
    runs = httpx.get(hostile + "/runs.json").json()["runs"]
    errors = httpx.get(hostile + runs[-1]["href"] + ".json").json()["errors"]
    assert any("<img src=x onerror=alert(1)>" in e["source"] for e in errors)
    series = httpx.get(hostile + "/series.json").json()["series"]
    assert any(s["origin"] == "IT" for s in series)
    text = "".join(httpx.get(hostile + d["href"] + ".json").json()["document"]["title"] or "" for d in docs)
    assert SVG in text


def test_escaping_alone_keeps_every_payload_inert(browser: Any, hostile: str) -> None:
    assert _visit_all(browser, hostile, bypass_csp=True) == []


def test_with_the_policy_on_nothing_is_even_blocked(browser: Any, hostile: str) -> None:
    assert _visit_all(browser, hostile, bypass_csp=False) == []


def test_a_javascript_url_never_becomes_a_link(hostile: str) -> None:
    import httpx

    for d in httpx.get(hostile + "/documents.json").json()["documents"]:
        assert d["url"] is None or d["url"].startswith(("http://", "https://"))
        html = httpx.get(hostile + d["href"]).text
        assert 'href="javascript' not in html.lower() and "href='javascript" not in html.lower()


def test_the_alerts_carry_the_payloads_as_text_and_the_feed_stays_well_formed(hostile: str) -> None:
    import feedparser
    import httpx

    alerts = httpx.get(hostile + "/whats-new.json").json()["alerts"]
    said = json.dumps(alerts)
    assert alerts and SCRIPT in said and IMG in said  # a quote and an outlet, as text
    assert all(a["figure"]["article"] is None or a["figure"]["article"].startswith("http") for a in alerts)
    html = httpx.get(hostile + "/whats-new").text
    assert "<script>window.__xss" not in html and 'href="javascript' not in html.lower()
    parsed = feedparser.parse(httpx.get(hostile + "/alerts.atom").content)
    assert not parsed.bozo and len(parsed.entries) == len(alerts)
