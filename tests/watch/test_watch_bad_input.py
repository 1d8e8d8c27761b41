"""Bad input from the open web, each case named: one clear log line, the round goes on with
the other sources and entries, a failing source is tried again next round and then less
often, and nothing already stored is lost.

Sources: a feed that answers with an HTML page, an error page, a 404, a 500, a timeout, a
truncated feed, an answer that is not XML. Articles: binary, huge, empty, in a language
Tally does not read.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from tally.store import Store
from tally.watch import Watcher
from tally.watch.log import Logfmt
from tally.watch.state import WatchState

from .conftest import SITE, Clock, Web, page_html, rss, rss_item

BAD = f"{SITE}/bad.xml"
GOOD = f"{SITE}/good.xml"
HOUR = timedelta(hours=1)
HALF_HOUR = timedelta(minutes=30)


def lines(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    """The log lines of one event, as the service writes them."""
    return [Logfmt().format(r) for r in caplog.records if r.getMessage() == name]


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def _truncated() -> httpx.Response:
    whole = rss(rss_item("service"), rss_item("echo"))
    cut = whole[: whole.rindex("<item>") + 40]
    return httpx.Response(200, text=cut, headers={"content-type": "application/rss+xml"})


FEED_CASES = {
    "feed_answers_html": (
        httpx.Response(
            200,
            text="<!doctype html><html><head><title>Nordic Wire: home</title></head><body>News</body></html>",
            headers={"content-type": "text/html; charset=utf-8"},
        ),
        "not a feed: the server answered with an HTML page titled 'Nordic Wire: home' (text/html); "
        "is this the feed's address?",
    ),
    "error_page": (
        httpx.Response(
            200,
            text="<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>",
            headers={"content-type": "application/rss+xml"},
        ),
        "not a feed: the server answered with an HTML page titled '502 Bad Gateway' (application/rss+xml); "
        "is this the feed's address?",
    ),
    "http_404": (httpx.Response(404), "HTTP 404 Not Found"),
    "http_500": (httpx.Response(500), "HTTP 500 Internal Server Error (gave up after 2 attempts)"),
    "timeout": (_timeout, "timed out (ReadTimeout) (gave up after 2 attempts)"),
    "not_xml": (
        httpx.Response(200, text='{"items": []}', headers={"content-type": "application/json"}),
        "not a readable RSS or Atom feed",
    ),
}


@pytest.mark.parametrize("case", sorted(FEED_CASES))
def test_a_bad_feed_is_one_line_the_round_goes_on_and_it_is_tried_next_round(
    case: str,
    watcher: Callable[..., Watcher],
    web: Web,
    ledger: Store,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    answer, problem = FEED_CASES[case]
    web.routes["/bad.xml"] = answer
    web.feed("/good.xml", rss(rss_item("service")))
    w = watcher([BAD, GOOD])
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        first = w.round()
    (line,) = lines(caplog, "source.failed")
    assert f"source={BAD}" in line and problem in line and "failures=1" in line
    assert (first.failed_sources, first.stored) == (1, 1)
    state = WatchState(ledger).source(BAD)
    assert state is not None and state.failures == 1 and state.error and problem in state.error

    web.feed("/bad.xml", rss(rss_item("echo")))  # the server is back
    clock.advance(HALF_HOUR)
    second = w.round()
    assert (second.failed_sources, second.stored) == (0, 1)
    assert ledger.counts()["documents"] == 2
    recovered = WatchState(ledger).source(BAD)
    assert recovered is not None and recovered.failures == 0 and recovered.error is None


def test_a_truncated_feed_keeps_the_entries_before_the_cut_and_is_read_whole_next_round(
    watcher: Callable[..., Watcher], web: Web, ledger: Store, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    web.routes["/bad.xml"] = _truncated()
    w = watcher([BAD])
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        first = w.round()
    (line,) = lines(caplog, "source.failed")
    assert "not well-formed XML" in line and "read the 1 whole entries before the break" in line
    assert (first.stored, first.failed_sources) == (1, 1)

    web.feed("/bad.xml", rss(rss_item("service"), rss_item("echo")), etag='"whole"')
    clock.advance(HALF_HOUR)
    second = w.round()
    assert (second.stored, second.failed_sources) == (1, 0)
    assert "if-none-match" not in web.log[-1].headers or web.log[-1].url.path != "/bad.xml"
    assert ledger.counts()["documents"] == 2


def test_a_source_that_keeps_failing_is_tried_less_and_less_often(
    watcher: Callable[..., Watcher], web: Web, clock: Clock
) -> None:
    w = watcher([BAD])  # answers 404 for ever
    tried = []
    for _ in range(8):
        before = len(web.paths())
        summary = w.round()
        tried.append(len(web.paths()) > before)
        assert summary.waiting + summary.failed_sources == 1
        clock.advance(HALF_HOUR)
    # After failures 1, 2, 3: the next round, then every second round, then every fourth.
    assert tried == [True, True, False, True, False, False, False, True]


# --- articles ---------------------------------------------------------------------------

NOISE = random.Random(64).randbytes(64 * 1024)
ARTICLE_CASES = {
    "binary": (
        httpx.Response(200, content=NOISE, headers={"content-type": "text/html; charset=iso-8859-1"}),
        "binary file (contains NUL bytes): not a text document",
    ),
    "huge": (
        httpx.Response(200, text="<p>" + "word " * 40_000 + "</p>", headers={"content-type": "text/html"}),
        "response larger than 100,000 bytes (200,007 declared); skipped",
    ),
    "empty": (
        httpx.Response(200, text="", headers={"content-type": "text/html"}),
        "empty page: the server sent no text",
    ),
    "unreadable_language": (
        httpx.Response(200, text=page_html("portuguese"), headers={"content-type": "text/html"}),
        "written in Portuguese (pt), a language Tally does not read (it reads en, fr, de); skipped",
    ),
}


@pytest.mark.parametrize("case", sorted(ARTICLE_CASES))
def test_a_bad_article_is_one_line_kept_as_a_failure_and_not_fetched_again(
    case: str,
    watcher: Callable[..., Watcher],
    web: Web,
    ledger: Store,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    answer, problem = ARTICLE_CASES[case]
    web.routes["/a/bad"] = answer
    web.article("service")
    bad_item = f"<item><title>Bad</title><link>{SITE}/a/bad</link></item>"
    web.feed("/good.xml", rss(bad_item, rss_item("service", full=False)))
    w = watcher([GOOD], max_bytes=100_000)
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        first = w.round()
    (line,) = lines(caplog, "article.failed")
    assert f"url={SITE}/a/bad" in line and problem in line
    assert (first.failed, first.stored) == (1, 1)
    (run,) = ledger.runs()
    (error,) = ledger.run_errors(run["id"])
    assert (error.source, error.reason) == (f"{SITE}/a/bad", problem)
    assert ledger.counts()["documents"] == 1

    clock.advance(HALF_HOUR)
    fetched = len(web.paths())
    w.round()
    assert web.paths()[fetched:] == ["/good.xml"]  # neither the bad page nor the stored one again
    assert ledger.counts()["documents"] == 1


def test_an_article_whose_server_fails_is_tried_again_next_round(
    watcher: Callable[..., Watcher], web: Web, ledger: Store, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    web.routes["/a/service"] = httpx.Response(503)
    web.feed("/good.xml", rss(rss_item("service", full=False)), etag='"v1"')
    w = watcher([GOOD])
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        first = w.round()
    (line,) = lines(caplog, "article.retry")
    assert "HTTP 503 Service Unavailable" in line and "attempt=1" in line
    assert first.retry == 1 and ledger.counts()["documents"] == 0

    web.article("service")
    clock.advance(HALF_HOUR)
    second = w.round()
    # No validators were kept while an entry waited: the feed is read whole, not answered 304.
    assert second.stored == 1 and second.unchanged == 0
    assert ledger.counts()["documents"] == 1


def test_a_crash_reading_one_source_costs_that_source_one_round(
    watcher: Callable[..., Watcher],
    web: Web,
    ledger: Store,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tally.watch import sources

    real = sources.listing

    def broken(source: str, *args: object) -> object:
        if source == BAD:
            raise RuntimeError("a bug in a reader")
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "listing", broken)
    web.feed("/good.xml", rss(rss_item("service")))
    w = watcher([BAD, GOOD])
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        summary = w.round()
    (line,) = lines(caplog, "source.failed")
    assert "internal error (RuntimeError: a bug in a reader); please report it" in line
    assert (summary.failed_sources, summary.stored) == (1, 1)
