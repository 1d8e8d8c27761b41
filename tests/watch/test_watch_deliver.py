"""Deliveries: each alert once on stdout, and to each webhook of a subscription that takes it,
signed with HMAC-SHA256; a receiver that fails is tried again with backoff, and one that
keeps failing is given up with one log line. Deliveries live in the store, so a watcher
started again delivers what is pending and repeats nothing."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from tally.errors import ConfigError
from tally.store import Store
from tally.watch import Watcher
from tally.watch import deliver as deliver_mod
from tally.watch.config import Subscription
from tally.watch.deliver import SIGNATURE_HEADER, sign, verify
from tally.watch.log import Logfmt
from tally.watch.state import WatchState

from .conftest import SITE, Clock, Web, rss, rss_item

SECRET = "webhook-secret-for-tests"
HOOK = "https://hooks.example/tally"
FEED = f"{SITE}/feed.xml"


class Receiver:
    """A webhook receiver on a MockTransport: answers each POST with the next status given."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.got: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.got.append(request)
        return httpx.Response(self.statuses.pop(0) if self.statuses else 204)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def test_a_signature_verifies_and_a_changed_body_or_an_old_one_does_not() -> None:
    body = b'{"event":"conflict"}'
    header = sign(SECRET, body, 1_800_000_000)
    assert verify(SECRET, body, header, now=1_800_000_010)
    assert not verify(SECRET, body + b" ", header, now=1_800_000_010)
    assert not verify("another-secret-entirely", body, header, now=1_800_000_010)
    assert not verify(SECRET, body, header, now=1_800_000_000 + 3600)  # a replay an hour later
    assert not verify(SECRET, body, "v1=deadbeef", now=1_800_000_010)


def test_each_alert_goes_once_to_stdout_and_once_to_the_webhook_signed(
    watcher: Callable[..., Watcher], web: Web, ledger: Store
) -> None:
    receiver = Receiver()
    web.feed("/feed.xml", rss(rss_item("institute"), rss_item("service")))
    sub = Subscription("dk", origin=frozenset({"DK"}), webhook=HOOK)
    w = watcher([FEED], subscriptions=[sub], secret=SECRET, webhooks=receiver.client())
    w.round()
    w.round()
    w.deliver()
    printed = [json.loads(line) for line in w.out.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert [a["event"] for a in printed] == ["new_report", "new_report", "conflict"]
    assert len(receiver.got) == 3
    for request, alert in zip(receiver.got, printed, strict=True):
        assert verify(SECRET, request.content, request.headers[SIGNATURE_HEADER])
        assert json.loads(request.content) == alert
        assert request.headers["x-tally-delivery"] == str(alert["id"])
        assert request.headers["x-tally-event"] == alert["event"]
    states = {(d["event_id"], d["channel"]): d["state"] for d in WatchState(ledger).deliveries()}
    assert set(states.values()) == {"delivered"} and len(states) == 6


def test_a_failing_receiver_is_retried_with_backoff_then_gets_the_alert(
    watcher: Callable[..., Watcher], web: Web, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = Receiver(503, 503)
    web.feed("/feed.xml", rss(rss_item("service")))
    sub = Subscription("all-hook", webhook=HOOK)
    w = watcher([FEED], subscriptions=[sub], secret=SECRET, webhooks=receiver.client())
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        w.round()
        assert len(receiver.got) == 1
        retry = w.deliver()
        assert retry == clock.now + timedelta(seconds=deliver_mod.BACKOFF)
        assert len(receiver.got) == 1  # not due yet
        clock.advance(timedelta(seconds=deliver_mod.BACKOFF))
        assert w.deliver() == clock.now + timedelta(seconds=2 * deliver_mod.BACKOFF)
        clock.advance(timedelta(seconds=2 * deliver_mod.BACKOFF))
        assert w.deliver() is None
    assert len(receiver.got) == 3
    assert len({r.content for r in receiver.got}) == 1  # the same alert each time
    retries = [Logfmt().format(r) for r in caplog.records if r.getMessage() == "webhook.retry"]
    assert len(retries) == 2 and "HTTP 503 Service Unavailable" in retries[0]


def test_a_receiver_that_keeps_failing_is_given_up_with_one_clear_line(
    watcher: Callable[..., Watcher], web: Web, clock: Clock, caplog: pytest.LogCaptureFixture, ledger: Store
) -> None:
    receiver = Receiver(*[500] * deliver_mod.MAX_ATTEMPTS)
    web.feed("/feed.xml", rss(rss_item("service")))
    w = watcher(
        [FEED], subscriptions=[Subscription("hook", webhook=HOOK)], secret=SECRET, webhooks=receiver.client()
    )
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        w.round()
        while (due := w.deliver()) is not None:
            clock.now = due
    assert len(receiver.got) == deliver_mod.MAX_ATTEMPTS
    (line,) = [Logfmt().format(r) for r in caplog.records if r.getMessage() == "webhook.gave_up"]
    assert (
        f"url={HOOK}" in line and "attempts=8" in line and 'problem="HTTP 500 Internal Server Error"' in line
    )
    hook = [d for d in WatchState(ledger).deliveries() if d["channel"] == "webhook:hook"]
    assert [(d["state"], d["error"]) for d in hook] == [("gave_up", "HTTP 500 Internal Server Error")]


def test_a_receiver_that_refuses_is_given_up_at_once(
    watcher: Callable[..., Watcher], web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = Receiver(401)
    web.feed("/feed.xml", rss(rss_item("service")))
    w = watcher(
        [FEED], subscriptions=[Subscription("hook", webhook=HOOK)], secret=SECRET, webhooks=receiver.client()
    )
    with caplog.at_level(logging.INFO, logger="tally.watch"):
        w.round()
    assert len(receiver.got) == 1
    assert any(
        "HTTP 401 Unauthorized" in Logfmt().format(r)
        for r in caplog.records
        if r.getMessage() == "webhook.gave_up"
    )


def test_a_watcher_started_again_delivers_what_was_pending_and_repeats_nothing(
    watcher: Callable[..., Watcher], web: Web
) -> None:
    web.feed("/feed.xml", rss(rss_item("service")))
    receiver = Receiver(503)
    first = watcher(
        [FEED], subscriptions=[Subscription("hook", webhook=HOOK)], secret=SECRET, webhooks=receiver.client()
    )
    first.round()  # stdout delivered; the webhook waits for its retry
    again = watcher(
        [FEED], subscriptions=[Subscription("hook", webhook=HOOK)], secret=SECRET, webhooks=receiver.client()
    )
    again.now = lambda: first.now() + timedelta(minutes=1)  # type: ignore[method-assign]
    again.round()
    assert len(first.out.getvalue().splitlines()) == 1  # type: ignore[attr-defined]
    assert again.out.getvalue() == ""  # type: ignore[attr-defined]
    assert len(receiver.got) == 2 and receiver.got[0].content == receiver.got[1].content


def test_a_webhook_without_a_secret_is_refused_before_anything_is_fetched(ledger: Store) -> None:
    with pytest.raises(ConfigError, match="set TALLY_WEBHOOK_SECRET"):
        Watcher(ledger, [FEED], subscriptions=[Subscription("hook", webhook=HOOK)])
