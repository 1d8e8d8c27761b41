"""`tally watch --every 1s` against a news site and a webhook receiver on loopback, over
several rounds, killed with SIGKILL mid-round and started again.

The site publishes the story of tests/watch/conftest.py one article a round: the
security service's figure, an outlet restating it, a policy institute's report that
conflicts with it, a research centre's report that agrees with the institute and
changes the best estimate. Then two more restatements, whose pages the watcher must
fetch; the second page is held until the watcher is killed, after the first one is
stored and before the round's alerts are recorded. Started again, the watcher stores
the rest and alerts both restatements once.

Checked: each expected alert on stdout exactly once, in the round that brings it; the
webhook receiver gets every alert once, each with a valid signature; the ledger holds
every article once; the feed is asked for with its ETag and answers 304; the alerts
come back from /alerts.atom through feedparser.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import feedparser
import httpx
import pytest

import tally.store as store_mod
from tally.watch.deliver import SIGNATURE_HEADER, verify
from tally.web import create_app

from .conftest import page_html, rss, rss_item

SECRET = "loopback-webhook-secret"
DEADLINE = 120.0  # seconds for one stage: generous, CI machines have two busy cores


class NewsSite:
    """The site: /feed.xml lists `entries` (name, whole content or link only) with an ETag
    and answers 304 when it is sent back; /a/<name> is the article page, and a page named
    in `hold` is answered only once `release` is set (the request is signalled in `held`)."""

    def __init__(self) -> None:
        self.base = ""
        self.entries: list[tuple[str, bool]] = []
        self.hold: set[str] = set()
        self.held = threading.Event()
        self.release = threading.Event()
        self.answers: list[int] = []  # status of each feed answer

    def feed(self) -> tuple[bytes, str]:
        items = (rss_item(name, full=full, site=self.base) for name, full in reversed(self.entries))
        body = rss(*items).encode()
        return body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


@pytest.fixture
def site() -> Iterator[tuple[NewsSite, str]]:
    news = NewsSite()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            try:
                if self.path == "/feed.xml":
                    body, etag = news.feed()
                    if self.headers.get("If-None-Match") == etag:
                        news.answers.append(304)
                        self._send(304, b"", "application/rss+xml", etag)
                    else:
                        news.answers.append(200)
                        self._send(200, body, "application/rss+xml", etag)
                elif self.path.startswith("/a/"):
                    name = self.path[3:]
                    if name in news.hold:
                        news.held.set()
                        news.release.wait(DEADLINE)
                    self._send(200, page_html(name).encode(), "text/html; charset=utf-8")
                else:
                    self._send(404, b"", "text/plain")
            except OSError:  # the watcher was killed while we answered
                pass

        def _send(self, status: int, body: bytes, media: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    with _serving(Handler) as base:
        news.base = base
        yield news, base


@pytest.fixture
def receiver() -> Iterator[tuple[list[tuple[dict[str, str], bytes]], str]]:
    """A webhook receiver: every POST's headers and body, answered 204."""
    got: list[tuple[dict[str, str], bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            got.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    with _serving(Handler) as base:
        yield got, f"{base}/hook"


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Any:
    from contextlib import contextmanager

    @contextmanager
    def run() -> Iterator[str]:
        server = _Server(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(10)

    return run()


class Watch:
    """`tally watch` in a subprocess: its alerts (stdout, one JSON a line) as they come."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from tally.cli import main; main()", "watch", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.alerts: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.alerts.append(json.loads(line))

    def end(self, sig: int) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        self._reader.join(10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self.log.close()
        return code


def _until(what: str, ok: Callable[[], bool], watch: Watch, log: Path) -> None:
    deadline = time.monotonic() + DEADLINE
    while not ok():
        if watch.proc.poll() is not None:
            pytest.fail(
                f"tally watch exited ({watch.proc.returncode}) waiting for {what}:\n{log.read_text()}"
            )
        if time.monotonic() > deadline:
            pytest.fail(
                f"timed out waiting for {what}; alerts: {[a['event'] for a in watch.alerts]}\n{log.read_text()}"
            )
        time.sleep(0.05)


def _documents(db: Path) -> int:
    with store_mod.open(str(db), upgrade=False) as s:
        return s.counts()["documents"]


def test_watch_alerts_each_change_once_across_rounds_and_a_sigkill(
    site: tuple[NewsSite, str],
    receiver: tuple[list[tuple[dict[str, str], bytes]], str],
    tmp_path: Path,
) -> None:
    news, base = site
    hooked, hook_url = receiver
    db, log = tmp_path / "ledger.db", tmp_path / "watch.log"
    config = tmp_path / "tally.toml"
    config.write_text(
        '[watch]\ndashboard = "http://127.0.0.1:8000"\n\n'
        f'[[alerts]]\nname = "denmark"\norigin = "DK"\nwebhook = "{hook_url}"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
    env["TALLY_WEBHOOK_SECRET"] = SECRET
    args = [f"{base}/feed.xml", "--every", "1s", "--db", str(db), "--config", str(config)]

    stages = [
        ("service", ["new_report"]),
        ("echo", ["new_point"]),
        ("institute", ["new_report", "conflict"]),
        ("centre", ["new_report", "conflict", "best_changed"]),
    ]
    first = Watch(args, env, log)
    try:
        seen = 0
        for name, expected in stages:
            news.entries.append((name, True))
            seen += len(expected)
            _until(
                f"the alerts of {name}",
                lambda n=seen: len(first.alerts) >= n and len(hooked) >= n,
                first,
                log,
            )
            time.sleep(1.5)  # a round more: nothing else may come
            assert [a["event"] for a in first.alerts[seen - len(expected) :]] == expected, name
            assert len(first.alerts) == seen and len(hooked) == seen
        _until("a 304 for the unchanged feed", lambda: 304 in news.answers, first, log)

        # Two restatements whose pages must be fetched; the second is held, and the watcher
        # is killed once the first is stored: mid-round, before the round's alerts.
        news.hold.add("institute_echo")
        news.entries += [("institute_echo", False), ("centre_echo", False)]  # the feed lists newest first
        _until("the held page to be asked for", news.held.is_set, first, log)
        assert _documents(db) == 5
        assert first.end(signal.SIGKILL) == -signal.SIGKILL
    finally:
        if first.proc.poll() is None:
            first.end(signal.SIGKILL)
    news.release.set()
    assert len(first.alerts) == 7  # nothing about the killed round

    second = Watch(args, env, log)
    try:
        _until("the killed round's alerts", lambda: len(second.alerts) >= 2 and len(hooked) >= 9, second, log)
        time.sleep(2.5)  # more rounds: nothing else may come
    finally:
        code = second.end(signal.SIGTERM)
    assert code == 0, log.read_text()

    assert [a["event"] for a in second.alerts] == ["new_point", "new_point"]
    restated = {a["echo_of"]["source"] for a in second.alerts}
    assert restated == {"the Copenhagen Centre for Security Studies", "the Nordic Policy Institute"}
    alerts = first.alerts + second.alerts
    assert [a["id"] for a in alerts] == list(range(1, 10))

    # The webhook got every alert once, signed.
    assert sorted(int(h["x-tally-delivery"]) for h, _b in hooked) == list(range(1, 10))
    by_id = {a["id"]: a for a in alerts}
    for headers, body in hooked:
        assert verify(SECRET, body, headers[SIGNATURE_HEADER.lower()])
        assert json.loads(body) == by_id[int(headers["x-tally-delivery"])]

    # The ledger holds each of the six articles once; the killed run stayed unfinished.
    with store_mod.open(str(db)) as s:
        counts = s.counts()
        assert (counts["documents"], counts["figures"], counts["seen_inputs"]) == (6, 6, 6)
        assert any(r["finished"] is None for r in s.runs())
        app = create_app(s)
        atom = anyio.run(_get, app, "/alerts.atom")
    parsed = feedparser.parse(atom)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == [a["text"] for a in reversed(alerts)]
    assert parsed.entries[0].link == "http://tally.test" + alerts[-1]["series"]["href"]

    lines = log.read_text()
    assert "watch.stopping signal=SIGTERM" in lines and "watch.stopped" in lines


async def _get(app: Any, path: str) -> bytes:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tally.test") as c:
        resp = await c.get(path)
        assert resp.status_code == 200
        return resp.content
