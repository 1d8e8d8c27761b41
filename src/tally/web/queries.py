"""The reads the dashboard needs beyond the store interface: one document, pages of
documents and run errors, and reconciled series cached until the ledger changes.

All SQL here is SQLAlchemy Core with bound parameters, over the store's own engine
and tables, so it runs unchanged on SQLite and PostgreSQL. Reconciliation is a pure
function of the stored figures, so its result is kept until they change (see
`fingerprint`):
an overview under load costs one small query, not a reconciliation per request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from tally.errors import StoreError
from tally.reconcile import Series, reconcile
from tally.store import Store, StoredFigure
from tally.store.schema import documents, figures, outlets, run_errors, runs

# Reconciled views kept: one per group filter a reader has used.
CACHE_ENTRIES = 16
# Least time between two rebuilds of one view, as a multiple of what the last one cost.
REBUILD_GAP = 2.0
# Seconds a reading of the ledger's fingerprint is trusted: under load, one query per
# this long instead of one per request (the count it takes grows with the ledger).
FINGERPRINT_TTL = 0.2
# Largest page size any listing serves; larger requests are refused by the API.
MAX_LIMIT = 500


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def read(store: Store, what: str, fn: Any) -> Any:
    """Run one read, turning a database error into a StoreError that says what failed."""
    try:
        with store.engine.connect() as conn:
            return fn(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read {what} in the store at {store.url}: {exc}") from exc


def fingerprint(store: Store) -> tuple[Any, ...]:
    """What moves whenever figures are stored or replaced: the figures' count and newest id,
    and the documents' count and latest write (a re-extraction rewrites its document, and
    SQLite may give the replacing figures the ids of those they replace)."""
    fq = select(func.count(figures.c.id), func.coalesce(func.max(figures.c.id), 0))
    dq = select(func.count(documents.c.id), func.max(documents.c.ingested))

    def run(conn: Any) -> tuple[Any, ...]:
        return (*conn.execute(fq).one(), *conn.execute(dq).one())

    found: tuple[Any, ...] = read(store, "the ledger's state", run)
    return found


@dataclass(slots=True)
class Ledger:
    """The stored figures and their reconciliation, as of one fingerprint."""

    figures: list[StoredFigure]
    series: list[Series]
    fingerprint: tuple[Any, ...] = ()
    built: float = 0.0  # time.monotonic() when it was built
    cost: float = 0.0  # seconds it took


class LedgerCache:
    """Reconciled series per group filter, rebuilt when the ledger changes.

    One thread rebuilds while the others go on answering from the previous build, so a
    steady ingest (a commit a second) never queues every reader behind a reconciliation;
    rebuilds are spaced by `rebuild_gap` times their own cost, so a large ledger under a
    steady ingest spends at most a third of the server's time reconciling; and the
    ledger's fingerprint is read at most once per `fresh_for` seconds, not per request.
    A page can thus lag the store by that spacing plus one rebuild while an ingest runs;
    `invalidate` (after the server's own writes) makes the next reader catch up.
    """

    def __init__(
        self, store: Store, *, rebuild_gap: float = REBUILD_GAP, fresh_for: float = FINGERPRINT_TTL
    ) -> None:
        self.store = store
        self.rebuild_gap = rebuild_gap
        self.fresh_for = fresh_for
        self._lock = threading.Lock()
        self._entries: OrderedDict[str | None, Ledger] = OrderedDict()
        self._builders: dict[str | None, threading.Lock] = {}
        self._seen: tuple[float, tuple[Any, ...]] | None = None

    def fingerprint(self) -> tuple[Any, ...]:
        """The store's fingerprint, read again once the last reading is `fresh_for` old."""
        seen = self._seen
        if seen is not None and time.monotonic() - seen[0] < self.fresh_for:
            return seen[1]
        now = fingerprint(self.store)
        self._seen = (time.monotonic(), now)
        return now

    def get(self, group: str | None = None) -> Ledger:
        key = (group or "").casefold() or None
        now = self.fingerprint()
        with self._lock:
            builder = self._builders.setdefault(key, threading.Lock())
            found = self._entries.get(key)
        if found is not None:
            if found.fingerprint == now:
                return found
            young = time.monotonic() - found.built < found.cost * self.rebuild_gap
            if young or not builder.acquire(blocking=False):
                return found  # another thread is rebuilding, or one just did
        else:
            builder.acquire()  # nothing to answer with yet: wait for the first build
        try:
            with self._lock:
                current = self._entries.get(key)
            if current is not None and current.fingerprint == now and current is not found:
                return current
            return self._build(key, now)
        finally:
            builder.release()

    def invalidate(self) -> None:
        """After a write of our own: the next reader rebuilds, however recent the last build."""
        with self._lock:
            self._seen = None
            for entry in self._entries.values():
                entry.built = float("-inf")

    def _build(self, key: str | None, now: tuple[Any, ...]) -> Ledger:
        t0 = time.monotonic()
        figs = self.store.figures()
        if key is not None:
            figs = [sf for sf in figs if (sf.figure.group or "").casefold() == key]
        ledger = Ledger(figs, reconcile(figs), now, time.monotonic(), time.monotonic() - t0)
        with self._lock:
            self._entries[key] = ledger
            self._entries.move_to_end(key)
            while len(self._entries) > CACHE_ENTRIES:
                self._entries.popitem(last=False)
        return ledger


_DOC_COLUMNS = [
    documents.c.id,
    documents.c.name,
    documents.c.source,
    documents.c.url,
    documents.c.title,
    documents.c.published,
    documents.c.lang,
    documents.c.story_id,
    documents.c.version,
    documents.c.run_id,
    documents.c.ingested,
    outlets.c.name.label("outlet"),
]


def document(store: Store, key: str) -> dict[str, Any] | None:
    """One stored document with its cleaned text, or None."""
    q = (
        select(*_DOC_COLUMNS, documents.c.text)
        .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id))
        .where(documents.c.id == key)
    )
    row = read(store, "a document", lambda c: c.execute(q).mappings().first())
    return None if row is None else {k: _plain(v) for k, v in row.items()}


def document_list(
    store: Store, *, limit: int, offset: int, outlet: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """A page of documents (without their text), newest publication first, and the total."""
    joined = documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id)
    counts = (
        select(figures.c.document_id, func.count(figures.c.id).label("figures"))
        .group_by(figures.c.document_id)
        .subquery()
    )
    q = select(*_DOC_COLUMNS, func.coalesce(counts.c.figures, 0).label("figures")).select_from(
        joined.outerjoin(counts, counts.c.document_id == documents.c.id)
    )
    total_q = select(func.count()).select_from(joined)
    if outlet:
        q = q.where(outlets.c.name == outlet)
        total_q = total_q.where(outlets.c.name == outlet)
    q = q.order_by(documents.c.published.desc(), documents.c.name, documents.c.id).limit(limit).offset(offset)

    def run(conn: Any) -> tuple[list[dict[str, Any]], int]:
        rows = [{k: _plain(v) for k, v in r.items()} for r in conn.execute(q).mappings()]
        return rows, int(conn.execute(total_q).scalar_one())

    result: tuple[list[dict[str, Any]], int] = read(store, "documents", run)
    return result


def run_list(store: Store, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page of ingest runs, newest first, each with its count of recorded errors."""
    errs = select(run_errors.c.run_id, func.count(run_errors.c.id).label("errors")).group_by(
        run_errors.c.run_id
    )
    errs_sq = errs.subquery()
    q = (
        select(runs, func.coalesce(errs_sq.c.errors, 0).label("errors"))
        .select_from(runs.outerjoin(errs_sq, errs_sq.c.run_id == runs.c.id))
        .order_by(runs.c.id.desc())
        .limit(limit)
        .offset(offset)
    )

    def run(conn: Any) -> tuple[list[dict[str, Any]], int]:
        rows = [_run_row(r) for r in conn.execute(q).mappings()]
        return rows, int(conn.execute(select(func.count()).select_from(runs)).scalar_one())

    result: tuple[list[dict[str, Any]], int] = read(store, "runs", run)
    return result


def run_detail(
    store: Store, run_id: int, *, limit: int, offset: int
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], int]:
    """One run, a page of its per-input errors, and how many errors it has in all."""
    q = select(runs).where(runs.c.id == run_id)
    eq = (
        select(run_errors.c.source, run_errors.c.stage, run_errors.c.reason, run_errors.c.at)
        .where(run_errors.c.run_id == run_id)
        .order_by(run_errors.c.id)
        .limit(limit)
        .offset(offset)
    )
    total_q = select(func.count()).select_from(run_errors).where(run_errors.c.run_id == run_id)

    def run(conn: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]], int]:
        row = conn.execute(q).mappings().first()
        if row is None:
            return None, [], 0
        errors = [{k: _plain(v) for k, v in r.items()} for r in conn.execute(eq).mappings()]
        total = int(conn.execute(total_q).scalar_one())
        return _run_row({**row, "errors": total}), errors, total

    result: tuple[dict[str, Any] | None, list[dict[str, Any]], int] = read(store, "a run", run)
    return result


def _run_row(row: Any) -> dict[str, Any]:
    import json

    out = {k: _plain(v) for k, v in dict(row).items()}
    try:
        inputs = json.loads(out.get("inputs") or "[]")
    except ValueError:
        inputs = [out.get("inputs")]
    out["inputs"] = [str(i) for i in inputs] if isinstance(inputs, list) else [str(inputs)]
    out["state"] = "finished" if out.get("finished") else "unfinished"
    return out
