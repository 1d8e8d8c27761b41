"""URLs in: a polite fetcher (robots.txt, retries with backoff, per-host pacing, size cap, an
honest user agent) and readers for URL arguments and .urls lists. Answers come from
httpx.MockTransport or a loopback server; no test touches the internet."""

from __future__ import annotations

import http.server
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tally import __version__
from tally.ingest import read
from tally.ingest.url import USER_AGENT, Fetcher, FetchError, Unavailable
from tally.model import Failure, RawDoc

PAGE = (
    "<html><head><title>Returns</title></head><body><p>At least 300 fighters have returned.</p></body></html>"
)


class Clock:
    """A clock that only moves when the fetcher sleeps: backoff and pacing cost no time."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def site(routes: dict[str, Handler | httpx.Response], log: list[httpx.Request]) -> httpx.MockTransport:
    """A mock web: path -> response (or handler); robots.txt answers 404 unless routed."""

    def handle(request: httpx.Request) -> httpx.Response:
        log.append(request)
        route = routes.get(request.url.path)
        if route is None:
            return httpx.Response(404)
        return route(request) if callable(route) else route

    return httpx.MockTransport(handle)


def html(body: str = PAGE, **kw: object) -> httpx.Response:
    return httpx.Response(200, text=body, headers={"content-type": "text/html; charset=utf-8"}, **kw)  # type: ignore[arg-type]


def fetcher(
    routes: dict[str, Handler | httpx.Response], log: list[httpx.Request], clock: Clock, **kw: object
) -> Fetcher:
    return Fetcher(transport=site(routes, log), sleep=clock.sleep, clock=clock, **kw)  # type: ignore[arg-type]


def items(urls: list[str], f: Fetcher) -> list[RawDoc | Failure]:
    return list(read(urls, fetcher=f))


def paths(log: list[httpx.Request]) -> list[str]:
    return [r.url.path for r in log]


def test_a_page_becomes_a_document_named_by_host_and_url_hash() -> None:
    log: list[httpx.Request] = []
    with fetcher({"/a/1": html()}, log, Clock()) as f:
        (doc,) = items(["https://www.news.example/a/1"], f)
    assert isinstance(doc, RawDoc)
    assert doc.fmt == "html" and doc.content == PAGE and doc.url == "https://www.news.example/a/1"
    assert doc.doc_id.startswith("news.example-") and len(doc.doc_id) == len("news.example-") + 10
    assert doc.source == "https://www.news.example/a/1"
    assert paths(log) == ["/robots.txt", "/a/1"]


def test_the_user_agent_names_tally_its_version_and_a_contact_url() -> None:
    log: list[httpx.Request] = []
    with fetcher({"/": html()}, log, Clock()) as f:
        items(["https://news.example/"], f)
    agent = log[-1].headers["user-agent"]
    assert agent == USER_AGENT
    assert agent.startswith(f"Tally/{__version__} (+https://")


def test_a_404_fails_at_once_without_retrying_and_the_run_goes_on() -> None:
    log: list[httpx.Request] = []
    clock = Clock()
    with fetcher({"/ok": html()}, log, clock) as f:
        gone, ok = items(["https://news.example/gone", "https://news.example/ok"], f)
    assert isinstance(gone, Failure) and gone.source == "https://news.example/gone"
    assert gone.reason == "HTTP 404 Not Found"
    assert isinstance(ok, RawDoc)
    assert paths(log).count("/gone") == 1


def test_a_5xx_is_retried_with_exponential_backoff_then_given_up() -> None:
    log: list[httpx.Request] = []
    clock = Clock()
    with fetcher({"/down": httpx.Response(500)}, log, clock, retries=3, backoff=0.5, host_interval=0) as f:
        (fail,) = items(["https://news.example/down"], f)
    assert isinstance(fail, Failure)
    assert fail.reason == "HTTP 500 Internal Server Error (gave up after 4 attempts)"
    assert paths(log).count("/down") == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_a_server_that_recovers_is_read_and_retry_after_is_obeyed() -> None:
    answers = iter([httpx.Response(503, headers={"retry-after": "7"}), html()])
    log: list[httpx.Request] = []
    clock = Clock()
    with fetcher({"/busy": lambda _r: next(answers)}, log, clock, host_interval=0) as f:
        (doc,) = items(["https://news.example/busy"], f)
    assert isinstance(doc, RawDoc)
    assert clock.sleeps == [7.0]


def test_connection_errors_are_retried_and_reported_in_one_line() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with Fetcher(transport=httpx.MockTransport(refuse), retries=1, backoff=0, robots=False) as f:
        (fail,) = items(["https://news.example/x"], f)
    assert isinstance(fail, Failure)
    assert fail.reason == "connection failed: connection refused (gave up after 2 attempts)"
    assert "\n" not in fail.line()


def test_robots_txt_disallow_is_respected_and_the_page_never_requested() -> None:
    robots = httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
    log: list[httpx.Request] = []
    with fetcher({"/robots.txt": robots, "/private/a": html(), "/public": html()}, log, Clock()) as f:
        private, public = items(["https://news.example/private/a", "https://news.example/public"], f)
    assert isinstance(private, Failure)
    assert private.reason == "disallowed by https://news.example/robots.txt for Tally; skipped"
    assert isinstance(public, RawDoc)
    assert paths(log) == ["/robots.txt", "/public"]  # robots.txt once per host


def test_robots_rules_for_tally_by_name_apply() -> None:
    robots = httpx.Response(200, text="User-agent: Tally\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    with fetcher({"/robots.txt": robots, "/a": html()}, [], Clock()) as f:
        (fail,) = items(["https://news.example/a"], f)
    assert isinstance(fail, Failure) and "robots.txt" in fail.reason


def test_an_unreachable_robots_txt_means_disallow_as_rfc_9309_says() -> None:
    with fetcher({"/robots.txt": httpx.Response(503), "/a": html()}, [], Clock(), retries=0) as f:
        (fail,) = items(["https://news.example/a"], f)
    assert isinstance(fail, Failure) and "robots.txt" in fail.reason


def test_requests_to_one_host_are_paced_and_crawl_delay_is_obeyed() -> None:
    robots = httpx.Response(200, text="User-agent: *\nCrawl-delay: 3\n")
    routes: dict[str, Handler | httpx.Response] = {"/robots.txt": robots, "/1": html(), "/2": html()}
    clock = Clock()
    log: list[httpx.Request] = []
    with fetcher(routes, log, clock, host_interval=1.0) as f:
        items(["https://a.example/1", "https://a.example/2", "https://b.example/1"], f)
    # a.example: robots, then /1 a second later, /2 three seconds after (Crawl-delay);
    # b.example is another host and is not held up by a.example's pace.
    assert clock.sleeps == [1.0, 3.0, 1.0]


def test_a_response_over_the_size_cap_is_refused() -> None:
    big = "<p>" + "x" * 5000 + "</p>"
    declared = httpx.Response(200, text=big, headers={"content-type": "text/html"})

    def streamed(_r: httpx.Request) -> httpx.Response:  # no Content-Length: counted while read
        return httpx.Response(200, content=iter([big.encode()] * 3), headers={"content-type": "text/html"})

    with fetcher({"/a": declared, "/b": streamed}, [], Clock(), max_bytes=4000) as f:
        a, b = items(["https://news.example/a", "https://news.example/b"], f)
    assert isinstance(a, Failure) and a.reason.startswith("response larger than 4,000 bytes")
    assert isinstance(b, Failure) and b.reason == "response larger than 4,000 bytes; skipped"


def test_a_non_article_content_type_is_skipped_with_a_reason() -> None:
    pdf = httpx.Response(200, content=b"%PDF-1.7", headers={"content-type": "application/pdf"})
    with fetcher({"/r.pdf": pdf}, [], Clock()) as f:
        (fail,) = items(["https://news.example/r.pdf"], f)
    assert isinstance(fail, Failure)
    assert fail.reason == "not an article: content type application/pdf; skipped"


def test_a_declared_charset_is_used() -> None:
    page = httpx.Response(
        200,
        content="<p>Réfugiés</p>".encode("latin-1"),
        headers={"content-type": "text/html; charset=ISO-8859-1"},
    )
    with fetcher({"/fr": page}, [], Clock()) as f:
        (doc,) = items(["https://news.example/fr"], f)
    assert isinstance(doc, RawDoc) and doc.content == "<p>Réfugiés</p>" and doc.encoding == "iso-8859-1"


def test_a_feed_at_a_url_gives_its_entries() -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>T</title><link>https://news.example/t</link>"
        "<description>" + "Some 250 fighters came back. " * 20 + "</description></item></channel></rss>"
    )
    rss = httpx.Response(200, text=feed, headers={"content-type": "application/rss+xml"})
    with fetcher({"/feed": rss}, [], Clock()) as f:
        (doc,) = items(["https://news.example/feed"], f)
    assert isinstance(doc, RawDoc) and doc.outlet == "Wire" and doc.url == "https://news.example/t"


def test_a_url_list_file_is_read_line_by_line(tmp_path: Path) -> None:
    listing = tmp_path / "today.urls"
    listing.write_text(
        "# morning run\nhttps://news.example/a\n\nftp://news.example/b\nhttps://news.example/missing\n"
        "https://news.example/c\n"
    )
    log: list[httpx.Request] = []
    with fetcher({"/a": html(), "/c": html()}, log, Clock()) as f:
        got = list(read([str(listing)], fetcher=f))
    kinds = [type(x).__name__ for x in got]
    assert kinds == ["RawDoc", "Failure", "Failure", "RawDoc"]
    bad, missing = got[1], got[2]
    assert isinstance(bad, Failure) and bad.source == f"{listing}:4"
    assert bad.reason == "not an http:// or https:// URL: 'ftp://news.example/b'"
    assert isinstance(missing, Failure) and missing.source == "https://news.example/missing"


# --- a real socket: a server slower than the timeout ------------------------------------------


@pytest.fixture
def slow_server() -> Iterator[str]:
    """A loopback HTTP server whose /slow answers after 2 s and /fast at once."""

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/slow":
                time.sleep(2)
            body = PAGE.encode()
            try:
                self.send_response(200 if self.path != "/robots.txt" else 404)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up: nothing to answer
                pass

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_server_slower_than_the_timeout_fails_and_the_next_url_is_read(slow_server: str) -> None:
    started = time.monotonic()
    with Fetcher(timeout=0.3, retries=1, backoff=0.1, host_interval=0) as f:
        slow, fast = items([f"{slow_server}/slow", f"{slow_server}/fast"], f)
    assert isinstance(slow, Failure)
    assert slow.reason == "timed out (ReadTimeout) (gave up after 2 attempts)"
    assert isinstance(fast, RawDoc) and fast.content == PAGE
    assert time.monotonic() - started < 5


def test_random_bytes_labelled_as_latin1_html_are_refused_as_binary() -> None:
    noise = random.Random(64).randbytes(64 * 1024)
    page = httpx.Response(200, content=noise, headers={"content-type": "text/html; charset=iso-8859-1"})
    with fetcher({"/noise": page, "/a": html()}, [], Clock()) as f:
        fail, doc = items(["https://news.example/noise", "https://news.example/a"], f)
    assert isinstance(fail, Failure) and fail.source == "https://news.example/noise"
    assert fail.reason == "binary file (contains NUL bytes): not a text document"
    assert isinstance(doc, RawDoc)


def test_an_empty_page_is_refused_with_a_reason() -> None:
    with fetcher({"/blank": html(" \n ")}, [], Clock()) as f:
        (fail,) = items(["https://news.example/blank"], f)
    assert isinstance(fail, Failure) and fail.reason == "empty page: the server sent no text"


def test_a_conditional_request_sends_the_validators_and_a_304_is_not_modified() -> None:
    def feed(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        validators = {"etag": '"v1"', "last-modified": "Mon, 07 Dec 2026 10:00:00 GMT"}
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html", **validators})

    log: list[httpx.Request] = []
    with fetcher({"/feed": feed}, log, Clock()) as f:
        first = f.fetch("https://news.example/feed")
        again = f.fetch("https://news.example/feed", etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', "Mon, 07 Dec 2026 10:00:00 GMT")
    assert again.not_modified and again.content == b""
    assert log[-1].headers["if-modified-since"] == "Mon, 07 Dec 2026 10:00:00 GMT"


def test_a_server_that_stays_down_is_unavailable_a_404_is_not() -> None:
    down = httpx.Response(503)
    with fetcher({"/down": down}, [], Clock(), retries=1) as f:
        with pytest.raises(Unavailable):
            f.fetch("https://news.example/down")
        with pytest.raises(FetchError) as gone:
            f.fetch("https://news.example/gone")
    assert not isinstance(gone.value, Unavailable) and str(gone.value) == "HTTP 404 Not Found"
