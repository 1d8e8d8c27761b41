"""The watcher: rounds over the sources, the events they bring, and their deliveries.

One round: for each source that is due, list what it holds now (a conditional request),
fetch and process each entry not yet taken care of, and store it through the ledger's
`Recorder`, as `tally ingest` does; then compare the reconciled ledger with the marks
of the last look, record the events as alerts in the same transaction as the new marks,
and deliver them. Each step commits before the next, in this order, so a watcher killed
anywhere neither loses nor repeats anything when it starts again:

- an entry is marked seen only once its document is committed; a kill before that
  fetches it again, and the ledger stores a document once whatever reads it twice;
- a source's validators (ETag, Last-Modified) are saved only once every entry it listed
  is taken care of, so a 304 never hides an entry that was not;
- alerts come from the ledger, not from the round: documents stored by a killed round
  are alerted by the next, and alerts written with their marks are written once;
- an alert is delivered from the store, and marked delivered right after.

A bad source or entry costs one log line: the round goes on, a source is tried again
next round and then less and less often (backoff), a transient entry failure a few
rounds more; nothing already stored is touched.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any

import httpx

import tally
from tally import ledger
from tally.errors import ConfigError, InputError, StoreError
from tally.extract.lexicon import LANGS
from tally.ingest import DEFAULT_MAX_BYTES
from tally.ingest.url import Fetcher, FetchError, Unavailable, page_doc
from tally.model import Failure, RawDoc
from tally.reconcile import reconcile
from tally.store import RunCounts, Store
from tally.watch import alerts as alerting
from tally.watch import deliver, sources
from tally.watch.config import EVERYTHING, Subscription
from tally.watch.events import Marks, changes
from tally.watch.log import duration, event
from tally.watch.records import Item, SourceState
from tally.watch.state import DELIVERED, FAILED, GAVE_UP, RETRY, STORED, WatchState

STDOUT = "stdout"
# Entries fetched from one source in one round: a first look at a large sitemap is spread
# over several rounds instead of holding the others up.
ITEMS_PER_ROUND = 200
# Rounds an entry whose page is unavailable (5xx, timeout) is tried before it counts as failed.
ITEM_ATTEMPTS = 5
# A failing source waits twice as long after each failure, up to this (or one round).
MAX_SOURCE_BACKOFF = 6 * 3600.0


@dataclass(slots=True)
class RoundSummary:
    """What one round did."""

    number: int
    sources: int = 0
    unchanged: int = 0
    waiting: int = 0
    failed_sources: int = 0
    stored: int = 0
    figures: int = 0
    failed: int = 0
    retry: int = 0
    alerts: int = 0
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not (self.failed_sources or self.failed or self.retry)


class Watcher:
    """Watches `sources` for `store`. Everything that reaches out is injected: `fetcher` (the
    ingest fetcher, for sources and pages), `webhooks` (an httpx client for POSTs), `out`
    (where JSON Lines go), `now` (the clock), `stop` (set it to end `run` after the current
    document)."""

    def __init__(
        self,
        store: Store,
        sources: list[str],
        *,
        every: float = 1800.0,
        subscriptions: list[Subscription] | None = None,
        dashboard: str = "http://127.0.0.1:8000",
        secret: str | None = None,
        fetcher: Fetcher | None = None,
        webhooks: httpx.Client | None = None,
        out: IO[str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        stop: threading.Event | None = None,
    ) -> None:
        if not sources:
            raise ConfigError("nothing to watch: name feeds, sitemaps or URL lists, or set [watch] sources")
        self.subscriptions = subscriptions or [EVERYTHING]
        hooked = [s for s in self.subscriptions if s.webhook]
        if hooked and not secret:
            raise ConfigError(
                f"[[alerts]] {hooked[0].name!r} posts to a webhook: set TALLY_WEBHOOK_SECRET in the "
                "environment (the key its signature is made with)"
            )
        self.store, self.sources, self.every = store, list(dict.fromkeys(sources)), every
        self.dashboard = dashboard.rstrip("/")
        self.state = WatchState(store)
        self.max_bytes = max_bytes
        self.out = out if out is not None else sys.stdout
        self.now = now
        self.stop = stop or threading.Event()
        self._own_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(max_bytes=max_bytes)
        self._own_client = webhooks is None and bool(hooked)
        client = webhooks or (httpx.Client() if hooked else None)
        self.hooks = {
            s.channel: deliver.Webhook(s.webhook, secret or "", client)
            for s in hooked
            if s.channel and s.webhook and client is not None
        }
        self._client = client
        self.rounds = 0
        self._looked: tuple[Any, ...] | None = None
        self._baselined = False

    def close(self) -> None:
        if self._own_fetcher:
            self.fetcher.close()
        if self._own_client and self._client is not None:
            self._client.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the service loop -----------------------------------------------------------
    def run(self, *, once: bool = False) -> RoundSummary:
        """Rounds every `every` seconds until `stop` is set (or one round, `once`); between
        rounds, webhook retries when they fall due. Returns the last round's summary."""
        event(
            logging.INFO,
            "watch.start",
            sources=len(self.sources),
            every=duration(self.every),
            store=self.store.url,
        )
        last = RoundSummary(0)
        next_round = self.now()
        while not self.stop.is_set():
            if self.now() >= next_round:
                started = self.now()
                last = self.round()
                next_round = started + timedelta(seconds=self.every)
                if once:
                    break
            retry = self.deliver()
            wake = min(next_round, retry) if retry else next_round
            self.stop.wait(max(0.0, (wake - self.now()).total_seconds()))
        event(logging.INFO, "watch.stopped", rounds=self.rounds, reason="once" if once else "signal")
        return last

    # -- one round --------------------------------------------------------------------
    def round(self) -> RoundSummary:
        """Fetch and store what is new, alert on what changed, deliver."""
        self.rounds += 1
        summary = RoundSummary(self.rounds)
        started = self.now()
        if not self._baselined:
            if self.state.marks() is None:
                self.look(baseline=True)  # what was stored before the first watch is not news
            self._baselined = True
        run = _Run(self.store, self.sources)
        try:
            for source in self.sources:
                if self.stop.is_set():
                    summary.stopped = True
                    break
                try:
                    self._source(source, started, run, summary)
                except StoreError:
                    raise  # the store is gone: stop, and let the service manager restart us
                except Exception as exc:  # a bug must cost one source one round, not the watcher
                    st = self.state.source(source) or SourceState(source)
                    self._source_failed(
                        st,
                        f"internal error ({type(exc).__name__}: {exc}); please report it",
                        started,
                        summary,
                    )
        finally:
            run.finish()
        summary.alerts = self.look()
        self.deliver()
        event(
            logging.INFO,
            "round.done",
            round=summary.number,
            sources=summary.sources,
            unchanged=summary.unchanged,
            waiting=summary.waiting,
            failed_sources=summary.failed_sources,
            stored=summary.stored,
            figures=summary.figures,
            failed=summary.failed,
            retry=summary.retry,
            alerts=summary.alerts,
            stopped=summary.stopped or None,
        )
        return summary

    def _source(self, source: str, started: datetime, run: _Run, summary: RoundSummary) -> None:
        st = self.state.source(source) or SourceState(source)
        if st.next_try is not None and st.next_try > started:
            summary.waiting += 1
            wait = duration((st.next_try - started).total_seconds())
            event(logging.INFO, "source.waiting", source=source, failures=st.failures, retry_in=wait)
            return
        summary.sources += 1
        st.checked = started
        try:
            found = sources.listing(source, st, self.fetcher, self.max_bytes)
        except InputError as exc:
            self._source_failed(st, str(exc), started, summary)
            return
        if found.not_modified:
            summary.unchanged += 1
            self._source_ok(st, started, found.etag, found.last_modified, found.digest)
            return
        complete = self._items(source, found.items, run, summary)
        if found.problem:
            read = f"; read the {len(found.items)} whole entries before the break"
            self._source_failed(st, found.problem + read, started, summary)
        elif complete:
            self._source_ok(st, started, found.etag, found.last_modified, found.digest)
        else:  # entries left for a later round: no validators, so the next request is full
            self._source_ok(st, started, None, None, None)

    def _source_ok(
        self, st: SourceState, when: datetime, etag: str | None, modified: str | None, digest: str | None
    ) -> None:
        st.ok, st.failures, st.next_try, st.error = when, 0, None, None
        st.etag, st.last_modified, st.digest = etag, modified, digest
        self.state.save_source(st)

    def _source_failed(self, st: SourceState, problem: str, started: datetime, summary: RoundSummary) -> None:
        """One line, and a wait that doubles with each failure in a row: the next round first."""
        summary.failed_sources += 1
        st.failures += 1
        st.error = problem
        wait = min(self.every * 2 ** (st.failures - 1), max(MAX_SOURCE_BACKOFF, self.every))
        st.next_try = started + timedelta(seconds=wait - self.every / 2)
        st.etag = st.last_modified = st.digest = None
        self.state.save_source(st)
        event(
            logging.WARNING,
            "source.failed",
            source=st.source,
            failures=st.failures,
            retry_in=duration(wait),
            problem=problem,
        )

    def _items(self, source: str, items: list[Item], run: _Run, summary: RoundSummary) -> bool:
        """Take care of the entries not yet seen; whether every one of them was."""
        seen = self.state.items(source)
        todo = [i for i in items if seen.get(i.key, ("", 0))[0] not in (STORED, FAILED)]
        complete = len(todo) <= ITEMS_PER_ROUND
        for item in todo[:ITEMS_PER_ROUND]:
            if self.stop.is_set():
                summary.stopped = True
                return False
            attempts = seen.get(item.key, ("", 0))[1] + 1
            state, reason = self._item(item, attempts, run, summary)
            self.state.mark_item(source, item.key, item.entry.link, state, attempts, reason)
            complete = complete and state != RETRY
        return complete

    def _item(self, item: Item, attempts: int, run: _Run, summary: RoundSummary) -> tuple[str, str | None]:
        """Fetch, process and store one entry: (its state, why it failed)."""
        try:
            raw, note = self._document(item)
        except Unavailable as exc:
            if attempts < ITEM_ATTEMPTS:
                summary.retry += 1
                event(logging.WARNING, "article.retry", url=item.where, attempt=attempts, problem=str(exc))
                return RETRY, str(exc)
            return self._failed(run, summary, item, f"{exc}; gave up after {attempts} rounds", "read")
        except InputError as exc:
            return self._failed(run, summary, item, str(exc), "read")
        if note:
            event(logging.WARNING, "article.teaser", url=item.where, problem=note)
        outcome = ledger.processed(raw)
        if isinstance(outcome, Failure):
            return self._failed(run, summary, item, outcome.reason, outcome.stage)
        lang = outcome.doc.lang or "en"
        if lang not in LANGS:
            return self._failed(run, summary, item, _language(lang), "language")
        status, failure = run.write(outcome)
        if failure is not None:  # the store refused it: try again next round
            summary.retry += 1
            event(logging.ERROR, "article.retry", url=item.where, problem=failure.reason)
            return RETRY, failure.reason
        summary.stored += 1
        summary.figures += len(outcome.figures)
        event(logging.INFO, "article.stored", url=item.where, status=status, figures=len(outcome.figures))
        return STORED, None

    def _document(self, item: Item) -> tuple[RawDoc, str | None]:
        """The entry's document, and a note when only its teaser could be kept."""
        entry = item.entry
        if entry.body and (entry.full or not entry.link):
            return entry.doc(item.source), None
        if not entry.link:
            raise FetchError("entry has no content and no link")
        try:
            page = self.fetcher.fetch(entry.link)
            if len(page.content) > self.max_bytes:
                raise FetchError(f"response larger than {self.max_bytes:,} bytes; skipped")
            return entry.page(page_doc(page, entry.name, entry.link)), None
        except Unavailable:
            raise
        except InputError as exc:
            if not entry.body:
                raise
            return entry.doc(item.source), f"{exc}; kept the feed's teaser"

    def _failed(
        self, run: _Run, summary: RoundSummary, item: Item, reason: str, stage: str
    ) -> tuple[str, str | None]:
        summary.failed += 1
        run.failed(Failure(source=item.where, reason=reason, stage=stage))
        event(logging.WARNING, "article.failed", url=item.where, source=item.source, problem=reason)
        return FAILED, reason

    # -- events -----------------------------------------------------------------------
    def look(self, *, baseline: bool = False) -> int:
        """Compare the reconciled ledger with the marks; record the alerts (none for a
        baseline) with the new marks; return how many alerts were recorded."""
        from tally.web.queries import fingerprint

        seen = fingerprint(self.store)
        if seen == self._looked and not baseline:
            return 0
        figs = self.store.figures()
        before = None if baseline else self.state.marks()
        found, after = changes(before or Marks(), reconcile(figs))
        by_id = {sf.id: sf for sf in figs}
        recorded = []
        for e in found if before is not None else []:
            names = [s.name for s in self.subscriptions if alerting.matches(s, e, by_id)]
            if not names:
                continue
            body = alerting.alert(e, dashboard=self.dashboard, figures=by_id, subscriptions=names)
            channels = [STDOUT] + [s.channel for s in self.subscriptions if s.name in names and s.channel]
            recorded.append((body, channels))
        ids = self.state.record(before, after, recorded)
        self._looked = seen
        for i, (body, _c) in zip(ids, recorded, strict=True):
            event(logging.INFO, "alert", id=i, kind=body["event"], series=body["series"]["label"])
        return len(ids)

    # -- deliveries -------------------------------------------------------------------
    def deliver(self) -> datetime | None:
        """Deliver what is due; return when the next webhook retry falls due, if any."""
        now, soonest = self.now(), None
        for d, next_try in self.state.pending():
            if d.channel == STDOUT:
                deliver.write_line(self.out, d.alert)
                self.state.delivery_done(d, DELIVERED)
                continue
            hook = self.hooks.get(d.channel)
            if hook is None:
                self.state.delivery_done(d, GAVE_UP, error="no such [[alerts]] webhook any more")
                continue
            if next_try is not None and next_try > now:
                soonest = next_try if soonest is None else min(soonest, next_try)
                continue
            d.attempts += 1
            try:
                hook.post(d.alert)
            except deliver.Refused as exc:
                if exc.retry and d.attempts < deliver.MAX_ATTEMPTS:
                    wait = deliver.backoff(d.attempts)
                    retry_at = now + timedelta(seconds=wait)
                    self.state.delivery_retry(d, retry_at, str(exc))
                    soonest = retry_at if soonest is None else min(soonest, retry_at)
                    event(
                        logging.WARNING,
                        "webhook.retry",
                        alert=d.alert["id"],
                        url=hook.url,
                        attempt=d.attempts,
                        retry_in=duration(wait),
                        problem=str(exc),
                    )
                else:
                    self.state.delivery_done(d, GAVE_UP, error=str(exc))
                    event(
                        logging.ERROR,
                        "webhook.gave_up",
                        alert=d.alert["id"],
                        url=hook.url,
                        attempts=d.attempts,
                        problem=str(exc),
                    )
                continue
            self.state.delivery_done(d, DELIVERED)
            event(logging.INFO, "webhook.delivered", alert=d.alert["id"], url=hook.url, attempts=d.attempts)
        return soonest


class _Run:
    """The ledger run of one round, started on its first document (a quiet round leaves
    no run behind), written through the same Recorder as `tally ingest`."""

    def __init__(self, store: Store, inputs: list[str]) -> None:
        self.store, self.inputs = store, inputs
        self.recorder: ledger.Recorder | None = None
        self._last: tuple[str, Failure | None] = ("", None)

    def _started(self) -> ledger.Recorder:
        if self.recorder is None:
            version = tally.__version__
            run_id = self.store.start_run(["watch", *self.inputs], version=version)
            summary = ledger.RunSummary(run_id, RunCounts())
            self.recorder = ledger.Recorder(self.store, summary, version, self._note)
        return self.recorder

    def _note(self, status: str, failure: Failure | None) -> None:
        self._last = (status, failure)

    def write(self, outcome: Any) -> tuple[str, Failure | None]:
        """Store one processed document now: (its status, the store's failure if any)."""
        rec = self._started()
        rec.add(outcome)
        rec.flush()
        return self._last

    def failed(self, failure: Failure) -> None:
        rec = self._started()
        rec.failed(failure)
        rec.flush()

    def finish(self) -> None:
        if self.recorder is not None:
            self.recorder.flush()
            self.store.finish_run(self.recorder.summary.run_id, self.recorder.summary.counts)


def _language(code: str) -> str:
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    name = getattr(found, "name", None) or code
    return (
        f"written in {name} ({code}), a language Tally does not read (it reads {', '.join(LANGS)}); skipped"
    )
