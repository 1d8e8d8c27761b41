"""A watch round end to end on a mock web, through the real pipeline: what is new is stored
once through the ledger's recorder, entries already seen are not fetched again, a source
with nothing new answers 304, and the reconciled ledger's changes become alerts once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx

from tally import ledger as ledger_lib
from tally.store import Store
from tally.watch import Watcher
from tally.watch.config import Subscription
from tally.watch.state import WatchState

from .conftest import ARTICLES, SITE, Clock, Web, rss, rss_item

FEED = f"{SITE}/feed.xml"


def alerts(w: Watcher) -> list[dict[str, object]]:
    """The JSON Lines the watcher wrote so far, and empty its buffer."""
    out = w.out.getvalue()  # type: ignore[attr-defined]
    w.out.seek(0)
    w.out.truncate()
    return [json.loads(line) for line in out.splitlines()]


def kinds(found: list[dict[str, object]]) -> list[str]:
    return [str(a["event"]) for a in found]


def test_a_new_entry_is_stored_and_alerted_and_a_304_costs_nothing_more(
    watcher: Callable[..., Watcher], web: Web, ledger: Store, clock: Clock
) -> None:
    web.feed("/feed.xml", rss(rss_item("service")), etag='"v1"')
    w = watcher([FEED])

    first = w.round()
    (alert,) = alerts(w)
    assert (first.stored, first.figures, first.alerts) == (1, 1, 1)
    assert alert["event"] == "new_report"
    assert alert["text"] == (
        "New report for DK · returned · militants · cumulative, 2016: about 240 (the Danish security service)"
    )
    assert alert["series"]["url"] == "http://127.0.0.1:8000/series/DK/returned/militants/cumulative"  # type: ignore[index]
    assert alert["figure"]["quote"].startswith("Some 240 Danish nationals have returned")  # type: ignore[index]

    clock.advance(timedelta(minutes=30))
    second = w.round()
    assert (second.unchanged, second.stored, second.alerts) == (1, 0, 0)
    assert alerts(w) == []
    assert web.log[-1].headers["if-none-match"] == '"v1"'
    assert ledger.counts()["documents"] == 1


def test_entries_seen_are_not_fetched_again_even_without_validators(
    watcher: Callable[..., Watcher], web: Web
) -> None:
    web.article("service")
    web.article("echo")
    web.feed("/feed.xml", rss(rss_item("service", full=False)))
    w = watcher([FEED])
    w.round()
    web.feed("/feed.xml", rss(rss_item("echo", full=False), rss_item("service", full=False)))
    w.round()
    assert web.paths() == ["/feed.xml", "/a/service", "/feed.xml", "/a/echo"]
    assert kinds(alerts(w)) == ["new_report", "new_point"]


def test_the_story_over_four_rounds_alerts_each_change_once(
    watcher: Callable[..., Watcher], web: Web
) -> None:
    w = watcher([FEED])
    told: list[str] = []
    rounds = [
        ("service", ["new_report"]),
        ("echo", ["new_point"]),
        # Published earlier than the service's figure, it conflicts with it, and the latest
        # report stays the best estimate.
        ("institute", ["new_report", "conflict"]),
        # Agrees with the institute: two reports agreeing beat one alone; of the two, the latest.
        ("centre", ["new_report", "conflict", "best_changed"]),
    ]
    for name, expected in rounds:
        told.append(name)
        web.feed("/feed.xml", rss(*(rss_item(n) for n in reversed(told))))
        w.round()
        got = alerts(w)
        assert kinds(got) == expected, (name, [a["text"] for a in got])
        if name == "centre":
            best = got[-1]
            assert best["text"] == (
                "Best estimate changed for DK · returned · militants · cumulative, 2016: about 400 (the "
                "Copenhagen Centre for Security Studies), was about 240 (the Danish security service) "
                "(rule: latest report)"
            )
            assert best["before"]["source"] == "the Danish security service"  # type: ignore[index]
    w.round()
    assert alerts(w) == []


def test_what_the_ledger_held_before_the_first_watch_is_not_news(
    watcher: Callable[..., Watcher], web: Web, ledger: Store, tmp_path: Path
) -> None:
    a = ARTICLES["service"]
    old = tmp_path / "service.jsonl"
    old.write_text(json.dumps({"id": "service", **a}) + "\n", encoding="utf-8")
    ledger_lib.ingest([str(old)], ledger)
    web.feed("/feed.xml", rss(rss_item("echo")))
    w = watcher([FEED])
    w.round()
    assert kinds(alerts(w)) == ["new_point"]


def test_subscriptions_filter_by_event_origin_status_and_source(
    watcher: Callable[..., Watcher], web: Web
) -> None:
    subs = [
        Subscription("conflicts", events=frozenset({"conflict"})),
        Subscription("french", origin=frozenset({"FR"})),
        Subscription("institute", source="policy institute"),
        Subscription("detained", status=frozenset({"detained"})),
    ]
    web.feed("/feed.xml", rss(rss_item("institute"), rss_item("service")))
    w = watcher([FEED], subscriptions=subs)
    w.round()
    got = alerts(w)
    by_kind = {str(a["event"]): a["subscriptions"] for a in got}
    assert by_kind == {"new_report": ["institute"], "conflict": ["conflicts", "institute"]}
    assert len(got) == 2  # the service's own new report matched no subscription: no alert


def test_alerts_and_deliveries_are_kept_in_the_store(
    watcher: Callable[..., Watcher], web: Web, ledger: Store
) -> None:
    web.feed("/feed.xml", rss(rss_item("service")))
    w = watcher([FEED])
    w.round()
    found, total = WatchState(ledger).alerts(limit=10)
    assert total == 1 and found[0]["event"] == "new_report"
    assert [(d["channel"], d["state"]) for d in WatchState(ledger).deliveries()] == [("stdout", "delivered")]


def test_a_stop_request_ends_the_round_after_the_document_in_hand_and_loses_nothing(
    watcher: Callable[..., Watcher], web: Web, ledger: Store
) -> None:
    web.article("service")
    web.article("echo")
    web.feed("/feed.xml", rss(rss_item("service", full=False), rss_item("echo", full=False)))
    w = watcher([FEED])

    original = w._item  # the first entry is the last one this round takes

    def then_stop(*args: object) -> object:
        result = original(*args)  # type: ignore[arg-type]
        w.stop.set()
        return result

    w._item = then_stop  # type: ignore[method-assign]
    first = w.round()
    assert first.stopped and first.stored == 1 and first.alerts == 1
    w.stop.clear()
    w._item = original  # type: ignore[method-assign]
    second = w.round()
    assert second.stored == 1
    assert kinds(alerts(w)) == ["new_report", "new_point"]
    assert ledger.counts()["documents"] == 2


def test_a_sitemap_and_a_url_list_are_sources_too(
    watcher: Callable[..., Watcher], web: Web, tmp_path: Path
) -> None:
    web.article("service")
    web.article("echo")
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        f"<loc>{SITE}/a/service</loc><news:news><news:publication><news:name>Lakeside Times</news:name>"
        "</news:publication><news:publication_date>2016-05-10</news:publication_date>"
        "<news:title>Returnees under watch</news:title></news:news></url></urlset>"
    )
    web.routes["/news-sitemap.xml"] = httpx.Response(
        200, text=sitemap, headers={"content-type": "application/xml"}
    )
    listing = tmp_path / "more.urls"
    listing.write_text(f"# added by hand\n{SITE}/a/echo\n", encoding="utf-8")
    w = watcher([f"{SITE}/news-sitemap.xml", str(listing)])
    summary = w.round()
    assert summary.stored == 2
    (report,) = alerts(w)  # both arrived in one round: one new report, repeated once
    assert report["event"] == "new_report" and report["echoes"] == 1
    assert report["figure"]["outlet"] == "Lakeside Times"  # type: ignore[index]


def test_a_feed_with_no_entries_yet_is_no_failure(watcher: Callable[..., Watcher], web: Web) -> None:
    web.feed("/feed.xml", rss())
    summary = watcher([FEED]).round()
    assert (summary.sources, summary.failed_sources, summary.stored) == (1, 0, 0)
