"""POST /api/documents: only with the bearer token, through the real pipeline, into the
same store the pages read; a URL is fetched through an injected fetcher (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tally import store
from tally.ingest.url import Fetcher
from tally.web import create_app

ARTICLE = (
    "Officials count Dutch fighters\n\n"
    "About 280 Dutch nationals have joined jihadist groups in Syria and Iraq, "
    "the national counter-terrorism coordinator said on Monday.\n\n"
    "Officials said about 60 of them have returned to the Netherlands."
)
PAGE = (
    "<html><head><title>Austria counts its fighters</title></head><body><article>"
    "<h1>Austria counts its fighters</h1>"
    "<p>More than 300 Austrians have travelled to Syria and Iraq to join jihadist groups, "
    "the interior ministry said on Wednesday.</p>"
    "<p>The ministry said about 90 of them have returned to Austria since 2013.</p>"
    "</article></body></html>"
)


def _pages(request: httpx.Request) -> httpx.Response:
    """A news site on a mock transport: robots.txt absent, one article, one broken page."""
    if request.url.path == "/robots.txt":
        return httpx.Response(404)
    if request.url.path == "/austria":
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"})
    return httpx.Response(410, text="gone")


@pytest.fixture
def writable(ledger_copy: Path, web: Any) -> Iterator[tuple[httpx.Client, Any]]:
    """A server with a token over a private ledger copy, fetching through a mock transport."""
    fetcher = Fetcher(transport=httpx.MockTransport(_pages), retries=0, host_interval=0, sleep=lambda s: None)
    with (
        store.open(str(ledger_copy)) as s,
        web.serve_app(create_app(s, web.TOKEN, fetcher=fetcher)) as base,
        httpx.Client(base_url=base, timeout=120) as c,
    ):
        yield c, s


def _auth(web: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {web.TOKEN}"}


def test_a_read_only_server_refuses_writes_even_with_a_token(client: httpx.Client, web: Any) -> None:
    r = client.post("/api/documents", json={"text": ARTICLE}, headers=_auth(web))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "read_only"
    assert "TALLY_TOKEN" in r.json()["error"]["message"]


def test_writes_need_the_right_bearer_token(writable: tuple[httpx.Client, Any], web: Any) -> None:
    c, s = writable
    before = s.counts()
    none = c.post("/api/documents", json={"text": ARTICLE})
    assert none.status_code == 401 and none.headers["www-authenticate"].startswith("Bearer")
    wrong = c.post("/api/documents", json={"text": ARTICLE}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    basic = c.post("/api/documents", json={"text": ARTICLE}, headers={"Authorization": f"Basic {web.TOKEN}"})
    assert basic.status_code == 401
    # An invalid body from a stranger learns nothing about the body: the token comes first.
    stranger = c.post("/api/documents", json={"nonsense": 1})
    assert stranger.status_code == 401
    assert s.counts() == before


def test_an_article_posted_as_text_is_stored_once_and_shows_at_once(
    writable: tuple[httpx.Client, Any], web: Any
) -> None:
    c, _s = writable
    assert "NL" not in {r["origin"] for r in c.get("/index.json").json()["rows"]}
    body = {
        "text": ARTICLE,
        "url": "https://news.example/nl",
        "outlet": "News Example",
        "published": "2017-06-01",
    }
    r = c.post("/api/documents", json=body, headers=_auth(web))
    assert r.status_code == 201, r.text
    stored = r.json()
    assert stored["status"] == "new" and stored["figures"] >= 1
    joined = [p for p in stored["series"] if p.startswith("/series/NL/joined/")]
    assert joined, stored["series"]
    doc = c.get(stored["api"]).json()["document"]
    assert doc["outlet"] == "News Example" and doc["url"] == "https://news.example/nl"
    assert doc["source"] == "api"
    # The cached reconciliation notices the new figures.
    rows = c.get("/index.json").json()["rows"]
    assert "NL" in {r["origin"] for r in rows}
    assert c.get(joined[0] + ".json").status_code == 200
    assert c.get("/search.json", params={"q": "coordinator"}).json()["totals"]["documents"] == 1
    runs = c.get("/api/runs").json()["items"]
    assert runs[0]["id"] == stored["run"] and runs[0]["new"] == 1 and runs[0]["inputs"][0].startswith("POST")
    again = c.post("/api/documents", json=body, headers=_auth(web))
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["document"] == stored["document"]


def test_an_html_page_is_cleaned_before_extraction(writable: tuple[httpx.Client, Any], web: Any) -> None:
    c, _s = writable
    r = c.post("/api/documents", json={"html": PAGE, "id": "austria-page"}, headers=_auth(web))
    assert r.status_code == 201, r.text
    doc = c.get(r.json()["api"]).json()
    assert "<p>" not in doc["document"]["text"] and doc["document"]["name"] == "austria-page"
    assert any(f["origin"] == "AT" for f in doc["figures"])


def test_a_url_is_fetched_through_the_injected_fetcher(writable: tuple[httpx.Client, Any], web: Any) -> None:
    c, _s = writable
    r = c.post("/api/documents", json={"url": "https://news.example/austria"}, headers=_auth(web))
    assert r.status_code == 201, r.text
    doc = c.get(r.json()["api"]).json()["document"]
    assert doc["url"] == "https://news.example/austria"
    assert doc["title"] == "Austria counts its fighters"
    assert doc["outlet"] == "news.example"


def test_a_url_that_cannot_be_fetched_is_a_clear_error(writable: tuple[httpx.Client, Any], web: Any) -> None:
    c, s = writable
    before = s.counts()["documents"]
    r = c.post("/api/documents", json={"url": "https://news.example/gone"}, headers=_auth(web))
    assert r.status_code == 502
    err = r.json()["error"]
    assert err["code"] == "fetch_failed" and "410" in err["message"]
    assert s.counts()["documents"] == before


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"text": ARTICLE, "html": PAGE}, "not both"),
        ({"title": "no body"}, "give 'text'"),
        ({"url": "javascript:alert(1)"}, "http"),
        ({"url": "file:///etc/passwd"}, "http"),
        ({"text": ARTICLE, "lang": "de"}, "lang"),
        ({"text": ARTICLE, "extra": 1}, "extra"),
    ],
)
def test_a_bad_body_is_refused_with_the_reason(
    writable: tuple[httpx.Client, Any], web: Any, body: dict[str, Any], problem: str
) -> None:
    c, _s = writable
    r = c.post("/api/documents", json=body, headers=_auth(web))
    assert r.status_code == 422
    assert problem in r.json()["error"]["message"]


def test_an_unusable_article_is_recorded_as_the_runs_failure(
    writable: tuple[httpx.Client, Any], web: Any
) -> None:
    c, _s = writable
    r = c.post(
        "/api/documents", json={"html": "<html><body><nav>Home</nav></body></html>"}, headers=_auth(web)
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "unusable"
    run = c.get(f"/api/runs/{err['detail']['run']}").json()
    assert run["run"]["failed"] == 1
    assert run["errors"]["items"][0]["source"] == "api"
