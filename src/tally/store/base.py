"""The store interface: every read and write the ledger makes, in portable SQLAlchemy Core.

Both backends share this class; an adapter (sqlite.py, postgres.py) only says how to
build the engine and which dialect's INSERT ... ON CONFLICT to use. One document is
written per transaction, so a killed ingest loses at most the document in flight and
never leaves half a document behind.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from tally.errors import StoreError
from tally.model import Failure, Figure
from tally.store import fulltext, migrate, schema
from tally.store.records import Entry, RunCounts, StoredFigure
from tally.store.schema import documents, figures, outlets, run_errors, runs, seen_inputs, stories

_FIGURE_FIELDS = [f.name for f in fields(Figure)]
_RELEASE = re.compile(r"\d+(?:\.\d+)*")


def newer_version(current: str, stored: str) -> bool:
    """Whether `current` is a later Tally than `stored`, so its figures replace the old ones.

    Release numbers compare numerically (0.10 > 0.9); builds of one release compare as
    text, so two builds never take turns overwriting each other.
    """

    def release(v: str) -> tuple[int, ...]:
        m = _RELEASE.match(v)
        return tuple(int(x) for x in m.group(0).split(".")) if m else ()

    if release(current) != release(stored):
        return release(current) > release(stored)
    return current > stored


P = ParamSpec("P")
R = TypeVar("R")


def _wrapped(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a database error inside a store method into a StoreError that says what failed."""

    def deco(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except SQLAlchemyError as exc:
                store = args[0]
                assert isinstance(store, Store)
                raise StoreError(f"cannot {what} in the store at {store.url}: {exc}") from exc

        return inner

    return deco


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: Any) -> Any:
    """PostgreSQL refuses NUL in text; U+FFFD keeps the length, so offsets stay right."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


class Store:
    """A ledger in one database. Open one with `tally.store.open(url)`."""

    backend = "?"
    # The dialect's insert(), which has on_conflict_do_nothing / _do_update.
    _insert: Callable[[Table], Any]

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._outlets: dict[str, int] = {}
        self._q: dict[str, Any] = {}

    @property
    def url(self) -> str:
        """The store's URL with any password hidden, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def after_fork(self) -> None:
        """In a forked worker: drop the parent's connections without closing them."""
        self.engine.dispose(close=False)

    # -- schema -----------------------------------------------------------------
    @_wrapped("read the schema revision")
    def revision(self) -> str | None:
        return migrate.current(self.engine)

    @_wrapped("migrate the schema")
    def upgrade(self) -> str:
        """Run every migration this Tally ships that the database lacks."""
        return migrate.upgrade(self.engine)

    # -- runs -------------------------------------------------------------------
    @_wrapped("start a run")
    def start_run(self, inputs: list[str], *, version: str, workers: int = 1) -> int:
        """Open a run row; it stays unfinished until `finish_run`, which a killed run never reaches."""
        row = {"started": _now(), "version": version, "inputs": json.dumps(inputs), "workers": workers}
        row.update(RunCounts().as_dict())
        with self.engine.begin() as conn:
            pk = conn.execute(insert(runs).values(**row)).inserted_primary_key
        assert pk is not None
        return int(pk[0])

    @_wrapped("record a failure")
    def record_failure(self, run_id: int, failure: Failure) -> None:
        """Keep one input's failure as a row of the run, committed at once."""
        row = {
            "run_id": run_id,
            "source": _text(failure.source),
            "stage": failure.stage,
            "reason": _text(failure.reason),
            "at": _now(),
        }
        with self.engine.begin() as conn:
            conn.execute(insert(run_errors).values(**row))

    @_wrapped("finish a run")
    def finish_run(self, run_id: int, counts: RunCounts) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(finished=_now(), **counts.as_dict()))

    @_wrapped("read runs")
    def runs(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(runs).order_by(runs.c.id)).mappings()]

    @_wrapped("read run errors")
    def run_errors(self, run_id: int) -> list[Failure]:
        q = select(run_errors).where(run_errors.c.run_id == run_id).order_by(run_errors.c.id)
        with self.engine.connect() as conn:
            return [Failure(source=r.source, reason=r.reason, stage=r.stage) for r in conn.execute(q)]

    # -- ingest -----------------------------------------------------------------
    @_wrapped("read known inputs")
    def known_inputs(self) -> dict[str, str]:
        """Raw-input hash -> the Tally version that stored it."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(seen_inputs.c.raw_hash, seen_inputs.c.version)).all())

    @_wrapped("read stories")
    def story_rows(self) -> list[tuple[str, str | None, bytes | None]]:
        """(document key, story id, signature) of every stored document, oldest first."""
        q = select(documents.c.id, documents.c.story_id, documents.c.signature).order_by(
            documents.c.ingested, documents.c.id
        )
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(q)]

    def write(self, run_id: int | None, entry: Entry) -> str:
        """Store one document and its figures in one transaction.

        Returns "new", "updated" (an older Tally had extracted it: its figures are
        replaced) or "unchanged" (already stored by this version or a newer one).
        """
        (result,) = self.write_many(run_id, [entry])
        if isinstance(result, StoreError):
            raise result
        return result

    def write_many(self, run_id: int | None, entries: Sequence[Entry]) -> list[str | StoreError]:
        """Store several documents in one transaction, which is what keeps ingest cheap.

        If that transaction fails, each document is written again in its own, so one
        bad document fails alone: its slot in the result holds the StoreError.
        """
        found: dict[str, int] = {}
        try:
            with self.engine.begin() as conn:
                out: list[str | StoreError] = [self._write(conn, run_id, e, found) for e in entries]
        except SQLAlchemyError as exc:
            if len(entries) == 1:
                return [self._error(entries[0], exc)]
            out = []
            for e in entries:
                found = {}
                try:
                    with self.engine.begin() as conn:
                        out.append(self._write(conn, run_id, e, found))
                except SQLAlchemyError as one:
                    out.append(self._error(e, one))
                else:
                    self._outlets.update(found)
            return out
        self._outlets.update(found)  # only after the commit: a rolled-back id is no id
        return out

    def _error(self, entry: Entry, exc: SQLAlchemyError) -> StoreError:
        err = StoreError(f"cannot store {entry.doc.source} in the store at {self.url}: {exc}")
        err.__cause__ = exc
        return err

    def _write(self, conn: Connection, run_id: int | None, entry: Entry, found: dict[str, int]) -> str:
        doc = entry.doc
        q = self._statements()
        stored = conn.execute(q["version"], {"key": entry.key}).scalar()
        if stored is not None and not newer_version(entry.version, stored):
            status = "unchanged"
        else:
            values = {
                "name": doc.doc_id,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "published": doc.published,
                "lang": doc.lang,
                "outlet_id": self._outlet_id(conn, entry.outlet, found),
                "text": doc.text,
                "version": entry.version,
                "signature": entry.signature,
                "run_id": run_id,
                "ingested": _now(),
            }
            values = {k: _text(v) for k, v in values.items()}
            if stored is None:
                story = entry.story or entry.key
                conn.execute(q["story"], {"id": story, "created": values["ingested"]})
                conn.execute(q["insert_doc"], {"id": entry.key, "story_id": story, **values})
                status = "new"
            else:
                conn.execute(q["delete_figures"], {"key": entry.key})
                conn.execute(q["update_doc"], {"key": entry.key, **values})
                status = "updated"
            if entry.figures:
                rows = [self._figure_row(entry, i) for i in range(len(entry.figures))]
                conn.execute(q["insert_figures"], rows)
        if entry.raw_hash:
            seen = {"raw_hash": entry.raw_hash, "document_id": entry.key, "version": entry.version}
            conn.execute(q["seen"], seen)
        return status

    def _statements(self) -> dict[str, Any]:
        """The write path's statements, built once: rebuilding them per document costs
        more than the writes themselves."""
        if self._q:
            return self._q
        seen = self._insert(seen_inputs)
        self._q = {
            "version": select(documents.c.version).where(documents.c.id == bindparam("key")),
            "story": self._insert(stories).on_conflict_do_nothing(),
            "insert_doc": insert(documents),
            "update_doc": update(documents).where(documents.c.id == bindparam("key")),
            "delete_figures": delete(figures).where(figures.c.document_id == bindparam("key")),
            "insert_figures": insert(figures),
            "seen": seen.on_conflict_do_update(
                index_elements=["raw_hash"],
                set_={"document_id": seen.excluded.document_id, "version": seen.excluded.version},
            ),
            "outlet": self._insert(outlets).on_conflict_do_nothing(),
            "outlet_id": select(outlets.c.id).where(outlets.c.name == bindparam("name")),
        }
        return self._q

    def _outlet_id(self, conn: Connection, name: str | None, found: dict[str, int]) -> int | None:
        if not name:
            return None
        name = _text(name)[:200]
        known = self._outlets.get(name) or found.get(name)
        if known is not None:
            return known
        q = self._statements()
        conn.execute(q["outlet"], {"name": name})
        found[name] = conn.execute(q["outlet_id"], {"name": name}).scalar_one()
        return found[name]

    @staticmethod
    def _figure_row(entry: Entry, i: int) -> dict[str, Any]:
        fig, doc = entry.figures[i], entry.doc
        row = {name: _text(getattr(fig, name)) for name in _FIGURE_FIELDS}
        row["document_id"] = entry.key
        row["ordinal"] = i
        row["version"] = fig.version or entry.version
        # Provenance defaults to the document's when the extractor left it out.
        row["published"] = fig.published or doc.published
        row["url"] = fig.url or doc.url
        row["outlet"] = fig.outlet or entry.outlet
        row["lang"] = fig.lang or doc.lang
        return row

    # -- queries ----------------------------------------------------------------
    @_wrapped("read figures")
    def figures(
        self,
        *,
        origin: str | None = None,
        status: str | None = None,
        source: str | None = None,
        document: str | None = None,
    ) -> list[StoredFigure]:
        """Stored figures, oldest publication first; `source` matches a substring, any case."""
        q = select(figures, documents.c.story_id).join(documents, figures.c.document_id == documents.c.id)
        if origin:
            q = q.where(figures.c.origin == origin.upper())
        if status:
            q = q.where(figures.c.status == status)
        if source:
            q = q.where(func.lower(figures.c.source).contains(source.lower(), autoescape=True))
        if document:
            q = q.where(figures.c.document_id == document)
        q = q.order_by(figures.c.published, figures.c.document_id, figures.c.ordinal)
        out = []
        with self.engine.connect() as conn:
            for r in conn.execute(q).mappings():
                fig = Figure(**{name: r[name] for name in _FIGURE_FIELDS})
                out.append(
                    StoredFigure(id=r["id"], document=r["document_id"], story=r["story_id"], figure=fig)
                )
        return out

    @_wrapped("read a document")
    def document(self, key: str) -> dict[str, Any] | None:
        """One stored document by its key, with its cleaned text and outlet name, or None."""
        cols = [c for c in documents.c if c.name not in ("signature", "outlet_id")]
        q = (
            select(*cols, outlets.c.name.label("outlet"))
            .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id))
            .where(documents.c.id == key)
        )
        with self.engine.connect() as conn:
            row = conn.execute(q).mappings().first()
        return None if row is None else dict(row)

    @_wrapped("search the documents")
    def search_documents(self, query: str, *, limit: int, offset: int) -> fulltext.Hits:
        """Documents holding every word of `query` (the last as a prefix), best first, each
        with a snippet whose hits are marked (`fulltext.HIT_OPEN` ... `HIT_CLOSE`)."""
        with self.engine.connect() as conn:
            return fulltext.documents(conn, query, limit=limit, offset=offset)

    @_wrapped("search the figures")
    def search_figures(self, query: str, *, limit: int, offset: int) -> fulltext.Hits:
        """Figures whose quote, source, outlet, counted noun or group hold every word of
        `query`, best first, each with its quote's hits marked."""
        with self.engine.connect() as conn:
            return fulltext.figures(conn, query, limit=limit, offset=offset)

    @_wrapped("count rows")
    def counts(self) -> dict[str, int]:
        """Rows per table: what "ingesting twice changes nothing" is checked against."""
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in schema.TABLES
            }

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one table as plain values (times as ISO text), for export."""
        t = schema.metadata.tables[table]
        cols = [c for c in t.columns if c.name != "signature"]
        q = select(*cols).order_by(*t.primary_key.columns)
        try:
            with self.engine.connect() as conn:
                result = conn.execution_options(yield_per=500).execute(q)
                try:
                    for r in result.mappings():
                        yield {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()}
                finally:
                    result.close()  # a reader that stops early must not leave a server cursor open
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read {table} in the store at {self.url}: {exc}") from exc
