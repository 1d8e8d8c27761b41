"""What `tally watch` found, on the dashboard: the What's new page with its JSON twin and CSV,
and the alerts as an Atom feed that parses back with feedparser.

The alerts are made by the watcher itself: it first looks at an empty ledger, the test
articles are then ingested, and its next look alerts on everything they brought.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest

from tally import ledger as ledger_lib
from tally import store as store_mod
from tally.watch import Watcher
from tally.watch.events import Marks
from tally.watch.state import WatchState
from tally.web import create_app


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory, web: Any) -> Iterator[str]:
    db = tmp_path_factory.mktemp("watched") / "ledger.db"
    with store_mod.open(str(db)) as s:
        WatchState(s).record(None, Marks(), [])  # the watcher's first look: an empty ledger
        ledger_lib.ingest([str(web.ARTICLES)], s)
        with Watcher(s, ["https://news.example/feed.xml"], out=io.StringIO()) as w:
            assert w.look() > 0
        with web.serve_app(create_app(s)) as base:
            yield base


def test_the_page_lists_each_alert_with_its_series_and_sentence(watched: str) -> None:
    html = httpx.get(watched + "/whats-new").text
    data = httpx.get(watched + "/whats-new.json").json()
    assert data["page"]["total"] == len(data["alerts"]) > 3
    kinds = {a["event"] for a in data["alerts"]}
    assert {"new_report", "conflict"} <= kinds
    for a in data["alerts"]:
        assert a["text"] in html.replace("&#39;", "'").replace("&amp;", "&")
        assert f'href="{a["series"]["href"]}"' in html
        assert a["figure"]["quote"] and a["figure"]["href"].startswith("/documents/")
    assert 'href="/alerts.atom"' in html and "What&#39;s new" in html


def test_the_json_twin_filters_by_event_and_the_csv_has_the_same_rows(watched: str) -> None:
    conflicts = httpx.get(watched + "/whats-new.json?event=conflict").json()
    assert conflicts["alerts"] and {a["event"] for a in conflicts["alerts"]} == {"conflict"}
    assert all(a["against"]["quote"] for a in conflicts["alerts"])
    rows = httpx.get(watched + "/whats-new.csv?table=alerts&event=conflict").text.splitlines()
    assert rows[0].startswith("id,created,event,series") and len(rows) == len(conflicts["alerts"]) + 1
    bad = httpx.get(watched + "/whats-new.json?event=everything")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_the_atom_feed_parses_back_with_feedparser(watched: str) -> None:
    resp = httpx.get(watched + "/alerts.atom")
    assert resp.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(resp.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    data = httpx.get(watched + "/whats-new.json").json()
    assert len(parsed.entries) == len(data["alerts"])
    for entry, alert in zip(parsed.entries, data["alerts"], strict=True):
        assert entry.title == alert["text"]
        assert entry.link == watched + alert["series"]["href"]
        assert entry.id == f"{watched}/whats-new#alert-{alert['id']}"
        assert entry.tags[0].term == alert["event"]
        assert alert["figure"]["quote"] in entry.summary
    assert parsed.feed.title == "Tally: alerts"


def test_an_empty_ledger_has_an_empty_page_and_feed(tmp_path: Path, web: Any) -> None:
    with store_mod.open(str(tmp_path / "empty.db")) as s, web.serve_app(create_app(s)) as base:
        assert "No alerts yet" in httpx.get(base + "/whats-new").text
        parsed = feedparser.parse(httpx.get(base + "/alerts.atom").content)
        assert not parsed.bozo and parsed.entries == []
