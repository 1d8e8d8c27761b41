"""The watcher's memory in the store: `WatchState(store)`.

Sources with the validators of their last full answer and their failures, the entries
already taken care of, the marks of the reconciled ledger, the alerts and their
deliveries. SQLAlchemy Core over the store's engine and the tables of
`tally.store.schema`, so it runs unchanged on SQLite and PostgreSQL. Times are kept
in UTC; SQLite hands them back without a zone, which is put back here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from tally.errors import StoreError
from tally.store import Store
from tally.store.schema import watch_deliveries, watch_events, watch_items, watch_marks, watch_sources
from tally.watch.events import Marks
from tally.watch.records import Delivery, SourceState

PENDING, DELIVERED, GAVE_UP = "pending", "delivered", "gave_up"
# Entry states: stored (or kept as a failure for good), or to be tried again next round.
STORED, FAILED, RETRY = "stored", "failed", "retry"
_BASELINE = ("baseline", "-")


def utc(value: datetime | None) -> datetime | None:
    """A stored time with its zone (SQLite drops it; every time Tally writes is UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class WatchState:
    """Reads and writes of `tally watch`, each a short transaction on the store's engine."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._upsert: Callable[..., Any] = pg_insert if store.backend == "postgresql" else sqlite_insert

    def _run(self, what: str, fn: Callable[[Connection], Any], *, write: bool = False) -> Any:
        try:
            if write:
                with self.store.engine.begin() as conn:
                    return fn(conn)
            with self.store.engine.connect() as conn:
                return fn(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {what} in the store at {self.store.url}: {exc}") from exc

    # -- sources ------------------------------------------------------------------
    def source(self, source: str) -> SourceState | None:
        q = select(watch_sources).where(watch_sources.c.source == source)
        row = self._run("read a watched source", lambda c: c.execute(q).mappings().first())
        return _source(row) if row else None

    def sources(self) -> list[SourceState]:
        q = select(watch_sources).order_by(watch_sources.c.source)
        rows = self._run("read the watched sources", lambda c: c.execute(q).mappings().all())
        return [_source(r) for r in rows]

    def save_source(self, state: SourceState) -> None:
        row = state.as_dict()
        stmt = self._upsert(watch_sources).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["source"], set_={k: stmt.excluded[k] for k in row if k != "source"}
        )
        self._run("save a watched source", lambda c: c.execute(stmt), write=True)

    # -- entries ------------------------------------------------------------------
    def items(self, source: str) -> dict[str, tuple[str, int]]:
        """Entry key -> (state, attempts) for every entry of `source` taken care of or retried."""
        q = select(watch_items.c.item, watch_items.c.state, watch_items.c.attempts).where(
            watch_items.c.source == source
        )
        rows = self._run("read the entries seen", lambda c: c.execute(q).all())
        return {r[0]: (r[1], r[2]) for r in rows}

    def mark_item(
        self, source: str, item: str, url: str | None, state: str, attempts: int, reason: str | None
    ) -> None:
        row = {
            "source": source,
            "item": item,
            "url": url,
            "state": state,
            "attempts": attempts,
            "reason": reason,
            "seen": datetime.now(UTC),
        }
        stmt = self._upsert(watch_items).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["source", "item"],
            set_={k: stmt.excluded[k] for k in ("url", "state", "attempts", "reason", "seen")},
        )
        self._run("mark an entry as seen", lambda c: c.execute(stmt), write=True)

    # -- marks and events ---------------------------------------------------------
    def marks(self) -> Marks | None:
        """What the watcher last saw of the ledger; None before its first look at this store."""
        rows = self._run("read the watch marks", lambda c: c.execute(select(watch_marks)).all())
        marks, baseline = Marks(), False
        for kind, key, value in rows:
            if (kind, key) == _BASELINE:
                baseline = True
            elif kind == "point":
                marks.points[key] = value
            elif kind == "conflict":
                marks.conflicts.add(key)
            elif kind == "best":
                marks.best[key] = json.loads(value)
        return marks if baseline else None

    def record(
        self, before: Marks | None, after: Marks, alerts: Iterable[tuple[dict[str, Any], list[str]]]
    ) -> list[int]:
        """Store the alerts (each with the channels that must deliver it) and the new marks in
        one transaction; return the alerts' ids. `before` None: the first look, a baseline."""
        now = datetime.now(UTC)
        old = before or Marks()
        rows: list[dict[str, Any]] = [
            {"kind": "point", "key": k, "value": v} for k, v in after.points.items() if old.points.get(k) != v
        ]
        rows += [{"kind": "conflict", "key": k, "value": None} for k in after.conflicts - old.conflicts]
        rows += [
            {"kind": "best", "key": k, "value": json.dumps(v, ensure_ascii=False)}
            for k, v in after.best.items()
            if old.best.get(k) != v
        ]
        if before is None:
            rows.append({"kind": _BASELINE[0], "key": _BASELINE[1], "value": now.isoformat()})

        def run(conn: Connection) -> list[int]:
            ids = []
            for payload, channels in alerts:
                series = payload.get("series", {})
                values = {
                    "kind": payload["event"],
                    "created": now,
                    "origin": series.get("origin"),
                    "status": series.get("status"),
                    "payload": json.dumps(payload, ensure_ascii=False),
                }
                pk = conn.execute(insert(watch_events).values(**values)).inserted_primary_key
                assert pk is not None
                ids.append(int(pk[0]))
                if channels:
                    conn.execute(
                        insert(watch_deliveries),
                        [
                            {"event_id": ids[-1], "channel": ch, "state": PENDING, "attempts": 0}
                            for ch in channels
                        ],
                    )
            if rows:
                stmt = self._upsert(watch_marks)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["kind", "key"], set_={"value": stmt.excluded.value}
                )
                conn.execute(stmt, rows)
            return ids

        found: list[int] = self._run("record alerts", run, write=True)
        return found

    # -- deliveries ---------------------------------------------------------------
    def pending(self) -> list[tuple[Delivery, datetime | None]]:
        """Every delivery not done yet, oldest alert first, with when it may be tried next."""
        q = (
            select(watch_deliveries, watch_events.c.created, watch_events.c.payload)
            .join(watch_events, watch_events.c.id == watch_deliveries.c.event_id)
            .where(watch_deliveries.c.state == PENDING)
            .order_by(watch_deliveries.c.event_id, watch_deliveries.c.channel)
        )
        rows = self._run("read pending deliveries", lambda c: c.execute(q).mappings().all())
        return [
            (
                Delivery(
                    r["event_id"],
                    r["channel"],
                    r["attempts"],
                    _alert(r["event_id"], r["created"], r["payload"]),
                ),
                utc(r["next_try"]),
            )
            for r in rows
        ]

    def delivery_done(self, d: Delivery, state: str, *, error: str | None = None) -> None:
        """Mark a delivery delivered or given up (with the last error)."""
        self._set(d, state=state, attempts=d.attempts, done=datetime.now(UTC), error=error, next_try=None)

    def delivery_retry(self, d: Delivery, next_try: datetime, error: str) -> None:
        self._set(d, attempts=d.attempts, next_try=next_try, error=error)

    def _set(self, d: Delivery, **values: Any) -> None:
        stmt = (
            update(watch_deliveries)
            .where(watch_deliveries.c.event_id == d.event_id, watch_deliveries.c.channel == d.channel)
            .values(**values)
        )
        self._run("update a delivery", lambda c: c.execute(stmt), write=True)

    def deliveries(self) -> list[dict[str, Any]]:
        """Every delivery row (for tests and the page's counts)."""
        q = select(watch_deliveries).order_by(watch_deliveries.c.event_id, watch_deliveries.c.channel)
        return [dict(r) for r in self._run("read deliveries", lambda c: c.execute(q).mappings().all())]

    # -- alerts, for the feed and the page -------------------------------------------
    def alerts(
        self, *, limit: int, offset: int = 0, kind: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """The alerts, newest first, and how many there are in all."""
        q = select(watch_events.c.id, watch_events.c.created, watch_events.c.payload)
        n = select(func.count(watch_events.c.id))
        if kind:
            q, n = q.where(watch_events.c.kind == kind), n.where(watch_events.c.kind == kind)
        q = q.order_by(watch_events.c.id.desc()).limit(limit).offset(offset)

        def run(conn: Connection) -> tuple[list[dict[str, Any]], int]:
            rows = conn.execute(q).all()
            return [_alert(i, c, p) for i, c, p in rows], int(conn.execute(n).scalar_one())

        found: tuple[list[dict[str, Any]], int] = self._run("read alerts", run)
        return found


def _alert(event_id: int, created: datetime, payload: str) -> dict[str, Any]:
    body = json.loads(payload)
    when = utc(created)
    assert when is not None
    return {"id": event_id, "event": body.get("event"), "created": when.isoformat(), **body}


def _source(row: Any) -> SourceState:
    return SourceState(
        source=row["source"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        digest=row["digest"],
        checked=utc(row["checked"]),
        ok=utc(row["ok"]),
        failures=row["failures"],
        next_try=utc(row["next_try"]),
        error=row["error"],
    )
