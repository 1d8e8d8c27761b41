"""Fixtures for the watcher: invented articles, feeds and sitemaps built from them, a mock web
(httpx.MockTransport) with a clock that only moves when told, and a Watcher wired to them.

The articles are written for these tests: one story about Danish returnees told over
several days. The security service gives about 240; an outlet restates it; a policy
institute, in an article published earlier, says about 410 (a conflicting report that
leaves the best estimate alone: the latest report wins a tie); a research centre then
says about 400, which agrees with the institute and becomes the best estimate.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest

from tally import store as store_mod
from tally.ingest.url import Fetcher
from tally.store import Store
from tally.watch import Watcher

ARTICLES: dict[str, dict[str, str]] = {
    "service": {
        "outlet": "Lakeside Times",
        "published": "2016-05-10",
        "title": "Returnees under watch",
        "text": "Returnees under watch\n\nSome 240 Danish nationals have returned from Syria and Iraq, the "
        "Danish security service said on Tuesday.\n\nOfficials said the returnees are being monitored.",
    },
    "echo": {
        "outlet": "Harbour Post",
        "published": "2016-05-11",
        "title": "Danish returnees",
        "text": "Danish returnees\n\nAbout 240 Danish nationals have come back from Syria and Iraq, according "
        "to the Danish security service.\n\nThe agency gave no further details.",
    },
    "institute": {
        "outlet": "North Courier",
        "published": "2016-03-02",
        "title": "Study on returnees",
        "text": "Study on returnees\n\nAbout 410 Danish nationals have returned from Syria and Iraq, the Nordic "
        "Policy Institute said on Wednesday.\n\nThe study relied on court records.",
    },
    "centre": {
        "outlet": "Fjord Herald",
        "published": "2016-06-20",
        "title": "New count of returnees",
        "text": "New count of returnees\n\nAround 400 Danish nationals have returned from Syria and Iraq, the "
        "Copenhagen Centre for Security Studies said on Monday.\n\nIts researchers interviewed officials.",
    },
    "centre_echo": {
        "outlet": "Island Daily",
        "published": "2016-06-21",
        "title": "Returnees counted",
        "text": "Returnees counted\n\nAround 400 Danish nationals have come back from Syria and Iraq, according "
        "to the Copenhagen Centre for Security Studies.\n\nThe centre will publish its full study later.",
    },
    "institute_echo": {
        "outlet": "Valley Gazette",
        "published": "2016-03-03",
        "title": "Institute study",
        "text": "Institute study\n\nAbout 410 Danish nationals have come back from Syria and Iraq, according "
        "to the Nordic Policy Institute.\n\nThe institute is based in Oslo.",
    },
    "portuguese": {
        "outlet": "Jornal do Porto",
        "published": "2016-07-01",
        "title": "Regressos",
        "text": "Regressos\n\nCerca de 30 combatentes portugueses regressaram da Síria e do Iraque, segundo "
        "o ministério da Administração Interna, que falou ontem em Lisboa.\n\nO ministério não deu detalhes.",
    },
}
SITE = "https://news.example"
DAY = timedelta(days=1)


def rss_item(name: str, *, full: bool = True, site: str = SITE) -> str:
    """An RSS item for an article at `site`: its whole text in content:encoded, or only a link."""
    a = ARTICLES[name]
    url = f"{site}/a/{name}"
    parts = [
        f"<title>{escape(a['title'])}</title>",
        f"<link>{url}</link>",
        f"<guid>{url}</guid>",
        f"<pubDate>{datetime.fromisoformat(a['published']).strftime('%a, %d %b %Y 09:00:00 +0000')}</pubDate>",
    ]
    if full:
        paras = "".join(f"<p>{escape(p)}</p>" for p in a["text"].split("\n\n")[1:])
        parts.append(f"<content:encoded>{escape(paras)}</content:encoded>")
    return f"<item>{''.join(parts)}</item>"


def rss(*items: str, title: str = "Nordic Wire") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>{SITE}/</link>{''.join(items)}</channel></rss>"
    )


def page_html(name: str) -> str:
    a = ARTICLES[name]
    paras = "".join(f"<p>{escape(p)}</p>" for p in a["text"].split("\n\n")[1:])
    return (
        f"<html><head><title>{escape(a['title'])}</title></head><body><article>"
        f"<h1>{escape(a['title'])}</h1>{paras}</article></body></html>"
    )


Route = httpx.Response | Callable[[httpx.Request], httpx.Response]


@dataclass
class Web:
    """A mock web: path -> response (or handler); every request is logged; robots.txt is 404."""

    routes: dict[str, Route] = field(default_factory=dict)
    log: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        route = self.routes.get(request.url.path)
        if route is None:
            return httpx.Response(404, text="<html><title>Not found</title></html>")
        return route(request) if callable(route) else route

    def paths(self) -> list[str]:
        return [r.url.path for r in self.log if r.url.path != "/robots.txt"]

    def feed(self, path: str, body: str, *, etag: str | None = None) -> None:
        """Serve a feed at `path`, answering 304 to a request that brings its ETag back."""

        def answer(request: httpx.Request) -> httpx.Response:
            if etag and request.headers.get("if-none-match") == etag:
                return httpx.Response(304)
            headers = {"content-type": "application/rss+xml"} | ({"etag": etag} if etag else {})
            return httpx.Response(200, text=body, headers=headers)

        self.routes[path] = answer

    def article(self, name: str) -> None:
        self.routes[f"/a/{name}"] = httpx.Response(
            200, text=page_html(name), headers={"content-type": "text/html; charset=utf-8"}
        )


class Clock:
    """Wall time for the watcher that moves only when a test says so (or a fetcher sleeps)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def web() -> Web:
    return Web()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(tmp_path: Any) -> Iterator[Store]:
    with store_mod.open(str(tmp_path / "ledger.db")) as s:
        yield s


@pytest.fixture
def watcher(ledger: Store, web: Web, clock: Clock) -> Iterator[Callable[..., Watcher]]:
    """Make a Watcher on the mock web: `watcher(sources, **options)`; its JSON Lines go to
    `w.out` (a StringIO). The fetcher never sleeps and retries once."""
    made: list[Watcher] = []

    def make(sources: list[str], **kw: Any) -> Watcher:
        fetcher = Fetcher(
            transport=httpx.MockTransport(web.handle),
            sleep=lambda _s: None,
            host_interval=0,
            retries=kw.pop("retries", 1),
            max_bytes=kw.get("max_bytes", 20_000_000),
        )
        w = Watcher(ledger, sources, fetcher=fetcher, out=io.StringIO(), now=clock, every=1800, **kw)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()
        w.fetcher.close()
