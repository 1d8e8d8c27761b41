"""The watcher's memory in the store, on SQLite and PostgreSQL: a store at the previous
revision is upgraded keeping its ledger, and sources, entries, marks, alerts and
deliveries round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine

import tally.store as store_mod
from tally.model import Doc
from tally.store import Entry, document_key, migrate
from tally.watch.events import Marks
from tally.watch.records import SourceState
from tally.watch.state import DELIVERED, PENDING, RETRY, STORED, WatchState


def test_a_store_at_revision_0002_is_upgraded_and_keeps_its_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = str(tmp_path / "old.db")
    engine = create_engine(f"sqlite:///{url}")
    migrate.upgrade(engine, "0002")
    engine.dispose()
    with store_mod.open(url, upgrade=False) as s:
        assert s.revision() == "0002"
        text = "Some 240 Danish nationals have returned."
        s.write(None, Entry(key=document_key(text), doc=Doc("d", "d.txt", text), figures=[], version="0.1.0"))
    with store_mod.open(url) as s:
        assert s.revision() == migrate.head() == "0004"
        assert s.counts()["documents"] == 1
        assert WatchState(s).marks() is None  # the watcher has never looked at this store


def test_sources_entries_marks_alerts_and_deliveries_round_trip(store_url: str) -> None:
    with store_mod.open(store_url) as s:
        w = WatchState(s)
        later = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        w.save_source(
            SourceState("https://a.example/rss", etag='"x"', failures=2, next_try=later, error="HTTP 404")
        )
        got = w.source("https://a.example/rss")
        assert got is not None and (got.etag, got.failures, got.next_try, got.error) == (
            '"x"',
            2,
            later,
            "HTTP 404",
        )
        w.save_source(SourceState("https://a.example/rss", etag='"y"'))
        assert [x.etag for x in w.sources()] == ['"y"']

        w.mark_item("https://a.example/rss", "k1", "https://a.example/1", RETRY, 1, "HTTP 503")
        w.mark_item("https://a.example/rss", "k1", "https://a.example/1", STORED, 2, None)
        assert w.items("https://a.example/rss") == {"k1": (STORED, 2)}

        w.record(None, Marks(points={"p1": "r1"}), [])
        before = w.marks()
        assert before is not None and before.points == {"p1": "r1"}
        after = Marks(points={"p1": "r1", "p2": "r1"}, conflicts={"c1"}, best={"b1": {"report": "r1"}})
        alert = {"event": "new_point", "series": {"origin": "DK", "status": "returned"}, "text": "x"}
        (event_id,) = w.record(before, after, [(alert, ["stdout", "webhook:hook"])])
        assert w.marks() == after

        (stdout, hook) = [d for d, _next in w.pending()]
        assert (stdout.channel, hook.channel) == ("stdout", "webhook:hook")
        assert stdout.alert["id"] == event_id and stdout.alert["event"] == "new_point"
        w.delivery_done(stdout, DELIVERED)
        hook.attempts = 1
        w.delivery_retry(hook, later + timedelta(seconds=5), "HTTP 503")
        ((pending, due),) = w.pending()
        assert (
            pending.channel == "webhook:hook"
            and pending.attempts == 1
            and due == later + timedelta(seconds=5)
        )
        assert {d["state"] for d in w.deliveries()} == {DELIVERED, PENDING}

        found, total = w.alerts(limit=10)
        assert total == 1 and found[0]["id"] == event_id and found[0]["created"].endswith("+00:00")
